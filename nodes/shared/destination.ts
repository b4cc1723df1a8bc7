/**
 * Where the API token may go, as pure functions: the credential's `authenticate` and the
 * transport both ask these before a request leaves, so the rules live in one place.
 */

export interface DestinationProblem {
	message: string;
	description: string;
}

const CREDENTIAL = 'the Sign-In Context API credential';

/** This machine: plain http there never crosses a network. */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase();
	return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

function parse(url: string): URL | undefined {
	try {
		return new URL(url);
	} catch {
		return undefined;
	}
}

/**
 * What is wrong with a Base URL before any request is sent, or undefined when the token may go
 * there: https anywhere, http only to this machine unless the credential allows it.
 */
export function baseUrlProblem(baseUrl: unknown, allowUnencryptedHttp: boolean, credential = CREDENTIAL): DestinationProblem | undefined {
	const text = typeof baseUrl === 'string' ? baseUrl.trim() : '';
	const url = parse(text);
	const example = 'the API base URL from the dashboard instructions, e.g. https://api.example-org.netgraph-connect.com';
	if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
		return {
			message: 'The Base URL is not an https:// address',
			description: `Enter ${example}, in Base URL of ${credential}.`,
		};
	}
	if (url.username || url.password) {
		return {
			message: 'The Base URL contains a user name or password',
			description: `The Sign-In API takes only the API token. Remove the part before @ from Base URL in ${credential}.`,
		};
	}
	if (url.search || url.hash) {
		return {
			message: 'The Base URL contains a query (?) or fragment (#)',
			description: `Enter ${example}, without ? or #, in Base URL of ${credential}.`,
		};
	}
	if (url.protocol === 'http:' && !allowUnencryptedHttp && !isLoopbackHost(url.hostname)) {
		return {
			message: `The Base URL uses unencrypted http:// to ${url.host}, which would send the API token in clear text`,
			description: `Use the https:// address of the Sign-In API in Base URL of ${credential}. Only if n8n reaches the API over a private network you trust, turn on Allow Unencrypted HTTP in the credential.`,
		};
	}
	return undefined;
}

/** The same rules for one request: its target must also be on the Base URL's origin. */
export function destinationProblem(
	credentials: { baseUrl?: unknown; allowUnencryptedHttp?: unknown },
	target: string,
): DestinationProblem | undefined {
	const problem = baseUrlProblem(credentials.baseUrl, credentials.allowUnencryptedHttp === true);
	if (problem) return problem;
	const base = new URL(String(credentials.baseUrl).trim());
	const url = parse(target);
	if (!url || url.origin !== base.origin) {
		return {
			message: `The API token is only sent to ${base.origin}, the Base URL's origin`,
			description: `A request for ${url?.origin ?? 'another address'} was stopped before it was sent. Check Base URL in ${CREDENTIAL}.`,
		};
	}
	return undefined;
}

/** The origin a Location header points to, resolved against the request; undefined if none. */
export function redirectTarget(location: unknown, requestUrl: string): URL | undefined {
	const value = Array.isArray(location) ? location[0] : location;
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	try {
		return new URL(value.trim(), requestUrl);
	} catch {
		return undefined;
	}
}
