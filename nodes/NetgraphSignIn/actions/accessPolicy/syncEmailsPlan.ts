/**
 * The remove plan of Access Policy Sync E-Mails for one policy: pure, no I/O. The adds are the
 * only read the API offers, so the plan starts from what their answers say the policy holds.
 */
import { baseDomainOf, isEmailWildcard, matchesDomain } from '../../validation/rules';

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
