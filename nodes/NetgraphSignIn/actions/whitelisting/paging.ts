/**
 * How one answer of the active-whitelistings list says whether more pages follow, as pure
 * functions. The list's shape and paging are undocumented (U-W1, U-G6): these are the common
 * shapes, and anything that claims more without a way to it is reported, never read as the end.
 */
import type { IDataObject } from 'n8n-workflow';

/** Keys under which a wrapped list has been seen in comparable APIs; the response is undocumented. */
export const LIST_WRAPPER_KEYS = ['content', 'items', 'data', 'whitelistings', 'results', 'entries'];

/** The entries of a list answer: a top-level array, or an array under one of the wrapper keys. */
export function extractEntries(body: unknown): IDataObject[] | undefined {
	if (Array.isArray(body)) return body.filter((entry) => typeof entry === 'object' && entry !== null) as IDataObject[];
	if (typeof body !== 'object' || body === null) return undefined;
	for (const key of LIST_WRAPPER_KEYS) {
		const value = (body as IDataObject)[key];
		if (Array.isArray(value)) return extractEntries(value);
	}
	return undefined;
}

/** The way to the next page an answer gives: a page number (Spring style) or a link. */
export type NextPage = { page: number; size?: number } | { link: string };

export interface ListPage {
	entries: IDataObject[];
	/** The page number the answer reports (Spring's `number`), if any. */
	number?: number;
	/** How many entries the whole list holds, as the answer reports it (`totalElements`, else the `X-Total-Count` header). */
	total?: number;
	/** Where `total` was said, quoted for messages. */
	totalSaid?: string;
	next?: NextPage;
	/**
	 * What the answer said that claims more entries, quoted, when it gives no way to them
	 * (e.g. `"last": false`); undefined when it claims nothing more.
	 */
	claimsMore?: string;
}

const wholeNumber = (value: unknown): number | undefined =>
	typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** A next link under `next`, `links.next` (a string or `{href}`) or HAL's `_links.next.href`. */
function nextLink(body: IDataObject): string | undefined {
	const href = (value: unknown) => text(value) ?? text((value as IDataObject | undefined)?.href);
	const links = body.links as IDataObject | undefined;
	const hal = body._links as IDataObject | undefined;
	return href(body.next) ?? (typeof links === 'object' && links !== null ? href(links.next) : undefined) ?? (typeof hal === 'object' && hal !== null ? href(hal.next) : undefined);
}

const quote = (key: string, value: unknown) => `"${key}": ${JSON.stringify(value)}`;

/** The target of a `Link` header's `rel="next"` (RFC 8288), as GitHub-style APIs page in headers. */
function nextLinkHeader(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	for (const part of value.split(/,(?=\s*<)/)) {
		const match = /^\s*<([^>]*)>(.*)$/.exec(part);
		const rel = match && /;\s*rel\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(match[2]);
		if (rel && (rel[1] ?? rel[2]).toLowerCase().split(/\s+/).includes('next')) return text(match[1]);
	}
	return undefined;
}

/** What an answer's headers say about paging: a next link (`Link`) and the whole list's size (`X-Total-Count`). */
function headerPaging(headers: Record<string, unknown>): { link?: string; total?: number; totalSaid?: string } {
	const header = (name: string) => Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
	const countText = header('x-total-count');
	const total = typeof countText === 'string' && /^\s*\d+\s*$/.test(countText) ? Number(countText) : wholeNumber(countText);
	return { link: nextLinkHeader(header('link')), ...(total !== undefined ? { total, totalSaid: `the header "X-Total-Count: ${total}"` } : {}) };
}

/**
 * Reads one answer of the list. `requested` is the page number this answer was asked for (0 for
 * the first request), used when the answer gives page counts but no page number of its own.
 * `headers` are the answer's: paging said only there (`Link`, `X-Total-Count`) counts as well.
 * Undefined when the answer holds no list at all.
 */
export function readListPage(body: unknown, requested: number, headers: Record<string, unknown> = {}): ListPage | undefined {
	const entries = extractEntries(body);
	if (entries === undefined) return undefined;
	const inHeaders = headerPaging(headers);
	const totalElements = Array.isArray(body) ? undefined : wholeNumber((body as IDataObject).totalElements);
	const page: ListPage =
		totalElements !== undefined
			? { entries, total: totalElements, totalSaid: quote('totalElements', totalElements) }
			: { entries, total: inHeaders.total, totalSaid: inHeaders.totalSaid };
	const linked = (link: string | undefined) => (link !== undefined ? { ...page, next: { link } } : undefined);
	if (Array.isArray(body)) return linked(inHeaders.link) ?? page;
	const answer = body as IDataObject;
	page.number = wholeNumber(answer.number);

	const link = linked(nextLink(answer) ?? inHeaders.link);
	if (link !== undefined) return link;

	const current = page.number ?? requested;
	const totalPages = wholeNumber(answer.totalPages);
	// Page numbers are Spring Data's: its pages hold the entries under `content`.
	const pageNumbered = Array.isArray(answer.content);
	const more =
		answer.last === false
			? quote('last', false)
			: answer.last !== true && totalPages !== undefined && totalPages > current + 1
				? `${quote('totalPages', totalPages)} at ${quote('number', current)}`
				: undefined;
	if (more !== undefined) {
		return pageNumbered ? { ...page, next: { page: current + 1, size: wholeNumber(answer.size) || undefined }, claimsMore: more } : { ...page, claimsMore: more };
	}
	// Claims of more that come with no way to ask for it: reported by the caller.
	for (const key of ['hasMore', 'has_more', 'hasNext', 'more']) {
		if (answer[key] === true) return { ...page, claimsMore: quote(key, true) };
	}
	for (const key of ['nextPageToken', 'next_page_token', 'nextCursor', 'next_cursor', 'cursor']) {
		if (text(answer[key]) !== undefined) return { ...page, claimsMore: quote(key, answer[key]) };
	}
	return page;
}

/** The query that asks for a numbered page, with the page size the server reported. */
export function pageQuery(next: { page: number; size?: number }): string {
	return `?page=${next.page}${next.size !== undefined ? `&size=${next.size}` : ''}`;
}

/**
 * The path below the Context URL that a next link names, or undefined when the link leads
 * anywhere else (another origin, or outside the Context's path): the API token goes only there.
 */
export function pathBelowContext(link: string, requestUrl: string, contextUrl: string): string | undefined {
	let target: URL;
	let contextBase: URL;
	try {
		target = new URL(link, requestUrl);
		contextBase = new URL(contextUrl);
	} catch {
		return undefined;
	}
	const prefix = contextBase.pathname.replace(/\/+$/, '');
	if (target.origin !== contextBase.origin || !target.pathname.startsWith(`${prefix}/`)) return undefined;
	return `${target.pathname.slice(prefix.length)}${target.search}`;
}

/**
 * One key per entry for telling an entry listed again on a later page (the list shifted while it
 * was read): its id and MAC together, else its JSON.
 */
export function entryKey(entry: IDataObject): string {
	const id = typeof entry.id === 'string' || typeof entry.id === 'number' ? String(entry.id).toLowerCase() : undefined;
	const mac = typeof entry.mac === 'string' ? entry.mac.toUpperCase().replace(/[^0-9A-F]/g, '') : undefined;
	return id !== undefined || mac !== undefined ? `${id ?? ''} ${mac ?? ''}` : JSON.stringify(entry);
}
