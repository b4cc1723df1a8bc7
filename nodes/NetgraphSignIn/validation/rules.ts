/**
 * The Sign-In API's documented input rules, as pure functions.
 *
 * Each `normalize*` function accepts the generous range of inputs a workflow may hold and returns
 * the exact value the API expects, or throws `RuleViolation` naming the rule that failed. Nothing
 * else in the package restates these patterns: the node, its error messages and the tests use
 * these functions.
 */

export class RuleViolation extends Error {
	constructor(
		readonly rule: string,
		readonly value: unknown,
	) {
		super(rule);
		this.name = 'RuleViolation';
	}
}

/**
 * The accepted MAC spellings by length: where the separators stand and which ones may (the same
 * one at every place). 17: AA:BB:CC:DD:EE:FF or AA-BB-CC-DD-EE-FF; 14: aabb.ccdd.eeff; 12: aabbccddeeff.
 */
const MAC_SPELLINGS = new Map<number, { separatorsAt: number[]; separators: string }>([
	[17, { separatorsAt: [2, 5, 8, 11, 14], separators: ':-' }],
	[14, { separatorsAt: [4, 9], separators: '.' }],
	[12, { separatorsAt: [], separators: '' }],
]);
export const MAC_RULE =
	'must be six pairs of hex digits, e.g. AA:BB:CC:DD:EE:FF, AA-BB-CC-DD-EE-FF, aabbccddeeff or aabb.ccdd.eeff';

function isHexDigit(code: number): boolean {
	const lowerCase = code | 0x20;
	return (code >= 0x30 && code <= 0x39) || (lowerCase >= 0x61 && lowerCase <= 0x66);
}

/**
 * Any documented or common MAC spelling becomes `AA:BB:CC:DD:EE:FF`. One pass over the
 * characters: the node reads thousands of MACs per run, from the items and from the answers.
 */
export function normalizeMac(value: unknown): string {
	const text = typeof value === 'string' ? value.trim() : '';
	const spelling = MAC_SPELLINGS.get(text.length);
	const separator = spelling?.separatorsAt.length ? text[spelling.separatorsAt[0]] : '';
	if (!spelling || (separator !== '' && !spelling.separators.includes(separator))) throw new RuleViolation(MAC_RULE, value);
	let normalized = '';
	let digits = 0;
	let separatorIndex = 0;
	let alreadyNormal = separator === ':';
	for (let index = 0; index < text.length; index++) {
		if (index === spelling.separatorsAt[separatorIndex]) {
			if (text[index] !== separator) throw new RuleViolation(MAC_RULE, value);
			separatorIndex++;
			continue;
		}
		const code = text.charCodeAt(index);
		if (!isHexDigit(code)) throw new RuleViolation(MAC_RULE, value);
		if (code >= 0x61) alreadyNormal = false;
		if (digits > 0 && digits % 2 === 0) normalized += ':';
		normalized += text[index];
		digits++;
	}
	return alreadyNormal ? text : normalized.toUpperCase();
}

const NAME_CHARACTERS = 'A-Za-z0-9åäöÅÄÖ&,. -';
const TAG_CHARACTERS = 'A-Za-z0-9åäöÅÄÖ()&,./"+: -';
const NAME_SHAPE = new RegExp(`^[${NAME_CHARACTERS}]*$`);
const TAG_SHAPE = new RegExp(`^[${TAG_CHARACTERS}]*$`);
const NAME_CHARSET_TEXT = 'letters a-z, A-Z, å ä ö Å Ä Ö, digits, spaces and & , . -';
const TAG_CHARSET_TEXT = 'letters a-z, A-Z, å ä ö Å Ä Ö, digits, spaces and ( ) & , . / " + : -';

/** How many characters (code points, as `[...text].length` counts them) `text` has, without splitting it. */
export function characterCount(text: string): number {
	let count = text.length;
	for (let index = 0; index < text.length - 1; index++) {
		const code = text.charCodeAt(index);
		if (code < 0xd800 || code > 0xdbff) continue;
		const next = text.charCodeAt(index + 1);
		if (next >= 0xdc00 && next <= 0xdfff) {
			count--;
			index++;
		}
	}
	return count;
}

function checkText(
	value: unknown,
	{ min, max, shape, charset }: { min: number; max: number; shape: RegExp; charset: string },
): string {
	if (typeof value !== 'string') throw new RuleViolation(`must be text of ${min}–${max} characters`, value);
	const text = value.trim();
	const length = characterCount(text);
	if (length < min || length > max) {
		throw new RuleViolation(`must be ${min}–${max} characters long (is ${length})`, value);
	}
	if (!shape.test(text)) {
		const offending = [...new Set([...text].filter((char) => !shape.test(char)))].join(' ');
		throw new RuleViolation(`may only contain ${charset} (found ${offending})`, value);
	}
	return text;
}

/** Whitelisting `name`: 2–100 characters of the documented set. */
export function normalizeWhitelistingName(value: unknown): string {
	return checkText(value, { min: 2, max: 100, shape: NAME_SHAPE, charset: NAME_CHARSET_TEXT });
}

/** Whitelisting `description`: 0–200 characters of the same set as `name`. */
export function normalizeWhitelistingDescription(value: unknown): string {
	return checkText(value ?? '', { min: 0, max: 200, shape: NAME_SHAPE, charset: NAME_CHARSET_TEXT });
}

/** One tag `value`: 2–30 characters of the documented tag set. */
export function normalizeTagValue(value: unknown): string {
	return checkText(value, { min: 2, max: 30, shape: TAG_SHAPE, charset: TAG_CHARSET_TEXT });
}

/**
 * Tags given as a list of strings, a list of `{ value }` objects, or one comma- or
 * newline-separated string. Duplicates are dropped, order is kept.
 */
export function normalizeTags(value: unknown): Array<{ value: string }> {
	const tags = splitList(value).map((entry) =>
		normalizeTagValue(isObject(entry) && 'value' in entry ? entry.value : entry),
	);
	return [...new Set(tags)].map((tag) => ({ value: tag }));
}

const DATE_PREFIX = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/;
export const DATE_RULE = 'must be a calendar date as YYYY-MM-DD or an ISO 8601 date-time, e.g. 2026-12-31';

/**
 * `toDate` as `YYYY-MM-DD`. Accepts that form, an ISO date-time (its date as written, in its own
 * offset), a JavaScript Date (its UTC date) or an n8n/Luxon DateTime (its date in its own zone).
 */
export function normalizeDate(value: unknown): string {
	let text: string | undefined;
	if (value instanceof Date) {
		text = Number.isNaN(value.getTime()) ? undefined : value.toISOString();
	} else if (isObject(value) && typeof value.toISODate === 'function') {
		const iso = (value.toISODate as () => unknown)();
		text = typeof iso === 'string' ? iso : undefined;
	} else if (typeof value === 'string') {
		text = value.trim();
	}
	const match = text === undefined ? null : DATE_PREFIX.exec(text);
	if (!match) throw new RuleViolation(DATE_RULE, value);
	const [, year, month, day] = match;
	const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
	if (
		date.getUTCFullYear() !== Number(year) ||
		date.getUTCMonth() !== Number(month) - 1 ||
		date.getUTCDate() !== Number(day)
	) {
		throw new RuleViolation(`must be a real calendar date (${year}-${month}-${day} does not exist)`, value);
	}
	return `${year}-${month}-${day}`;
}

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const UUID_RULE = 'must be a UUID, e.g. 7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7f';

/** A UUID in its canonical lower-case form. */
export function normalizeUuid(value: unknown): string {
	const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
	if (!UUID_SHAPE.test(text)) throw new RuleViolation(UUID_RULE, value);
	return text;
}

const DOMAIN = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+';
const EMAIL_PATTERN_SHAPE = new RegExp(`^(?:\\*@(?:\\*\\.)?|[^\\s@*]+@)${DOMAIN}$`);
export const EMAIL_PATTERN_RULE =
	'must be an e-mail address (alice@acme.com), a domain wildcard (*@acme.com) or a subdomain wildcard (*@*.acme.com)';

/** An e-mail address or pattern, trimmed and lower-cased. */
export function normalizeEmailPattern(value: unknown): string {
	const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
	if (!EMAIL_PATTERN_SHAPE.test(text)) throw new RuleViolation(EMAIL_PATTERN_RULE, value);
	return text;
}

const DOMAIN_SHAPE = new RegExp(`^${DOMAIN}$`);
export const DOMAIN_RULE = 'must be a domain such as acme.com (no @, no *)';

/** A domain name, trimmed and lower-cased. */
export function normalizeDomain(value: unknown): string {
	const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
	if (!DOMAIN_SHAPE.test(text)) throw new RuleViolation(DOMAIN_RULE, value);
	return text;
}

/**
 * The domain an address or pattern is about: what follows the @, without the `*.` of a
 * subdomain wildcard (alice@eu.acme.com: eu.acme.com; *@acme.com and *@*.acme.com: acme.com).
 */
export function baseDomainOf(emailOrPattern: string): string {
	const domain = emailOrPattern.slice(emailOrPattern.lastIndexOf('@') + 1).toLowerCase();
	return domain.startsWith('*.') ? domain.slice(2) : domain;
}

/** Whether an address or pattern's base domain is `domain` or one of its subdomains. */
export function matchesDomain(emailOrPattern: string, domain: string): boolean {
	const base = baseDomainOf(emailOrPattern);
	return base === domain || base.endsWith(`.${domain}`);
}

export function isEmailWildcard(emailOrPattern: string): boolean {
	return emailOrPattern.startsWith('*@');
}

const LIST_SEPARATORS = /[,;\r\n]+/;

/**
 * A list given as an array, or as one string separated by commas, semicolons or new lines.
 * Text entries are trimmed; empty entries are dropped.
 */
export function splitList(value: unknown): unknown[] {
	if (value === undefined || value === null) return [];
	// The commonest list, one entry (an item's own e-mail or MAC), is not split.
	if (typeof value === 'string' && !LIST_SEPARATORS.test(value)) {
		const entry = value.trim();
		return entry === '' ? [] : [entry];
	}
	const entries = Array.isArray(value) ? value : typeof value === 'string' ? value.split(LIST_SEPARATORS) : [value];
	return entries
		.map((entry) => (typeof entry === 'string' ? entry.trim() : entry))
		.filter((entry) => entry !== '' && entry !== null && entry !== undefined);
}

/** E-mail list: each entry validated and normalised, duplicates removed, order kept. */
export function normalizeEmailList(value: unknown): string[] {
	const emails = splitList(value).map(normalizeEmailPattern);
	if (emails.length === 0) throw new RuleViolation('must contain at least one e-mail address or pattern', value);
	return withoutDuplicates(emails);
}

/** MAC list: each entry normalised, duplicates removed, order kept. */
export function normalizeMacList(value: unknown): string[] {
	const macs = splitList(value).map(normalizeMac);
	if (macs.length === 0) throw new RuleViolation('must contain at least one MAC address', value);
	return withoutDuplicates(macs);
}

/** The list without later repeats, order kept; a list of one is returned as it is. */
function withoutDuplicates(list: string[]): string[] {
	return list.length < 2 ? list : [...new Set(list)];
}

/** A required free-text value such as a username or password: non-empty once trimmed. */
export function requireText(value: unknown): string {
	const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
	if (text.trim() === '') throw new RuleViolation('must not be empty', value);
	return text;
}

/** Usernames are the account key; surrounding spaces are almost always a copy-paste slip. */
export function normalizeUsername(value: unknown): string {
	return requireText(value).trim();
}

export const PASSWORD_LENGTH = { min: 8, max: 128, default: 16 };

export function checkPasswordLength(value: unknown): number {
	const length = typeof value === 'number' ? value : Number.NaN;
	if (!Number.isInteger(length) || length < PASSWORD_LENGTH.min || length > PASSWORD_LENGTH.max) {
		throw new RuleViolation(
			`must be a whole number from ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max}`,
			value,
		);
	}
	return length;
}

/** `createdBy`: free text the API does not constrain; we keep it to 100 characters. */
export function normalizeCreatedBy(value: unknown): string {
	const text = requireText(value).trim();
	if (characterCount(text) > 100) throw new RuleViolation('must be at most 100 characters long', value);
	return text;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short, printable rendering of an offending value for error messages. */
export function describeValue(value: unknown): string {
	let text: string;
	if (typeof value === 'string') text = JSON.stringify(value);
	else if (value === undefined) text = 'nothing';
	else {
		try {
			text = JSON.stringify(value) ?? String(value);
		} catch {
			text = String(value);
		}
	}
	return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Get Many's Limit: a whole number of at least 1 (n8n's number field lets an expression pass anything). */
export function normalizeLimit(value: unknown): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) {
		throw new RuleViolation('must be a whole number of at least 1', value);
	}
	return number;
}
