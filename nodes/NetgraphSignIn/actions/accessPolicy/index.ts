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
				name: 'Add E-Mails',
				value: 'addEmails',
				description: 'Allow e-mail addresses or patterns in an access policy',
				action: 'Add e-mails to an access policy',
			},
			{
				name: 'Remove E-Mails',
				value: 'removeEmails',
				description: 'Remove e-mail addresses or patterns from an access policy',
				action: 'Remove e-mails from an access policy',
			},
		],
		default: 'addEmails',
	},
	...addEmails.description,
	...removeEmails.description,
];
