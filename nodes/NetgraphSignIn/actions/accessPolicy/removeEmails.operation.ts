import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { byEmail, policyFields, policyOptions, readPolicyEmails, sendPolicyBatches, type PolicyEmails } from './shared';

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
			describe(answer) {
				const removed = byEmail(answer.removedEmails);
				return (input) => ({
					policyId: input.policyId,
					requestedEmails: input.emails,
					removedEmails: input.emails.flatMap((email) => (removed.has(email) ? [removed.get(email)!] : [])),
					notInPolicy: input.emails.filter((email) => !removed.has(email)),
					revokeUserEngagement: input.revokeUserEngagement,
				});
			},
		});
	},
};
