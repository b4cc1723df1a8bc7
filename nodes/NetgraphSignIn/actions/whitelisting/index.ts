import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { create } from './create.operation';
import { createMany } from './createMany.operation';
import { getAll } from './getAll.operation';
import { revokeMany } from './revokeMany.operation';
import { update } from './update.operation';

export const whitelistingOperations: Record<string, Operation<unknown>> = {
	create,
	createMany,
	getAll,
	revokeMany,
	update,
};

export const whitelistingDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['whitelisting'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Whitelist one device by MAC address so it skips the captive portal',
				action: 'Create a whitelisting',
			},
			{
				name: 'Create Many',
				value: 'createMany',
				description: 'Whitelist many devices at once, one per input item',
				action: 'Create many whitelistings',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the active whitelist entries',
				action: 'Get many whitelistings',
			},
			{
				name: 'Revoke Many',
				value: 'revokeMany',
				description: 'Remove devices from the whitelist by MAC address and end their sessions',
				action: 'Revoke many whitelistings',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Replace a whitelist entry, selected by its ID',
				action: 'Update a whitelisting',
			},
		],
		default: 'create',
	},
	...create.description,
	...createMany.description,
	...getAll.description,
	...revokeMany.description,
	...update.description,
];
