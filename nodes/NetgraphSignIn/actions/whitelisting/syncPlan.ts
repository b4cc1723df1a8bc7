/**
 * Whitelisting Sync's plan: from the active entries it read and the input items, what it would
 * create, update (and whether destructively), leave, and revoke, and whether the safety valve
 * lets Apply do it. Pure data, no request and no n8n runtime: Preview outputs the plan, Apply
 * executes it.
 */
import type { IDataObject } from 'n8n-workflow';

import { normalizeDate, normalizeMac } from '../../validation/rules';
import { planDigest, planSummaryText, sortedBy, type SummaryChange } from '../plan';
import { valveVerdict, type ValveVerdict } from '../sync';
import type { BatchOutcome, Prepared } from '../types';
import { firstOfEachMac, tagValues, withoutClientId, type Entry } from './shared';

/** What an item asks the whitelist to hold for its MAC address. */
export interface DesiredEntry {
	mac: string;
	name: string;
	description?: string;
	toDate?: string;
	tags: Array<{ value: string }>;
}

export type Scope = { kind: 'all' } | { kind: 'tag'; tag: string } | { kind: 'createdBy'; createdBy: string };

export interface PlanSettings {
	scope: Scope;
	adopt: boolean;
	maxShare: number;
}

/**
 * How an update takes something away: a Description cleared, a tag the entry had removed, Valid
 * Until moved later or made permanent (the device stays admitted longer than the stored entry
 * allows), or moved earlier or given to a permanent entry (its access is cut short, a delayed
 * revoke).
 */
export type DestructiveChange = 'descriptionCleared' | 'tagsRemoved' | 'validUntilLater' | 'validUntilPermanent' | 'validUntilEarlier';

/** An entry's comparable fields, with an absent description as '' and a permanent entry as null. */
interface Comparable {
	name: string;
	description: string;
	toDate: string | null;
	tags: Array<{ value: string }>;
}

export type Step =
	| { kind: 'create'; item: Prepared<DesiredEntry>; entry: Entry }
	| {
			kind: 'update';
			item: Prepared<DesiredEntry>;
			entry: Entry;
			changes: IDataObject;
			adopted: boolean;
			destructiveChanges: DestructiveChange[];
	  }
	| { kind: 'keep'; item: Prepared<DesiredEntry>; json: IDataObject & { status: 'unchanged' | 'conflict' } }
	| { kind: 'fail'; item: Prepared<DesiredEntry>; message: string; description: string };

export type CreateStep = Extract<Step, { kind: 'create' }>;
export type UpdateStep = Extract<Step, { kind: 'update' }>;

export interface Revoke {
	mac: string;
	entry: IDataObject;
}

/** The plan's counts and the valve's verdict, as Preview outputs them in its last item. */
export interface PlanSummary extends IDataObject {
	status: 'plan';
	creates: number;
	updates: number;
	destructiveUpdates: number;
	adopts: number;
	unchanged: number;
	conflicts: number;
	skipped: number;
	revokes: number;
	failed: number;
	/** The active entries in the Scope when Sync read the list. */
	inScope: number;
	maxShare: number;
	/** Revokes and destructive updates, in percent of the entries in the Scope and those adopted. */
	destructiveShare: number;
	applyAllowed: boolean;
	/** The error Apply would stop with, when it would. */
	reason: string | null;
	/** The digest of what Apply would do and the state it planned from (see `planIdOf`). */
	planId: string;
	/** The counts, then the changes, destructive first, for an approval message. */
	summary: string;
}

export interface SyncPlan {
	/** Later items of a MAC address, with their output. */
	skipped: BatchOutcome[];
	/** One step per first item of a MAC address, in input order. */
	steps: Step[];
	revokes: Revoke[];
	/** One sentence with the counts, for error descriptions. */
	text: string;
	summary: PlanSummary;
	verdict: ValveVerdict;
}

export interface PlanInput {
	settings: PlanSettings;
	prepared: Array<Prepared<DesiredEntry>>;
	/** The active entries as the list answered them. */
	active: IDataObject[];
	/** MAC addresses that invalid items name: never revoked. */
	held: Set<string>;
	/** The id of a new entry (the API stores the client's UUID). */
	newId: () => string;
	/** The Sign-In Context's address, which the planId covers: a plan approved for one Context never applies to another. */
	contextUrl?: string;
}

export function inScope(scope: Scope, entry: IDataObject): boolean {
	if (scope.kind === 'all') return true;
	if (scope.kind === 'createdBy') return entry.createdBy === scope.createdBy;
	return tagValues(entry.tags).some((value) => value.toLowerCase() === scope.tag.toLowerCase());
}

/** The tags an entry of this scope should carry: the item's, and the scope's tag unless among them. */
function withMarker(scope: Scope, tags: Array<{ value: string }>): Array<{ value: string }> {
	if (scope.kind !== 'tag' || tags.some((tag) => tag.value.toLowerCase() === scope.tag.toLowerCase())) return tags;
	return [...tags, { value: scope.tag }];
}

/** A stored Valid Until as a date, the way the node sends it; anything unreadable stays as it was. */
function storedDate(value: unknown): string | null {
	if (value === null || value === undefined || value === '') return null;
	try {
		return normalizeDate(value);
	} catch {
		return String(value);
	}
}

function comparableOf(stored: IDataObject): Comparable {
	return {
		name: typeof stored.name === 'string' ? stored.name : '',
		description: typeof stored.description === 'string' ? stored.description : '',
		toDate: storedDate(stored.toDate),
		tags: tagValues(stored.tags).map((value) => ({ value })),
	};
}

function tagKey(tags: Array<{ value: string }>): string {
	return tags
		.map((tag) => tag.value)
		.sort()
		.join('\u0000');
}

/** Field by field, what would change from the stored entry to the wanted one. */
function changesOf(from: Comparable, to: Comparable): IDataObject {
	const changes: IDataObject = {};
	for (const field of ['name', 'description', 'toDate'] as const) {
		if (from[field] !== to[field]) changes[field] = { from: from[field], to: to[field] };
	}
	if (tagKey(from.tags) !== tagKey(to.tags)) changes.tags = { from: from.tags, to: to.tags };
	return changes;
}

/** What an update from `from` to `to` takes away; a rename, a new or changed description and added tags take nothing. */
export function destructiveChangesOf(from: Comparable, to: Comparable): DestructiveChange[] {
	const found: DestructiveChange[] = [];
	if (from.description !== '' && to.description === '') found.push('descriptionCleared');
	const kept = new Set(to.tags.map((tag) => tag.value));
	if (from.tags.some((tag) => !kept.has(tag.value))) found.push('tagsRemoved');
	if (from.toDate !== to.toDate) {
		// Dates are YYYY-MM-DD, so they compare as strings; a permanent entry (null) given a date is cut short.
		if (to.toDate === null) found.push('validUntilPermanent');
		else if (from.toDate !== null && to.toDate > from.toDate) found.push('validUntilLater');
		else found.push('validUntilEarlier');
	}
	return found;
}

function stepOf(settings: PlanSettings, item: Prepared<DesiredEntry>, stored: IDataObject | undefined, newId: () => string): Step {
	const { scope } = settings;
	const desired = item.input;
	const marked = withMarker(scope, desired.tags);
	if (!stored) {
		const entry: Entry = { id: newId(), mac: desired.mac, name: desired.name };
		if (desired.description) entry.description = desired.description;
		if (desired.toDate) entry.toDate = desired.toDate;
		if (marked.length) entry.tags = marked;
		if (scope.kind === 'createdBy') entry.createdBy = scope.createdBy;
		return { kind: 'create', item, entry };
	}
	const owned = inScope(scope, stored);
	if (!owned && !settings.adopt) {
		return {
			kind: 'keep',
			item,
			json: {
				...desired,
				status: 'conflict',
				entry: stored,
				reason:
					'This MAC address is whitelisted by an entry outside the Scope, which Sync left as it was. Turn on Adopt Out-of-Scope Entries to take such entries over.',
			},
		};
	}
	const wanted: Comparable = { name: desired.name, description: desired.description ?? '', toDate: desired.toDate ?? null, tags: marked };
	const from = comparableOf(stored);
	const changes = changesOf(from, wanted);
	if (Object.keys(changes).length === 0) return { kind: 'keep', item, json: { ...stored, status: 'unchanged' } };
	if (typeof stored.id !== 'string' || stored.id === '') {
		return {
			kind: 'fail',
			item,
			message: `[item ${item.itemIndex}] The active entry of MAC address ${desired.mac} differs but has no ID, so Sync cannot update it`,
			description: 'The service listed the entry without an ID. Update it in the Sign-In admin.',
		};
	}
	const entry: Entry = { id: stored.id, mac: desired.mac, ...wanted };
	return { kind: 'update', item, entry, changes, adopted: !owned, destructiveChanges: destructiveChangesOf(from, wanted) };
}

/** The first active entry of each readable MAC address. */
function activeByMac(active: IDataObject[]): Map<string, IDataObject> {
	const byMac = new Map<string, IDataObject>();
	for (const entry of active) {
		try {
			const mac = normalizeMac(entry.mac);
			if (!byMac.has(mac)) byMac.set(mac, entry);
		} catch {
			// An entry listed without a readable MAC address can neither match nor be revoked by MAC.
		}
	}
	return byMac;
}

const KIND_LABELS: Array<[string, DestructiveChange[]]> = [
	['descriptions cleared', ['descriptionCleared']],
	['tags removed', ['tagsRemoved']],
	['Valid Until later or permanent', ['validUntilLater', 'validUntilPermanent']],
	['earlier', ['validUntilEarlier']],
];

/**
 * The valve of Whitelisting Sync: revokes and destructive updates count together against Max
 * Destructive Share, as a share of the active entries in the Scope plus those the run adopts (an
 * adopted entry comes under the sync's ownership, so it counts in the base as in the numerator).
 */
function verdictOf(settings: PlanSettings, text: string, counts: { revokes: number; destructive: UpdateStep[]; inScope: number; adopts: number }): ValveVerdict {
	const { revokes, destructive, inScope: owned, adopts } = counts;
	const doing = [revokes ? `revoke ${revokes}` : '', destructive.length ? `destructively update ${destructive.length}` : ''].filter(Boolean).join(' and ');
	const kinds = KIND_LABELS.map(([label, kinds]) => `${label}: ${destructive.filter((step) => step.destructiveChanges.some((kind) => kinds.includes(kind))).length}`);
	const revokeRisk = 'An empty or partial input would revoke everything it left out: check that the input is complete.';
	const updateRisk =
		`Destructive updates (${kinds.join(', ')}). An empty or renamed Description, Tags or Valid Until column would clear every entry's fields or make devices permanent: check that the input is complete and its fields are mapped.`;
	return valveVerdict({
		maxShare: settings.maxShare,
		taking: revokes + destructive.length,
		owned: owned + adopts,
		verb: 'Destructive',
		what: adopts ? 'active entries in the Scope or adopted' : 'active entries in the Scope',
		untouched: 'nothing was changed',
		plan: text,
		doing,
		risk: destructive.length ? (revokes ? `${revokeRisk} ${updateRisk}` : updateRisk) : revokeRisk,
		meant: destructive.length ? 'If these changes are meant' : undefined,
	});
}

/**
 * The planId: what Apply would send (creates without the random client ID, updates with their
 * changes, revokes), the settings that decide it, the Context, and the state it was planned from
 * (the listed entries in the Scope and those the input names), each list sorted. Counts follow
 * from these, so items or answers in another order give the same planId and any difference another.
 */
function planIdOf(input: PlanInput, steps: Step[], revokes: Revoke[], byMac: Map<string, IDataObject>): string {
	const { settings, contextUrl = '' } = input;
	const byKey = (step: { item: Prepared<DesiredEntry> }) => step.item.input.mac;
	const named = new Set([...steps.map(byKey), ...input.held]);
	return planDigest({
		sync: 'whitelisting',
		context: contextUrl,
		scope: settings.scope,
		adopt: settings.adopt,
		creates: sortedBy(steps.filter((step): step is CreateStep => step.kind === 'create'), byKey).map((step) => withoutClientId(step.entry)),
		updates: sortedBy(steps.filter((step): step is UpdateStep => step.kind === 'update'), byKey).map((step) => ({ entry: step.entry, changes: step.changes })),
		revokes: sortedBy(revokes, ({ mac }) => mac).map(({ mac, entry }) => ({ mac, id: entry.id ?? null })),
		failed: sortedBy(steps.filter((step) => step.kind === 'fail'), byKey).map(byKey),
		state: sortedBy(
			[...byMac.entries()].filter(([mac, entry]) => named.has(mac) || inScope(settings.scope, entry)),
			([mac]) => mac,
		),
	});
}

const quoted = (name: unknown) => (typeof name === 'string' && name !== '' ? ` "${name}"` : '');

/**
 * The plan's changes as the summary names them, in one order whatever the input's: revokes,
 * destructive updates, other updates and adoptions, creates, each by MAC address.
 */
function summaryChanges(steps: Step[], revokes: Revoke[]): SummaryChange[] {
	const ranked: Array<SummaryChange & { rank: number; mac: string }> = revokes.map(({ mac, entry }) => ({ rank: 0, mac, destructive: true, text: `revoke ${mac}${quoted(entry.name)}` }));
	for (const step of steps) {
		const { mac } = step.item.input;
		if (step.kind === 'create') ranked.push({ rank: 3, mac, destructive: false, text: `create ${mac}${quoted(step.entry.name)}` });
		if (step.kind !== 'update') continue;
		const fields = Object.keys(step.changes).join(', ');
		const destructive = step.destructiveChanges.length > 0;
		const how = destructive ? ` destructively (${step.destructiveChanges.join(', ')})` : '';
		ranked.push({ rank: destructive ? 1 : 2, mac, destructive, text: `${step.adopted ? 'adopt' : 'update'} ${mac}${quoted(step.entry.name)}: ${fields}${how}` });
	}
	return sortedBy(ranked, ({ rank, mac }) => `${rank} ${mac}`);
}

export function planSync(input: PlanInput): SyncPlan {
	const { settings, prepared, active, held, newId } = input;
	const { unique, skipped } = firstOfEachMac(prepared, (input, first) => ({
		...input,
		status: 'skipped',
		reason: `Same MAC address as item ${first}, which is synced instead.`,
	}));
	const byMac = activeByMac(active);
	const keep = new Set([...unique.map((item) => item.input.mac), ...held]);
	const owned = [...byMac.entries()].filter(([, entry]) => inScope(settings.scope, entry));
	const revokes = owned.filter(([mac]) => !keep.has(mac)).map(([mac, entry]) => ({ mac, entry }));
	const steps = unique.map((item) => stepOf(settings, item, byMac.get(item.input.mac), newId));

	const updates = steps.filter((step): step is UpdateStep => step.kind === 'update');
	const destructive = updates.filter((step) => step.destructiveChanges.length > 0);
	const kept = (status: 'unchanged' | 'conflict') => steps.filter((step) => step.kind === 'keep' && step.json.status === status).length;
	const creates = steps.filter((step) => step.kind === 'create').length;
	const adopts = updates.filter((step) => step.adopted).length;
	const text =
		`The plan: ${creates} to create, ${updates.length} to update${destructive.length ? ` (${destructive.length} destructively)` : ''}, ` +
		`${kept('unchanged')} unchanged, ${kept('conflict')} conflicts, ${revokes.length} to revoke.`;
	const verdict = verdictOf(settings, text, { revokes: revokes.length, destructive, inScope: owned.length, adopts });
	const counts =
		`Whitelisting Sync: ${creates} to create, ${updates.length} to update (${destructive.length} destructively), ${revokes.length} to revoke, ` +
		`${kept('unchanged')} unchanged, ${kept('conflict')} conflicts`;
	return {
		skipped,
		steps,
		revokes,
		text,
		verdict,
		summary: {
			status: 'plan',
			creates,
			updates: updates.length,
			destructiveUpdates: destructive.length,
			adopts,
			unchanged: kept('unchanged'),
			conflicts: kept('conflict'),
			skipped: skipped.length,
			revokes: revokes.length,
			failed: steps.filter((step) => step.kind === 'fail').length,
			inScope: owned.length,
			maxShare: settings.maxShare,
			destructiveShare: verdict.share,
			applyAllowed: verdict.allowed,
			reason: verdict.allowed ? null : verdict.message,
			planId: planIdOf(input, steps, revokes, byMac),
			summary: planSummaryText(counts, summaryChanges(steps, revokes)),
		},
	};
}
