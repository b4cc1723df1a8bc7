import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { savedAtVersion1 } from '../../nodeVersion';
import { EMAILS, limitEmailPatterns, limitToolCall } from '../toolPolicy';
import type { Operation } from '../types';
import { policyFields, policyOptions, readPolicyEmails, revokeField, sendPolicyBatches, type PolicyEmails } from './shared';

const description: INodeProperties[] = [
	...policyFields(
		'removeEmails',
		'Addresses or patterns to remove, exactly as they are in the policy. Separate them with commas or new lines, or give an array in an expression. Entries not in the policy are ignored.',
	),
	revokeField('removeEmails'),
	policyOptions('removeEmails'),
];

export interface RemoveInput extends PolicyEmails {
	revokeUserEngagement: boolean;
}

export const removeEmails: Operation<RemoveInput> = {
	option: { name: 'Remove Emails', value: 'removeEmails', description: 'Remove e-mail addresses or patterns from an access policy', action: 'Remove emails or patterns from an access policy' },
	description,
	prepare(itemIndex) {
		const input = readPolicyEmails.call(this, itemIndex);
		limitToolCall(this, itemIndex, input.emails.length, 'remove', EMAILS);
		const revokeUserEngagement = this.getNodeParameter('revokeUserEngagement', itemIndex, true) as boolean;
		limitEmailPatterns(this, itemIndex, input.emails, 'remove', revokeUserEngagement);
		return { ...input, revokeUserEngagement };
	},
	async sendBatch(prepared, continueOnFail) {
		return await sendPolicyBatches<RemoveInput, IDataObject>(this, prepared, continueOnFail, {
			perItem: savedAtVersion1(this),
			method: 'DELETE',
			groupKey: (input) => String(input.revokeUserEngagement),
			body: (emails, input) => ({ emails, revokeUserEngagement: input.revokeUserEngagement }),
			what: 'the policy e-mails and removed e-mails',
			details: 'removedEmails',
			// After a lost answer the retry lists only what it removed itself: what the first attempt
			// removed (and the sign-ins it revoked) is in neither list.
			describe: (input, removalOf, known, lost) => {
				const removals = known.map(removalOf);
				const reported = removals.flatMap((removal) => removal ?? []);
				const json: IDataObject = {
					removedEmails: lost ? null : reported,
					notInPolicy: lost ? null : known.filter((_email, index) => !removals[index]),
				};
				if (lost) json.reportedRemovedEmails = reported;
				json.revokeUserEngagement = input.revokeUserEngagement;
				return json;
			},
		});
	},
};
