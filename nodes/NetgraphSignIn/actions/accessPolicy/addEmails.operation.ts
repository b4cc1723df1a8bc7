import type { INodeProperties } from 'n8n-workflow';

import { savedAtVersion1 } from '../../nodeVersion';
import { EMAILS, limitEmailPatterns, limitToolCall } from '../toolPolicy';
import type { Operation } from '../types';
import { policyFields, policyOptions, readPolicyEmails, sendAdds, type PolicyEmails } from './shared';

const description: INodeProperties[] = [
	...policyFields(
		'addEmails',
		'Addresses or patterns to allow: a full address (alice@acme.com), a domain (*@acme.com) or all its subdomains (*@*.acme.com). Separate them with commas or new lines, or give an array in an expression.',
	),
	policyOptions('addEmails'),
];

export const addEmails: Operation<PolicyEmails> = {
	option: { name: 'Add Emails', value: 'addEmails', description: 'Allow e-mail addresses or patterns in an access policy', action: 'Add emails or patterns to an access policy' },
	description,
	prepare(itemIndex) {
		const input = readPolicyEmails.call(this, itemIndex);
		limitToolCall(this, itemIndex, input.emails.length, 'add', EMAILS);
		limitEmailPatterns(this, itemIndex, input.emails, 'add');
		return input;
	},
	async sendBatch(prepared, continueOnFail) {
		return await sendAdds(this, prepared, continueOnFail, { perItem: savedAtVersion1(this) });
	},
};
