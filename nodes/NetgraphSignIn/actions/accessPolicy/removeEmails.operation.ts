import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { expectJsonObject, signInApiRequest } from '../../transport';
import type { Operation } from '../types';
import { policyFields, policyPath, readPolicyEmails, stringList, type PolicyEmails } from './shared';

const description: INodeProperties[] = [
	...policyFields(
		'removeEmails',
		'Addresses or patterns to remove, exactly as they are in the policy. Separate them with commas or new lines, or give an array in an expression. Entries not in the policy are ignored.',
	),
	{
		displayName: 'Revoke Active Sign-Ins',
		name: 'revokeUserEngagement',
		type: 'boolean',
		default: true,
		description:
			'Whether to also end the active sign-ins made with the removed e-mails; when off, current sessions continue and only future sign-ins are blocked',
		displayOptions: { show: { resource: ['accessPolicy'], operation: ['removeEmails'] } },
	},
];

interface RemoveInput extends PolicyEmails {
	revokeUserEngagement: boolean;
}

export const removeEmails: Operation<RemoveInput> = {
	description,
	prepare(itemIndex) {
		return {
			...readPolicyEmails.call(this, itemIndex),
			revokeUserEngagement: this.getNodeParameter('revokeUserEngagement', itemIndex, true) as boolean,
		};
	},
	async send(input, itemIndex) {
		const response = await signInApiRequest.call(this, {
			method: 'DELETE',
			path: policyPath(input.policyId),
			body: { emails: input.emails, revokeUserEngagement: input.revokeUserEngagement },
			family: 'accessPolicy',
			itemIndex,
		});
		const body = expectJsonObject.call(this, response, itemIndex, 'the policy e-mails and removed e-mails');
		const removed = Array.isArray(body.removedEmails) ? (body.removedEmails as IDataObject[]) : [];
		const removedSet = new Set(removed.map((entry) => String(entry.email ?? '').toLowerCase()));
		return {
			policyId: input.policyId,
			requestedEmails: input.emails,
			removedEmails: removed,
			notInPolicy: input.emails.filter((email) => !removedSet.has(email)),
			revokeUserEngagement: input.revokeUserEngagement,
			policyEmails: stringList(body.policyEmails),
		};
	},
};
