import { randomUUID } from 'crypto';
import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, signInApiRequest } from '../../transport';
import { normalizeCreatedBy, normalizeDate, normalizeMac, normalizeTagValue, normalizeWhitelistingName } from '../../validation/rules';
import { batchSizeOption, sendInBatches } from '../batching';
import { readParameter } from '../params';
import { readConcurrency, runInOrder } from '../requestOptions';
import { appendDescription, heldByInvalidItems, readMaxShare, shareOption, valveError } from '../sync';
import type { BatchOutcome, Operation, Prepared } from '../types';
import {
	addBatch,
	countsOf,
	desiredEntryOptionalFields,
	firstOfEachMac,
	listActive,
	macField,
	nameField,
	readOptional,
	revokeBatch,
	withoutClientId,
	type Entry,
	type RevokeCounts,
} from './shared';

const show = (extra: IDataObject = {}) => ({ show: { resource: ['whitelisting'], operation: ['sync'], ...extra } });

const description: INodeProperties[] = [
	{
		displayName:
			'Each input item is one device that should be whitelisted. Sync reads the active whitelist once, then creates what is missing, updates what differs, and revokes the entries in Scope that no item names. Each item gets an output item with its status, and each revoked entry one more.',
		name: 'syncNotice',
		type: 'notice',
		default: '',
		displayOptions: show(),
	},
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		required: true,
		noDataExpression: true,
		default: 'tag',
		description:
			'Which active entries this sync owns: only these are updated or revoked. Entries With Tag needs a Scope Tag; nothing defaults to all entries.',
		displayOptions: show(),
		options: [
			{ name: 'All Active Entries', value: 'all', description: 'Every active entry, whoever made it' },
			{
				name: 'Entries Created By',
				value: 'createdBy',
				description: 'Entries whose Created By is a given value; entries the sync creates get it',
			},
			{ name: 'Entries With Tag', value: 'tag', description: 'Entries carrying a given tag; entries the sync creates or updates get it' },
		],
	},
	{
		displayName:
			'With All Active Entries, every active entry whose MAC address no input item names is revoked, including entries made by hand or by other tools',
		name: 'allScopeNotice',
		type: 'notice',
		default: '',
		displayOptions: show({ scope: ['all'] }),
	},
	{
		displayName: 'Scope Tag',
		name: 'scopeTag',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. n8n-sync',
		description: 'The tag that marks the entries this sync owns (ignoring case); 2–30 characters like any tag',
		displayOptions: show({ scope: ['tag'] }),
	},
	{
		displayName: 'Scope Created By',
		name: 'scopeCreatedBy',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. inventory-sync',
		description: 'The Created By value that marks the entries this sync owns (exact match)',
		displayOptions: show({ scope: ['createdBy'] }),
	},
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		default: 'preview',
		displayOptions: show(),
		options: [
			{ name: 'Apply', value: 'apply', description: 'Make the changes and report what was done' },
			{ name: 'Preview', value: 'preview', description: 'Only read the whitelist and report the plan; nothing is changed' },
		],
	},
	macField('sync'),
	nameField('sync'),
	desiredEntryOptionalFields('sync'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show(),
		options: [
			{
				displayName: 'Adopt Out-of-Scope Entries',
				name: 'adoptOutOfScope',
				type: 'boolean',
				default: false,
				description:
					"Whether an input MAC address that an entry outside the Scope already whitelists is taken over (updated to match, and given the Scope Tag) instead of reported as a conflict and left alone. The API cannot change an entry's Created By, so with Entries Created By an adopted entry stays outside the Scope.",
			},
			batchSizeOption(),
			shareOption('Revoke', 'active entries in the Scope'),
		],
	},
];

/** What an item asks the whitelist to hold for its MAC address. */
export interface DesiredEntry {
	mac: string;
	name: string;
	description?: string;
	toDate?: string;
	tags: Array<{ value: string }>;
}

type Scope = { kind: 'all' } | { kind: 'tag'; tag: string } | { kind: 'createdBy'; createdBy: string };

interface Settings {
	scope: Scope;
	apply: boolean;
	adopt: boolean;
	maxShare: number;
}

/** An entry's comparable fields, with an absent description as '' and a permanent entry as null. */
interface Comparable {
	name: string;
	description: string;
	toDate: string | null;
	tags: Array<{ value: string }>;
}

type Step =
	| { kind: 'create'; item: Prepared<DesiredEntry>; entry: Entry }
	| { kind: 'update'; item: Prepared<DesiredEntry>; stored: IDataObject; entry: Entry; changes: IDataObject; adopted: boolean }
	| { kind: 'keep'; item: Prepared<DesiredEntry>; json: IDataObject }
	| { kind: 'fail'; item: Prepared<DesiredEntry>; error: Error };

function readSettings(this: IExecuteFunctions, itemIndex: number): Settings {
	const kind = this.getNodeParameter('scope', itemIndex, '') as string;
	let scope: Scope;
	if (kind === 'all') scope = { kind };
	else if (kind === 'tag') scope = { kind, tag: readParameter(this, itemIndex, 'scopeTag', 'Scope Tag', normalizeTagValue) };
	else if (kind === 'createdBy') {
		scope = { kind, createdBy: readParameter(this, itemIndex, 'scopeCreatedBy', 'Scope Created By', normalizeCreatedBy) };
	} else {
		throw new NodeOperationError(this.getNode(), 'Scope is required: Sync must be told which active entries it owns', {
			itemIndex,
			description:
				'Choose Entries With Tag, Entries Created By or All Active Entries under Scope. Nothing was sent.',
		});
	}
	return {
		scope,
		apply: (this.getNodeParameter('mode', itemIndex, 'preview') as string) === 'apply',
		adopt: this.getNodeParameter('options.adoptOutOfScope', itemIndex, false) as boolean,
		maxShare: readMaxShare.call(this, itemIndex, 'Revoke'),
	};
}

function tagValues(tags: unknown): string[] {
	if (!Array.isArray(tags)) return [];
	return tags
		.map((tag) => (typeof tag === 'object' && tag !== null ? (tag as IDataObject).value : tag))
		.filter((value): value is string => typeof value === 'string');
}

function inScope(scope: Scope, entry: IDataObject): boolean {
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

function desiredJson(entry: DesiredEntry): IDataObject {
	return { ...entry };
}

function planSteps(node: INode, settings: Settings, unique: Array<Prepared<DesiredEntry>>, byMac: Map<string, IDataObject>): Step[] {
	const { scope } = settings;
	return unique.map((item): Step => {
		const desired = item.input;
		const stored = byMac.get(desired.mac);
		const marked = withMarker(scope, desired.tags);
		if (!stored) {
			const entry: Entry = { id: randomUUID(), mac: desired.mac, name: desired.name };
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
					...desiredJson(desired),
					status: 'conflict',
					entry: stored,
					reason:
						'This MAC address is whitelisted by an entry outside the Scope, which Sync left as it was. Turn on Adopt Out-of-Scope Entries to take such entries over.',
				},
			};
		}
		const wanted: Comparable = { name: desired.name, description: desired.description ?? '', toDate: desired.toDate ?? null, tags: marked };
		const changes = changesOf(comparableOf(stored), wanted);
		if (Object.keys(changes).length === 0) return { kind: 'keep', item, json: { ...stored, status: 'unchanged' } };
		if (typeof stored.id !== 'string' || stored.id === '') {
			return {
				kind: 'fail',
				item,
				error: new NodeOperationError(
					node,
					`[item ${item.itemIndex}] The active entry of MAC address ${desired.mac} differs but has no ID, so Sync cannot update it`,
					{ itemIndex: item.itemIndex, description: 'The service listed the entry without an ID. Update it in the Sign-In admin.' },
				),
			};
		}
		const entry: Entry = { id: stored.id, mac: desired.mac, ...wanted };
		return { kind: 'update', item, stored, entry, changes, adopted: !owned };
	});
}

export const sync: Operation<DesiredEntry> = {
	option: {
		name: 'Sync',
		value: 'sync',
		description: 'Make the whitelist entries in a scope match the input items: create, update and revoke',
		action: 'Sync whitelisted devices with the input items',
	},
	description,
	prepare(itemIndex) {
		const optional = readOptional.call(this, itemIndex);
		const entry: DesiredEntry = {
			mac: readParameter(this, itemIndex, 'mac', 'MAC Address', normalizeMac),
			name: readParameter(this, itemIndex, 'name', 'Name', normalizeWhitelistingName),
			tags: optional.tags,
		};
		if (optional.description) entry.description = optional.description;
		if (optional.toDate) entry.toDate = optional.toDate;
		return entry;
	},
	async sendBatch(prepared, continueOnFail) {
		const node = this.getNode();
		const firstItem = prepared[0].itemIndex;
		const settings = readSettings.call(this, firstItem);
		const { unique, skipped } = firstOfEachMac(prepared, (input, first) => ({
			...desiredJson(input),
			status: 'skipped',
			reason: `Same MAC address as item ${first}, which is synced instead.`,
		}));
		const everyItem = (error: Error): BatchOutcome[] => prepared.map((item) => ({ itemIndex: item.itemIndex, error }));

		let active: IDataObject[];
		try {
			active = await listActive.call(this, firstItem);
		} catch (cause) {
			const error = asNodeError(node, cause);
			appendDescription(error, 'Nothing was changed: Sync reads the active whitelist before anything else.');
			if (!continueOnFail) throw error;
			return everyItem(error);
		}

		const byMac = new Map<string, IDataObject>();
		for (const entry of active) {
			try {
				const mac = normalizeMac(entry.mac);
				if (!byMac.has(mac)) byMac.set(mac, entry);
			} catch {
				// An entry listed without a readable MAC address can neither match nor be revoked by MAC.
			}
		}
		const keep = new Set([...unique.map((item) => item.input.mac), ...heldByInvalidItems(this, prepared, (itemIndex) => [normalizeMac(this.getNodeParameter('mac', itemIndex, ''))])]);
		const owned = [...byMac.entries()].filter(([, entry]) => inScope(settings.scope, entry));
		const revokes = owned.filter(([mac]) => !keep.has(mac)).map(([mac, entry]) => ({ mac, entry }));
		const steps = planSteps(node, settings, unique, byMac);
		const count = (kind: Step['kind']) => steps.filter((step) => step.kind === kind).length;
		const planText =
			`The plan: ${count('create')} to create, ${count('update')} to update, ` +
			`${steps.filter((step) => step.kind === 'keep' && step.json.status === 'unchanged').length} unchanged, ` +
			`${steps.filter((step) => step.kind === 'keep' && step.json.status === 'conflict').length} conflicts, ${revokes.length} to revoke.`;

		const revokedJson = (mac: string, entry: IDataObject): IDataObject => ({
			id: entry.id ?? null,
			mac,
			name: entry.name ?? null,
		});
		const extra = (json: IDataObject): BatchOutcome => ({ itemIndex: firstItem, json, extra: true });

		if (!settings.apply) {
			return [
				...skipped,
				...steps.map((step): BatchOutcome => {
					if (step.kind === 'fail') {
						if (!continueOnFail) throw step.error;
						return { itemIndex: step.item.itemIndex, error: step.error };
					}
					if (step.kind === 'keep') return { itemIndex: step.item.itemIndex, json: step.json };
					if (step.kind === 'create') return { itemIndex: step.item.itemIndex, json: { ...withoutClientId(step.entry), status: 'create' } };
					return { itemIndex: step.item.itemIndex, json: { ...step.entry, status: step.adopted ? 'adopt' : 'update', changes: step.changes } };
				}),
				...revokes.map(({ mac, entry }) => extra({ ...revokedJson(mac, entry), status: 'revoke' })),
			];
		}

		const valve = valveError(node, {
			maxShare: settings.maxShare,
			taking: revokes.length,
			owned: owned.length,
			verb: 'Revoke',
			what: 'active entries in the Scope',
			untouched: 'nothing was changed',
			plan: planText,
			itemIndex: firstItem,
		});
		if (valve) {
			if (!continueOnFail) throw valve;
			return everyItem(valve);
		}

		const outcomes: BatchOutcome[] = [...skipped];
		const creates = steps.filter((step): step is Extract<Step, { kind: 'create' }> => step.kind === 'create');
		const updates = steps.filter((step): step is Extract<Step, { kind: 'update' }> => step.kind === 'update');
		for (const step of steps) {
			if (step.kind === 'keep') outcomes.push({ itemIndex: step.item.itemIndex, json: step.json });
			if (step.kind === 'fail') {
				if (!continueOnFail) throw step.error;
				outcomes.push({ itemIndex: step.item.itemIndex, error: step.error });
			}
		}
		const progress = { created: 0, updated: 0 };
		const stopped = (error: unknown, phase: 'creating' | 'updating' | 'revoking'): Error => {
			const nodeError = asNodeError(node, error);
			const done = {
				creating: `Sync stopped while creating entries; no update or revoke was sent.`,
				updating: `Sync stopped while updating: ${progress.created} entries were created before, ${progress.updated} of the ${updates.length} updates were done and the others not sent; none of the ${revokes.length} revokes was sent.`,
				revoking: `Sync stopped while revoking: ${progress.created} entries were created and ${progress.updated} updated before.`,
			}[phase];
			appendDescription(nodeError, `${done} ${planText} Run it again: the next run reads the whitelist and plans what is still to do.`);
			return nodeError;
		};

		if (creates.length) {
			let created: BatchOutcome[];
			try {
				created = await sendInBatches(
					this,
					creates.map((step) => ({ itemIndex: step.item.itemIndex, input: step.entry })),
					continueOnFail,
					{
						entries: (entry) => [entry],
						entryKey: (entry) => entry.mac,
						entryField: 'mac',
						noun: { one: 'entry', many: 'entries' },
						async send(entries, _input, itemIndex) {
							return await addBatch.call(this, entries, {}, itemIndex);
						},
						describe: (entry, resultOf) => sinceRead(resultOf(entry)!),
					},
				);
			} catch (error) {
				throw stopped(error, 'creating');
			}
			progress.created = created.filter((outcome) => !('error' in outcome) && outcome.json.status === 'created').length;
			outcomes.push(...created);
		}

		const halted = await runInOrder(updates, readConcurrency(this), async (step) => {
			const { itemIndex } = step.item;
			try {
				const response = await signInApiRequest.call(this, { method: 'PUT', path: '/modules/whitelistings', body: step.entry, itemIndex });
				progress.updated++;
				const json: IDataObject = { ...step.entry, status: step.adopted ? 'adopted' : 'updated', changes: step.changes };
				if (response.uncertain) json.firstAnswerLost = true;
				outcomes.push({ itemIndex, json });
			} catch (error) {
				if (!continueOnFail) throw asNodeError(node, error);
				outcomes.push({ itemIndex, error: asNodeError(node, error), json: { ...step.entry, changes: step.changes } });
			}
		});
		if (halted) throw stopped(halted.error, 'updating');

		if (revokes.length) {
			let revoked: BatchOutcome[];
			try {
				revoked = await sendInBatches<{ mac: string; entry: IDataObject }, string, true, RevokeCounts>(
					this,
					revokes.map((input) => ({ itemIndex: firstItem, input })),
					continueOnFail,
					{
						entries: (input) => [input.mac],
						entryKey: (mac) => mac,
						entryField: 'mac',
						noun: { one: 'MAC address', many: 'MAC addresses' },
						async send(macs, _input, itemIndex) {
							const answer = await revokeBatch.call(this, macs, itemIndex);
							return { results: macs.map(() => true as const), summary: answer.counts, uncertain: answer.uncertain };
						},
						describe: (input, _resultOf, batches) => ({
							...revokedJson(input.mac, input.entry),
							status: 'revoked',
							batch: countsOf(batches),
							firstAnswerLost: batches.some((batch) => batch.uncertain),
						}),
					},
				);
			} catch (error) {
				throw stopped(error, 'revoking');
			}
			revoked.forEach((outcome, index) => {
				const known = revokedJson(revokes[index].mac, revokes[index].entry);
				outcomes.push('error' in outcome ? { ...outcome, json: { ...known, ...outcome.json }, extra: true } : { ...outcome, extra: true });
			});
		}
		return outcomes;
	},
};

/** Batch Add calls an entry existing when it was whitelisted after Sync's read. */
function sinceRead(json: IDataObject): IDataObject {
	if (json.status !== 'existing') return json;
	return {
		...json,
		reason:
			'This MAC address was whitelisted after Sync read the list (by someone else, or a run at the same time); the entry was left as it was, and the next run plans it.',
	};
}
