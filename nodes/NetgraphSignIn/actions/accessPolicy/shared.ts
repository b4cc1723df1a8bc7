import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { normalizeEmailList, normalizeUuid } from '../../validation/rules';
import { readParameter } from '../params';

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
			displayName: 'E-Mails',
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
		emails: readParameter(this, itemIndex, 'emails', 'E-Mails', normalizeEmailList),
	};
}

export function policyPath(policyId: string): string {
	return `/policies/${encodeURIComponent(policyId)}/emails`;
}

export function stringList(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}
