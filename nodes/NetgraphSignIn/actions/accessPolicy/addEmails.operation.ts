import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { byEmail, policyFields, policyOptions, readPolicyEmails, sendPolicyBatches, type PolicyEmails } from './shared';

const description: INodeProperties[] = [
	...policyFields(
		'addEmails',
		'Addresses or patterns to allow: a full address (alice@acme.com), a domain (*@acme.com) or all its subdomains (*@*.acme.com). Separate them with commas or new lines, or give an array in an expression.',
	),
	policyOptions('addEmails'),
];

export const addEmails: Operation<PolicyEmails> = {
	description,
	prepare: readPolicyEmails,
	async sendBatch(prepared, continueOnFail) {
		return await sendPolicyBatches(this, prepared, continueOnFail, {
			method: 'POST',
			groupKey: () => '',
			body: (emails) => ({ emails }),
			what: 'the policy e-mails and warnings',
			describe(answer) {
				const warnings = byEmail(answer.warnings);
				return (input) => {
					const own = input.emails.flatMap((email) => (warnings.has(email) ? [warnings.get(email)!] : []));
					return {
						policyId: input.policyId,
						requestedEmails: input.emails,
						addedEmails: input.emails.filter((email) => !warnings.has(email)),
						warnings: own,
					};
				};
			},
		});
	},
};
