import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { savedAtVersion1 } from '../../nodeVersion';
import { asNodeError, targetOf } from '../../transport';
import { normalizeDomain, normalizeEmailPattern, splitList } from '../../validation/rules';
import { sendInBatches } from '../batching';
import { noteProgress } from '../contextGroups';
import { readParameter } from '../params';
import { approvedPlanIdOption, readApprovedPlanIds, stalePlanError } from '../plan';
import { heldByInvalidItems, readMaxShare, shareOption, valveError } from '../sync';
import { limitSyncMode } from '../toolPolicy';
import type { BatchOutcome, Operation, Prepared } from '../types';
import { includePolicyList, policyFields, policyOptions, policyRequest, readPolicyEmails, revokeField, sendAdds, type PolicyEmails } from './shared';
import { planEmailSync, planPolicyRemoves, READ_ADDRESS, type EmailScope, type EmailSyncPlan, type PolicyChanges, type PolicyRead, type PolicyRemovePlan } from './syncEmailsPlan';

const show = (extra: IDataObject = {}) => ({ show: { resource: ['accessPolicy'], operation: ['syncEmails'], ...extra } });

/** Mode is new in version 1.1, where Preview is the default; a node saved as version 1 keeps applying. */
const modeOptions = [
	{ name: 'Apply', value: 'apply', description: 'Add and remove, and report what was done' },
	{ name: 'Preview', value: 'preview', description: 'Only read the policies and report the plan; nothing is changed' },
];
const modeOf = (version: 'v1' | 'later', fallback: string): INodeProperties => ({
	displayName: 'Mode',
	name: 'mode',
	type: 'options',
	noDataExpression: true,
	default: fallback,
	displayOptions: show({ '@version': version === 'v1' ? [1] : [{ _cnd: { gte: 1.1 } }] }),
	options: modeOptions,
});

const description: INodeProperties[] = [
	{
		displayName:
			'Each input item names e-mails the policy should hold. Apply adds them, then removes the e-mails in Scope that the policy holds and no item names. The API has no read: Preview, and Apply with an Approved Plan ID, read a policy by asking it to remove n8n-sync-read@policy.invalid, an address at a reserved domain that no policy holds.',
		name: 'syncEmailsNotice',
		type: 'notice',
		default: '',
		displayOptions: show(),
	},
	modeOf('later', 'preview'),
	modeOf('v1', 'apply'),
	...policyFields(
		'syncEmails',
		'Addresses or patterns the policy should hold: a full address (alice@acme.com), a domain (*@acme.com) or all its subdomains (*@*.acme.com). Separate them with commas or new lines, or give an array in an expression. E-mails in Scope that no item names are removed.',
	),
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		noDataExpression: true,
		default: 'addresses',
		description: 'Which e-mails of the policy this sync owns: only these are removed when no item names them',
		displayOptions: show(),
		options: [
			{ name: 'Addresses and Wildcards', value: 'all', description: 'Every address and pattern in the policy' },
			{
				name: 'Addresses Only',
				value: 'addresses',
				description: 'Full addresses; wildcards (*@acme.com, *@*.acme.com) are left alone',
			},
			{
				name: 'Matching a Domain',
				value: 'domain',
				description: 'Addresses and patterns whose domain is the Scope Domain or one of its subdomains',
			},
		],
	},
	{
		displayName: 'Scope Domain',
		name: 'scopeDomain',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. acme.com',
		description:
			'An entry matches when the domain after its @ (for *@*.acme.com: acme.com) is this domain or ends with a dot and this domain. For acme.com: alice@acme.com, bob@eu.acme.com, *@acme.com and *@*.acme.com match; eve@notacme.com does not.',
		displayOptions: show({ scope: ['domain'] }),
	},
	revokeField('syncEmails'),
	policyOptions('syncEmails', [approvedPlanIdOption, shareOption('Remove', 'e-mails in Scope that the policy held before the run')]),
];

interface Settings {
	scope: EmailScope;
	revokeUserEngagement: boolean;
	maxShare: number;
	mode: 'preview' | 'apply';
	/** Apply's Approved Plan IDs, when set. */
	approved?: string[];
}

/** A node saved before Mode existed (version 1) applies; a newer one previews unless told otherwise. */
function modeDefault(execution: IExecuteFunctions): 'preview' | 'apply' {
	return savedAtVersion1(execution) ? 'apply' : 'preview';
}

function readSettings(this: IExecuteFunctions, itemIndex: number): Settings {
	const kind = this.getNodeParameter('scope', itemIndex, 'addresses') as string;
	const scope: EmailScope =
		kind === 'all' ? { kind } : kind === 'domain' ? { kind, domain: readParameter(this, itemIndex, 'scopeDomain', 'Scope Domain', normalizeDomain) } : { kind: 'addresses' };
	const mode = this.getNodeParameter('mode', itemIndex, modeDefault(this)) === 'preview' ? 'preview' : 'apply';
	return {
		scope,
		revokeUserEngagement: this.getNodeParameter('revokeUserEngagement', itemIndex, true) as boolean,
		maxShare: readMaxShare.call(this, itemIndex, 'Remove'),
		mode,
		approved: mode === 'apply' ? readApprovedPlanIds.call(this, itemIndex) : undefined,
	};
}

/**
 * An item's status from its Add E-Mails report: `accepted` when the answer took some of its
 * e-mails without a warning (new, or already there and silently ignored: the API does not say).
 */
function addStatus(json: IDataObject): string {
	if ((json.absentEmails as string[]).length > 0) return 'warned';
	if (json.acceptedEmails === null) return 'present';
	return (json.acceptedEmails as string[]).length > 0 ? 'accepted' : 'alreadyPresent';
}

const SHOWN = 10;

function countOf(emails: string[]): string {
	if (emails.length === 0) return 'no e-mail';
	const shown = emails.slice(0, SHOWN).join(', ');
	const more = emails.length > SHOWN ? ` and ${emails.length - SHOWN} more` : '';
	return `${emails.length} ${emails.length === 1 ? 'e-mail' : 'e-mails'} (${shown}${more})`;
}

/** What this run may have added to one policy, as the items' reports say it. */
function mayHaveAdded(items: IDataObject[]): { accepted: string[]; unsure: string[] } {
	return {
		accepted: items.flatMap((json) => (json.acceptedEmails as string[] | null) ?? []),
		unsure: items.flatMap((json) => (json.acceptedEmails === null ? ((json.presentEmails as string[] | undefined) ?? []) : [])),
	};
}

/** What the adds did to one policy, saying no more than the answers did. */
function addsText(items: IDataObject[]): string {
	const { accepted, unsure } = mayHaveAdded(items);
	const text = `the policy accepted ${countOf(accepted)} of this run without a warning (added, or already there: the API does not say which)`;
	return unsure.length ? `${text}, and ${countOf(unsure)} that the policy holds may have been added by it (an add answer was lost)` : text;
}

const REVOKE_COUNTS = ['revokedLoginsForSelfProvisioning', 'revokedLoginsForMeetingHost', 'revokedWhitelisting', 'revokeLoginsforConferences'];
const unknownCounts = () => Object.fromEntries(REVOKE_COUNTS.map((key) => [key, null]));

interface Removal {
	policyId: string;
	email: string;
}

interface PolicyPlan {
	policyId: string;
	firstItem: number;
	items: Array<Prepared<PolicyEmails>>;
	removes: string[];
}

export const syncEmails: Operation<PolicyEmails> = {
	option: {
		name: 'Sync Emails',
		value: 'syncEmails',
		description: 'Make the e-mails of an access policy in a scope match the input items: add and remove',
		action: 'Sync emails of an access policy',
	},
	description,
	prepare(itemIndex) {
		limitSyncMode(this, itemIndex, 'Sync E-Mails', modeDefault(this), false);
		return readPolicyEmails.call(this, itemIndex);
	},
	async sendBatch(prepared, continueOnFail) {
		const node = this.getNode();
		const withList = includePolicyList(this, this.getInputData().length, prepared[0].itemIndex);
		const settings = readSettings.call(this, prepared[0].itemIndex);
		const policies = new Map<string, PolicyPlan>();
		for (const item of prepared) {
			const plan = policies.get(item.input.policyId);
			if (plan) plan.items.push(item);
			else policies.set(item.input.policyId, { policyId: item.input.policyId, firstItem: item.itemIndex, items: [item], removes: [] });
		}
		// An invalid item's policy ID may be what is wrong with it: its readable e-mails are kept in every policy.
		const held = heldByInvalidItems(this, prepared, (itemIndex) =>
			splitList(this.getNodeParameter('emails', itemIndex, '')).flatMap((entry) => {
				try {
					return [normalizeEmailPattern(entry)];
				} catch {
					return [];
				}
			}),
		);

		let approvedPlan: Map<string, PolicyChanges> | undefined;
		if (settings.mode === 'preview' || settings.approved) {
			const everyItem = (error: Error): BatchOutcome[] => prepared.map((item) => ({ itemIndex: item.itemIndex, error }));
			let plan: EmailSyncPlan;
			try {
				plan = await planFromRead.call(this, settings, [...policies.values()], [...held]);
			} catch (cause) {
				const error = asNodeError(node, cause);
				noteProgress(error, 'Nothing was changed: Sync reads every policy before anything else.');
				if (!continueOnFail) throw error;
				return everyItem(error);
			}
			const firstItem = prepared[0].itemIndex;
			if (settings.mode === 'preview') return previewOutcomes(plan, firstItem);
			const approved = settings.approved!;
			if (!approved.includes(plan.summary.planId)) {
				const error = stalePlanError(node, firstItem, plan.summary, approved);
				if (!continueOnFail) throw error;
				return everyItem(error);
			}
			approvedPlan = new Map(plan.policies.map((policy) => [policy.policyId, policy]));
		}

		const latest = new Map<string, string[]>();
		let adds: BatchOutcome[];
		try {
			adds = await sendAdds(this, prepared, continueOnFail, { onAnswer: (input, policyEmails) => latest.set(input.policyId, policyEmails) });
		} catch (error) {
			const nodeError = asNodeError(node, error);
			noteProgress(nodeError, 'Sync stopped while adding e-mails: no e-mail was removed.', 'Run it again: adding is safe to repeat.');
			throw nodeError;
		}
		const addOf = new Map(adds.map((outcome) => [outcome.itemIndex, outcome]));
		const outcomes: BatchOutcome[] = adds.map((outcome) =>
			'error' in outcome ? outcome : { itemIndex: outcome.itemIndex, json: { ...outcome.json, status: addStatus(outcome.json) } },
		);
		const extras: BatchOutcome[] = [];
		const extra = (itemIndex: number, json: IDataObject): BatchOutcome => ({ itemIndex, json, extra: true });
		const reports = (plan: PolicyPlan) => plan.items.map((item) => addOf.get(item.itemIndex)!.json ?? {});

		const valves: Array<{ plan: PolicyPlan; error: Error }> = [];
		for (const plan of policies.values()) {
			const policyEmails = latest.get(plan.policyId);
			if (plan.items.some((item) => 'error' in addOf.get(item.itemIndex)!) || !policyEmails) {
				extras.push(
					extra(plan.firstItem, {
						policyId: plan.policyId,
						status: 'removesNotSent',
						reason:
							'An add request for this policy failed, so what the policy holds after the adds is not known: Sync removed nothing from it. The items of this policy say which adds failed; run Sync again.',
					}),
				);
				continue;
			}
			const added = mayHaveAdded(reports(plan));
			// An approved plan removes what it planned from its read, and only that: the valve was the person's.
			const approvedRemoves = approvedPlan?.get(plan.policyId);
			const removePlan: PolicyRemovePlan =
				approvedRemoves ??
				planPolicyRemoves({
					scope: settings.scope,
					policyEmails,
					desired: new Set([...plan.items.flatMap((item) => item.input.emails), ...held]),
					mayHaveAdded: new Set([...added.accepted, ...added.unsure].map((email) => email.toLowerCase())),
				});
			plan.removes = removePlan.removes;
			for (const { email, covers } of removePlan.kept) {
				extras.push(
					extra(plan.firstItem, {
						policyId: plan.policyId,
						email,
						status: 'kept',
						reason: keptReason(covers),
					}),
				);
			}
			if (approvedRemoves) continue;
			const error = valveError(node, {
				maxShare: settings.maxShare,
				taking: plan.removes.length,
				owned: removePlan.ownedBefore,
				verb: 'Remove',
				what: `e-mails in Scope that policy ${plan.policyId} held before this run`,
				untouched: `no e-mail was removed, but the adds were sent first: ${addsText(reports(plan))}`,
				plan: `No item names ${countOf(plan.removes)}.`,
				itemIndex: plan.firstItem,
			});
			if (error) valves.push({ plan, error });
		}
		if (valves.length > 0 && !continueOnFail) throw valves[0].error;
		for (const { plan, error } of valves) {
			for (const item of plan.items) {
				const index = outcomes.findIndex((outcome) => outcome.itemIndex === item.itemIndex);
				outcomes[index] = { itemIndex: item.itemIndex, error, json: 'json' in outcomes[index] ? outcomes[index].json : undefined };
			}
			plan.removes = [];
		}

		const removals = [...policies.values()].flatMap((plan) =>
			plan.removes.map((email): Prepared<Removal> => ({ itemIndex: plan.firstItem, input: { policyId: plan.policyId, email } })),
		);
		if (removals.length === 0) return [...stateAfter(outcomes, new Map(), withList), ...extras];
		const afterRemoves = new Map<string, string[]>();
		let removed: BatchOutcome[];
		try {
			removed = await sendInBatches<Removal, string, { present: boolean; detail: IDataObject | undefined }, null>(this, removals, continueOnFail, {
				groupKey: (input) => input.policyId,
				entries: (input) => [input.email],
				entryKey: (email) => email,
				entryField: 'email',
				noun: { one: 'e-mail', many: 'e-mails' },
				async send(emails, input, itemIndex) {
					const answer = await policyRequest(
						this,
						{ method: 'DELETE', what: 'the policy e-mails and removed e-mails', details: 'removedEmails' },
						input.policyId,
						{ emails, revokeUserEngagement: settings.revokeUserEngagement },
						itemIndex,
					);
					afterRemoves.set(input.policyId, answer.policyEmails);
					const holds = new Set(answer.policyEmails.map((email) => email.toLowerCase()));
					return {
						results: emails.map((email) => ({ present: holds.has(email.toLowerCase()), detail: answer.details.get(email.toLowerCase()) })),
						summary: null,
						uncertain: answer.uncertain,
					};
				},
				describe(input, resultOf, batches) {
					const { present, detail } = resultOf(input.email)!;
					const lost = batches.some((batch) => batch.uncertain);
					const known = { policyId: input.policyId, email: input.email };
					if (detail) return { ...known, status: 'removed', ...Object.fromEntries(REVOKE_COUNTS.map((key) => [key, detail[key] ?? null])), firstAnswerLost: lost };
					if (present) {
						return { ...known, status: 'stillInPolicy', ...unknownCounts(), firstAnswerLost: lost, reason: 'The service answered the remove but still lists this e-mail in the policy.' };
					}
					return {
						...known,
						status: lost ? 'absent' : 'notInPolicy',
						...unknownCounts(),
						firstAnswerLost: lost,
						reason: lost
							? 'The policy no longer holds this e-mail, but the answer to the first remove request was lost: whether this run removed it, and how many sign-ins that revoked, is not known.'
							: 'The policy no longer held this e-mail when the remove arrived (someone else removed it after the add); this run removed nothing.',
					};
				},
			});
		} catch (error) {
			const nodeError = asNodeError(node, error);
			const done = [...policies.values()].map((plan) => `policy ${plan.policyId}: ${addsText(reports(plan))}`).join('; ');
			noteProgress(nodeError, `Sync stopped while removing e-mails, after the adds (${done}).`, 'Run it again: the next run removes what is still to go.');
			throw nodeError;
		}
		removed.forEach((outcome, index) => {
			const known = { ...removals[index].input };
			// A policy with a failed remove has no answer that shows it after all its removes.
			if ('error' in outcome) afterRemoves.delete(known.policyId);
			extras.push('error' in outcome ? { ...outcome, json: { ...known, ...outcome.json }, extra: true } : { ...outcome, extra: true });
		});
		return [...stateAfter(outcomes, afterRemoves, withList), ...extras];
	},
};

/** Reads each policy, one after another (a remove of an address it does not hold), and plans the sync from what they hold. */
async function planFromRead(this: IExecuteFunctions, settings: Settings, policies: PolicyPlan[], held: string[]): Promise<EmailSyncPlan> {
	const reads: PolicyRead[] = [];
	for (const policy of policies) {
		const answer = await policyRequest(
			this,
			{ method: 'DELETE', what: 'the policy e-mails', details: 'removedEmails' },
			policy.policyId,
			{ emails: [READ_ADDRESS], revokeUserEngagement: false },
			policy.firstItem,
		);
		reads.push({ policyId: policy.policyId, firstItem: policy.firstItem, items: policy.items, policyEmails: answer.policyEmails });
	}
	const { url: contextUrl } = await targetOf(this, policies[0].firstItem);
	return planEmailSync({ ...settings, contextUrl, policies: reads, held });
}

/** Preview: one item per input item, one per e-mail to remove and per wildcard kept, and the plan item, paired with the first item. */
function previewOutcomes(plan: EmailSyncPlan, firstItem: number): BatchOutcome[] {
	const extra = (itemIndex: number, json: IDataObject): BatchOutcome => ({ itemIndex, json, extra: true });
	return [
		...plan.items,
		...plan.policies.flatMap((policy) => [
			...policy.removes.map((email) => extra(policy.firstItem, { policyId: policy.policyId, email, status: 'remove' })),
			...policy.kept.map(({ email, covers }) => extra(policy.firstItem, { policyId: policy.policyId, email, status: 'kept', reason: keptReason(covers) })),
		]),
		extra(firstItem, { ...plan.summary }),
	];
}

function keptReason(covers: string[]): string {
	return `In Scope and named by no item, but it may be what lets in ${countOf(covers)} of the input, which the policy does not hold as themselves: removing it could end their access. To replace it by the addresses, remove it with Remove E-Mails and run Sync again.`;
}

/**
 * The items' policyEmails / policyEmailCount as the policy stands after the run: the latest
 * remove answer where every remove of the policy was answered, else the adds' answer (nothing was
 * removed, or a remove failed, which its extra item says); `policyEmailsAfter` names which.
 */
function stateAfter(items: BatchOutcome[], latestRemove: Map<string, string[]>, withList: boolean): BatchOutcome[] {
	return items.map((outcome) => {
		if (outcome.json?.policyEmailCount === undefined) return outcome;
		const list = latestRemove.get(String(outcome.json.policyId));
		if (!list) return { ...outcome, json: { ...outcome.json, policyEmailsAfter: 'adds' } };
		const json: IDataObject = { ...outcome.json, policyEmailCount: list.length, policyEmailsAfter: 'removes' };
		if (withList) json.policyEmails = list;
		return { ...outcome, json };
	});
}
