/**
 * Turns a failed Sign-In API answer into one clear message and a description that says what to
 * do next. Pure: the transport builds the NodeApiError from what this returns.
 */
import { redact } from './redact';

export interface FailureText {
	message: string;
	description: string;
	requestId?: string;
}

/**
 * The credential a request's key came from and, for the organisation credential, the Context
 * whose key it was: what an error tells the user to fix.
 */
export interface KeyHolder {
	credential: 'Sign-In Context API' | 'Sign-In Organization API';
	/** The organisation credential's Context, by its name and slot (`context3`). */
	context?: { name: string; slot: string };
}

export const ONE_CONTEXT: KeyHolder = { credential: 'Sign-In Context API' };

/** Where a Context sits in the organisation credential's form: `Context 3`. */
function slotLabel(slot: string): string {
	return slot.replace(/^context/, 'Context ');
}

/** ` for Context "Hotel Oslo"`, for a message; nothing with the one-Context credential. */
export function forContext(holder: KeyHolder): string {
	return holder.context ? ` for Context "${holder.context.name}"` : '';
}

/** The field that holds the key: `the API Token in the Sign-In Context API credential`, or a Context's API Key. */
export function keyField(holder: KeyHolder): string {
	const { context } = holder;
	return context
		? `the API Key of Context "${context.name}" (${slotLabel(context.slot)}) in the ${holder.credential} credential`
		: `the API Token in the ${holder.credential} credential`;
}

/** The Base URL the request went to, as the credential's form names it. */
export function baseUrlField(holder: KeyHolder): string {
	const { context } = holder;
	return context
		? `the Base URL of the ${holder.credential} credential, which Context "${context.name}" (${slotLabel(context.slot)}) uses`
		: `the Base URL in the ${holder.credential} credential`;
}

function idFields(holder: KeyHolder): string {
	const { context } = holder;
	return context
		? `the Organization ID, or the Context ID of Context "${context.name}" (${slotLabel(context.slot)}), in the ${holder.credential} credential`
		: `the Organization ID or Context ID in the ${holder.credential} credential`;
}

/** What to do about a 401: check the key, and where it is rotated. */
export function tokenHelp(holder: KeyHolder): string {
	const what = holder.context ? 'key' : 'token';
	return `Check ${keyField(holder)}. ${holder.context ? "Keys are enabled and rotated in that Context's" : 'Tokens are enabled and rotated in the'} Sign-In Context admin under Administration > Configuration > Common Settings; if it was rotated, paste the new ${what} into the credential.`;
}

/** What to do about a 403: the allow-list, or the IDs that name the Context. */
export function forbiddenHelp(holder: KeyHolder): string {
	return `Either this n8n server's public IP address is not on the Organization's Administrator portal IP whitelist (ask an Organization admin to add it under the Admin Portal network access settings), or ${idFields(holder)} is wrong (copy both from the dashboard instructions on the Organization's admin home page).`;
}

export const TOKEN_HELP = tokenHelp(ONE_CONTEXT);
export const FORBIDDEN_HELP = forbiddenHelp(ONE_CONTEXT);

const STATUS_TEXT: Record<number, string> = {
	301: 'Moved Permanently',
	302: 'Found',
	303: 'See Other',
	307: 'Temporary Redirect',
	308: 'Permanent Redirect',
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	408: 'Request Timeout',
	409: 'Conflict',
	413: 'Payload Too Large',
	415: 'Unsupported Media Type',
	422: 'Unprocessable Entity',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

function statusLabel(status: number): string {
	return STATUS_TEXT[status] ? `${status} ${STATUS_TEXT[status]}` : `status ${status}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (typeof value === 'number') return String(value);
	return undefined;
}

/** Which documented error shape a body has (section 2.5 of the spec), if any. */
export type BodyShape = 'usernamePassword' | 'accessPolicy' | 'whitelisting' | 'none';

interface ParsedBody {
	detail?: string;
	code?: string;
	requestId?: string;
	shape: BodyShape;
}

/** Reads whichever of the three documented error shapes the body has, whatever the family. */
export function parseErrorBody(body: unknown): ParsedBody {
	if (Array.isArray(body)) {
		const fields = body.filter(isRecord).map((entry) => {
			const field = text(entry.field) ?? 'request';
			const rejected = entry.rejectedValue === undefined ? '' : ` ${JSON.stringify(entry.rejectedValue)}`;
			return `${field}${rejected}: ${text(entry.message) ?? 'rejected'}`;
		});
		const documented = body.length > 0 && body.every((entry) => isRecord(entry) && typeof entry.field === 'string' && typeof entry.message === 'string');
		return fields.length ? { detail: fields.join('; '), shape: documented ? 'whitelisting' : 'none' } : { shape: 'none' };
	}
	if (!isRecord(body)) return { shape: 'none' };
	const requestId = text(body.request_id) ?? text(body.requestId);
	if ('error_code' in body || 'error_message' in body) {
		const documented = typeof body.error_code === 'string' && typeof body.error_message === 'string';
		return { detail: text(body.error_message), code: text(body.error_code), requestId, shape: documented ? 'usernamePassword' : 'none' };
	}
	const detail = text(body.message) ?? text(body.error_message) ?? text(body.error) ?? text(body.detail);
	const documented = typeof body.status === 'number' && typeof body.message === 'string';
	return { detail, requestId, shape: documented ? 'accessPolicy' : 'none' };
}

const htmlHint = (holder: KeyHolder) =>
	`The answer was an HTML page, not JSON: ${baseUrlField(holder)} may point at a website, a login page or a proxy instead of the Sign-In API.`;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The text of an HTML page or plain body: tags dropped, character references decoded, spaces collapsed. */
function plainText(raw: string): string {
	return raw
		.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (reference: string, name: string) => {
			const code = name.startsWith('#x') || name.startsWith('#X') ? parseInt(name.slice(2), 16) : name.startsWith('#') ? Number(name.slice(1)) : NaN;
			if (Number.isNaN(code)) return ENTITIES[name.toLowerCase()] ?? reference;
			return code <= 0x10ffff ? String.fromCodePoint(code) : reference;
		})
		.replace(/\s+/g, ' ')
		.trim();
}

/**
 * A short plain-text excerpt of a non-JSON body, for the description. The secret is replaced
 * before the tags are stripped (a tag between its characters would otherwise split it into
 * parts that no longer match), again in the decoded text, and only then is the text cut, so that
 * no part of it is left at the cut.
 */
export function excerpt(raw: string, secret = ''): string {
	const plain = redact(plainText(redact(raw, secret)), secret);
	return plain.length > 200 ? `${plain.slice(0, 197)}...` : plain;
}

export function looksLikeHtml(raw: string): boolean {
	return /^\s*<(?:!doctype|html|head|body|\?xml|[a-z]+[\s>])/i.test(raw);
}

/**
 * The message and description for a non-2xx answer. `body` is the parsed JSON (or undefined),
 * `raw` the body as received, `secret` what must not appear in the excerpt of a text body.
 * `limitedFor`: a 429 without Retry-After that the rate-limit schedule waited out in vain;
 * `holder`: the credential (and Context) whose key the request carried.
 */
export function describeFailure(
	status: number,
	body: unknown,
	raw: string,
	secret = '',
	limitedFor?: { seconds: number; tries: number },
	holder: KeyHolder = ONE_CONTEXT,
): FailureText {
	const { detail, code, requestId, shape } = parseErrorBody(body);
	const notes: string[] = [];
	if (code) notes.push(`Code: ${code}.`);
	if (requestId) notes.push(`Request ID: ${requestId} (quote it if you contact Netgraph support).`);
	if (body === undefined && raw.trim() !== '') {
		notes.push(looksLikeHtml(raw) ? htmlHint(holder) : `The answer was not JSON: ${excerpt(raw, secret)}`);
	}
	const tail = notes.length ? ` ${notes.join(' ')}` : '';
	const label = statusLabel(status);

	if (status === 401) {
		const refused = holder.context ? `the API key of Context "${holder.context.name}"` : 'the API token';
		return { message: `The Sign-In API refused ${refused} (${label})`, description: `${tokenHelp(holder)}${tail}`, requestId };
	}
	if (status === 403) {
		return {
			message: `The Sign-In API denied access to ${holder.context ? `Context "${holder.context.name}"` : 'this Sign-In Context'} (${label})`,
			description: `${forbiddenHelp(holder)}${tail}`,
			requestId,
		};
	}
	// Only a body in one of the API's own error shapes is the API speaking; any other 404 (empty,
	// HTML, a proxy's JSON) comes from an address that is not the Sign-In API.
	if (status === 404 && shape === 'none') {
		return {
			message: `The Sign-In API has no such endpoint (${label})`,
			description: `The answer is not in any of the Sign-In API's error formats, so it does not say that a user or entry is missing: the address is probably not the Sign-In API. Check ${baseUrlField(holder)}: it is the API base URL from the dashboard instructions (scheme and host, plus a path prefix if your Organization has one), without /v1/....${tail}`,
			requestId,
		};
	}
	if (status === 429 && limitedFor) {
		return {
			message: `The Sign-In API kept limiting the request rate for ${limitedFor.seconds} s over ${limitedFor.tries} tries (${label})`,
			description: `It named no time to wait (no Retry-After), so the node waited longer after each try, and held back the run's other requests with it. The service refuses a rate-limited request before doing any work, so none of these tries changed anything. Run again later, send fewer items per run or lower Concurrency.${tail}`,
			requestId,
		};
	}
	if (status === 429) {
		return {
			message: `The Sign-In API is limiting the request rate (${label})`,
			description: `Too many requests were sent in a short time. Run again later, or send fewer items per run.${tail}`,
			requestId,
		};
	}
	if (status >= 500) {
		return {
			message: `The Sign-In API is unavailable (${label})${detail ? `: ${detail}` : ''}`,
			description: `The Sign-In service could not handle the request. This is on the service's side: try again in a few minutes.${tail}`,
			requestId,
		};
	}
	if (detail) {
		return {
			message: `The Sign-In API rejected the request: ${detail}`,
			description: `Correct the value it names and run again.${tail}`,
			requestId,
		};
	}
	return {
		message: `The Sign-In API rejected the request (${label})`,
		description: `The API gave no reason.${tail}`,
		requestId,
	};
}

/**
 * A 3xx answer: the node never follows it, so the message names where the server pointed and
 * the description says that nothing went there.
 */
export function describeRedirect(status: number, from: URL, to: URL | undefined, holder: KeyHolder = ONE_CONTEXT): FailureText {
	const label = statusLabel(status);
	const fix = `Put the address of the Sign-In API itself into ${baseUrlField(holder)}: the API base URL from the dashboard instructions, as it is, without /v1/....`;
	if (!to) {
		return {
			message: `The Sign-In API at ${from.origin} answered ${label} without saying where to`,
			description: `This node never follows redirects. ${fix}`,
		};
	}
	const notes: string[] = [];
	if (from.protocol === 'https:' && to.protocol === 'http:') notes.push('The redirect leads from https to unencrypted http.');
	else if (to.origin === from.origin) notes.push('The redirect stays on the same origin but leads to another path, so the Base URL or its path prefix is not the one the service expects.');
	else if (to.hostname === from.hostname) notes.push('The redirect leads to another port of the same host.');
	return {
		message: `The Sign-In API at ${from.origin} answered ${label}, pointing to ${to.origin}`,
		description: `This node never follows redirects: nothing, and not the API ${holder.context ? 'key' : 'token'}, was sent to ${to.origin}. ${[...notes, fix].join(' ')}`,
	};
}
