import type { INodeProperties } from 'n8n-workflow';

import { signInApiRequest } from '../../transport';
import type { Operation } from '../types';
import { withStoredEntry } from './create.operation';
import { macField, nameField, readUpdatedEntry, updateOptionalFields, type Entry } from './shared';

const description: INodeProperties[] = [
	{
		displayName:
			'Update replaces the whole entry: a Description, Valid Until or Tags left empty is cleared, and Tags replace every existing tag',
		name: 'replaceNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['whitelisting'], operation: ['update'] } },
	},
	{
		displayName: 'Whitelisting',
		name: 'id',
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description: 'The entry to update: pick it from the active entries, or give its UUID as output by Create, Create Many or Get Many',
		displayOptions: { show: { resource: ['whitelisting'], operation: ['update'] } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchActiveWhitelistings', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7f',
			},
		],
	},
	{ ...macField('update'), description: 'MAC address the entry should have (it can be changed)' },
	nameField('update'),
	updateOptionalFields('update'),
];

export const update: Operation<Entry> = {
	option: { name: 'Update', value: 'update', description: 'Replace a whitelist entry, selected by its ID', action: 'Update a whitelisted device by ID' },
	description,
	prepare: readUpdatedEntry,
	orderKey: (entry) => entry.id,
	async send(entry, itemIndex) {
		const response = await signInApiRequest.call(this, {
			method: 'PUT',
			path: '/modules/whitelistings',
			body: entry,
			itemIndex,
		});
		return withStoredEntry(entry, response.body);
	},
};
