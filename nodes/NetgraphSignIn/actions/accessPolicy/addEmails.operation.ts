import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { policyFields, policyOptions, readPolicyEmails, sendPolicyBatches, type PolicyEmails } from './shared';

const description: INodeProperties[] = [
	...policyFields(
		'addEmails',
		'Addresses or patterns to allow: a full address (alice@acme.com), a domain (*@acme.com) or all its subdomains (*@*.acme.com). Separate them with commas or new lines, or give an array in an expression.',
	),
	policyOptions('addEmails'),
];

export const addEmails: Operation<PolicyEmails> = {
	option: { name: 'Add Emails', value: 'addEmails', description: 'Allow e-mail addresses or patterns in an access policy', action: 'Add emails to an access policy' },
	description,
	prepare: readPolicyEmails,
	async sendBatch(prepared, continueOnFail) {
		return await sendPolicyBatches<PolicyEmails, IDataObject>(this, prepared, continueOnFail, {
			method: 'POST',
			groupKey: () => '',
			body: (emails) => ({ emails }),
			what: 'the policy e-mails and warnings',
			details: 'warnings',
			// After a lost answer the retry warns "already in policy" about what the first attempt
			// added, so which e-mails this run added is unknown; what the policy holds is not.
			describe: (_input, warningOf, known, lost) => ({
				addedEmails: lost ? null : known.filter((email) => !warningOf(email)),
				warnings: lost ? null : known.flatMap((email) => warningOf(email) ?? []),
			}),
		});
	},
};
