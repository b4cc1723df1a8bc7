import { ADDED_UNKNOWN } from '../../nodes/NetgraphSignIn/actions/accessPolicy/shared';
import { POLICY } from './cases';

/** Add Emails' output for an item whose e-mails were all added, with the policy as its last answer showed it. */
export const allAdded = (emails: string[], policy: string[]) => ({
	policyId: POLICY,
	requestedEmails: emails,
	acceptedEmails: emails,
	addedEmails: null,
	addedEmailsUnknown: ADDED_UNKNOWN,
	warnings: [],
	presentEmails: emails,
	absentEmails: [],
	firstAnswerLost: false,
	policyEmailCount: policy.length,
	policyEmails: policy,
});
