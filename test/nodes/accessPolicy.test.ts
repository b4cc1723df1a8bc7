import { FORBIDDEN_HELP } from '../../nodes/NetgraphSignIn/transport/errors';
import type { IDataObject } from 'n8n-workflow';

import nock from 'nock';
import { sleep } from 'n8n-workflow';

import { ADDED_UNKNOWN } from '../../nodes/NetgraphSignIn/actions/accessPolicy/shared';
import { allAdded } from '../support/policy';
import { BASE_URL, CONTEXT_PATH, expectCall, expectCalls, expectWire, plain, runNode, type RecordedRequest } from '../support/harness';

const POLICY = '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7';
const PATH = `/policies/${POLICY}/emails`;

describe('Access Policy > Add Emails', () => {
	it('sends the spec example byte for byte and reports added e-mails, warnings and the policy', async () => {
		const calls = expectCall('POST', PATH, 200, {
			policyEmails: ['alice@acme.com', '*@external.example.com', 'bob@acme.com'],
			warnings: [{ email: 'alice@acme.com', reason: 'already in policy' }],
		});
		const result = await runNode({
			parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: 'alice@acme.com, *@external.example.com' },
		});
		expectWire(calls[0], 'POST', PATH, { emails: ['alice@acme.com', '*@external.example.com'] });
		expect(plain(result.output)).toEqual([
			{
				json: {
					policyId: POLICY,
					requestedEmails: ['alice@acme.com', '*@external.example.com'],
					acceptedEmails: ['*@external.example.com'],
					addedEmails: null,
					addedEmailsUnknown: ADDED_UNKNOWN,
					warnings: [{ email: 'alice@acme.com', reason: 'already in policy' }],
					presentEmails: ['alice@acme.com', '*@external.example.com'],
					absentEmails: [],
					firstAnswerLost: false,
					policyEmailCount: 3,
					policyEmails: ['alice@acme.com', '*@external.example.com', 'bob@acme.com'],
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('an e-mail the API ignores without a warning (already in the policy, as its docs allow) is accepted, never claimed as added', async () => {
		// bob@acme.com was in the policy before; the answer neither warns about it nor says it was new.
		const calls = expectCall('POST', PATH, 200, { policyEmails: ['bob@acme.com', 'carol@acme.com'], warnings: [] });
		const result = await runNode({
			parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: 'bob@acme.com, carol@acme.com' },
		});
		expectWire(calls[0], 'POST', PATH, { emails: ['bob@acme.com', 'carol@acme.com'] });
		expect(plain(result.output)).toEqual([
			{
				json: {
					policyId: POLICY,
					requestedEmails: ['bob@acme.com', 'carol@acme.com'],
					acceptedEmails: ['bob@acme.com', 'carol@acme.com'],
					addedEmails: null,
					addedEmailsUnknown:
						'The API does not say which accepted e-mails were new: it may ignore one already in the policy without a warning. acceptedEmails lists those it took without a warning.',
					warnings: [],
					presentEmails: ['bob@acme.com', 'carol@acme.com'],
					absentEmails: [],
					firstAnswerLost: false,
					policyEmailCount: 2,
					policyEmails: ['bob@acme.com', 'carol@acme.com'],
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('takes an array from an expression, normalising and de-duplicating it', async () => {
		const calls = expectCall('POST', PATH, 200, { policyEmails: ['carol@acme.com', '*@*.acme.com'], warnings: [] });
		await runNode({
			parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY.toUpperCase(), emails: '={{ $json.list }}' },
			items: [{ list: [' Carol@ACME.com', '*@*.acme.com', 'carol@acme.com'] }],
		});
		expectWire(calls[0], 'POST', PATH, { emails: ['carol@acme.com', '*@*.acme.com'] });
	});

	it('an invalid pattern stops the run before any request, naming item, field, rule and value', async () => {
		const result = await runNode({
			parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: 'alice@acme.com\nbob@' },
		});
		expect(result.error?.message).toBe(
			'[item 0] Emails "bob@" must be an e-mail address (alice@acme.com), a domain wildcard (*@acme.com) or a subdomain wildcard (*@*.acme.com)',
		);
	});

	it('a policy ID that is not a UUID is refused', async () => {
		const result = await runNode({
			parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: 'staff', emails: 'a@acme.com' },
		});
		expect(result.error?.message).toBe('[item 0] Access Policy ID "staff" must be a UUID, e.g. 7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7f');
	});

	it('surfaces the Access Policy error body with its request ID', async () => {
		expectCall('POST', PATH, 400, { status: 400, message: 'access policy not found', request_id: '6f5e4d3c-1' });
		const result = await runNode({
			parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: 'a@acme.com' },
		});
		expect(result.error?.message).toBe('The Sign-In API rejected the request: access policy not found');
		expect(result.error?.description).toBe(
			'Correct the value it names and run again. Request ID: 6f5e4d3c-1 (quote it if you contact Netgraph support).',
		);
	});

	it('an empty 200 answer is explained, not passed on as success', async () => {
		expectCall('POST', PATH, 200, '');
		const result = await runNode({
			parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: 'a@acme.com' },
		});
		expect(result.error?.message).toBe(
			'The Sign-In API answered 200 with an empty body instead of the policy e-mails and warnings',
		);
	});

	it('403 explains the IP allow-list and the IDs', async () => {
		expectCall('POST', PATH, 403, { status: 403, message: 'Forbidden', request_id: 'r-403' });
		const result = await runNode({
			parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: 'a@acme.com' },
		});
		expect(result.error?.message).toBe('The Sign-In API denied access to this Sign-In Context (403 Forbidden)');
		expect(result.error?.description).toBe(
			`${FORBIDDEN_HELP} Request ID: r-403 (quote it if you contact Netgraph support).`,
		);
	});
});

describe('Access Policy > Remove Emails', () => {
	it('sends DELETE with the spec example body byte for byte and reports revoke counts', async () => {
		const removed = {
			email: 'alice@acme.com',
			revokedLoginsForSelfProvisioning: 3,
			revokedLoginsForMeetingHost: 0,
			revokedWhitelisting: 0,
			revokeLoginsforConferences: 1,
		};
		const calls = expectCall('DELETE', PATH, 200, {
			policyEmails: ['*@external.example.com', 'bob@acme.com'],
			removedEmails: [removed],
		});
		const result = await runNode({
			parameters: { resource: 'accessPolicy', operation: 'removeEmails', policyId: POLICY, emails: 'alice@acme.com', revokeUserEngagement: true },
		});
		expectWire(calls[0], 'DELETE', PATH, { emails: ['alice@acme.com'], revokeUserEngagement: true });
		expect(plain(result.output)).toEqual([
			{
				json: {
					policyId: POLICY,
					requestedEmails: ['alice@acme.com'],
					removedEmails: [removed],
					notInPolicy: [],
					revokeUserEngagement: true,
					presentEmails: [],
					absentEmails: ['alice@acme.com'],
					firstAnswerLost: false,
					policyEmailCount: 2,
					policyEmails: ['*@external.example.com', 'bob@acme.com'],
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('revokes by default, can keep sessions, and lists what was not in the policy', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('DELETE', PATH, 200, { policyEmails: [], removedEmails: [] }, {}, calls);
		expectCall('DELETE', PATH, 200, { policyEmails: [], removedEmails: [] }, {}, calls);
		const result = await runNode({
			parameters: {
				resource: 'accessPolicy',
				operation: 'removeEmails',
				policyId: POLICY,
				emails: '={{ $json.e }}',
				revokeUserEngagement: '={{ $json.revoke }}',
			},
			items: [{ e: 'gone@acme.com', revoke: true }, { e: '*@acme.com', revoke: false }],
		});
		expect(calls.map((call) => call.body)).toEqual([
			{ emails: ['gone@acme.com'], revokeUserEngagement: true },
			{ emails: ['*@acme.com'], revokeUserEngagement: false },
		]);
		expect(result.output.map((item) => [item.json.notInPolicy, item.pairedItem])).toEqual([
			[['gone@acme.com'], { item: 0 }],
			[['*@acme.com'], { item: 1 }],
		]);
	});

	it('with Continue On Fail, a bad item becomes an error item and the valid ones are still sent', async () => {
		const calls = expectCall('DELETE', PATH, 200, { policyEmails: [], removedEmails: [] });
		const result = await runNode({
			parameters: { resource: 'accessPolicy', operation: 'removeEmails', policyId: POLICY, emails: '={{ $json.e }}' },
			items: [{ e: 'not-an-email' }, { e: 'ok@acme.com' }],
			continueOnFail: true,
		});
		expect(calls).toHaveLength(1);
		expect(plain(result.output)).toEqual([
			{
				json: {
					error:
						'[item 0] Emails "not-an-email" must be an e-mail address (alice@acme.com), a domain wildcard (*@acme.com) or a subdomain wildcard (*@*.acme.com)',
					description: 'Correct the Emails of item 0 and run again. Nothing was sent for this item.',
				},
				pairedItem: { item: 0 },
			},
			{
				json: {
					policyId: POLICY,
					requestedEmails: ['ok@acme.com'],
					removedEmails: [],
					notInPolicy: ['ok@acme.com'],
					revokeUserEngagement: true,
					presentEmails: [],
					absentEmails: ['ok@acme.com'],
					firstAnswerLost: false,
					policyEmailCount: 0,
					policyEmails: [],
				},
				pairedItem: { item: 1 },
			},
		]);
	});
});

describe('Access Policy > batching across items', () => {
	const OTHER = '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

	it('sends the e-mails of all items per policy in batches, each e-mail once, and gives each item its own result', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', PATH, 200, {
			policyEmails: ['*@acme.com', 'a@x.com', 'b@x.com'],
			warnings: [{ email: 'alice@acme.com', reason: 'covered by existing pattern *@acme.com' }],
		}, {}, calls);
		expectCall('POST', PATH, 200, { policyEmails: ['*@acme.com', 'a@x.com', 'b@x.com', 'c@x.com'], warnings: [] }, {}, calls);
		expectCall('POST', `/policies/${OTHER}/emails`, 200, { policyEmails: ['z@x.com'], warnings: [] }, {}, calls);
		const result = await runNode({
			parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: '={{ $json.p }}', emails: '={{ $json.e }}', options: { batchSize: 3 } },
			items: [
				{ p: POLICY, e: 'a@x.com, alice@acme.com' },
				{ p: OTHER, e: 'z@x.com' },
				{ p: POLICY, e: 'b@x.com' },
				{ p: POLICY, e: 'c@x.com, a@x.com' },
			],
		});
		expect(calls.map((call) => [call.path.split('/policies/')[1], call.body])).toEqual([
			[`${POLICY}/emails`, { emails: ['a@x.com', 'alice@acme.com', 'b@x.com'] }],
			[`${POLICY}/emails`, { emails: ['c@x.com'] }],
			[`${OTHER}/emails`, { emails: ['z@x.com'] }],
		]);
		expect(result.output.map((item) => [item.pairedItem, item.json.acceptedEmails, item.json.warnings, item.json.absentEmails, item.json.policyEmailCount])).toEqual([
			[{ item: 0 }, ['a@x.com'], [{ email: 'alice@acme.com', reason: 'covered by existing pattern *@acme.com' }], ['alice@acme.com'], 3],
			[{ item: 1 }, ['z@x.com'], [], [], 1],
			[{ item: 2 }, ['b@x.com'], [], [], 3],
			// a@x.com went with the first request; the item's policy list is the latest answer's.
			[{ item: 3 }, ['c@x.com', 'a@x.com'], [], [], 4],
		]);
	});

	it('groups removals by policy and by Revoke Active Sign-Ins', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('DELETE', PATH, 200, { policyEmails: [], removedEmails: [] }, {}, calls);
		expectCall('DELETE', PATH, 200, { policyEmails: [], removedEmails: [] }, {}, calls);
		await runNode({
			parameters: { resource: 'accessPolicy', operation: 'removeEmails', policyId: POLICY, emails: '={{ $json.e }}', revokeUserEngagement: '={{ $json.r }}' },
			items: [
				{ e: 'a@x.com', r: true },
				{ e: 'b@x.com', r: false },
				{ e: 'c@x.com', r: true },
			],
		});
		expect(calls.map((call) => call.body)).toEqual([
			{ emails: ['a@x.com', 'c@x.com'], revokeUserEngagement: true },
			{ emails: ['b@x.com'], revokeUserEngagement: false },
		]);
	});
});

describe('Access Policy > policy e-mails in the output', () => {
	const answer = { policyEmails: Array.from({ length: 150 }, (_, i) => `p${i}@x.com`), warnings: [] };
	const items = Array.from({ length: 101 }, (_, i) => ({ e: `p${i}@x.com` }));

	it('Auto: runs over 100 items get the count only, since every item would repeat the list', async () => {
		expectCall('POST', PATH, 200, answer);
		const result = await runNode({ parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: '={{ $json.e }}' }, items });
		expect(result.output).toHaveLength(101);
		expect(result.output[100].json).toEqual({
			policyId: POLICY,
			requestedEmails: ['p100@x.com'],
			acceptedEmails: ['p100@x.com'],
			addedEmails: null,
			addedEmailsUnknown: ADDED_UNKNOWN,
			warnings: [],
			presentEmails: ['p100@x.com'],
			absentEmails: [],
			firstAnswerLost: false,
			policyEmailCount: 150,
		});
	});

	it('Always: every item carries the list', async () => {
		expectCall('POST', PATH, 200, answer);
		const result = await runNode({
			parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: '={{ $json.e }}', options: { policyEmailsOutput: 'always' } },
			items,
		});
		expect(result.output[100].json.policyEmails).toEqual(answer.policyEmails);
	});

	it('Count Only: no item carries the list', async () => {
		expectCall('POST', PATH, 200, answer);
		const result = await runNode({
			parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: 'p1@x.com', options: { policyEmailsOutput: 'never' } },
		});
		expect(result.output[0].json).not.toHaveProperty('policyEmails');
		expect(result.output[0].json.policyEmailCount).toBe(150);
	});
});


const emailList = (count: number, from = 0) => Array.from({ length: count }, (_, i) => `guest${from + i}@x.com`);

/** A policy service for many requests: it adds what it is sent, and refuses a request holding a `refused` e-mail. */
function policyService(refused: string[] = [], message = (email: string) => `email not allowed: ${email}`) {
	const policy: string[] = [];
	return (body: unknown): [number, IDataObject] => {
		const emails = (body as { emails: string[] }).emails;
		const bad = emails.find((email) => refused.includes(email));
		if (bad) return [400, { status: 400, message: message(bad), request_id: 'r-400' }];
		policy.push(...emails.filter((email) => !policy.includes(email)));
		return [200, { policyEmails: [...policy], warnings: [] }];
	};
}

const addMany = (extra: IDataObject = {}) => ({ resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: '={{ $json.e }}', ...extra });

describe('Access Policy > Batch Size is a hard cap on one request', () => {
	it('one item with 2,000 e-mails is sent in four requests of 500 and gets one output item', async () => {
		const calls = expectCalls('POST', PATH, 4, policyService());
		const emails = emailList(2000);
		const result = await runNode({ parameters: addMany(), items: [{ e: emails }] });
		expect(calls).toHaveLength(4);
		calls.forEach((call, i) => expectWire(call, 'POST', PATH, { emails: emails.slice(i * 500, (i + 1) * 500) }));
		expect(plain(result.output)).toEqual([{ json: allAdded(emails, emails), pairedItem: { item: 0 } }]);
	});

	it('an item whose requests partly fail is an error item that lists what was answered and what not', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', PATH, 200, { policyEmails: emailList(2), warnings: [] }, {}, calls);
		expectCall('POST', PATH, 500, '', {}, calls);
		expectCall('POST', PATH, 200, { policyEmails: [...emailList(2), ...emailList(2, 4)], warnings: [{ email: 'guest5@x.com', reason: 'already in policy' }] }, {}, calls);
		const result = await runNode({
			parameters: addMany({ options: { batchSize: 2 } }),
			items: [{ e: emailList(6) }],
			continueOnFail: true,
		});
		expect(calls.map((call) => call.body)).toEqual([
			{ emails: ['guest0@x.com', 'guest1@x.com'] },
			{ emails: ['guest2@x.com', 'guest3@x.com'] },
			{ emails: ['guest4@x.com', 'guest5@x.com'] },
		]);
		expect(plain(result.output)).toEqual([
			{
				json: {
					error: 'The Sign-In API is unavailable (500 Internal Server Error)',
					description:
						"The Sign-In service could not handle the request. This is on the service's side: try again in a few minutes. The request may have been applied: a 500 answer does not say whether the service did the work before it failed. Only part of this item went through: the service answered for 4 of its 6 e-mails (see the other fields), not for the 2 in failedEntries. They may have been applied (see the error for why).",
					policyId: POLICY,
					requestedEmails: emailList(6),
					acceptedEmails: ['guest0@x.com', 'guest1@x.com', 'guest4@x.com'],
					addedEmails: null,
					addedEmailsUnknown: ADDED_UNKNOWN,
					warnings: [{ email: 'guest5@x.com', reason: 'already in policy' }],
					presentEmails: ['guest0@x.com', 'guest1@x.com', 'guest4@x.com', 'guest5@x.com'],
					absentEmails: [],
					firstAnswerLost: false,
					policyEmailCount: 4,
					policyEmails: [...emailList(2), ...emailList(2, 4)],
					failedEntries: [
						{ email: 'guest2@x.com', error: 'The Sign-In API is unavailable (500 Internal Server Error)', mayHaveBeenApplied: true },
						{ email: 'guest3@x.com', error: 'The Sign-In API is unavailable (500 Internal Server Error)', mayHaveBeenApplied: true },
					],
				},
				pairedItem: { item: 0 },
			},
		]);
	});
});

describe('Access Policy > Continue On Fail off', () => {
	it('the first failed request stops the run, sends nothing more and says what the other requests did', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', PATH, 200, { policyEmails: ['guest0@x.com'], warnings: [] }, {}, calls);
		expectCall('POST', PATH, 500, '', {}, calls);
		const result = await runNode({ parameters: addMany({ options: { batchSize: 1 } }), items: emailList(3).map((e) => ({ e })) });
		expect(calls.map((call) => call.body)).toEqual([{ emails: ['guest0@x.com'] }, { emails: ['guest1@x.com'] }]);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('The Sign-In API is unavailable (500 Internal Server Error)');
		expect(result.error?.description).toBe(
			"The Sign-In service could not handle the request. This is on the service's side: try again in a few minutes. The request may have been applied: a 500 answer does not say whether the service did the work before it failed. Of the run's 2 other e-mails, the service had answered for 1 and the rest were not applied.",
		);
	});

	it('a refused batch is not split: the run fails with the service message and nothing of it is applied', async () => {
		const calls = expectCalls('POST', PATH, 1, policyService(['guest2@x.com']));
		const result = await runNode({ parameters: addMany(), items: emailList(4).map((e) => ({ e })) });
		expect(calls.map((call) => call.body)).toEqual([{ emails: emailList(4) }]);
		expect(result.error?.message).toBe('The Sign-In API rejected the request: email not allowed: guest2@x.com');
		expect(result.error?.description).toBe('Correct the value it names and run again. Request ID: r-400 (quote it if you contact Netgraph support).');
	});
});

describe('Access Policy > a batch the service refuses with 400 (Continue On Fail)', () => {

	it('is split in halves until only the refused e-mail fails; every other e-mail is applied', async () => {
		const calls = expectCalls('POST', PATH, 5, policyService(['guest2@x.com']));
		const result = await runNode({ parameters: addMany(), items: emailList(4).map((e) => ({ e })), continueOnFail: true });
		expect(calls.map((call) => (call.body as { emails: string[] }).emails)).toEqual([
			emailList(4),
			['guest0@x.com', 'guest1@x.com'],
			['guest2@x.com', 'guest3@x.com'],
			['guest2@x.com'],
			['guest3@x.com'],
		]);
		calls.forEach((call) => expectWire(call, 'POST', PATH, call.body));
		expect(plain(result.output)).toEqual([
			{ json: allAdded(['guest0@x.com'], ['guest0@x.com', 'guest1@x.com']), pairedItem: { item: 0 } },
			{ json: allAdded(['guest1@x.com'], ['guest0@x.com', 'guest1@x.com']), pairedItem: { item: 1 } },
			{
				json: {
					error: 'The Sign-In API rejected the request: email not allowed: guest2@x.com',
					description: 'Correct the value it names and run again. Request ID: r-400 (quote it if you contact Netgraph support).',
				},
				pairedItem: { item: 2 },
			},
			{ json: allAdded(['guest3@x.com'], ['guest0@x.com', 'guest1@x.com', 'guest3@x.com']), pairedItem: { item: 3 } },
		]);
	});

	it('an item whose e-mails span a refused request is an error item naming the refused e-mail and what was added', async () => {
		const calls = expectCalls('POST', PATH, 2, policyService(['guest2@x.com']));
		const result = await runNode({ parameters: addMany({ options: { batchSize: 2 } }), items: [{ e: emailList(3) }], continueOnFail: true });
		expect(calls.map((call) => (call.body as { emails: string[] }).emails)).toEqual([emailList(2), ['guest2@x.com']]);
		const error = 'The Sign-In API rejected the request: email not allowed: guest2@x.com';
		expect(plain(result.output)).toEqual([
			{
				json: {
					error,
					description:
						'Correct the value it names and run again. Request ID: r-400 (quote it if you contact Netgraph support). Only part of this item went through: the service answered for 2 of its 3 e-mails (see the other fields), not for the 1 in failedEntries. It was not applied.',
					...allAdded(emailList(2), emailList(2)),
					requestedEmails: emailList(3),
					failedEntries: [{ email: 'guest2@x.com', error, mayHaveBeenApplied: false }],
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('a refusal both halves repeat is not about an e-mail: the batch fails whole, and a later batch refused alike is not split', async () => {
		const calls = expectCalls('POST', PATH, 4, () => [400, { status: 400, message: 'access policy not found', request_id: 'r-400' }]);
		const result = await runNode({
			// One batch at a time, so that the second is sent after the first's halves were refused.
			parameters: addMany({ options: { batchSize: 3 }, requestOptions: { concurrency: 1 } }),
			items: emailList(6).map((e) => ({ e })),
			continueOnFail: true,
		});
		expect(calls.map((call) => (call.body as { emails: string[] }).emails)).toEqual([
			emailList(3),
			['guest0@x.com', 'guest1@x.com'],
			['guest2@x.com'],
			emailList(3, 3),
		]);
		const base = 'Correct the value it names and run again. Request ID: r-400 (quote it if you contact Netgraph support).';
		const first = `${base} Both halves of the request were refused with the same message, so it is not about one e-mail: none of its 3 e-mails was applied.`;
		const later = `${base} An earlier request of this run was refused with the same message in both its halves, so it is not about one e-mail: none of this request's 3 e-mails was applied.`;
		expect(plain(result.output)).toEqual(
			[first, first, first, later, later, later].map((description, item) => ({
				json: { error: 'The Sign-In API rejected the request: access policy not found', description },
				pairedItem: { item },
			})),
		);
	});

	it('spends at most 4 × ⌈log₂ n⌉ extra requests on one refused batch, then fails what it has not isolated', async () => {
		const calls = expectCalls('POST', PATH, 13, policyService(emailList(8)));
		const result = await runNode({
			parameters: addMany({ options: { batchSize: 8 } }),
			items: emailList(8).map((e) => ({ e })),
			continueOnFail: true,
		});
		expect(calls).toHaveLength(1 + 12);
		const description = 'Correct the value it names and run again. Request ID: r-400 (quote it if you contact Netgraph support).';
		const notIsolated = `${description} The node split the refused request to find the refused e-mails and stopped after 12 extra requests; this e-mail was in a part of 2 that the service refused as a whole and was not applied.`;
		expect(plain(result.output)).toEqual([
			...emailList(6).map((email, item) => ({
				json: { error: `The Sign-In API rejected the request: email not allowed: ${email}`, description },
				pairedItem: { item },
			})),
			...[6, 7].map((item) => ({
				json: { error: 'The Sign-In API rejected the request: email not allowed: guest6@x.com', description: notIsolated },
				pairedItem: { item },
			})),
		]);
	});

	it('a 400 after a lost answer is not split: the first attempt may have been applied', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', PATH, 502, '', {}, calls);
		expectCall('POST', PATH, 400, { status: 400, message: 'email not allowed: guest1@x.com', request_id: 'r-400' }, {}, calls);
		const result = await runNode({
			parameters: addMany({ requestOptions: { maxAttempts: 2, initialDelayMs: 0 } }),
			items: emailList(2).map((e) => ({ e })),
			continueOnFail: true,
		});
		expect(calls).toHaveLength(2);
		const json = {
			error: 'The Sign-In API rejected the request: email not allowed: guest1@x.com',
			description:
				'Correct the value it names and run again. Request ID: r-400 (quote it if you contact Netgraph support). Tried 2 times. An earlier attempt may have been applied: its answer of 500 or above does not say whether the service did the work before it failed.',
		};
		expect(plain(result.output)).toEqual([
			{ json, pairedItem: { item: 0 } },
			{ json, pairedItem: { item: 1 } },
		]);
	});

	it('401, 403 and 5xx are never split', async () => {
		for (const status of [401, 403, 500]) {
			const calls = expectCall('POST', PATH, status, { status, message: 'no', request_id: 'r' });
			const result = await runNode({ parameters: addMany(), items: emailList(4).map((e) => ({ e })), continueOnFail: true });
			expect([status, calls.length, result.output.length]).toEqual([status, 1, 4]);
		}
	});
});

describe('Access Policy > after a lost answer', () => {
	const fast = { maxAttempts: 2, initialDelayMs: 0 };

	it('Add: which e-mails this run added is unknown (null); which the policy now holds is known', async () => {
		expectCall('POST', PATH, 502, '');
		expectCall('POST', PATH, 200, {
			policyEmails: ['a@acme.com', 'b@acme.com', '*@y.com'],
			warnings: [
				{ email: 'a@acme.com', reason: 'already in policy' },
				{ email: 'b@acme.com', reason: 'already in policy' },
				{ email: 'c@y.com', reason: 'covered by existing pattern *@y.com' },
			],
		});
		const result = await runNode({ parameters: addMany({ emails: 'a@acme.com, b@acme.com, c@y.com', requestOptions: fast }) });
		expect(plain(result.output)).toEqual([
			{
				json: {
					policyId: POLICY,
					requestedEmails: ['a@acme.com', 'b@acme.com', 'c@y.com'],
					acceptedEmails: null,
					addedEmails: null,
					addedEmailsUnknown: ADDED_UNKNOWN,
					warnings: null,
					presentEmails: ['a@acme.com', 'b@acme.com'],
					absentEmails: ['c@y.com'],
					firstAnswerLost: true,
					policyEmailCount: 3,
					policyEmails: ['a@acme.com', 'b@acme.com', '*@y.com'],
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('Remove: what this run removed is unknown (null); the removals the retry reports are kept apart', async () => {
		const removed = { email: 'b@acme.com', revokedLoginsForSelfProvisioning: 1, revokedLoginsForMeetingHost: 0, revokedWhitelisting: 0, revokeLoginsforConferences: 0 };
		expectCall('DELETE', PATH, 502, '');
		expectCall('DELETE', PATH, 200, { policyEmails: ['keep@acme.com'], removedEmails: [removed] });
		const result = await runNode({
			parameters: { resource: 'accessPolicy', operation: 'removeEmails', policyId: POLICY, emails: 'a@acme.com, b@acme.com', requestOptions: fast },
		});
		expect(plain(result.output)).toEqual([
			{
				json: {
					policyId: POLICY,
					requestedEmails: ['a@acme.com', 'b@acme.com'],
					removedEmails: null,
					notInPolicy: null,
					reportedRemovedEmails: [removed],
					revokeUserEngagement: true,
					presentEmails: [],
					absentEmails: ['a@acme.com', 'b@acme.com'],
					firstAnswerLost: true,
					policyEmailCount: 1,
					policyEmails: ['keep@acme.com'],
				},
				pairedItem: { item: 0 },
			},
		]);
	});
});

describe('Access Policy > concurrency', () => {
	/**
	 * Three batches of two in flight at once, answered last first. `apply` is how the service
	 * makes one change: it gets the policy as the request found it and returns it after.
	 */
	function threeAtOnce(apply: (found: string[], emails: string[]) => string[], extra = 0) {
		let policy: string[] = [];
		const arrived: Array<{ emails: string[]; answer: () => void }> = [];
		const calls: string[][] = [];
		nock(BASE_URL)
			.intercept(`${CONTEXT_PATH}${PATH}`, 'POST')
			.times(3 + extra)
			.reply((_uri, body, callback) => {
				const { emails } = body as { emails: string[] };
				calls.push(emails);
				const found = [...policy];
				const answer = (after: string[]) => callback(null, [200, { policyEmails: after, warnings: [] }]);
				if (calls.length > 3) return answer((policy = apply(policy, emails)));
				arrived.push({ emails, answer: () => answer((policy = apply(found, emails))) });
				// All three are in flight before any is answered; they are answered last first, 10 ms apart.
				if (arrived.length === 3) [...arrived].reverse().forEach((request, index) => void sleep(index * 10).then(request.answer));
			});
		return { calls, policy: () => policy };
	}
	const union = (found: string[], emails: string[]) => [...found, ...emails.filter((email) => !found.includes(email))];

	it('sends up to Concurrency batches at once; outputs keep the input order whatever order the answers come in', async () => {
		// The service applies the changes one after another, so the lists it answers with agree.
		let policy: string[] = [];
		const service = threeAtOnce((_found, emails) => (policy = union(policy, emails)));
		const result = await runNode({
			parameters: addMany({ options: { batchSize: 2 }, requestOptions: { concurrency: 3 } }),
			items: emailList(6).map((e) => ({ e })),
		});
		expect(service.calls).toEqual([emailList(2), emailList(2, 2), emailList(2, 4)]);
		// Applied and answered last first: each item shows the list its own batch's answer gave.
		const lists = [[...emailList(2, 4), ...emailList(2, 2), ...emailList(2)], [...emailList(2, 4), ...emailList(2, 2)], emailList(2, 4)];
		expect(result.output.map((item) => [item.pairedItem, item.json.acceptedEmails, item.json.policyEmails])).toEqual(
			emailList(6).map((email, item) => [{ item }, [email], lists[Math.floor(item / 2)]]),
		);
	});

	it('when changes made at once were lost (each request wrote the list as it found it plus its own), sends the missing ones again alone', async () => {
		const service = threeAtOnce(union, 2);
		const result = await runNode({
			parameters: addMany({ options: { batchSize: 2 }, requestOptions: { concurrency: 3 } }),
			items: emailList(6).map((e) => ({ e })),
		});
		// The three answers hold only their own e-mails; the one answered last, the first batch's, is
		// taken as the policy (every list differs by as much), and the other four are sent again in
		// batches of Batch Size, one at a time.
		expect(service.calls).toEqual([emailList(2), emailList(2, 2), emailList(2, 4), emailList(2, 2), emailList(2, 4)]);
		expect(service.policy()).toEqual(emailList(6));
		expect(result.output.map((item) => [item.pairedItem, item.json.presentEmails, item.json.policyEmails])).toEqual(
			emailList(6).map((email, item) => [{ item }, [email], item < 2 ? emailList(2) : emailList(6)]),
		);
	});

	it('fails the e-mails that even the answer to sending them again alone does not show, and says their state is unknown', async () => {
		// A service that keeps losing: the repeat is answered with a list that still lacks guest5.
		const service = threeAtOnce((found, emails) => union(found, emails.filter((email) => email !== 'guest5@x.com' || found.length === 0)), 2);
		const result = await runNode({
			parameters: addMany({ options: { batchSize: 2 }, requestOptions: { concurrency: 3 } }),
			items: emailList(6).map((e) => ({ e })),
			continueOnFail: true,
		});
		expect(service.calls).toHaveLength(5);
		const message = 'The service\'s answers disagree about e-mail guest5@x.com';
		expect(result.output[5].json.error).toBe(message);
		expect(result.output[5].json.description).toBe(
			"Requests sent side by side got answers that disagree about this e-mail, and so did the answer to sending it again alone: whether it is in effect is unknown. Check it in the Sign-In admin, then run again with Concurrency 1.",
		);
		expect(result.output.slice(0, 5).map((item) => [item.pairedItem, item.json.error])).toEqual(emailList(5).map((_, item) => [{ item }, undefined]));
	});

	it('pinned to 1, sends one batch at a time and compares no lists: each answer came after the one before', async () => {
		// Lists that would disagree if the batches had been in flight together.
		const calls = expectCalls('POST', PATH, 3, (body) => [200, { policyEmails: (body as { emails: string[] }).emails, warnings: [] }]);
		const result = await runNode({ parameters: addMany({ options: { batchSize: 2 }, requestOptions: { concurrency: 1 } }), items: emailList(6).map((e) => ({ e })) });
		expect(calls.map((call) => (call.body as { emails: string[] }).emails)).toEqual([emailList(2), emailList(2, 2), emailList(2, 4)]);
		expect(result.output.map((item) => [item.pairedItem, item.json.error])).toEqual(emailList(6).map((_, item) => [{ item }, undefined]));
	});

});
