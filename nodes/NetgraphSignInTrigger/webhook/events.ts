import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/** The Sign-In event catalogue as documented (section 6 of the API notes), in documentation order. */
export const EVENT_CATALOGUE: ReadonlyArray<{ name: string; value: string; description: string }> = [
	{ name: 'Session Created', value: 'signin.session.created', description: 'A guest started a new sign-in on the captive portal' },
	{ name: 'Session Resumed', value: 'signin.session.resumed', description: 'A returning guest resumed an earlier session on the same device' },
	{ name: 'Session Requested', value: 'signin.session.requested', description: 'A sign-in awaits approval (Meeting Host, device approval policy)' },
	{ name: 'Session Approved', value: 'signin.session.approved', description: 'Approval was granted by an admin, a Meeting Host or a policy' },
	{ name: 'Session Verified', value: 'signin.session.verified', description: 'The guest completed verification (e-mail link, SMS code)' },
	{ name: 'Session Denied', value: 'signin.session.denied', description: 'The sign-in was denied' },
	{ name: 'Session Revoked', value: 'signin.session.revoked', description: 'An active session was revoked (admin action, device block, policy change)' },
	{ name: 'Arena Session Login', value: 'signin.arenasession.login', description: 'A device joined the venue network and an arena session was created' },
	{ name: 'Arena Session Resumed', value: 'signin.arenasession.resumed', description: 'A device with an active arena session re-associated' },
	{ name: 'DHCP Lease Granted', value: 'signin.dhcp.granted', description: 'A DHCP lease was granted to a device tied to a sign-in session' },
];

export const ALL_EVENTS = '*';

/**
 * Payload field names are undocumented (U-WH2). The first of these holding a non-empty string is
 * the event's name; when `event` is an object, its own `name` or `type` is looked at too.
 */
export const EVENT_NAME_FIELDS = ['event', 'eventName', 'event_name', 'eventType', 'event_type', 'type', 'topic'] as const;
/** The first of these holding a non-empty string or a number is the event's ID; `event.id` is looked at too. */
export const EVENT_ID_FIELDS = ['eventId', 'event_id', 'eventID', 'id', 'uuid'] as const;
/** A Batch delivery is a top-level array, or an object holding the array under one of these keys (U-WH2). */
export const BATCH_WRAPPER_KEYS = ['events', 'items', 'data', 'records', 'batch', 'payload', 'results', 'entries'] as const;

export type DeliveryShape = 'instant' | 'batch';

export interface Delivery {
	shape: DeliveryShape;
	events: IDataObject[];
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstString(source: IDataObject, fields: readonly string[], allowNumbers: boolean): string | undefined {
	for (const field of fields) {
		const value = source[field];
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
		if (allowNumbers && typeof value === 'number' && Number.isFinite(value)) return String(value);
	}
	return undefined;
}

/** The event's name, lower-cased, or undefined when no known field holds one. */
export function eventNameOf(event: IDataObject): string | undefined {
	const nested = isObject(event.event) ? firstString(event.event, ['name', 'type'], false) : undefined;
	return (firstString(event, EVENT_NAME_FIELDS, false) ?? nested)?.toLowerCase();
}

export function eventIdOf(event: IDataObject): string | undefined {
	const nested = isObject(event.event) ? firstString(event.event, ['id'], true) : undefined;
	return firstString(event, EVENT_ID_FIELDS, true) ?? nested;
}

/** An entry of a batch that is not an object still becomes an item, under `value`, rather than being lost. */
function asEvent(entry: unknown): IDataObject {
	return isObject(entry) ? entry : { value: entry as IDataObject[keyof IDataObject] };
}

/**
 * Splits a parsed body into events. An object that names an event is one event even when it holds
 * an array (say, under `data`); an object without a name and with exactly one wrapper key holding an
 * array is a batch; any other object is one (unnamed) event.
 */
export function eventsOfBody(body: unknown): Delivery | undefined {
	if (Array.isArray(body)) return { shape: 'batch', events: body.map(asEvent) };
	if (!isObject(body)) return undefined;
	if (eventNameOf(body) === undefined) {
		const wrappers = BATCH_WRAPPER_KEYS.filter((key) => Array.isArray(body[key]));
		if (wrappers.length === 1) return { shape: 'batch', events: (body[wrappers[0]] as unknown[]).map(asEvent) };
	}
	return { shape: 'instant', events: [body] };
}

/** Splits the free-text list of extra event names on commas, semicolons, white space and new lines. */
export function parseEventNames(text: string): string[] {
	return text
		.split(/[\s,;]+/)
		.map((name) => name.trim().toLowerCase())
		.filter((name) => name !== '');
}

export interface EventFilter {
	all: boolean;
	names: ReadonlySet<string>;
	keepUnnamed: boolean;
}

export function eventFilter(selected: string[], otherNames: string, keepUnnamed: boolean): EventFilter {
	const names = new Set([...selected, ...parseEventNames(otherNames)].map((name) => name.toLowerCase()));
	return { all: names.has(ALL_EVENTS), names, keepUnnamed };
}

export function passesFilter(filter: EventFilter, name: string | undefined): boolean {
	if (filter.all) return true;
	if (name === undefined) return filter.keepUnnamed;
	return filter.names.has(name);
}

/**
 * What makes two deliveries the same event: the Context it came from, and its name and ID when an
 * ID is found, otherwise its whole content (a redelivery repeats the event byte for byte). Hashed
 * to 22 characters, so the remembered keys take the same room whatever the payload. The main
 * Context (`context` '') adds nothing, so keys stored before further Contexts existed still match.
 */
export function redeliveryKey(event: IDataObject, name: string | undefined, id: string | undefined, context = ''): string {
	const identity = id === undefined ? `content\u0000${JSON.stringify(event)}` : `id\u0000${name ?? ''}\u0000${id}`;
	const scoped = context === '' ? identity : `context\u0000${context}\u0000${identity}`;
	return createHash('sha256').update(scoped).digest('base64url').slice(0, 22);
}

export const MIN_REMEMBERED_EVENTS = 100;
/** The largest Batch delivery the platform documents, so that one whole batch is remembered. */
export const DEFAULT_REMEMBERED_EVENTS = 20_000;
export const MAX_REMEMBERED_EVENTS = 100_000;

/**
 * The Remembered Events option as a bound: a whole number within MIN..MAX. A value that is not a
 * finite number (an expression that gave text, say) takes the default rather than stopping
 * deliveries, which the platform would only retry.
 */
export function rememberedEventsLimit(value: unknown): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number)) return DEFAULT_REMEMBERED_EVENTS;
	return Math.min(Math.max(Math.floor(number), MIN_REMEMBERED_EVENTS), MAX_REMEMBERED_EVENTS);
}

/**
 * Keys this n8n process recorded lately, per trigger node. n8n loads a workflow's static data from
 * its database afresh for every delivery, so two deliveries in flight at once would not see each
 * other's keys there; here they do. Bounded like the stored list.
 */
const recentInProcess = new Map<string, string[]>();

/**
 * Two oldest-first lists of keys as one oldest-first list: a key only `other` holds goes right
 * after the last key both hold that came before it in `other` (before all when none did), so a
 * key this process saw long ago is not taken for a new one and kept while newer ones are dropped.
 */
function mergeOldestFirst(stored: string[], other: string[]): string[] {
	const position = new Map<string, number>();
	stored.forEach((key, index) => position.set(key, index));
	const after = new Map<number, string[]>();
	let anchor = -1;
	const seen = new Set<string>();
	for (const key of other) {
		const at = position.get(key);
		if (at !== undefined) anchor = at;
		else if (!seen.has(key)) {
			seen.add(key);
			after.set(anchor, [...(after.get(anchor) ?? []), key]);
		}
	}
	if (after.size === 0) return [...new Set(stored)];
	const merged = [...(after.get(-1) ?? [])];
	stored.forEach((key, index) => merged.push(key, ...(after.get(index) ?? [])));
	return [...new Set(merged)];
}

/** The most recent event keys, oldest first, bounded; stored as a plain array in workflow static data. */
export class RecentEvents {
	private readonly keys: string[];
	private readonly index: Set<string>;
	/** Keys recorded since loading: zero means the stored list need not be written back. */
	added = 0;

	/** `processKey` names the trigger node in this process (workflow and node ID). */
	constructor(
		stored: unknown,
		private readonly limit: number,
		private readonly processKey?: string,
	) {
		const kept = Array.isArray(stored) ? stored.filter((key): key is string => typeof key === 'string') : [];
		const known = (processKey && recentInProcess.get(processKey)) || [];
		this.keys = mergeOldestFirst(kept, known);
		this.index = new Set(this.keys);
		this.added = this.keys.length - new Set(kept).size;
	}

	/** Records the key and tells whether it was new. */
	remember(key: string): boolean {
		if (this.index.has(key)) return false;
		this.index.add(key);
		this.keys.push(key);
		this.added++;
		return true;
	}

	/** The keys to store: at most `limit`, the newest. Also what this process remembers from now on. */
	toStored(): string[] {
		const kept = this.keys.length > this.limit ? this.keys.slice(this.keys.length - this.limit) : this.keys;
		if (this.processKey) recentInProcess.set(this.processKey, kept);
		return kept;
	}
}
