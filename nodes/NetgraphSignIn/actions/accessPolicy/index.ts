import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { addEmails } from './addEmails.operation';
import { removeEmails } from './removeEmails.operation';

export const accessPolicyOperations: Record<string, Operation<unknown>> = {
	addEmails,
	removeEmails,
};

export const accessPolicyDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['accessPolicy'] } },
		options: [
			{
				name: 'Add Emails',
				value: 'addEmails',
				description: 'Allow e-mail addresses or patterns in an access policy',
				action: 'Add emails to an access policy',
			},
			{
				name: 'Remove Emails',
				value: 'removeEmails',
				description: 'Remove e-mail addresses or patterns from an access policy',
				action: 'Remove emails from an access policy',
			},
		],
		default: 'addEmails',
	},
	...addEmails.description,
	...removeEmails.description,
];
