import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { SignInEmulator } from '../../emulator/server';
import { NetgraphSignIn } from '../../nodes/NetgraphSignIn/NetgraphSignIn.node';
import { expectCall, expectCalls, expectWire, plain, runNode, type RecordedRequest } from '../support/harness';

const POLICY = '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7';
const OTHER = '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const PATH = `/policies/${POLICY}/emails`;
const TOKEN = 'sync-emails-token';

const parameters = (extra: IDataObject = {}): IDataObject => ({
	resource: 'accessPolicy',
	operation: 'syncEmails',
	mode: 'apply',
	policyId: POLICY,
	emails: '={{ $json.e }}',
	...extra,
});

const counts = (email: string, selfProvisioning = 0) => ({
	email,
	revokedLoginsForSelfProvisioning: selfProvisioning,
	revokedLoginsForMeetingHost: 0,
	revokedWhitelisting: 0,
	revokeLoginsforConferences: 0,
});
const removed = (email: string, selfProvisioning = 0, firstAnswerLost = false, policyId = POLICY) => ({
	policyId,
	...counts(email, selfProvisioning),
	status: 'removed',
	firstAnswerLost,
});
/** Add E-Mails' report of an item, with the status Sync gives it. */
const report = (emails: string[], accepted: string[] | null, policy: string[], extra: IDataObject = {}) => ({
	policyId: POLICY,
	requestedEmails: emails,
	acceptedEmails: accepted,
	addedEmails: null,
	addedEmailsUnknown: ADDED_UNKNOWN,
	warnings: accepted === null ? null : emails.filter((email) => !accepted.includes(email)).map((email) => ({ email, reason: 'already in policy' })),
	presentEmails: emails,
	absentEmails: [],
	firstAnswerLost: accepted === null,
	policyEmailCount: policy.length,
	policyEmails: policy,
	policyEmailsAfter: 'adds',
	status: accepted === null ? 'present' : accepted.length ? 'accepted' : 'alreadyPresent',
	...extra,
});
/** The same report where the removes were answered: the items carry the policy after them. */
const reportAfterRemoves = (emails: string[], accepted: string[] | null, policy: string[], extra: IDataObject = {}) =>
	report(emails, accepted, policy, { policyEmailsAfter: 'removes', ...extra });

const ADDED_UNKNOWN =
	'The API does not say which accepted e-mails were new: it may ignore one already in the policy without a warning. acceptedEmails lists those it took without a warning.';

describe('Access Policy > Sync Emails', () => {
	// The policy holds old@acme.com, keep@acme.com and a wildcard; the input is keep@acme.com and new@acme.com.
	const after = ['old@acme.com', 'keep@acme.com', '*@partner.example', 'new@acme.com', 'gone@acme.com'];
	const items = [{ e: 'keep@acme.com' }, { e: 'New@acme.com' }];

	it('adds the desired e-mails in one batch, then removes the addresses no item names, wildcards left alone', async () => {
		const calls = expectCall('POST', PATH, 200, { policyEmails: after, warnings: [{ email: 'keep@acme.com', reason: 'already in policy' }] });
		expectCall('DELETE', PATH, 200, {
			policyEmails: ['keep@acme.com', '*@partner.example', 'new@acme.com'],
			removedEmails: [counts('old@acme.com', 2), counts('gone@acme.com')],
		}, {}, calls);
		const result = await runNode({ parameters: parameters({ options: { maxShare: 100 } }), items });
		expect(calls).toHaveLength(2);
		expectWire(calls[0], 'POST', PATH, { emails: ['keep@acme.com', 'new@acme.com'] });
		expectWire(calls[1], 'DELETE', PATH, { emails: ['old@acme.com', 'gone@acme.com'], revokeUserEngagement: true });
		expect(plain(result.output)).toEqual([
			{ json: reportAfterRemoves(['keep@acme.com'], [], ['keep@acme.com', '*@partner.example', 'new@acme.com']), pairedItem: { item: 0 } },
			{ json: reportAfterRemoves(['new@acme.com'], ['new@acme.com'], ['keep@acme.com', '*@partner.example', 'new@acme.com']), pairedItem: { item: 1 } },
			{ json: removed('old@acme.com', 2), pairedItem: { item: 0 } },
			{ json: removed('gone@acme.com'), pairedItem: { item: 0 } },
		]);
	});

	it('with the default Max Remove Share the same run stops before the remove: 2 of the 3 addresses held before', async () => {
		expectCall('POST', PATH, 200, { policyEmails: after, warnings: [{ email: 'keep@acme.com', reason: 'already in policy' }] });
		const result = await runNode({ parameters: parameters(), items });
		expect(result.error?.message).toBe(
			`Sync would remove 2 of the 3 e-mails in Scope that policy ${POLICY} held before this run (66.7 %), more than Max Remove Share allows (50 %); no e-mail was removed, but the adds were sent first: the policy accepted 1 e-mail (new@acme.com) of this run without a warning (added, or already there: the API does not say which)`,
		);
	});

	it('the editor says how Preview reads a policy, which the API cannot list', () => {
		const notice = new NetgraphSignIn().description.properties.find((property) => property.name === 'syncEmailsNotice');
		expect(notice).toMatchObject({
			type: 'notice',
			displayOptions: { show: { resource: ['accessPolicy'], operation: ['syncEmails'] } },
		});
		expect(notice?.displayName).toContain(
			'The API has no read: Preview, and Apply with an Approved Plan ID, read a policy by asking it to remove n8n-sync-read@policy.invalid, an address at a reserved domain that no policy holds.',
		);
	});

	it('an e-mail the service still lists after its remove is reported as stillInPolicy', async () => {
		const calls = expectCall('POST', PATH, 200, { policyEmails: ['a@x.com', 'o1@x.com'], warnings: [] });
		expectCall('DELETE', PATH, 200, { policyEmails: ['a@x.com', 'o1@x.com'], removedEmails: [] }, {}, calls);
		const result = await runNode({ parameters: parameters({ options: { maxShare: 100 } }), items: [{ e: 'a@x.com' }] });
		expect(result.output[1].json).toMatchObject({ email: 'o1@x.com', status: 'stillInPolicy', revokedLoginsForSelfProvisioning: null });
	});

	it('Revoke Active Sign-Ins off is sent as false on the removes', async () => {
		const calls = expectCall('POST', PATH, 200, { policyEmails: ['a@acme.com', 'b@acme.com'], warnings: [] });
		expectCall('DELETE', PATH, 200, { policyEmails: ['a@acme.com'], removedEmails: [counts('b@acme.com')] }, {}, calls);
		await runNode({ parameters: parameters({ revokeUserEngagement: false, options: { maxShare: 100 } }), items: [{ e: 'a@acme.com' }] });
		expectWire(calls[1], 'DELETE', PATH, { emails: ['b@acme.com'], revokeUserEngagement: false });
	});

	it('Revoke Active Sign-Ins is read once, from the first valid item', async () => {
		const calls = expectCall('POST', PATH, 200, { policyEmails: ['a@acme.com', 'b@acme.com', 'o@acme.com'], warnings: [] });
		expectCall('DELETE', PATH, 200, { policyEmails: ['a@acme.com', 'b@acme.com'], removedEmails: [counts('o@acme.com')] }, {}, calls);
		await runNode({
			parameters: parameters({ revokeUserEngagement: '={{ $json.r }}', options: { maxShare: 100 } }),
			items: [{ e: 'bad@', r: true }, { e: 'a@acme.com', r: false }, { e: 'b@acme.com', r: true }],
			continueOnFail: true,
		});
		expect(calls[1].body).toEqual({ emails: ['o@acme.com'], revokeUserEngagement: false });
	});

	it('Addresses and Wildcards removes wildcards too; Matching a Domain only what is for that domain or a subdomain', async () => {
		const policy = ['a@acme.com', '*@acme.com', '*@*.acme.com', 'b@eu.acme.com', 'c@notacme.com', '*@other.io'];
		const calls: RecordedRequest[] = [];
		expectCall('POST', PATH, 200, { policyEmails: policy, warnings: [{ email: 'a@acme.com', reason: 'already in policy' }] }, {}, calls, 2);
		expectCall('DELETE', PATH, 200, { policyEmails: ['a@acme.com'], removedEmails: [] }, {}, calls, 2);
		await runNode({ parameters: parameters({ scope: 'all', options: { maxShare: 100 } }), items: [{ e: 'a@acme.com' }] });
		await runNode({ parameters: parameters({ scope: 'domain', scopeDomain: ' ACME.com', options: { maxShare: 100 } }), items: [{ e: 'a@acme.com' }] });
		expect(calls.map((call) => [call.method, call.body])).toEqual([
			['POST', { emails: ['a@acme.com'] }],
			['DELETE', { emails: ['*@acme.com', '*@*.acme.com', 'b@eu.acme.com', 'c@notacme.com', '*@other.io'], revokeUserEngagement: true }],
			['POST', { emails: ['a@acme.com'] }],
			['DELETE', { emails: ['*@acme.com', '*@*.acme.com', 'b@eu.acme.com'], revokeUserEngagement: true }],
		]);
	});

	it('keeps a wildcard that may be what lets in an e-mail of the input the policy does not hold as itself', async () => {
		const calls = expectCall('POST', PATH, 200, {
			policyEmails: ['*@acme.com', 'x@other.io'],
			warnings: [{ email: 'alice@acme.com', reason: 'covered by existing pattern *@acme.com' }],
		});
		expectCall('DELETE', PATH, 200, { policyEmails: ['*@acme.com'], removedEmails: [counts('x@other.io')] }, {}, calls);
		const result = await runNode({ parameters: parameters({ scope: 'all', options: { maxShare: 100 } }), items: [{ e: 'alice@acme.com' }] });
		expect(calls[1].body).toEqual({ emails: ['x@other.io'], revokeUserEngagement: true });
		expect(plain(result.output)).toEqual([
			{
				json: {
					policyId: POLICY,
					requestedEmails: ['alice@acme.com'],
					acceptedEmails: [],
					addedEmails: null,
					addedEmailsUnknown: ADDED_UNKNOWN,
					warnings: [{ email: 'alice@acme.com', reason: 'covered by existing pattern *@acme.com' }],
					presentEmails: [],
					absentEmails: ['alice@acme.com'],
					firstAnswerLost: false,
					policyEmailCount: 1,
					policyEmails: ['*@acme.com'],
					policyEmailsAfter: 'removes',
					status: 'warned',
				},
				pairedItem: { item: 0 },
			},
			{
				json: {
					policyId: POLICY,
					email: '*@acme.com',
					status: 'kept',
					reason:
						'In Scope and named by no item, but it may be what lets in 1 e-mail (alice@acme.com) of the input, which the policy does not hold as themselves: removing it could end their access. To replace it by the addresses, remove it with Remove E-Mails and run Sync again.',
				},
				pairedItem: { item: 0 },
			},
			{ json: removed('x@other.io'), pairedItem: { item: 0 } },
		]);
	});

	it('groups per policy: each policy gets its adds and removes, removed e-mails pair with the first item of their policy', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', PATH, 200, { policyEmails: ['a@x.com', 'b@x.com', 'old@x.com'], warnings: [] }, {}, calls);
		expectCall('POST', `/policies/${OTHER}/emails`, 200, { policyEmails: ['z@x.com', 'y@x.com'], warnings: [] }, {}, calls);
		expectCall('DELETE', PATH, 200, { policyEmails: ['a@x.com', 'b@x.com'], removedEmails: [counts('old@x.com')] }, {}, calls);
		expectCall('DELETE', `/policies/${OTHER}/emails`, 200, { policyEmails: ['z@x.com'], removedEmails: [counts('y@x.com')] }, {}, calls);
		const result = await runNode({
			parameters: parameters({ policyId: '={{ $json.p }}', options: { maxShare: 100 } }),
			items: [
				{ p: POLICY, e: 'a@x.com' },
				{ p: OTHER, e: 'z@x.com' },
				{ p: POLICY, e: 'b@x.com' },
			],
		});
		expect(calls.map((call) => [call.method, call.path.split('/policies/')[1], call.body])).toEqual([
			['POST', `${POLICY}/emails`, { emails: ['a@x.com', 'b@x.com'] }],
			['POST', `${OTHER}/emails`, { emails: ['z@x.com'] }],
			['DELETE', `${POLICY}/emails`, { emails: ['old@x.com'], revokeUserEngagement: true }],
			['DELETE', `${OTHER}/emails`, { emails: ['y@x.com'], revokeUserEngagement: true }],
		]);
		expect(result.output.map((item) => [item.json.status, item.json.email ?? item.json.requestedEmails, item.pairedItem])).toEqual([
			['accepted', ['a@x.com'], { item: 0 }],
			['accepted', ['z@x.com'], { item: 1 }],
			['accepted', ['b@x.com'], { item: 2 }],
			['removed', 'old@x.com', { item: 0 }],
			['removed', 'y@x.com', { item: 1 }],
		]);
	});

	it('Batch Size caps the adds and the removes alike', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', PATH, 200, { policyEmails: ['a@x.com', 'b@x.com', 'o1@x.com', 'o2@x.com', 'o3@x.com'], warnings: [] }, {}, calls);
		expectCall('POST', PATH, 200, { policyEmails: ['a@x.com', 'b@x.com', 'o1@x.com', 'o2@x.com', 'o3@x.com', 'c@x.com'], warnings: [] }, {}, calls);
		expectCall('DELETE', PATH, 200, { policyEmails: ['a@x.com', 'b@x.com', 'o3@x.com', 'c@x.com'], removedEmails: [counts('o1@x.com'), counts('o2@x.com')] }, {}, calls);
		expectCall('DELETE', PATH, 200, { policyEmails: ['a@x.com', 'b@x.com', 'c@x.com'], removedEmails: [counts('o3@x.com')] }, {}, calls);
		const result = await runNode({ parameters: parameters({ options: { batchSize: 2, maxShare: 100 } }), items: [{ e: 'a@x.com, b@x.com, c@x.com' }] });
		expect(calls.map((call) => call.body)).toEqual([
			{ emails: ['a@x.com', 'b@x.com'] },
			{ emails: ['c@x.com'] },
			{ emails: ['o1@x.com', 'o2@x.com'], revokeUserEngagement: true },
			{ emails: ['o3@x.com'], revokeUserEngagement: true },
		]);
		expect(result.output.map((item) => item.json.status)).toEqual(['accepted', 'removed', 'removed', 'removed']);
	});
});

describe('Access Policy > Sync Emails: the safety valve', () => {
	it('stops before any remove when it would remove more than Max Remove Share of the e-mails in Scope, and says what the adds did', async () => {
		const calls = expectCall('POST', PATH, 200, {
			policyEmails: ['o1@x.com', 'o2@x.com', 'o3@x.com', 'keep@x.com', 'new@x.com', '*@x.org'],
			warnings: [{ email: 'keep@x.com', reason: 'already in policy' }],
		});
		const result = await runNode({ parameters: parameters(), items: [{ e: 'keep@x.com, new@x.com' }] });
		expect(calls).toHaveLength(1);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			`Sync would remove 3 of the 4 e-mails in Scope that policy ${POLICY} held before this run (75 %), more than Max Remove Share allows (50 %); no e-mail was removed, but the adds were sent first: the policy accepted 1 e-mail (new@x.com) of this run without a warning (added, or already there: the API does not say which)`,
		);
		expect(result.error?.description).toBe(
			'No item names 3 e-mails (o1@x.com, o2@x.com, o3@x.com). An empty or partial input would remove everything it left out: check that the input is complete. If these are meant to go, raise Max Remove Share (%) under Options (100 allows any share).',
		);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('counts the e-mails whose add answer was lost as possibly added, and says so', async () => {
		expectCall('POST', PATH, 502, '');
		expectCall('POST', PATH, 200, { policyEmails: ['o1@x.com', 'o2@x.com', 'a@x.com'], warnings: [{ email: 'a@x.com', reason: 'already in policy' }] });
		const result = await runNode({
			parameters: parameters({ requestOptions: { maxAttempts: 2, initialDelayMs: 0 } }),
			items: [{ e: 'a@x.com' }],
		});
		expect(result.error?.message).toBe(
			`Sync would remove 2 of the 2 e-mails in Scope that policy ${POLICY} held before this run (100 %), more than Max Remove Share allows (50 %); no e-mail was removed, but the adds were sent first: the policy accepted no e-mail of this run without a warning (added, or already there: the API does not say which), and 1 e-mail (a@x.com) that the policy holds may have been added by it (an add answer was lost)`,
		);
	});

	it('with Continue On Fail, the items of the policy become error items that keep their add report; other policies go on', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', PATH, 200, { policyEmails: ['o1@x.com', 'o2@x.com', 'a@x.com'], warnings: [] }, {}, calls);
		expectCall('POST', `/policies/${OTHER}/emails`, 200, {
			policyEmails: ['z@x.com', 'y@x.com', 'w@x.com'],
			warnings: [{ email: 'w@x.com', reason: 'already in policy' }],
		}, {}, calls);
		expectCall('DELETE', `/policies/${OTHER}/emails`, 200, { policyEmails: ['z@x.com', 'w@x.com'], removedEmails: [counts('y@x.com')] }, {}, calls);
		const result = await runNode({
			parameters: parameters({ policyId: '={{ $json.p }}' }),
			items: [{ p: POLICY, e: 'a@x.com' }, { p: OTHER, e: 'z@x.com, w@x.com' }],
			continueOnFail: true,
		});
		expect(calls.map((call) => call.method)).toEqual(['POST', 'POST', 'DELETE']);
		expect(plain(result.output)).toEqual([
			{
				json: {
					error: `Sync would remove 2 of the 2 e-mails in Scope that policy ${POLICY} held before this run (100 %), more than Max Remove Share allows (50 %); no e-mail was removed, but the adds were sent first: the policy accepted 1 e-mail (a@x.com) of this run without a warning (added, or already there: the API does not say which)`,
					description:
						'No item names 2 e-mails (o1@x.com, o2@x.com). An empty or partial input would remove everything it left out: check that the input is complete. If these are meant to go, raise Max Remove Share (%) under Options (100 allows any share).',
					...report(['a@x.com'], ['a@x.com'], ['o1@x.com', 'o2@x.com', 'a@x.com']),
				},
				pairedItem: { item: 0 },
			},
			{
				json: { ...reportAfterRemoves(['z@x.com', 'w@x.com'], ['z@x.com'], ['z@x.com', 'w@x.com']), policyId: OTHER },
				pairedItem: { item: 1 },
			},
			{ json: removed('y@x.com', 0, false, OTHER), pairedItem: { item: 1 } },
		]);
	});

	it('without Continue On Fail, one policy over the share stops the removes of every policy', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', PATH, 200, { policyEmails: ['o1@x.com', 'a@x.com'], warnings: [] }, {}, calls);
		expectCall('POST', `/policies/${OTHER}/emails`, 200, { policyEmails: ['z@x.com', 'y@x.com'], warnings: [{ email: 'z@x.com', reason: 'already in policy' }] }, {}, calls);
		const result = await runNode({ parameters: parameters({ policyId: '={{ $json.p }}' }), items: [{ p: POLICY, e: 'a@x.com' }, { p: OTHER, e: 'z@x.com' }] });
		expect(calls.map((call) => call.method)).toEqual(['POST', 'POST']);
		expect(result.error?.message).toMatch(/^Sync would remove 1 of the 1 e-mails in Scope that policy 3c9e1f2a/);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('a share at the limit is allowed: 1 of 2 with the default 50 %', async () => {
		const calls = expectCall('POST', PATH, 200, { policyEmails: ['o1@x.com', 'a@x.com'], warnings: [{ email: 'a@x.com', reason: 'already in policy' }] });
		expectCall('DELETE', PATH, 200, { policyEmails: ['a@x.com'], removedEmails: [counts('o1@x.com')] }, {}, calls);
		const result = await runNode({ parameters: parameters(), items: [{ e: 'a@x.com' }] });
		expect(result.output.map((item) => item.json.status)).toEqual(['alreadyPresent', 'removed']);
	});
});

describe('Access Policy > Sync Emails: invalid items', () => {
	it('an invalid e-mail or an empty policy ID stops the run before any request, naming item, field, rule and value', async () => {
		const bad = await runNode({ parameters: parameters(), items: [{ e: 'a@x.com' }, { e: 'bob@' }] });
		expect(bad.error?.message).toBe(
			'[item 1] Emails "bob@" must be an e-mail address (alice@acme.com), a domain wildcard (*@acme.com) or a subdomain wildcard (*@*.acme.com)',
		);
		const empty = await runNode({ parameters: parameters({ policyId: '={{ $json.p }}' }), items: [{ p: '', e: 'a@x.com' }] });
		expect(empty.error?.message).toBe('[item 0] Access Policy ID "" must be a UUID, e.g. 7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7f');
		const allInvalid = await runNode({ parameters: parameters(), items: [{ e: 'bob@' }], continueOnFail: true });
		expect(allInvalid.output.map((item) => item.json.error)).toEqual([
			'[item 0] Emails "bob@" must be an e-mail address (alice@acme.com), a domain wildcard (*@acme.com) or a subdomain wildcard (*@*.acme.com)',
		]);
		const domain = await runNode({ parameters: parameters({ scope: 'domain', scopeDomain: '*.acme.com' }), items: [{ e: 'a@x.com' }] });
		expect(domain.error?.message).toBe('[item 0] Scope Domain "*.acme.com" must be a domain such as acme.com (no @, no *)');
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('with Continue On Fail the invalid items are error items, the others proceed, and an invalid item\'s readable e-mails are not removed', async () => {
		const calls = expectCall('POST', PATH, 200, { policyEmails: ['a@x.com', 'held@x.com', 'old@x.com'], warnings: [] });
		expectCall('DELETE', PATH, 200, { policyEmails: ['a@x.com', 'held@x.com'], removedEmails: [counts('old@x.com')] }, {}, calls);
		const result = await runNode({
			parameters: parameters({ options: { maxShare: 100 } }),
			items: [{ e: 'held@x.com, bob@' }, { e: 'a@x.com' }],
			continueOnFail: true,
		});
		expect(calls.map((call) => call.body)).toEqual([{ emails: ['a@x.com'] }, { emails: ['old@x.com'], revokeUserEngagement: true }]);
		expect(plain(result.output)).toEqual([
			{
				json: {
					error:
						'[item 0] Emails "bob@" must be an e-mail address (alice@acme.com), a domain wildcard (*@acme.com) or a subdomain wildcard (*@*.acme.com)',
					description: 'Correct the Emails of item 0 and run again. Nothing was sent for this item.',
				},
				pairedItem: { item: 0 },
			},
			{ json: reportAfterRemoves(['a@x.com'], ['a@x.com'], ['a@x.com', 'held@x.com']), pairedItem: { item: 1 } },
			{ json: removed('old@x.com'), pairedItem: { item: 1 } },
		]);
	});
});

describe('Access Policy > Sync Emails: lost and failed answers', () => {
	const fast = { maxAttempts: 2, initialDelayMs: 0 };

	it('an add whose first answer was lost: the item says it is in the policy, who added it unknown; removes go on from the policy the retry showed', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', PATH, 502, '', {}, calls);
		expectCall('POST', PATH, 200, { policyEmails: ['a@x.com', 'o1@x.com', 'o2@x.com'], warnings: [{ email: 'a@x.com', reason: 'already in policy' }] }, {}, calls);
		expectCall('DELETE', PATH, 200, { policyEmails: ['a@x.com'], removedEmails: [counts('o1@x.com'), counts('o2@x.com')] }, {}, calls);
		const result = await runNode({ parameters: parameters({ requestOptions: fast, options: { maxShare: 100 } }), items: [{ e: 'a@x.com' }] });
		expect(calls.map((call) => call.method)).toEqual(['POST', 'POST', 'DELETE']);
		expect(plain(result.output)).toEqual([
			{ json: reportAfterRemoves(['a@x.com'], null, ['a@x.com']), pairedItem: { item: 0 } },
			{ json: removed('o1@x.com'), pairedItem: { item: 0 } },
			{ json: removed('o2@x.com'), pairedItem: { item: 0 } },
		]);
	});

	it('a remove whose first answer was lost: an e-mail the retry does not list has unknown revoke counts (null)', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', PATH, 200, { policyEmails: ['a@x.com', 'o1@x.com', 'o2@x.com'], warnings: [] }, {}, calls);
		expectCall('DELETE', PATH, 502, '', {}, calls);
		expectCall('DELETE', PATH, 200, { policyEmails: ['a@x.com'], removedEmails: [counts('o2@x.com', 1)] }, {}, calls);
		const result = await runNode({ parameters: parameters({ requestOptions: fast, options: { maxShare: 100 } }), items: [{ e: 'a@x.com' }] });
		expect(plain(result.output).slice(1)).toEqual([
			{
				json: {
					policyId: POLICY,
					email: 'o1@x.com',
					status: 'absent',
					revokedLoginsForSelfProvisioning: null,
					revokedLoginsForMeetingHost: null,
					revokedWhitelisting: null,
					revokeLoginsforConferences: null,
					firstAnswerLost: true,
					reason:
						'The policy no longer holds this e-mail, but the answer to the first remove request was lost: whether this run removed it, and how many sign-ins that revoked, is not known.',
				},
				pairedItem: { item: 0 },
			},
			{ json: removed('o2@x.com', 1, true), pairedItem: { item: 0 } },
		]);
	});

	it('an e-mail gone before its remove arrived is reported as not in the policy, not as removed', async () => {
		const calls = expectCall('POST', PATH, 200, { policyEmails: ['a@x.com', 'o1@x.com'], warnings: [] });
		expectCall('DELETE', PATH, 200, { policyEmails: ['a@x.com'], removedEmails: [] }, {}, calls);
		const result = await runNode({ parameters: parameters({ options: { maxShare: 100 } }), items: [{ e: 'a@x.com' }] });
		expect(result.output[1].json).toEqual({
			policyId: POLICY,
			email: 'o1@x.com',
			status: 'notInPolicy',
			revokedLoginsForSelfProvisioning: null,
			revokedLoginsForMeetingHost: null,
			revokedWhitelisting: null,
			revokeLoginsforConferences: null,
			firstAnswerLost: false,
			reason: 'The policy no longer held this e-mail when the remove arrived (someone else removed it after the add); this run removed nothing.',
		});
	});

	/** Two adds of one e-mail each; the second fails with 500. */
	async function secondAddFails(continueOnFail: boolean) {
		const calls: RecordedRequest[] = [];
		expectCall('POST', PATH, 200, { policyEmails: ['a@x.com', 'o1@x.com'], warnings: [] }, {}, calls);
		expectCall('POST', PATH, 500, '', {}, calls);
		const result = await runNode({
			parameters: parameters({ options: { batchSize: 1, maxShare: 100 }, requestOptions: { maxAttempts: 1 } }),
			items: [{ e: 'a@x.com' }, { e: 'b@x.com' }],
			continueOnFail,
		});
		return { calls, result };
	}

	it('Continue On Fail: when an add of a policy fails, nothing is removed from it and an item says so', async () => {
		const { calls, result } = await secondAddFails(true);
		expect(calls.map((call) => call.method)).toEqual(['POST', 'POST']);
		expect(plain(result.output)).toEqual([
			{ json: report(['a@x.com'], ['a@x.com'], ['a@x.com', 'o1@x.com']), pairedItem: { item: 0 } },
			{
				json: {
					error: 'The Sign-In API is unavailable (500 Internal Server Error)',
					description:
						"The Sign-In service could not handle the request. This is on the service's side: try again in a few minutes. The request may have been applied: a 500 answer does not say whether the service did the work before it failed.",
				},
				pairedItem: { item: 1 },
			},
			{
				json: {
					policyId: POLICY,
					status: 'removesNotSent',
					reason:
						'An add request for this policy failed, so what the policy holds after the adds is not known: Sync removed nothing from it. The items of this policy say which adds failed; run Sync again.',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('Continue On Fail off: a failed add stops the run, says no e-mail was removed and what the other adds did', async () => {
		const { calls, result } = await secondAddFails(false);
		expect(calls).toHaveLength(2);
		expect(result.error?.message).toBe('The Sign-In API is unavailable (500 Internal Server Error)');
		expect(result.error?.description).toBe(
			"The Sign-In service could not handle the request. This is on the service's side: try again in a few minutes. The request may have been applied: a 500 answer does not say whether the service did the work before it failed. Of the run's 1 other e-mail, the service had answered for 1 and the rest were not applied. Sync stopped while adding e-mails: no e-mail was removed. Run it again: adding is safe to repeat.",
		);
	});

	it('Continue On Fail: a failed remove is an error item naming the e-mail; off, it stops the run and says what the adds did', async () => {
		const answerAdd = () => expectCall('POST', PATH, 200, { policyEmails: ['a@x.com', 'o1@x.com'], warnings: [] });
		answerAdd();
		expectCall('DELETE', PATH, 500, '');
		const on = await runNode({
			parameters: parameters({ options: { maxShare: 100 }, requestOptions: { maxAttempts: 1 } }),
			items: [{ e: 'a@x.com' }],
			continueOnFail: true,
		});
		const unavailable =
			"The Sign-In service could not handle the request. This is on the service's side: try again in a few minutes. The request may have been applied: a 500 answer does not say whether the service did the work before it failed.";
		expect(plain(on.output).slice(1)).toEqual([
			{
				json: { policyId: POLICY, email: 'o1@x.com', error: 'The Sign-In API is unavailable (500 Internal Server Error)', description: unavailable },
				pairedItem: { item: 0 },
			},
		]);
		answerAdd();
		expectCall('DELETE', PATH, 500, '');
		const off = await runNode({ parameters: parameters({ options: { maxShare: 100 }, requestOptions: { maxAttempts: 1 } }), items: [{ e: 'a@x.com' }] });
		expect(off.error?.description).toBe(
			`${unavailable} Sync stopped while removing e-mails, after the adds (policy ${POLICY}: the policy accepted 1 e-mail (a@x.com) of this run without a warning (added, or already there: the API does not say which)). Run it again: the next run removes what is still to go.`,
		);
	});
});

describe('Access Policy > Sync Emails: the policy on the items', () => {
	it('with Continue On Fail, a policy one of whose removes failed carries the adds\' list, not the list of a remove answered before the failure', async () => {
		const calls = expectCall('POST', PATH, 200, { policyEmails: ['a@x.com', 'o1@x.com', 'o2@x.com'], warnings: [] });
		expectCall('DELETE', PATH, 200, { policyEmails: ['a@x.com', 'o2@x.com'], removedEmails: [counts('o1@x.com')] }, {}, calls);
		expectCall('DELETE', PATH, 400, { status: 400, message: 'email is locked' }, {}, calls);
		const result = await runNode({
			parameters: parameters({ options: { maxShare: 100, batchSize: 1 }, requestOptions: { maxAttempts: 1 } }),
			items: [{ e: 'a@x.com' }],
			continueOnFail: true,
		});
		expect(calls.map((call) => [call.method, call.body])).toEqual([
			['POST', { emails: ['a@x.com'] }],
			['DELETE', { emails: ['o1@x.com'], revokeUserEngagement: true }],
			['DELETE', { emails: ['o2@x.com'], revokeUserEngagement: true }],
		]);
		expect(plain(result.output)).toEqual([
			{ json: report(['a@x.com'], ['a@x.com'], ['a@x.com', 'o1@x.com', 'o2@x.com']), pairedItem: { item: 0 } },
			{ json: removed('o1@x.com'), pairedItem: { item: 0 } },
			{
				json: { policyId: POLICY, email: 'o2@x.com', error: 'The Sign-In API rejected the request: email is locked', description: 'Correct the value it names and run again.' },
				pairedItem: { item: 0 },
			},
		]);
	});
});

describe('Access Policy > Sync Emails against the emulator', () => {
	beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1/));

	it('the same input twice: the first run adds and removes, the second sends only the add and removes nothing', async () => {
		const emulator = new SignInEmulator({
			token: TOKEN,
			seed: {
				policies: { [POLICY]: { name: 'Attendees', emails: ['old@acme.com', 'keep@acme.com', '*@staff.acme.com'] } },
				sessions: [{ email: 'old@acme.com', module: 'selfProvisioning' }],
			},
		});
		await emulator.start();
		try {
			const run = () =>
				runNode({
					parameters: parameters(),
					items: [{ e: 'keep@acme.com' }, { e: 'new@acme.com' }],
					credentials: { baseUrl: emulator.url, organizationId: 'demo-org', contextId: 'demo-context', apiToken: TOKEN },
				});
			const first = await run();
			expect(first.output.map((item) => [item.json.status, item.json.email ?? item.json.requestedEmails])).toEqual([
				['alreadyPresent', ['keep@acme.com']],
				['accepted', ['new@acme.com']],
				['removed', 'old@acme.com'],
			]);
			expect(first.output[2].json.revokedLoginsForSelfProvisioning).toBe(1);
			emulator.requests.length = 0;
			const second = await run();
			expect(emulator.requests.map((request) => request.method)).toEqual(['POST']);
			expect(second.output.map((item) => item.json.status)).toEqual(['alreadyPresent', 'alreadyPresent']);
			expect(emulator.store.state.policies[POLICY].emails).toEqual(['keep@acme.com', '*@staff.acme.com', 'new@acme.com']);
			expect(emulator.store.state.sessions).toEqual([]);
		} finally {
			await emulator.stop();
		}
	});
});

describe('Access Policy > Sync Emails wire details', () => {
	it('an e-mail the policy holds in another spelling is removed as the policy spells it', async () => {
		const calls = expectCalls('POST', PATH, 1, () => [200, { policyEmails: ['a@x.com', 'Old@X.com'], warnings: [] }]);
		expectCall('DELETE', PATH, 200, { policyEmails: ['a@x.com'], removedEmails: [counts('old@x.com')] }, {}, calls);
		const result = await runNode({ parameters: parameters({ options: { maxShare: 100 } }), items: [{ e: 'a@x.com' }] });
		expectWire(calls[1], 'DELETE', PATH, { emails: ['Old@X.com'], revokeUserEngagement: true });
		expect(result.output[1].json).toEqual({ ...removed('old@x.com'), email: 'Old@X.com' });
	});
});

describe('Access Policy > Sync Emails: a run that fails as a whole (Continue On Fail)', () => {
	it('gives every item an error item instead of passing the input through, and sends nothing', async () => {
		const result = await runNode({
			parameters: parameters({ options: { maxShare: 150 } }),
			items: [{ e: 'a@x.com' }, { e: 'b@x.com' }],
			continueOnFail: true,
		});
		expect(result.status).toBe('success');
		expect(result.output.map((output) => [output.pairedItem, output.json.error])).toEqual([
			[{ item: 0 }, '[item 0] Max Remove Share (%) 150 must be a number from 0 to 100'],
			[{ item: 1 }, '[item 0] Max Remove Share (%) 150 must be a number from 0 to 100'],
		]);
	});
});
