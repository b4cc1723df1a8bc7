/**
 * What a Sign-In Context is, wherever the package needs to know: its address, the address as the
 * server reads it, and how messages and output items name it. Pure functions, no n8n runtime: the
 * credentials, the node and the trigger all use them.
 */

/** One Context of an organisation credential, without its key. */
export interface SignInContext {
	/** The slot it is stored in, e.g. `context3`. */
	slot: string;
	name: string;
	id: string;
	/** The organisation's Base URL, normalised (see `normalisedAddress`). */
	baseUrl: string;
	/** `{baseUrl}/v1/org/{org}/contexts/sign-in/{context}`. */
	url: string;
}

/**
 * The output fields that say which Context an item was for (the node) or an event came from (the
 * trigger). The webhook payload's own field names are undocumented (U-WH2) and may well include
 * `context`, `contextId` or `contextName`; these are ours.
 */
export const CONTEXT_NAME_FIELD = 'signInContext';
export const CONTEXT_ID_FIELD = 'signInContextId';

/** `{baseUrl}/v1/org/{org}/contexts/sign-in/{context}`, with a trailing slash on the base tolerated. */
export function contextAddress(baseUrl: unknown, organizationId: unknown, contextId: unknown): string {
	const base = String(baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	const org = encodeURIComponent(String(organizationId ?? '').trim());
	const contextSegment = encodeURIComponent(String(contextId ?? '').trim());
	return `${base}/v1/org/${org}/contexts/sign-in/${contextSegment}`;
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * An address as the server reads it, so that two spellings of one address compare equal: scheme
 * and host in lower case, no default port, dot segments resolved (the URL parser does these),
 * percent-encoding in one spelling (unreserved characters decoded, other escapes in upper case)
 * and no trailing slash. Undefined when it is no URL.
 */
export function normalisedAddress(value: string): string | undefined {
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		return undefined;
	}
	const path = url.pathname
		.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
			const character = String.fromCharCode(parseInt(hex, 16));
			return UNRESERVED.test(character) ? character : `%${hex.toUpperCase()}`;
		})
		.replace(/\/+$/, '');
	return `${url.origin}${path}`;
}

/**
 * Why a value cannot be exactly one segment of the address path, or undefined: `.` and `..` are
 * resolved away, `/` and `\` split it, and control characters are dropped by URL parsers.
 */
export function pathSegmentProblem(value: string): string | undefined {
	if (value === '.' || value === '..') return 'is a dot segment, which the address would resolve away';
	if (value.includes('/') || value.includes('\\')) return 'contains / or \\, and must be one path segment';
	if ([...value].some((character) => character.charCodeAt(0) < 0x20 || character.charCodeAt(0) === 0x7f)) {
		return 'contains a control character (a tab or line break, for example), which the address would drop';
	}
	return undefined;
}

/** The names, for messages: "Hotel Stockholm, Hotel Oslo and Hotel Bergen". */
export function contextNames(contexts: Array<{ name: string; label?: string }>): string {
	const names = contexts.map((context) => (context.name ? `"${context.name}"` : (context.label ?? '')));
	return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
