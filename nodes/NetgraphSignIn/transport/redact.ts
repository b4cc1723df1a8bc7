/**
 * Keeps the API token out of everything that leaves the transport. Pure. The order matters: a
 * text is redacted before it is cut, copied, parsed or stripped of its tags, so that no cut can
 * leave part of the token behind; a parsed value is redacted again, as JSON may spell the token
 * with escapes.
 *
 * An echo is found however a web server or proxy may have spelled the token: in any letter case
 * (a host name is lower-cased when parsed), each character as itself, URL-encoded (`%74`) or as
 * an HTML character reference (`&#116;`, `&#x74;`), with HTML tags between its characters (a
 * page may highlight part of it), and base64-encoded (standard or URL-safe alphabet, at any
 * alignment, as in an echoed `Authorization: Basic` header).
 */

export const REDACTED = '[redacted]';

const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** Regular-expression text for one character, as itself or in its escape forms. */
function characterForms(char: string): string {
	const variants = new Set([char, char.toLowerCase(), char.toUpperCase()]);
	const forms = new Set<string>();
	for (const variant of variants) {
		forms.add(escapeRegExp(variant));
		const code = variant.codePointAt(0)!;
		forms.add(encodeURIComponent(variant).length > 1 ? encodeURIComponent(variant) : `%${code.toString(16).padStart(2, '0')}`);
		forms.add(`&#0*${code};`);
		forms.add(`&#x0*${code.toString(16)};`);
	}
	return `(?:${[...forms].join('|')})`;
}

/** Between two characters of an echo: any HTML tags. */
const TAGS = '(?:<[^<>]{0,200}>)*';

/** The parts of the secret's base64 forms that do not depend on what surrounds it, at each of the three alignments. */
function base64Cores(secret: string): string[] {
	const bytes = Buffer.from(secret, 'utf8');
	const cores: string[] = [];
	for (let shift = 0; shift < 3; shift++) {
		const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
		const core = encoded.slice(Math.ceil((shift * 8) / 6), Math.floor(((shift + bytes.length) * 8) / 6));
		cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
	}
	return [...new Set(cores)];
}

interface Finder {
	spelled: RegExp;
	base64: RegExp | undefined;
}

/** The last secret's finders: one transport call redacts with one secret many times. */
let cached: { secret: string; finder: Finder } | undefined;

function finderOf(secret: string): Finder {
	if (cached?.secret === secret) return cached.finder;
	const chars = [...secret];
	// Short secrets have short base64 forms that ordinary text may hold by chance.
	const cores = chars.length >= 8 ? base64Cores(secret) : [];
	const finder = {
		spelled: new RegExp(chars.map(characterForms).join(TAGS), 'gi'),
		base64: cores.length ? new RegExp(cores.map(escapeRegExp).join('|'), 'g') : undefined,
	};
	cached = { secret, finder };
	return finder;
}

/** Whether the text holds the secret in any of the forms above. */
function holdsText(value: string, secret: string): boolean {
	const { spelled, base64 } = finderOf(secret);
	spelled.lastIndex = 0;
	if (spelled.test(value)) return true;
	if (!base64) return false;
	base64.lastIndex = 0;
	return base64.test(value);
}

/** Replaces every occurrence of the secret, in any of the forms above. */
export function redact(value: string, secret: string): string {
	if (secret === '' || !holdsText(value, secret)) return value;
	const { spelled, base64 } = finderOf(secret);
	const replaced = value.replace(spelled, REDACTED);
	return base64 ? replaced.replace(base64, REDACTED) : replaced;
}

/** Whether any string or key in a JSON value holds the secret; walks without copying. */
function holds(value: unknown, secret: string): boolean {
	if (typeof value === 'string') return holdsText(value, secret);
	if (typeof value !== 'object' || value === null) return false;
	if (Array.isArray(value)) return value.some((entry: unknown) => holds(entry, secret));
	const record = value as Record<string, unknown>;
	return Object.keys(record).some((key) => holdsText(key, secret) || holds(record[key], secret));
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
