import type { INodeProperties } from 'n8n-workflow';

import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../transport';
import { normalizeMacList } from '../../validation/rules';
import { readParameter } from '../params';
import { MAC_ADDRESSES, limitToolCall } from '../toolPolicy';
import type { Operation } from '../types';
import { answeredEntries, batchSizeOption, sendInBatches } from '../batching';
import { countsOf, listActive, macSet, revokeBatch, type RevokeCounts } from './shared';

const description: INodeProperties[] = [
	{
		displayName: 'MAC Addresses',
		name: 'macs',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. AA:BB:CC:00:00:01',
		description:
			'MAC address to remove from the whitelist, or several separated by commas or new lines, or an array in an expression. Active sessions of these devices end. All input items are sent together in batches.',
		displayOptions: { show: { resource: ['whitelisting'], operation: ['revokeMany'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { resource: ['whitelisting'], operation: ['revokeMany'] } },
		options: [
			batchSizeOption(),
			{
				displayName: 'Check Whitelist First',
				name: 'checkWhitelistFirst',
				type: 'boolean',
				default: true,
				description:
					'Whether to read the active whitelist once before the first request, so that each MAC is reported as revoked (it was whitelisted) or notWhitelisted. The API itself answers with counts only: when off, one request fewer, and each MAC is reported as requested.',
			},
		],
	},
];

export interface RevokeInput {
	macs: string[];
}

type MacStatus = 'revoked' | 'notWhitelisted' | 'requested';

/** The item's status from its answered MACs': all alike, or `mixed`; none when none was answered. */
function itemStatus(statuses: MacStatus[]): string | null {
	if (statuses.length === 0) return null;
	return statuses.every((status) => status === statuses[0]) ? statuses[0] : 'mixed';
}

export const revokeMany: Operation<RevokeInput> = {
	option: { name: 'Revoke Many', value: 'revokeMany', description: 'Remove devices from the whitelist by MAC address and end their sessions', action: 'Revoke whitelisted devices by MAC address' },
	description,
	prepare(itemIndex) {
		const macs = readParameter(this, itemIndex, 'macs', 'MAC Addresses', normalizeMacList);
		limitToolCall(this, itemIndex, macs.length, 'revoke', MAC_ADDRESSES);
		return { macs };
	},
	async sendBatch(prepared, continueOnFail) {
		const firstItem = prepared[0].itemIndex;
		let whitelisted: Set<string> | undefined;
		if (this.getNodeParameter('options.checkWhitelistFirst', firstItem, true) as boolean) {
			try {
				whitelisted = macSet(await listActive.call(this, firstItem));
			} catch (cause) {
				const error = new NodeOperationError(this.getNode(), asNodeError(this.getNode(), cause), {
					description: `${(cause as { description?: string }).description ?? ''} Nothing was revoked: the active whitelist is read first to tell which MAC addresses were whitelisted. Turn off Check Whitelist First to revoke without it.`.trim(),
					itemIndex: firstItem,
				});
				if (!continueOnFail) throw error;
				return prepared.map((item) => ({ itemIndex: item.itemIndex, error }));
			}
		}
		return await sendInBatches<RevokeInput, string, MacStatus, RevokeCounts>(this, prepared, continueOnFail, {
			entries: (input) => input.macs,
			entryKey: (mac) => mac,
			entryField: 'mac',
			noun: { one: 'MAC address', many: 'MAC addresses' },
			async send(macs, _input, itemIndex) {
				const answer = await revokeBatch.call(this, macs, itemIndex);
				return {
					// The answer only counts; whether each MAC was whitelisted comes from the list read first.
					results: macs.map((mac) => (whitelisted ? (whitelisted.has(mac) ? 'revoked' : 'notWhitelisted') : 'requested')),
					summary: answer.counts,
					uncertain: answer.uncertain,
				};
			},
			describe(input, statusOf, batches) {
				const { answered: known, results: statuses } = answeredEntries(input.macs, statusOf);
				const withStatus = (wanted: MacStatus) => (whitelisted ? known.filter((_mac, index) => statuses[index] === wanted) : null);
				return {
					macs: input.macs,
					status: itemStatus(statuses),
					revokedMacs: withStatus('revoked'),
					notWhitelistedMacs: withStatus('notWhitelisted'),
					batch: countsOf(batches),
					firstAnswerLost: batches.some((batch) => batch.uncertain),
				};
			},
		});
	},
};
