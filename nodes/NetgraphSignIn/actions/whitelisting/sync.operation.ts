import { randomUUID } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, targetOf } from '../../transport';
import { normalizeCreatedBy, normalizeMac, normalizeTagValue, normalizeWhitelistingName } from '../../validation/rules';
import { batchSizeOption } from '../batching';
import { noteProgress } from '../contextGroups';
import { readParameter } from '../params';
import { approvedPlanIdOption, readApprovedPlanIds, stalePlanError } from '../plan';
import { heldByInvalidItems, readMaxShare, shareOption } from '../sync';
import { limitSyncMode, syncSizeError } from '../toolPolicy';
import type { BatchOutcome, Operation } from '../types';
import { desiredEntryOptionalFields, listActive, macField, nameField, readOptional } from './shared';
import { applyPlan, previewOutcomes } from './syncApply';
import { planSync, type DesiredEntry, type PlanSettings, type Scope } from './syncPlan';

export type { DesiredEntry } from './syncPlan';

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
			approvedPlanIdOption,
			batchSizeOption(),
			shareOption(
				'Destructive',
				'active entries in the Scope',
				"The most one run may revoke and update destructively, together, as a share of the active entries in the Scope (and those it adopts). An update is destructive when it clears a Description, removes a tag, moves Valid Until later or makes the entry permanent (the device is admitted longer than it was to be), or moves Valid Until earlier (it cuts the device's access short, like a revoke that waits). A run that would do more stops before any change, with an error giving the counts, so that an empty or partial input, or an empty or renamed column, cannot wipe the entries or make devices permanent. 100 allows any share.",
			),
		],
	},
];

function readSettings(this: IExecuteFunctions, itemIndex: number): PlanSettings & { apply: boolean; approved?: string[] } {
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
	const apply = (this.getNodeParameter('mode', itemIndex, 'preview') as string) === 'apply';
	return {
		scope,
		apply,
		approved: apply ? readApprovedPlanIds.call(this, itemIndex) : undefined,
		adopt: this.getNodeParameter('options.adoptOutOfScope', itemIndex, false) as boolean,
		maxShare: readMaxShare.call(this, itemIndex, 'Destructive'),
	};
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
		limitSyncMode(this, itemIndex, 'Whitelisting Sync');
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
		const everyItem = (error: Error): BatchOutcome[] => prepared.map((item) => ({ itemIndex: item.itemIndex, error }));

		let active: IDataObject[];
		try {
			active = await listActive.call(this, firstItem);
		} catch (cause) {
			const error = asNodeError(node, cause);
			noteProgress(error, 'Nothing was changed: Sync reads the active whitelist before anything else.');
			if (!continueOnFail) throw error;
			return everyItem(error);
		}
		const held = heldByInvalidItems(this, prepared, (itemIndex) => [normalizeMac(this.getNodeParameter('mac', itemIndex, ''))]);
		const { url: contextUrl } = await targetOf(this, firstItem);
		const plan = planSync({ settings, prepared, active, held, newId: randomUUID, contextUrl });

		if (!settings.apply) return previewOutcomes(node, plan, continueOnFail, firstItem);
		// An approved plan is a person's decision on exactly these changes: neither the valve nor a tool call's limit holds it.
		const stop = settings.approved
			? settings.approved.includes(plan.summary.planId)
				? undefined
				: stalePlanError(node, firstItem, plan.summary, settings.approved)
			: plan.verdict.allowed
				? syncSizeError(this, firstItem, plan.summary)
				: new NodeOperationError(node, plan.verdict.message, { itemIndex: firstItem, description: plan.verdict.description });
		if (stop) {
			if (!continueOnFail) throw stop;
			return everyItem(stop);
		}
		return await applyPlan.call(this, plan, continueOnFail, firstItem);
	},
};
