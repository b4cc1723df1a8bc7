import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { create } from './create.operation';
import { deleteUser } from './delete.operation';
import { update } from './update.operation';
import { upsert } from './upsert.operation';

export const userOperations: Record<string, Operation<unknown>> = {
	create,
	delete: deleteUser,
	update,
	upsert,
};

export const userDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a Wi-Fi account with a username and password',
				action: 'Create a user',
			},
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
				action: 'Create or update a user',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a Wi-Fi account and end its active sessions',
				action: 'Delete a user',
			},
			{
				name: 'Update',
				value: 'update',
				description: "Replace a Wi-Fi account's password",
				action: 'Update a user password',
			},
		],
		default: 'create',
	},
	...create.description,
	...update.description,
	...upsert.description,
	...deleteUser.description,
];
