import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { policyFields, policyOptions, readPolicyEmails, sendPolicyBatches, stringList, type PolicyEmails } from './shared';

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
	policyOptions('removeEmails'),
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
	async sendBatch(prepared, continueOnFail) {
		return await sendPolicyBatches(this, prepared, continueOnFail, {
			method: 'DELETE',
			groupKey: (input) => String(input.revokeUserEngagement),
			body: (emails, input) => ({ emails, revokeUserEngagement: input.revokeUserEngagement }),
			what: 'the policy e-mails and removed e-mails',
			describe(input, answer) {
				const removed = (Array.isArray(answer.removedEmails) ? (answer.removedEmails as IDataObject[]) : []).filter((entry) =>
					input.emails.includes(String(entry.email ?? '').toLowerCase()),
				);
				const removedSet = new Set(removed.map((entry) => String(entry.email ?? '').toLowerCase()));
				return {
					policyId: input.policyId,
					requestedEmails: input.emails,
					removedEmails: removed,
					notInPolicy: input.emails.filter((email) => !removedSet.has(email)),
					revokeUserEngagement: input.revokeUserEngagement,
					policyEmails: stringList(answer.policyEmails),
				};
			},
		});
	},
};
