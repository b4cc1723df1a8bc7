import { createHash, timingSafeEqual } from 'crypto';

export const DEFAULT_HEADER_NAME = 'X-Webhook-Secret';
export const MIN_SECRET_LENGTH = 16;

/** RFC 9110 token characters: what a header name may consist of. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII and inner spaces: what the Context admin and every HTTP stack carry unchanged. */
const HEADER_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
/** Headers that proxies, clients or HTTP itself set or rewrite, so they cannot carry a secret. */
const RESERVED_HEADERS = new Set([
	'connection',
	'content-encoding',
	'content-length',
	'content-type',
	'cookie',
	'host',
	'keep-alive',
	'transfer-encoding',
	'upgrade',
	'user-agent',
]);

/** What is wrong with the header name, or undefined. */
export function headerNameProblem(name: string): string | undefined {
	if (name.trim() === '') return 'Header Name is empty';
	if (!HEADER_NAME.test(name)) {
		return `Header Name "${name}" is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~ only, no spaces)`;
	}
	if (RESERVED_HEADERS.has(name.toLowerCase())) {
		return `Header Name "${name}" is set by HTTP clients and proxies themselves; choose a header of your own, e.g. ${DEFAULT_HEADER_NAME}`;
	}
	return undefined;
}

/** What is wrong with the secret, without ever quoting it. */
export function secretProblem(secret: string): string | undefined {
	if (secret.length < MIN_SECRET_LENGTH) {
		return `Secret must be at least ${MIN_SECRET_LENGTH} characters long (it has ${secret.length})`;
	}
	if (!HEADER_VALUE.test(secret)) {
		return 'Secret may hold only visible ASCII characters and inner spaces (no line breaks, no leading or trailing spaces)';
	}
	return undefined;
}

/** The received header value as one string; a header sent twice never matches. */
export function receivedValue(value: string | string[] | undefined): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

/** Compares in constant time: both sides are hashed to 32 bytes first, so lengths leak nothing. */
export function secretMatches(received: string | undefined, expected: string): boolean {
	if (received === undefined) return false;
	const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
	return timingSafeEqual(digest(received), digest(expected));
}
