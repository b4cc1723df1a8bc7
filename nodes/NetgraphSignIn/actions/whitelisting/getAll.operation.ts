import type { INodeProperties } from 'n8n-workflow';

import { normalizeLimit, normalizeMac, requireText } from '../../validation/rules';
import { readParameter } from '../params';
import type { Operation } from '../types';
import { listActive, tagValues } from './shared';

const show = { resource: ['whitelisting'], operation: ['getAll'] };

const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'MAC Address',
				name: 'mac',
				type: 'string',
				default: '',
				placeholder: 'e.g. AA:BB:CC:DD:EE:FF',
				description: 'Only the entry with this MAC address (any common spelling)',
			},
			{
				displayName: 'Name Contains',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. printer',
				description: 'Only entries whose name contains this text, ignoring case',
			},
			{
				displayName: 'Tag',
				name: 'tag',
				type: 'string',
				default: '',
				placeholder: 'e.g. floor-3',
				description: 'Only entries carrying this tag, ignoring case',
			},
		],
	},
];

function sameMac(value: unknown, mac: string): boolean {
	try {
		return normalizeMac(value) === mac;
	} catch {
		return false;
	}
}

export interface ListInput {
	limit?: number;
	mac?: string;
	name?: string;
	tag?: string;
}

export const getAll: Operation<ListInput> = {
	option: { name: 'Get Many', value: 'getAll', description: 'List the active whitelist entries', action: 'Get many whitelisted devices' },
	description,
	prepare(itemIndex) {
		const none = { whenEmpty: () => undefined };
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		return {
			limit: returnAll ? undefined : readParameter(this, itemIndex, 'limit', 'Limit', normalizeLimit),
			mac: readParameter(this, itemIndex, 'filters.mac', 'MAC Address filter', normalizeMac, none),
			name: readParameter(this, itemIndex, 'filters.name', 'Name Contains filter', requireText, none),
			tag: readParameter(this, itemIndex, 'filters.tag', 'Tag filter', requireText, none),
		};
	},
	async send(input, itemIndex) {
		const name = input.name?.trim().toLowerCase();
		const tag = input.tag?.trim().toLowerCase();
		// With a Limit, pages are read only until enough entries match. More entries than the
		// answer's total are fine here (they left the list while it was read, and Get Many changes
		// nothing); fewer are an error, as everywhere.
		return await listActive.call(this, itemIndex, {
			filter: (entry) =>
				(input.mac === undefined || sameMac(entry.mac, input.mac)) &&
				(name === undefined || String(entry.name ?? '').toLowerCase().includes(name)) &&
				(tag === undefined || tagValues(entry.tags).some((value) => value.toLowerCase() === tag)),
			limit: input.limit,
			allowSurplus: true,
		});
	},
};
