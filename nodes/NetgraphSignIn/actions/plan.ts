/**
 * What both syncs share about a plan's identity and its approval: the `planId` digest, the
 * `summary` a person reads before approving, and the check that Apply carries out only the
 * plan a person approved.
 */
import { createHash } from 'crypto';
import type { IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { RuleViolation, splitList } from '../validation/rules';
import { readParameter } from './params';

/** JSON with every object's keys in sorted order, so that the same data gives the same text however it was built. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map((element) => canonicalJson(element ?? null)).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, field]) => field !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
	}
	return JSON.stringify(value ?? null);
}

/** The plan's identity: SHA-256 (hex) of its canonical JSON. Callers sort their lists, so no item or answer order shows. */
export function planDigest(content: unknown): string {
	return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** Sorts by the text of each element's key: lists of changes and entries in one order whatever the input's. */
export function sortedBy<T>(list: T[], key: (element: T) => string): T[] {
	return [...list].sort((a, b) => {
		const [ka, kb] = [key(a), key(b)];
		return ka < kb ? -1 : ka > kb ? 1 : 0;
	});
}

/** How many changes the summary names before "and N more". */
export const SUMMARY_CHANGES = 5;

/** One planned change as the summary names it; destructive ones come first. */
export interface SummaryChange {
	destructive: boolean;
	text: string;
}

/** `counts: change; change; and N more`: the counts, then the destructive changes first, cut after SUMMARY_CHANGES. */
export function planSummaryText(counts: string, changes: SummaryChange[]): string {
	if (changes.length === 0) return `${counts}: nothing to change`;
	const ordered = [...changes.filter((change) => change.destructive), ...changes.filter((change) => !change.destructive)];
	const shown = ordered.slice(0, SUMMARY_CHANGES).map((change) => change.text);
	const more = ordered.length > SUMMARY_CHANGES ? `; and ${ordered.length - SUMMARY_CHANGES} more` : '';
	return `${counts}: ${shown.join('; ')}${more}`;
}

const PLAN_ID = /^[0-9a-f]{64}$/;

/** The planIds of the Approved Plan ID option: separated by commas, spaces or new lines, each 64 hex digits. */
export function normalizeApprovedPlanIds(value: unknown): string[] {
	const ids = splitList(value).map((id) => String(id).toLowerCase());
	const bad = ids.find((id) => !PLAN_ID.test(id));
	if (bad !== undefined) throw new RuleViolation("must be the planId of a Preview's plan item (64 hex digits), several separated by commas", bad);
	return ids;
}

export const approvedPlanIdOption: INodeProperties = {
	displayName: 'Approved Plan ID',
	name: 'approvedPlanId',
	type: 'string',
	default: '',
	placeholder: "e.g. {{ $('Preview').last().json.planId }}",
	description:
		"The planId of a Preview's plan item that a person approved. Apply then reads again and changes only if its plan has this ID, even above the Max Share; any change in between refuses it and sends nothing. Several Contexts: their planIds, separated by commas. Ignored in Preview.",
};

/** The Approved Plan IDs of Apply; undefined when the option is empty (Apply plans anew under the valve). */
export function readApprovedPlanIds(this: IExecuteFunctions, itemIndex: number): string[] | undefined {
	const ids = readParameter(this, itemIndex, 'options.approvedPlanId', 'Approved Plan ID', normalizeApprovedPlanIds, { whenEmpty: () => [] });
	return ids.length ? ids : undefined;
}

/** The identity and the person's text of a plan, as its plan item carries them. */
export interface PlanIdentity {
	planId: string;
	summary: string;
}

/**
 * The refusal of an Apply whose plan is not the approved one: the state or the input changed
 * since the Preview a person approved. Only the IDs of approved plans reach Apply, so it says
 * what the plan is now; a person reviews that again.
 */
export function stalePlanError(node: INode, itemIndex: number, plan: PlanIdentity, approved: string[]): NodeOperationError {
	const message =
		`Sync did not apply: its plan now has planId ${plan.planId}, not the approved ${approved.join(', ')}; nothing was changed. ` +
		`The plan now: ${plan.summary}. Review it again: run Sync in Preview and approve its planId`;
	return new NodeOperationError(node, message, {
		itemIndex,
		description:
			'Between the Preview a person approved and this Apply, the state or what Sync was given changed (an entry added, removed or edited by someone else, another input, another option or Context), so this is not the plan that was approved.',
	});
}
