import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import {
	policyFields,
	policyOptions,
	readPolicyEmails,
	sendPolicyBatches,
	stringList,
	type PolicyEmails,
} from './shared';

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
			describe(input, answer) {
				const warnings = (Array.isArray(answer.warnings) ? (answer.warnings as IDataObject[]) : []).filter((warning) =>
					input.emails.includes(String(warning.email ?? '').toLowerCase()),
				);
				const warned = new Set(warnings.map((warning) => String(warning.email ?? '').toLowerCase()));
				return {
					policyId: input.policyId,
					requestedEmails: input.emails,
					addedEmails: input.emails.filter((email) => !warned.has(email)),
					warnings,
					policyEmails: stringList(answer.policyEmails),
				};
			},
		});
	},
};
