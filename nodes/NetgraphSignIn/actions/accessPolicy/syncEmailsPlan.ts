/**
 * The remove plan of Access Policy Sync E-Mails for one policy: pure, no I/O. The adds are the
 * only read the API offers, so the plan starts from what their answers say the policy holds.
 */
import type { IDataObject } from 'n8n-workflow';

import { baseDomainOf, isEmailWildcard, matchesDomain } from '../../validation/rules';
import { planDigest, planSummaryText, sortedBy, type PlanIdentity, type SummaryChange } from '../plan';
import { valveVerdict, type ValveVerdict } from '../sync';
import type { Prepared } from '../types';
import type { PolicyEmails } from './shared';

export type EmailScope = { kind: 'addresses' } | { kind: 'all' } | { kind: 'domain'; domain: string };

export function inEmailScope(scope: EmailScope, email: string): boolean {
	if (scope.kind === 'all') return true;
	if (scope.kind === 'domain') return matchesDomain(email, scope.domain);
	return !isEmailWildcard(email);
}

export interface PolicyRemovePlan {
	/** In Scope, held by the policy, named by no item: to be removed. */
	removes: string[];
	/** Wildcards in Scope named by no item that may be what lets in input e-mails the policy does not hold as themselves. */
	kept: Array<{ email: string; covers: string[] }>;
	/** In-scope e-mails the policy held before the run, as far as the answers tell: the valve's base. */
	ownedBefore: number;
}

export function planPolicyRemoves(options: {
	scope: EmailScope;
	/** What the adds' latest answer says the policy holds. */
	policyEmails: string[];
	/** Lower-cased e-mails the items name, and those that invalid items name readably. */
	desired: Set<string>;
	/** Lower-cased e-mails this run may have added: taken without a warning, or present after a lost answer. */
	mayHaveAdded: Set<string>;
}): PolicyRemovePlan {
	const { scope, policyEmails, desired, mayHaveAdded } = options;
	const holds = new Set(policyEmails.map((email) => email.toLowerCase()));
	const heldOnlyThroughOthers = [...desired].filter((email) => !holds.has(email));
	const owned = policyEmails.filter((email) => inEmailScope(scope, email));
	const removes: string[] = [];
	const kept: PolicyRemovePlan['kept'] = [];
	for (const email of owned) {
		if (desired.has(email.toLowerCase())) continue;
		const covers = isEmailWildcard(email) ? heldOnlyThroughOthers.filter((other) => matchesDomain(other, baseDomainOf(email))) : [];
		if (covers.length === 0) removes.push(email);
		else kept.push({ email, covers });
	}
	return { removes, kept, ownedBefore: owned.filter((email) => !mayHaveAdded.has(email.toLowerCase())).length };
}

/**
 * What Sync E-Mails asks a policy to remove so that it answers with its e-mails: the API has no
 * read, and removes nothing for an e-mail the policy does not hold. An address at `.invalid`, a
 * top-level domain reserved never to exist (RFC 2606), so no guest signs in with it.
 */
export const READ_ADDRESS = 'n8n-sync-read@policy.invalid';

/** One policy of a Context's sync as read: the items for it and what it holds. */
export interface PolicyRead {
	policyId: string;
	firstItem: number;
	items: Array<Prepared<PolicyEmails>>;
	policyEmails: string[];
}

export interface PolicyChanges {
	policyId: string;
	firstItem: number;
	/** The input's e-mails the policy does not hold as themselves, once each, in input order. */
	adds: string[];
	removes: string[];
	kept: PolicyRemovePlan['kept'];
	ownedBefore: number;
	verdict: ValveVerdict;
}

export interface EmailSyncPlan {
	policies: PolicyChanges[];
	/** One output item per input item: what it would add, what the policy already holds. */
	items: Array<{ itemIndex: number; json: IDataObject }>;
	summary: IDataObject & PlanIdentity;
}

export interface EmailSyncPlanInput {
	scope: EmailScope;
	revokeUserEngagement: boolean;
	maxShare: number;
	/** The Sign-In Context's address, which the planId covers. */
	contextUrl: string;
	policies: PolicyRead[];
	/** Lower-cased e-mails that invalid items name readably: never removed. */
	held: string[];
}

/**
 * Sync E-Mails' plan from the policies as read, before any change: the adds (what the policy does
 * not hold as itself), the removes and kept wildcards as after those adds (`planPolicyRemoves`
 * from the read, so a wildcard that covers an e-mail not yet held as itself is kept), each
 * policy's valve, the counts, the planId and the summary.
 */
export function planEmailSync(input: EmailSyncPlanInput): EmailSyncPlan {
	const items: EmailSyncPlan['items'] = [];
	const policies = input.policies.map((read): PolicyChanges => {
		const holds = new Set(read.policyEmails.map((email) => email.toLowerCase()));
		const adds = [...new Set(read.items.flatMap((item) => item.input.emails))].filter((email) => !holds.has(email));
		for (const item of read.items) {
			const addEmails = item.input.emails.filter((email) => !holds.has(email));
			items.push({
				itemIndex: item.itemIndex,
				json: {
					policyId: read.policyId,
					requestedEmails: item.input.emails,
					addEmails,
					presentEmails: item.input.emails.filter((email) => holds.has(email)),
					status: addEmails.length ? 'add' : 'unchanged',
				},
			});
		}
		const removePlan = planPolicyRemoves({
			scope: input.scope,
			policyEmails: read.policyEmails,
			desired: new Set([...read.items.flatMap((item) => item.input.emails), ...input.held]),
			mayHaveAdded: new Set(),
		});
		const verdict = valveVerdict({
			maxShare: input.maxShare,
			taking: removePlan.removes.length,
			owned: removePlan.ownedBefore,
			verb: 'Remove',
			what: `e-mails in Scope that policy ${read.policyId} holds`,
			untouched: 'Apply would send the adds and no remove',
			plan: `No item names ${removePlan.removes.length === 1 ? 'one of them' : `${removePlan.removes.length} of them`}.`,
		});
		return { policyId: read.policyId, firstItem: read.firstItem, adds, ...removePlan, verdict };
	});
	const sum = (count: (policy: PolicyChanges) => number) => policies.reduce((total, policy) => total + count(policy), 0);
	const held = policies.find((policy) => !policy.verdict.allowed);
	const adds = policies.flatMap((policy) => policy.adds);
	const removes = policies.flatMap((policy) => policy.removes);
	const where = (policy: PolicyChanges) => (policies.length > 1 ? ` (policy ${policy.policyId})` : '');
	const changes: SummaryChange[] = sortedBy(policies, (policy) => policy.policyId).flatMap((policy) => [
		...[...policy.removes].sort().map((email) => ({ destructive: true, text: `remove ${email}${where(policy)}` })),
		...[...policy.adds].sort().map((email) => ({ destructive: false, text: `add ${email}${where(policy)}` })),
	]);
	const kept = sum((policy) => policy.kept.length);
	const counts = `Sync E-Mails: ${adds.length} to add, ${removes.length} to remove, ${kept} kept, in ${policies.length} ${policies.length === 1 ? 'policy' : 'policies'}`;
	return {
		policies,
		items,
		summary: {
			status: 'plan',
			policies: policies.length,
			adds: adds.length,
			removes: removes.length,
			kept,
			unchanged: items.filter((item) => item.json.status === 'unchanged').length,
			inScope: sum((policy) => policy.ownedBefore),
			maxShare: input.maxShare,
			removeShare: Math.max(0, ...policies.map((policy) => policy.verdict.share)),
			applyAllowed: !held,
			reason: held && !held.verdict.allowed ? held.verdict.message : null,
			planId: planDigest({
				sync: 'accessPolicyEmails',
				context: input.contextUrl,
				scope: input.scope,
				revokeUserEngagement: input.revokeUserEngagement,
				policies: sortedBy(policies, (policy) => policy.policyId).map((policy) => ({
					policyId: policy.policyId,
					adds: [...policy.adds].sort(),
					removes: [...policy.removes].sort(),
					kept: policy.kept.map((entry) => entry.email).sort(),
					state: [...(input.policies.find((read) => read.policyId === policy.policyId)?.policyEmails ?? [])].sort(),
				})),
			}),
			summary: planSummaryText(counts, changes),
		},
	};
}
