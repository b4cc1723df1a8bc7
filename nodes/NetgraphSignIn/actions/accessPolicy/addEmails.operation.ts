import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { expectJsonObject, signInApiRequest } from '../../transport';
import type { Operation } from '../types';
import { policyFields, policyPath, readPolicyEmails, stringList, type PolicyEmails } from './shared';

const description: INodeProperties[] = policyFields(
	'addEmails',
	'Addresses or patterns to allow: a full address (alice@acme.com), a domain (*@acme.com) or all its subdomains (*@*.acme.com). Separate them with commas or new lines, or give an array in an expression.',
);

export const addEmails: Operation<PolicyEmails> = {
	description,
	prepare: readPolicyEmails,
	async send(input, itemIndex) {
		const response = await signInApiRequest.call(this, {
			method: 'POST',
			path: policyPath(input.policyId),
			body: { emails: input.emails },
			family: 'accessPolicy',
			itemIndex,
		});
		const body = expectJsonObject.call(this, response, itemIndex, 'the policy e-mails and warnings');
		const warnings = Array.isArray(body.warnings) ? (body.warnings as IDataObject[]) : [];
		const warned = new Set(warnings.map((warning) => String(warning.email ?? '').toLowerCase()));
		return {
			policyId: input.policyId,
			requestedEmails: input.emails,
			addedEmails: input.emails.filter((email) => !warned.has(email)),
			warnings,
			policyEmails: stringList(body.policyEmails),
		};
	},
};
