import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { expectJsonObject, signInApiRequest } from '../../transport';
import { normalizeEmailList, normalizeUuid } from '../../validation/rules';
import { readParameter } from '../params';
import type { BatchOutcome, Prepared } from '../types';
import { answeredEntries, batchSizeOption, sendInBatches } from '../batching';

export function policyFields(operation: string, emailsDescription: string): INodeProperties[] {
	const show = { resource: ['accessPolicy'], operation: [operation] };
	return [
		{
			displayName: 'Access Policy ID',
			name: 'policyId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7f',
			description:
				'UUID of the access policy, shown in the Sign-In Context admin under Configuration > Access Policies',
			displayOptions: { show },
		},
		{
			displayName: 'Emails',
			name: 'emails',
			type: 'string',
			typeOptions: { rows: 4 },
			required: true,
			default: '',
			placeholder: 'e.g. alice@acme.com, *@acme.com, *@*.acme.com',
			description: emailsDescription,
			displayOptions: { show },
		},
	];
}

export interface PolicyEmails {
	policyId: string;
	emails: string[];
}

export function readPolicyEmails(this: IExecuteFunctions, itemIndex: number): PolicyEmails {
	return {
		policyId: readParameter(this, itemIndex, 'policyId', 'Access Policy ID', normalizeUuid),
		emails: readParameter(this, itemIndex, 'emails', 'Emails', normalizeEmailList),
	};
}

export function policyPath(policyId: string): string {
	return `/policies/${encodeURIComponent(policyId)}/emails`;
}

export function stringList(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

/** The Options of a policy operation; `extra` options join them in alphabetical order. */
export function policyOptions(operation: string, extra: INodeProperties[] = []): INodeProperties {
	// Add and Remove Emails nodes saved at version 1 send each item on its own (see `perItem`).
	const version1 = (text: string) => (operation === 'syncEmails' ? '' : `. A node saved at version 1 ${text} unless this is set`);
	const options: INodeProperties[] = [
		{
			...batchSizeOption(),
			description: `How many e-mails go into one request, at most. Items for the same policy are sent together; an item with more e-mails than this is sent in several requests and still gets one output item. The API documents no limit${version1('sends each item in a request of its own, all its e-mails in one,')}.`,
		},
		{
			displayName: 'Policy Emails in Output',
			name: 'policyEmailsOutput',
			type: 'options',
			default: 'auto',
			options: [
				{ name: 'Always', value: 'always', description: 'The full list on every output item' },
				{
					name: 'Auto',
					value: 'auto',
					description: `The full list when the run has at most ${POLICY_LIST_ITEM_LIMIT} items, otherwise only the count`,
				},
				{ name: 'Count Only', value: 'never', description: 'Only policyEmailCount' },
			],
			description: `Whether each output item carries the policy's complete e-mail list after the change. Every item would repeat the same list, so large runs get the count only unless you choose otherwise${version1('gives the list on every item')}.`,
		},
		...extra,
	];
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { resource: ['accessPolicy'], operation: [operation] } },
		options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export function revokeField(operation: string): INodeProperties {
	return {
		displayName: 'Revoke Active Sign-Ins',
		name: 'revokeUserEngagement',
		type: 'boolean',
		default: true,
		description:
			'Whether to also end the active sign-ins made with the removed e-mails; when off, current sessions continue and only future sign-ins are blocked',
		displayOptions: { show: { resource: ['accessPolicy'], operation: [operation] } },
	};
}

export const POLICY_LIST_ITEM_LIMIT = 100;

/** Whether output items carry the full `policyEmails` list, or only `policyEmailCount` (`unset`: the choice when not set). */
export function includePolicyList(execution: IExecuteFunctions, itemCount: number, itemIndex: number, unset = 'auto'): boolean {
	const choice = execution.getNodeParameter('options.policyEmailsOutput', itemIndex, unset) as string;
	return choice === 'always' || (choice === 'auto' && itemCount <= POLICY_LIST_ITEM_LIMIT);
}

/** The e-mails of an answer's list, keyed in lower case, so each item finds its own in one step. */
export function byEmail(entries: unknown): Map<string, IDataObject> {
	const map = new Map<string, IDataObject>();
	for (const entry of Array.isArray(entries) ? (entries as IDataObject[]) : []) {
		map.set(String(entry.email ?? '').toLowerCase(), entry);
	}
	return map;
}

/** What one answer says about one requested e-mail. */
export interface EmailResult<Detail> {
	/** Whether the policy holds the e-mail after the change, by the answer's `policyEmails`. */
	present: boolean;
	/** What the answer lists for it (its warning, its removal), if anything. */
	detail: Detail | undefined;
}

/** One request on a policy's e-mails, and what its answer says: the policy after it, and the details by e-mail. */
export async function policyRequest(
	execution: IExecuteFunctions,
	request: { method: 'POST' | 'DELETE'; what: string; details: string },
	policyId: string,
	body: IDataObject,
	itemIndex: number,
): Promise<{ policyEmails: string[]; details: Map<string, IDataObject>; uncertain: boolean }> {
	const response = await signInApiRequest.call(execution, { method: request.method, path: policyPath(policyId), body, itemIndex });
	const answer = expectJsonObject.call(execution, response, itemIndex, request.what);
	return { policyEmails: stringList(answer.policyEmails), details: byEmail(answer[request.details]), uncertain: response.uncertain };
}

export const ADDED_UNKNOWN =
	'The API does not say which accepted e-mails were new: it may ignore one already in the policy without a warning. acceptedEmails lists those it took without a warning.';

/** Add E-Mails for all prepared items: each item's output says what was added, what warned and what the policy holds. */
export async function sendAdds(
	execution: IExecuteFunctions,
	prepared: Array<Prepared<PolicyEmails>>,
	continueOnFail: boolean,
	{ onAnswer, perItem }: Pick<PolicyBatchOptions<PolicyEmails, IDataObject>, 'onAnswer' | 'perItem'> = {},
): Promise<BatchOutcome[]> {
	return await sendPolicyBatches<PolicyEmails, IDataObject>(execution, prepared, continueOnFail, {
		perItem,
		method: 'POST',
		groupKey: () => '',
		body: (emails) => ({ emails }),
		what: 'the policy e-mails and warnings',
		details: 'warnings',
		// The API may ignore an e-mail already in the policy without a warning (its docs say both),
		// so which accepted e-mails were new is never known. After a lost answer the retry warns
		// "already in policy" about what the first attempt added, so acceptance is unknown too;
		// what the policy holds is known either way.
		describe: (_input, warningOf, known, lost) => ({
			acceptedEmails: lost ? null : known.filter((email) => !warningOf(email)),
			addedEmails: null,
			addedEmailsUnknown: ADDED_UNKNOWN,
			warnings: lost ? null : known.flatMap((email) => warningOf(email) ?? []),
		}),
		onAnswer,
	});
}

interface PolicyBatchOptions<Input extends PolicyEmails, Detail> {
	method: 'POST' | 'DELETE';
	groupKey: (input: Input) => string;
	body: (emails: string[], input: Input) => IDataObject;
	what: string;
	/** The answer's list of per-e-mail details (`warnings`, `removedEmails`). */
	details: string;
	describe: (input: Input, detailOf: (email: string) => Detail | undefined, known: string[], lost: boolean) => IDataObject;
	/** Called with each answer's policy e-mails as the answers arrive, the latest last. */
	onAnswer?: (input: Input, policyEmails: string[]) => void;
	/**
	 * As a node saved at version 1 did: each item's e-mails in requests of their own, one policy's
	 * requests one after another, and unless set otherwise the policy's list on every output item
	 * and every e-mail of an item in one request.
	 */
	perItem?: boolean;
}

/** An answer's whole list as a set, made once per answer and only when answers are compared. */
const wholePolicies = new WeakMap<string[], Set<string>>();
function wholePolicy(policyEmails: string[]): Set<string> {
	let set = wholePolicies.get(policyEmails);
	if (!set) wholePolicies.set(policyEmails, (set = new Set(policyEmails.map((email) => email.toLowerCase()))));
	return set;
}

/**
 * Sends the e-mails of all items for the same policy (and `groupKey`) through the batch driver.
 * `describe` gives an item's own fields from the details of its answered e-mails; `lost` says
 * an earlier attempt may have been applied, so that lists which depend on it must be null. What
 * the policy holds afterwards is known either way, and every output says it.
 */
export async function sendPolicyBatches<Input extends PolicyEmails, Detail>(
	execution: IExecuteFunctions,
	prepared: Array<Prepared<Input>>,
	continueOnFail: boolean,
	options: PolicyBatchOptions<Input, Detail>,
): Promise<BatchOutcome[]> {
	const { perItem } = options;
	const withList = includePolicyList(execution, execution.getInputData().length, prepared[0].itemIndex, perItem ? 'always' : 'auto');
	return await sendInBatches<Input, string, EmailResult<Detail>, { policyEmails: string[] }>(execution, prepared, continueOnFail, {
		groupKey: (input, itemIndex) => `${perItem ? `${itemIndex}|` : ''}${input.policyId}|${options.groupKey(input)}`,
		...(perItem ? { orderKey: (input: Input) => input.policyId, unsetBatchSize: Number.MAX_SAFE_INTEGER } : {}),
		entries: (input) => input.emails,
		entryKey: (email) => email,
		entryField: 'email',
		noun: { one: 'e-mail', many: 'e-mails' },
		async send(emails, input, itemIndex) {
			const answer = await policyRequest(this, options, input.policyId, options.body(emails, input), itemIndex);
			// Which of the sent e-mails the policy holds, found in one pass over its list (which grows to
			// thousands) without a set of the whole list per request.
			const sent = new Set(emails);
			const inPolicy = new Set<string>();
			for (const email of answer.policyEmails) {
				const lowerCase = email.toLowerCase();
				if (sent.has(lowerCase)) inPolicy.add(lowerCase);
			}
			options.onAnswer?.(input, answer.policyEmails);
			return {
				results: emails.map((email) => ({ present: inPolicy.has(email), detail: answer.details.get(email) as Detail | undefined })),
				summary: { policyEmails: answer.policyEmails },
				uncertain: answer.uncertain,
			};
		},
		// The API does not say whether it applies changes to one policy made at the same time one
		// after another; if it does not, one request's list misses what another added or removed.
		disagrees: (email, own, summary) => own.present !== wholePolicy(summary.policyEmails).has(email),
		describe(input, resultOf, batches) {
			const lost = batches.some((batch) => batch.uncertain);
			const { answered: known, results } = answeredEntries(input.emails, resultOf);
			const json: IDataObject = {
				policyId: input.policyId,
				requestedEmails: input.emails,
				...options.describe(input, (email) => resultOf(email)?.detail, known, lost),
				presentEmails: known.filter((_email, index) => results[index].present),
				absentEmails: known.filter((_email, index) => !results[index].present),
				firstAnswerLost: lost,
			};
			const latest = batches[batches.length - 1];
			if (latest) {
				json.policyEmailCount = latest.summary.policyEmails.length;
				if (withList) json.policyEmails = latest.summary.policyEmails;
			}
			return json;
		},
	});
}
