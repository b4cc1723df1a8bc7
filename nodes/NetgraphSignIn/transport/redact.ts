/**
 * Keeps the API token out of everything that leaves the transport. Pure. The order matters: a
 * text is redacted before it is cut, copied or parsed, so that no cut can leave part of the
 * token behind; a parsed value is redacted again, as JSON may spell the token with escapes.
 */

export const REDACTED = '[redacted]';

/** Replaces every occurrence of the secret. */
export function redact(value: string, secret: string): string {
	return secret !== '' && value.includes(secret) ? value.split(secret).join(REDACTED) : value;
}

/** Whether any string or key in a JSON value holds the secret; walks without copying. */
function holds(value: unknown, secret: string): boolean {
	if (typeof value === 'string') return value.includes(secret);
	if (typeof value !== 'object' || value === null) return false;
	if (Array.isArray(value)) return value.some((entry: unknown) => holds(entry, secret));
	const record = value as Record<string, unknown>;
	return Object.keys(record).some((key) => key.includes(secret) || holds(record[key], secret));
}

/**
 * The same through any JSON value, keys included. Returns the value itself when nothing in it
 * holds the secret, so that a large answer is walked but not copied.
 */
export function redactDeep<T>(value: T, secret: string): T {
	if (secret === '' || !holds(value, secret)) return value;
	if (typeof value === 'string') return redact(value, secret) as T;
	if (Array.isArray(value)) return value.map((entry: unknown) => redactDeep(entry, secret)) as T;
	return Object.fromEntries(
		Object.entries(value as Record<string, unknown>).map(([key, entry]) => [redact(key, secret), redactDeep(entry, secret)]),
	) as T;
}

export interface ReadBody {
	/** The body as received, with the secret replaced. */
	text: string;
	/** Parsed JSON, `undefined` for an empty body, or `text` when it was not JSON. */
	body: unknown;
	isJson: boolean;
}

/** Characters JSON may write with a short escape (\" \\ \/ \b \f \n \r \t); any may be written \uXXXX. */
const SHORT_ESCAPED = /["\\/\b\f\n\r\t]/;

/** Whether JSON text may spell the secret with escapes, and so hold it without holding it literally. */
function mayEscape(text: string, secret: string): boolean {
	return text.includes('\\u') || (SHORT_ESCAPED.test(secret) && text.includes('\\'));
}

/**
 * Reads an answer's body: redacts the text, parses it, and redacts the parsed value too when the
 * text may spell the secret with escapes (`\u0074...`, `\/`). An answer without such escapes, the
 * usual large list, is parsed and not walked.
 */
export function readBody(raw: string, secret: string): ReadBody {
	const text = redact(raw, secret);
	if (text.trim() === '') return { text, body: undefined, isJson: false };
	let body: unknown;
	try {
		body = JSON.parse(text) as unknown;
	} catch {
		return { text, body: text, isJson: false };
	}
	return { text, body: secret !== '' && mayEscape(text, secret) ? redactDeep(body, secret) : body, isJson: true };
}
