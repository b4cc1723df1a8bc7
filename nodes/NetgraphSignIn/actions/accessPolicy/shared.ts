import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { asNodeError, expectJsonObject, signInApiRequest } from '../../transport';
import { normalizeEmailList, normalizeUuid } from '../../validation/rules';
import { readParameter } from '../params';
import type { BatchOutcome, Prepared } from '../types';
import { batchSizeOption, chunk, readBatchSize } from '../batching';

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

export function policyOptions(operation: string): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { resource: ['accessPolicy'], operation: [operation] } },
		options: [
			{
				...batchSizeOption(),
				description:
					'How many e-mails go into one request. Items for the same policy are sent together; the API documents no limit.',
			},
			{
				displayName: 'Policy Emails in Output',
				name: 'policyEmailsOutput',
				type: 'options',
				default: 'auto',
				options: [
					{
						name: 'Auto',
						value: 'auto',
						description: `The full list when the run has at most ${POLICY_LIST_ITEM_LIMIT} items, otherwise only the count`,
					},
					{ name: 'Always', value: 'always', description: 'The full list on every output item' },
					{ name: 'Count Only', value: 'never', description: 'Only policyEmailCount' },
				],
				description:
					"Whether each output item carries the policy's complete e-mail list after the change. Every item would repeat the same list, so large runs get the count only unless you choose otherwise.",
			},
		],
	};
}

export const POLICY_LIST_ITEM_LIMIT = 100;

/** Whether output items carry the full `policyEmails` list, or only `policyEmailCount`. */
export function includePolicyList(context: IExecuteFunctions, itemCount: number, itemIndex: number): boolean {
	const choice = context.getNodeParameter('options.policyEmailsOutput', itemIndex, 'auto') as string;
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

/**
 * Gathers the e-mails of all items that target the same policy (and share `groupKey`), sends
 * them in batches of Batch Size, and lets `describe` turn each batch's answer into every item's
 * own output. A failed batch fails its items only.
 */
export async function sendPolicyBatches<Input extends PolicyEmails>(
	context: IExecuteFunctions,
	prepared: Array<Prepared<Input>>,
	continueOnFail: boolean,
	options: {
		method: 'POST' | 'DELETE';
		groupKey: (input: Input) => string;
		body: (emails: string[], input: Input) => IDataObject;
		what: string;
		/** Reads a batch's answer once, then describes each item from it. */
		describe: (answer: IDataObject) => (input: Input) => IDataObject;
	},
): Promise<BatchOutcome[]> {
	const withList = includePolicyList(context, context.getInputData().length, prepared[0].itemIndex);
	const groups = new Map<string, Array<Prepared<Input>>>();
	for (const item of prepared) {
		const key = `${item.input.policyId}|${options.groupKey(item.input)}`;
		groups.set(key, [...(groups.get(key) ?? []), item]);
	}
	const size = readBatchSize.call(context, prepared[0].itemIndex);
	const outcomes: BatchOutcome[] = [];
	for (const group of groups.values()) {
		for (const batch of chunk(group, size, (item) => item.input.emails.length)) {
			const first = batch[0];
			const emails = [...new Set(batch.flatMap((item) => item.input.emails))];
			try {
				const response = await signInApiRequest.call(context, {
					method: options.method,
					path: policyPath(first.input.policyId),
					body: options.body(emails, first.input),
					itemIndex: first.itemIndex,
				});
				const answer = expectJsonObject.call(context, response, first.itemIndex, options.what);
				const describe = options.describe(answer);
				const policyEmails = stringList(answer.policyEmails);
				for (const item of batch) {
					const json = describe(item.input);
					json.policyEmailCount = policyEmails.length;
					if (withList) json.policyEmails = policyEmails;
					if (response.uncertain) json.firstAnswerLost = true;
					outcomes.push({ itemIndex: item.itemIndex, json });
				}
			} catch (error) {
				if (!continueOnFail) throw asNodeError(context.getNode(), error);
				for (const item of batch) outcomes.push({ itemIndex: item.itemIndex, error: error as Error });
			}
		}
	}
	return outcomes;
}
