import { randomUUID } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asNodeError, expectJsonObject, signInApiRequest, targetOf, type ApiCaller } from '../../transport';
import { baseUrlField, forContext } from '../../transport/errors';

import {
	normalizeCreatedBy,
	normalizeDate,
	normalizeMac,
	normalizeTags,
	normalizeUuid,
	normalizeWhitelistingDescription,
	normalizeWhitelistingName,
} from '../../validation/rules';
import type { BatchAnswer } from '../batching';
import type { BatchOutcome, Prepared } from '../types';
import { readParameter } from '../params';
import { limitEntry } from '../toolPolicy';
import { LIST_WRAPPER_KEYS, entryKey, pageQuery, pathBelowContext, readListPage } from './paging';

function show(operation: string) {
	return { show: { resource: ['whitelisting'], operation: [operation] } };
}

export function macField(operation: string): INodeProperties {
	return {
		displayName: 'MAC Address',
		name: 'mac',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. AA:BB:CC:DD:EE:FF',
		description:
			"The device's MAC address. AA:BB:CC:DD:EE:FF, AA-BB-CC-DD-EE-FF, aabbccddeeff and aabb.ccdd.eeff are all accepted and sent as AA:BB:CC:DD:EE:FF.",
		displayOptions: show(operation),
	};
}

export function nameField(operation: string): INodeProperties {
	return {
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Reception printer',
		description: '2–100 characters: letters (including å ä ö), digits, spaces and & , . -.',
		displayOptions: show(operation),
	};
}

const descriptionField: INodeProperties = {
	displayName: 'Description',
	name: 'description',
	type: 'string',
	default: '',
	placeholder: 'e.g. Lobby floor, left side',
	description: 'Up to 200 characters: letters (including å ä ö), digits, spaces and & , . -.',
};

const validUntilField: INodeProperties = {
	displayName: 'Valid Until',
	name: 'toDate',
	type: 'dateTime',
	default: '',
	description:
		'Date the entry expires: it is removed at 00:00 Organization-local time on this date, so the device is no longer admitted on that day. Leave empty for a permanent entry. Only the date is sent.',
};

function tagsField(description: string): INodeProperties {
	return {
		displayName: 'Tags',
		name: 'tags',
		type: 'string',
		default: '',
		placeholder: 'e.g. printer, floor-3',
		description: `${description} Separate tags with commas or new lines, or give an array in an expression. Each tag: 2–30 characters of letters (including å ä ö), digits, spaces and ( ) & , . / " + : -.`,
	};
}

const createdByField: INodeProperties = {
	displayName: 'Created By',
	name: 'createdBy',
	type: 'string',
	default: '',
	placeholder: 'e.g. hr-sync',
	description: 'Who or what created the entry, shown in the entry details in the Sign-In admin',
};

const idField: INodeProperties = {
	displayName: 'Whitelisting ID',
	name: 'id',
	type: 'string',
	default: '',
	placeholder: 'e.g. 7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7f',
	description:
		'UUID for the new entry. Leave empty and the node generates one; either way the output carries it, and Update needs it.',
};

function optionalFields(operation: string, options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: show(operation),
		options,
	};
}

/** The optional fields of a new entry (Create and Create Many). */
export function newEntryOptionalFields(operation: string): INodeProperties {
	return optionalFields(operation, [
		createdByField,
		descriptionField,
		tagsField('Labels for filtering in the Sign-In admin.'),
		validUntilField,
		idField,
	]);
}

/** The optional fields of a desired entry (Sync): what the entry should hold, empty ones cleared. */
export function desiredEntryOptionalFields(operation: string): INodeProperties {
	return optionalFields(operation, [
		{ ...descriptionField, description: `${descriptionField.description} Left empty, the entry has none.` },
		tagsField("The entry's whole tag set (the scope's tag is added to it)."),
		{ ...validUntilField, description: `${validUntilField.description} Left empty, the entry is permanent.` },
	]);
}

/** The optional fields of Update, where an empty field clears the stored value. */
export function updateOptionalFields(operation: string): INodeProperties {
	return optionalFields(operation, [
		descriptionField,
		tagsField('Replaces the whole tag set: list every tag the entry should keep.'),
		{ ...validUntilField, description: `${validUntilField.description} Left empty, the entry becomes permanent.` },
	]);
}

export interface Entry extends IDataObject {
	id: string;
	mac: string;
	name: string;
	description?: string;
	toDate?: string | null;
	tags?: Array<{ value: string }>;
	createdBy?: string;
}

// What an empty optional field reads as; shared by every item of a run.
const NONE = { whenEmpty: () => undefined };
const NEW_ID = { whenEmpty: () => randomUUID() };
const NO_TAGS = { whenEmpty: (): Array<{ value: string }> => [] };

/**
 * Reads one entry from an item. A new entry gets a client-generated UUID unless one is given,
 * because the API returns no body on create and Update is keyed by that id.
 */
export function readNewEntry(this: IExecuteFunctions, itemIndex: number): Entry {
	const entry: Entry = {
		id: readParameter(this, itemIndex, 'additionalFields.id', 'Whitelisting ID', normalizeUuid, NEW_ID),
		mac: readParameter(this, itemIndex, 'mac', 'MAC Address', normalizeMac),
		name: readParameter(this, itemIndex, 'name', 'Name', normalizeWhitelistingName),
	};
	const optional = readOptional.call(this, itemIndex);
	if (optional.description) entry.description = optional.description;
	if (optional.toDate) entry.toDate = optional.toDate;
	if (optional.tags.length) entry.tags = optional.tags;
	const createdBy = readParameter(this, itemIndex, 'additionalFields.createdBy', 'Created By', normalizeCreatedBy, NONE);
	if (createdBy) entry.createdBy = createdBy;
	limitEntry(this, itemIndex, entry, false);
	return entry;
}

/** Update replaces the entry, so every optional field is sent, empty ones as their cleared form. */
export function readUpdatedEntry(this: IExecuteFunctions, itemIndex: number): Entry {
	const optional = readOptional.call(this, itemIndex);
	const entry: Entry = {
		id: readParameter(this, itemIndex, 'id', 'Whitelisting ID', normalizeUuid),
		mac: readParameter(this, itemIndex, 'mac', 'MAC Address', normalizeMac),
		name: readParameter(this, itemIndex, 'name', 'Name', normalizeWhitelistingName),
		description: optional.description ?? '',
		toDate: optional.toDate ?? null,
		tags: optional.tags,
	};
	limitEntry(this, itemIndex, entry, true);
	return entry;
}

export function readOptional(this: IExecuteFunctions, itemIndex: number) {
	return {
		description: readParameter(
			this,
			itemIndex,
			'additionalFields.description',
			'Description',
			normalizeWhitelistingDescription,
			NONE,
		),
		toDate: readParameter(this, itemIndex, 'additionalFields.toDate', 'Valid Until', normalizeDate, NONE),
		tags: readParameter(this, itemIndex, 'additionalFields.tags', 'Tags', normalizeTags, NO_TAGS),
	};
}

/** The tag values of an entry as the API listed it (`{ value }` objects or plain strings); anything else is skipped. */
export function tagValues(tags: unknown): string[] {
	if (!Array.isArray(tags)) return [];
	return tags
		.map((tag) => (typeof tag === 'object' && tag !== null ? (tag as IDataObject).value : tag))
		.filter((value): value is string => typeof value === 'string');
}

/** MACs as the API listed them, normalised for comparison; entries that are not MACs are skipped. */
export function macSet(values: unknown): Set<string> {
	const macs = new Set<string>();
	for (const value of Array.isArray(values) ? values : []) {
		const mac = typeof value === 'object' && value !== null ? (value as IDataObject).mac : value;
		try {
			macs.add(normalizeMac(mac));
		} catch {
			// An entry the API echoes in a form we cannot read cannot match any item.
		}
	}
	return macs;
}

const LIST_PATH = '/modules/whitelistings/active';
/** A bound on the pages of one list, so that a server that never says "last" cannot loop forever. */
export const MAX_LIST_PAGES = 10_000;

const AGAIN = "Run the node again; if it keeps happening, please report this to the node's maintainers.";
const REPORT_SHAPE = "please report this answer's shape to the node's maintainers.";
const FOLLOWED =
	'The node follows page numbers ("content" with "number", "totalPages" or "last") and next links ("next", "links.next", "_links.next.href", a Link header\'s rel="next") on the Base URL.';

export interface ListOptions {
	/** Only entries this accepts are returned (and counted towards `limit`). */
	filter?: (entry: IDataObject) => boolean;
	/** Stop reading pages once this many entries are accepted; the totals are then not checked. */
	limit?: number;
	/**
	 * Whether more entries than the answer's `totalElements` are accepted (entries that left the
	 * list while it was read). Fewer are never accepted: that list would be partial.
	 */
	allowSurplus?: boolean;
}

/**
 * The active entries, parsed defensively (the answer's shape is undocumented, U-W1), over every
 * page the answers point to (U-G6). An answer that claims more without a way to it, a link away
 * from the configured API, a page that repeats or totals that disagree are errors: a caller never
 * gets part of the list as if it were all of it. Entries seen on two pages (the list shifted
 * while it was read) are kept once.
 */
export async function listActive(this: ApiCaller, itemIndex: number, options: ListOptions = {}): Promise<IDataObject[]> {
	const problem = (message: string, description: string, statusCode: number) =>
		new NodeApiError(this.getNode(), { httpCode: String(statusCode) } as JsonObject, {
			message,
			description: `No partial list was used. ${description}`,
			httpCode: String(statusCode),
			itemIndex,
		});
	const seen = new Set<string>();
	const accepted: IDataObject[] = [];
	const numbers = new Set<number>();
	const pagesSeen = new Map<string, number>();
	// A page's fingerprint only matters once another page comes: a list of one page is not serialised again.
	let unprinted: { entries: IDataObject[]; read: number } | undefined;
	const requested = new Set<string>([LIST_PATH]);
	let path = LIST_PATH;
	let requestedNumber = 0;
	let read = 0;
	let kept = 0;
	for (;;) {
		if (read === MAX_LIST_PAGES) {
			throw problem(
				`The Sign-In API's list of active whitelistings went on past ${MAX_LIST_PAGES} pages`,
				`The paging does not seem to end. ${AGAIN}`,
				200,
			);
		}
		const response = await signInApiRequest.call(this, { method: 'GET', path, itemIndex });
		read++;
		if (response.body === undefined) {
			// Even an empty whitelist is a JSON list; an empty body (a proxy, a glitch) must not read
			// as "nothing is whitelisted" to a workflow that syncs on it.
			expectJsonObject.call(this, response, itemIndex, 'the list of active whitelistings');
		}
		const page = readListPage(response.body, requestedNumber, response.headers);
		if (page === undefined) {
			throw new NodeApiError(this.getNode(), { httpCode: String(response.statusCode) } as JsonObject, {
				message: 'The Sign-In API answered the list of active whitelistings in a shape this node does not know',
				description: `Expected a JSON array of entries, or an object holding one under ${LIST_WRAPPER_KEYS.join(', ')}. If the Base URL is right, ${REPORT_SHAPE}`,
				httpCode: String(response.statusCode),
				itemIndex,
			});
		}
		const repeatProblem = (what: string) =>
			problem(
				`The Sign-In API answered page ${read} of the active whitelistings with ${what}`,
				`The paging does not move on. ${AGAIN}`,
				response.statusCode,
			);
		if (page.number !== undefined) {
			if (numbers.has(page.number)) throw repeatProblem(`page number ${page.number} again`);
			numbers.add(page.number);
		}
		if (page.entries.length > 0) {
			if (unprinted) pagesSeen.set(fingerprintOf(unprinted.entries), unprinted.read);
			unprinted = undefined;
			if (pagesSeen.size === 0) unprinted = { entries: page.entries, read };
			else {
				const fingerprint = fingerprintOf(page.entries);
				const earlier = pagesSeen.get(fingerprint);
				if (earlier !== undefined) throw repeatProblem(`the same entries as page ${earlier}`);
				pagesSeen.set(fingerprint, read);
			}
		}
		// Only entries an earlier page listed are dropped: what one page lists is passed on as it is.
		const keys = page.entries.map(entryKey);
		page.entries.forEach((entry, index) => {
			if (seen.has(keys[index])) return;
			kept++;
			if (!options.filter || options.filter(entry)) accepted.push(entry);
		});
		for (const key of keys) seen.add(key);
		if (options.limit !== undefined && accepted.length >= options.limit) return accepted.slice(0, options.limit);

		if (page.next === undefined) {
			if (page.claimsMore !== undefined) {
				throw problem(
					`The Sign-In API answered page ${read} of the active whitelistings with ${page.claimsMore}, but gave no way to ask for the next page`,
					`${FOLLOWED} If the Base URL is right, ${REPORT_SHAPE}`,
					response.statusCode,
				);
			}
			if (page.total !== undefined && (page.total > kept || (page.total < kept && !options.allowSurplus))) {
				throw problem(
					`The Sign-In API listed ${kept} active whitelistings on ${read} ${read === 1 ? 'page' : 'pages'}, but its last answer says ${page.totalSaid}`,
					`The whitelist may have changed while it was read. Run the node again; if it keeps happening, ${REPORT_SHAPE}`,
					response.statusCode,
				);
			}
			return accepted;
		}
		if (page.entries.length === 0) {
			throw problem(
				`The Sign-In API answered page ${read} of the active whitelistings with no entries, yet with ${'link' in page.next ? 'a next link' : page.claimsMore}`,
				`The paging does not move on. ${AGAIN}`,
				response.statusCode,
			);
		}
		if ('link' in page.next) {
			const { url: base, holder } = await targetOf(this, itemIndex);
			const below = pathBelowContext(page.next.link, `${base}${path}`, base);
			if (below === undefined) {
				throw problem(
					`The Sign-In API's next page link on page ${read} of the active whitelistings${forContext(holder)} leads to ${linkShown(page.next.link, `${base}${path}`)}, outside the configured Sign-In API`,
					`The API ${holder.context ? 'key' : 'token'} is only sent to ${base}, so the rest of the list was not read. Check ${baseUrlField(holder)}; a proxy in front of the API may rewrite its links.`,
					response.statusCode,
				);
			}
			if (requested.has(below)) throw repeatProblem('a next link to a page it had already given');
			path = below;
		} else {
			path = `${LIST_PATH}${pageQuery(page.next)}`;
			requestedNumber = page.next.page;
		}
		requested.add(path);
	}
}

/** What a page lists, entry by entry: two pages with the same fingerprint list the same. */
function fingerprintOf(entries: IDataObject[]): string {
	return entries.map((entry) => JSON.stringify(entry)).join('\n');
}

/** Where a refused link leads, without its query (which may carry anything). */
function linkShown(link: string, requestUrl: string): string {
	try {
		const url = new URL(link, requestUrl);
		return `${url.origin}${url.pathname}`;
	} catch {
		return JSON.stringify(link);
	}
}

/**
 * The ids, among `entries`, that the service holds with the same MAC: after a lost answer this
 * tells an entry this node created (it carries our client UUID) from one that was already there.
 */
export async function confirmCreated(this: IExecuteFunctions, entries: Entry[], itemIndex: number): Promise<Set<string>> {
	let active: IDataObject[];
	try {
		active = await listActive.call(this, itemIndex);
	} catch (cause) {
		// The read itself changed nothing, but what it was to confirm may have happened.
		const described = (cause as { description?: string | null }).description;
		throw new NodeOperationError(this.getNode(), asNodeError(this.getNode(), cause), {
			description: [described, 'This read was to check a create that may have been applied (its answer was lost, or was a status of 500 or above): it may have been.']
				.filter(Boolean)
				.join(' '),
			itemIndex,
		});
	}
	const stored = new Map<string, string>();
	for (const entry of active) {
		if (typeof entry.id === 'string') stored.set(entry.id.toLowerCase(), String(entry.mac ?? ''));
	}
	const confirmed = new Set<string>();
	for (const entry of entries) {
		const mac = stored.get(entry.id);
		if (mac !== undefined && macSet([mac]).has(entry.mac)) confirmed.add(entry.id);
	}
	return confirmed;
}

const REJECTED_REASON =
	'The Sign-In API listed this entry as faulty and gave no reason; check its MAC Address, Name, Description, Tags and Valid Until against the whitelisting rules.';

/** Entries that were not created carry no id: the client UUID was never stored. */
export function withoutClientId(entry: Entry): IDataObject {
	// Copied without it rather than copied and deleted from: a delete leaves a slow (dictionary) object behind.
	const copy: IDataObject = {};
	for (const key of Object.keys(entry)) if (key !== 'id') copy[key] = entry[key];
	return copy;
}

function outcomeFor(entry: Entry, created: Set<string>, existing: Set<string>, faulty: Set<string>): IDataObject {
	if (created.has(entry.mac)) return { ...entry, status: 'created' };
	const withoutId = withoutClientId(entry);
	if (existing.has(entry.mac)) return { ...withoutId, status: 'existing' };
	if (faulty.has(entry.mac)) return { ...withoutId, status: 'rejected', reason: REJECTED_REASON };
	return {
		...withoutId,
		status: 'unconfirmed',
		reason: 'The Sign-In API did not mention this MAC address in its answer; check the whitelist with Get Many.',
	};
}

/**
 * One Batch Add request for these entries, and what its answer says about each: created,
 * existing (already whitelisted), rejected (listed as faulty) or unconfirmed (not mentioned).
 */
export async function addBatch(
	this: IExecuteFunctions,
	entries: Entry[],
	flags: IDataObject,
	itemIndex: number,
): Promise<BatchAnswer<IDataObject, undefined>> {
	const response = await signInApiRequest.call(this, {
		method: 'POST',
		path: '/modules/whitelistings/batch/add',
		body: { whitelistings: entries, ...flags },
		itemIndex,
	});
	const body = expectJsonObject.call(this, response, itemIndex, 'the lists of created, existing and faulty entries');
	const created = macSet(body.createdWhitelistingMacs);
	const existing = macSet(body.existingWhitelistingMacs);
	const faulty = macSet(body.faultyRequests);
	if (response.uncertain) {
		// A batch re-sent after a lost answer meets its own entries, which the service lists as
		// existing (same MAC) or faulty (same id); those stored with our client UUID were
		// created by the first attempt.
		const reported = entries.filter((entry) => existing.has(entry.mac) || faulty.has(entry.mac));
		const ours = reported.length ? await confirmCreated.call(this, reported, itemIndex) : new Set<string>();
		for (const entry of reported) {
			if (!ours.has(entry.id)) continue;
			existing.delete(entry.mac);
			faulty.delete(entry.mac);
			created.add(entry.mac);
		}
	}
	return {
		results: entries.map((entry) => outcomeFor(entry, created, existing, faulty)),
		summary: undefined,
		uncertain: response.uncertain,
	};
}

/** The first item of each MAC address, and a `skipped` outcome for every later one. */
export function firstOfEachMac<Input extends { mac: string }>(
	prepared: Array<Prepared<Input>>,
	skippedJson: (input: Input, firstItem: number) => IDataObject,
): { unique: Array<Prepared<Input>>; skipped: BatchOutcome[] } {
	const skipped: BatchOutcome[] = [];
	const firstItemByMac = new Map<string, number>();
	const unique: Array<Prepared<Input>> = [];
	for (const item of prepared) {
		const first = firstItemByMac.get(item.input.mac);
		if (first === undefined) {
			firstItemByMac.set(item.input.mac, item.itemIndex);
			unique.push(item);
		} else {
			skipped.push({ itemIndex: item.itemIndex, json: skippedJson(item.input, first) });
		}
	}
	return { unique, skipped };
}

export type RevokeCounts = Record<(typeof REVOKE_COUNT_KEYS)[number], unknown>;

const REVOKE_COUNT_KEYS = ['nrOfWhitelistingsInRevokeRequest', 'nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked'] as const;

/** One Batch Remove request for these MACs; the answer only counts. */
export async function revokeBatch(
	this: IExecuteFunctions,
	macs: string[],
	itemIndex: number,
): Promise<{ counts: RevokeCounts; uncertain: boolean }> {
	const response = await signInApiRequest.call(this, {
		method: 'POST',
		path: '/modules/whitelistings/batch/remove',
		body: { macs: macs.map((mac) => ({ mac })) },
		itemIndex,
	});
	const body = expectJsonObject.call(this, response, itemIndex, 'the revoke counts');
	return {
		counts: Object.fromEntries(REVOKE_COUNT_KEYS.map((key) => [key, body[key]])) as RevokeCounts,
		uncertain: response.uncertain,
	};
}

/** The counts of the requests that carried an item's MACs: as answered for one, summed for several. */
export function countsOf(batches: Array<{ summary: RevokeCounts }>): IDataObject {
	const counts: IDataObject = {};
	for (const key of REVOKE_COUNT_KEYS) {
		if (batches.length === 1) {
			counts[key] = batches[0].summary[key] ?? null;
			continue;
		}
		const values = batches.map((batch) => batch.summary[key]);
		counts[key] = values.every((value) => typeof value === 'number') ? (values as number[]).reduce((sum, value) => sum + value, 0) : null;
	}
	return counts;
}
