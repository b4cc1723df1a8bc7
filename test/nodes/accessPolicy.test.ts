/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
import { FORBIDDEN_HELP } from '../../nodes/NetgraphSignIn/transport/errors';
import { expectCall, expectWire, plain, runNode, type RecordedRequest } from '../support/harness';


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
					addedEmails: ['*@external.example.com'],
					warnings: [{ email: 'alice@acme.com', reason: 'already in policy' }],
					policyEmailCount: 3,
					policyEmails: ['alice@acme.com', '*@external.example.com', 'bob@acme.com'],
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

	it('sends the e-mails of all items per policy in batches, and gives each item its own result', async () => {
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
			[`${POLICY}/emails`, { emails: ['c@x.com', 'a@x.com'] }],
			[`${OTHER}/emails`, { emails: ['z@x.com'] }],
		]);
		expect(result.output.map((item) => [item.pairedItem, item.json.addedEmails, item.json.warnings])).toEqual([
			[{ item: 0 }, ['a@x.com'], [{ email: 'alice@acme.com', reason: 'covered by existing pattern *@acme.com' }]],
			[{ item: 1 }, ['z@x.com'], []],
			[{ item: 2 }, ['b@x.com'], []],
			[{ item: 3 }, ['c@x.com', 'a@x.com'], []],
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
		expect(result.output[100].json).toEqual({ policyId: POLICY, requestedEmails: ['p100@x.com'], addedEmails: ['p100@x.com'], warnings: [], policyEmailCount: 150 });
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

