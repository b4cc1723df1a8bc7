import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { asNodeError, expectJsonObject, signInApiRequest } from '../../transport';
import { normalizeMacList } from '../../validation/rules';
import { readParameter } from '../params';
import type { BatchOutcome, Operation } from '../types';
import { batchSizeOption, chunk, readBatchSize } from '../batching';

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
		options: [batchSizeOption()],
	},
];

interface RevokeInput {
	macs: string[];
}

export const revokeMany: Operation<RevokeInput> = {
	description,
	prepare(itemIndex) {
		return { macs: readParameter(this, itemIndex, 'macs', 'MAC Addresses', normalizeMacList) };
	},
	async sendBatch(prepared, continueOnFail) {
		const outcomes: BatchOutcome[] = [];
		const size = readBatchSize.call(this, prepared[0].itemIndex);
		for (const group of chunk(prepared, size, (item) => item.input.macs.length)) {
			const itemIndex = group[0].itemIndex;
			const macs = [...new Set(group.flatMap((item) => item.input.macs))];
			try {
				const response = await signInApiRequest.call(this, {
					method: 'POST',
					path: '/modules/whitelistings/batch/remove',
					body: { macs: macs.map((mac) => ({ mac })) },
					itemIndex,
				});
				const body = expectJsonObject.call(this, response, itemIndex, 'the revoke counts');
				const batch = {
					nrOfWhitelistingsInRevokeRequest: body.nrOfWhitelistingsInRevokeRequest ?? null,
					nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked:
						body.nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked ?? null,
				};
				for (const item of group) {
					const json: IDataObject = { macs: item.input.macs, status: 'revoked', batch };
					if (response.uncertain) json.firstAnswerLost = true;
					outcomes.push({ itemIndex: item.itemIndex, json });
				}
			} catch (error) {
				if (!continueOnFail) throw asNodeError(this.getNode(), error);
				for (const item of group) outcomes.push({ itemIndex: item.itemIndex, error: error as Error });
			}
		}
		return outcomes;
	},
};
