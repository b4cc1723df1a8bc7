/**
 * Access Policy Sync E-Mails' Mode (version 1.1), its plan and approved plans, through n8n's
 * engine. The API cannot list a policy: Preview reads one by asking it to remove an address at
 * the reserved `.invalid` domain, which no policy holds, and that is the only request it sends.
 */
import nock from 'nock';
import { NodeHelpers, type IDataObject, type INode } from 'n8n-workflow';

import { SignInEmulator } from '../../emulator/server';
import { operations } from '../../nodes/NetgraphSignIn/actions';
import { NetgraphSignIn } from '../../nodes/NetgraphSignIn/NetgraphSignIn.node';
import { expectCall, expectWire, plain, runNode, type RecordedRequest } from '../support/harness';

const POLICY = '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7';
const PATH = `/policies/${POLICY}/emails`;
const READ = { emails: ['n8n-sync-read@policy.invalid'], revokeUserEngagement: false };

const parameters = (extra: IDataObject = {}): IDataObject => ({ resource: 'accessPolicy', operation: 'syncEmails', policyId: POLICY, emails: '={{ $json.e }}', ...extra });
const wire = (calls: RecordedRequest[]) => calls.map((call) => [call.method, call.body]);

/** The policy's answer to the read: what it holds, nothing removed. */
const holds = (policyEmails: string[], calls: RecordedRequest[] = []) => expectCall('DELETE', PATH, 200, { policyEmails, removedEmails: [] }, {}, calls);

const POLICY_NOW = ['old@acme.com', 'keep@acme.com', '*@partner.example'];
const ITEMS = [{ e: 'keep@acme.com' }, { e: 'new@acme.com' }];

async function preview(policyEmails: string[], items: IDataObject[], extra: IDataObject = {}): Promise<IDataObject> {
	const calls = holds(policyEmails);
	const result = await runNode({ typeVersion: 1.1, parameters: parameters(extra), items });
	expect(wire(calls)).toEqual([['DELETE', READ]]);
	return result.output.at(-1)!.json;
}

describe('Access Policy > Sync Emails > Mode by node version', () => {
	it('a node of version 1.1 without Mode previews: it sends only the read and outputs one item per input item, one per remove, and the plan', async () => {
		const calls = holds(POLICY_NOW);
		const result = await runNode({ typeVersion: 1.1, parameters: parameters(), items: ITEMS });
		expect(calls).toHaveLength(1);
		expectWire(calls[0], 'DELETE', PATH, READ);
		expect(plain(result.output)).toEqual([
			{ json: { policyId: POLICY, requestedEmails: ['keep@acme.com'], addEmails: [], presentEmails: ['keep@acme.com'], status: 'unchanged' }, pairedItem: { item: 0 } },
			{ json: { policyId: POLICY, requestedEmails: ['new@acme.com'], addEmails: ['new@acme.com'], presentEmails: [], status: 'add' }, pairedItem: { item: 1 } },
			{ json: { policyId: POLICY, email: 'old@acme.com', status: 'remove' }, pairedItem: { item: 0 } },
			{
				json: {
					status: 'plan',
					policies: 1,
					adds: 1,
					removes: 1,
					kept: 0,
					unchanged: 1,
					inScope: 2,
					maxShare: 50,
					removeShare: 50,
					applyAllowed: true,
					reason: null,
					planId: expect.stringMatching(/^[0-9a-f]{64}$/),
					summary: 'Sync E-Mails: 1 to add, 1 to remove, 0 kept, in 1 policy: remove old@acme.com; add new@acme.com',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('a node of version 1 without Mode applies as before: the adds, then the removes', async () => {
		const calls = expectCall('POST', PATH, 200, { policyEmails: [...POLICY_NOW, 'new@acme.com'], warnings: [{ email: 'keep@acme.com', reason: 'already in policy' }] });
		expectCall('DELETE', PATH, 200, { policyEmails: ['keep@acme.com', '*@partner.example', 'new@acme.com'], removedEmails: [] }, {}, calls);
		const result = await runNode({ typeVersion: 1, parameters: parameters(), items: ITEMS });
		expect(result.status).toBe('success');
		expect(wire(calls)).toEqual([
			['POST', { emails: ['keep@acme.com', 'new@acme.com'] }],
			['DELETE', { emails: ['old@acme.com'], revokeUserEngagement: true }],
		]);
	});

	it('the Mode shown defaults to Apply in version 1 and to Preview from 1.1; no other stored default differs, and only version 1 shows its notice', () => {
		const { description } = new NetgraphSignIn();
		const defaults = (typeVersion: number, resource: string, operation: string) => {
			const node = { name: 'Probe', type: 'netgraphSignIn', typeVersion, position: [0, 0], parameters: {} } as unknown as INode;
			return NodeHelpers.getNodeParameters(description.properties, { resource, operation }, true, false, node, description)!;
		};
		for (const [resource, byName] of Object.entries(operations)) {
			for (const operation of Object.keys(byName)) {
				const [{ version1Notice, ...v1 }, v11] = [defaults(1, resource, operation), defaults(1.1, resource, operation)];
				expect([version1Notice, 'version1Notice' in v11]).toEqual(['', false]);
				if (operation === 'syncEmails') {
					expect([v1.mode, v11.mode]).toEqual(['apply', 'preview']);
					expect({ ...v1, mode: 'any' }).toEqual({ ...v11, mode: 'any' });
				} else expect(v1).toEqual(v11);
			}
		}
		expect([description.version, description.defaultVersion]).toEqual([[1, 1.1], 1.1]);
	});
	it('Preview keeps a wildcard in Scope that may be what lets in an input e-mail the policy does not hold as itself', async () => {
		holds(['*@acme.com', 'keep@acme.com', 'old@other.example']);
		const result = await runNode({ typeVersion: 1.1, parameters: parameters({ scope: 'all', options: { maxShare: 100 } }), items: ITEMS });
		expect(plain(result.output).slice(2)).toEqual([
			{ json: { policyId: POLICY, email: 'old@other.example', status: 'remove' }, pairedItem: { item: 0 } },
			{
				json: {
					policyId: POLICY,
					email: '*@acme.com',
					status: 'kept',
					reason:
						'In Scope and named by no item, but it may be what lets in 1 e-mail (new@acme.com) of the input, which the policy does not hold as themselves: removing it could end their access. To replace it by the addresses, remove it with Remove E-Mails and run Sync again.',
				},
				pairedItem: { item: 0 },
			},
			{
				json: expect.objectContaining({ kept: 1, removes: 1, inScope: 3, removeShare: 33.3, summary: 'Sync E-Mails: 1 to add, 1 to remove, 1 kept, in 1 policy: remove old@other.example; add new@acme.com' }),
				pairedItem: { item: 0 },
			},
		]);
	});
	it('a plan of several policies reads each once and names the policy of each change', async () => {
		const OTHER = '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
		const calls = holds(['old@acme.com', 'keep@acme.com']);
		expectCall('DELETE', `/policies/${OTHER}/emails`, 200, { policyEmails: ['x@acme.com'], removedEmails: [] }, {}, calls);
		const result = await runNode({
			typeVersion: 1.1,
			parameters: parameters({ policyId: '={{ $json.p }}', options: { maxShare: 100 } }),
			items: [{ e: 'keep@acme.com', p: POLICY }, { e: 'y@acme.com', p: OTHER }],
		});
		expect(wire(calls)).toEqual([['DELETE', READ], ['DELETE', READ]]);
		expect(result.output.at(-1)!.json).toMatchObject({
			policies: 2,
			adds: 1,
			removes: 2,
			inScope: 3,
			removeShare: 100,
			summary: `Sync E-Mails: 1 to add, 2 to remove, 0 kept, in 2 policies: remove old@acme.com (policy ${POLICY}); remove x@acme.com (policy ${OTHER}); add y@acme.com (policy ${OTHER})`,
		});
	});
});

describe('Access Policy > Sync Emails > planId', () => {
	it('the same input against the same policy gives the same planId, whatever the order of the items or of the policy', async () => {
		const first = await preview(POLICY_NOW, ITEMS);
		const again = await preview([...POLICY_NOW].reverse(), [...ITEMS].reverse());
		expect(again.planId).toBe(first.planId);
		expect(again.summary).toBe(first.summary);
	});

	it.each([
		['another input', POLICY_NOW, [...ITEMS, { e: 'more@acme.com' }], {}],
		['an e-mail added by someone else', [...POLICY_NOW, 'other@acme.com'], ITEMS, {}],
		['another Scope', POLICY_NOW, ITEMS, { scope: 'all' }],
		['another Revoke Active Sign-Ins', POLICY_NOW, ITEMS, { revokeUserEngagement: false }],
	])('%s gives another planId', async (_case, policy, items, extra) => {
		const first = await preview(POLICY_NOW, ITEMS);
		expect((await preview(policy, items, extra)).planId).not.toBe(first.planId);
	});
});

describe('Access Policy > Sync Emails > Apply with an Approved Plan ID', () => {
	// Keeping only keep@acme.com removes old@ and gone@: 2 of 3 (66.7 %), above Max Remove Share (50 %).
	const policy = ['old@acme.com', 'keep@acme.com', 'gone@acme.com'];
	const items = [{ e: 'keep@acme.com' }];

	it('applies exactly the approved plan above the valve: the read, the add, one remove of the planned e-mails', async () => {
		const plan = await preview(policy, items);
		expect(plan).toMatchObject({ removes: 2, applyAllowed: false, summary: 'Sync E-Mails: 0 to add, 2 to remove, 0 kept, in 1 policy: remove gone@acme.com; remove old@acme.com' });
		const calls = holds(policy);
		expectCall('POST', PATH, 200, { policyEmails: policy, warnings: [{ email: 'keep@acme.com', reason: 'already in policy' }] }, {}, calls);
		expectCall('DELETE', PATH, 200, { policyEmails: ['keep@acme.com'], removedEmails: [{ email: 'old@acme.com' }, { email: 'gone@acme.com' }] }, {}, calls);
		const result = await runNode({ typeVersion: 1.1, parameters: parameters({ mode: 'apply', options: { approvedPlanId: plan.planId } }), items });
		expect(result.status).toBe('success');
		expect(wire(calls)).toEqual([
			['DELETE', READ],
			['POST', { emails: ['keep@acme.com'] }],
			['DELETE', { emails: ['old@acme.com', 'gone@acme.com'], revokeUserEngagement: true }],
		]);
		expect(result.output.map((item) => [item.json.status, item.json.email ?? null])).toEqual([
			['alreadyPresent', null],
			['removed', 'old@acme.com'],
			['removed', 'gone@acme.com'],
		]);
	});

	it.each([
		['an e-mail added by someone else', [...policy, 'late@acme.com'], items, 'Sync E-Mails: 0 to add, 3 to remove, 0 kept, in 1 policy: remove gone@acme.com; remove late@acme.com; remove old@acme.com'],
		['an e-mail removed by someone else', ['old@acme.com', 'keep@acme.com'], items, 'Sync E-Mails: 0 to add, 1 to remove, 0 kept, in 1 policy: remove old@acme.com'],
		['another input', policy, [...items, { e: 'new@acme.com' }], 'Sync E-Mails: 1 to add, 2 to remove, 0 kept, in 1 policy: remove gone@acme.com; remove old@acme.com; add new@acme.com'],
	])('refuses a plan that changed since its approval (%s): only the read is sent', async (_case, policyNow, itemsNow, summary) => {
		const approved = (await preview(policy, items)).planId as string;
		const calls = holds(policyNow);
		const result = await runNode({ typeVersion: 1.1, parameters: parameters({ mode: 'apply', options: { approvedPlanId: approved } }), items: itemsNow });
		expect(wire(calls)).toEqual([['DELETE', READ]]);
		expect(nock.pendingMocks()).toEqual([]);
		const now = (await preview(policyNow, itemsNow)).planId;
		expect(result.error?.message).toBe(
			`Sync did not apply: its plan now has planId ${now}, not the approved ${approved}; nothing was changed. The plan now: ${summary}. Review it again: run Sync in Preview and approve its planId`,
		);
	});
});

describe('As a tool > Access Policy Sync E-Mails', () => {
	const fromModel = { emails: "={{ $fromAI('emails', 'E-mails', 'json') }}", mode: "={{ $fromAI('mode', 'preview or apply', 'string') }}" };

	it('previews, returning the planId and summary', async () => {
		holds(POLICY_NOW);
		const result = await runNode({ asTool: true, typeVersion: 1.1, parameters: parameters(fromModel), items: [{ emails: ['keep@acme.com', 'new@acme.com'], mode: 'preview' }] });
		expect(result.output.at(-1)!.json).toMatchObject({
			status: 'plan',
			planId: (await preview(POLICY_NOW, [{ e: ['keep@acme.com', 'new@acme.com'] }])).planId,
			summary: 'Sync E-Mails: 1 to add, 1 to remove, 0 kept, in 1 policy: remove old@acme.com; add new@acme.com',
		});
	});

	it("applies the model's Apply only with the planId the builder's workflow supplies", async () => {
		const { planId } = await preview(POLICY_NOW, [{ e: ['keep@acme.com', 'new@acme.com'] }]);
		const calls = holds(POLICY_NOW);
		expectCall('POST', PATH, 200, { policyEmails: [...POLICY_NOW, 'new@acme.com'], warnings: [] }, {}, calls);
		expectCall('DELETE', PATH, 200, { policyEmails: ['keep@acme.com', '*@partner.example', 'new@acme.com'], removedEmails: [{ email: 'old@acme.com' }] }, {}, calls);
		const result = await runNode({
			asTool: true,
			typeVersion: 1.1,
			parameters: parameters({ ...fromModel, options: { approvedPlanId: planId } }),
			items: [{ emails: ['keep@acme.com', 'new@acme.com'], mode: 'apply' }],
		});
		expect(result.status).toBe('success');
		expect(wire(calls).map(([method]) => method)).toEqual(['DELETE', 'POST', 'DELETE']);
	});

	it('refuses Apply without an Approved Plan ID even with Apply fixed, sending nothing', async () => {
		const result = await runNode({ asTool: true, typeVersion: 1.1, parameters: parameters({ ...fromModel, mode: 'apply' }), items: [{ emails: ['keep@acme.com'] }] });
		expect(result.error?.message).toBe(
			'Sync E-Mails may only preview in a tool call: its builder supplies no Approved Plan ID. Nothing was changed. Call again with Mode Preview to get the plan, and show its summary and planId to the person you assist; a person approves it in n8n, and the workflow applies it. To add or remove single entries, use a tool that adds or removes them one by one.',
		);
	});
});

describe('Access Policy > Sync Emails > Preview and approved Apply against the emulator', () => {
	beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1/));

	it('Preview leaves the policy and its sign-ins as they were; the approved Apply then makes exactly the planned change', async () => {
		const TOKEN = 'approved-plan-token';
		const emulator = new SignInEmulator({
			token: TOKEN,
			seed: {
				policies: { [POLICY]: { name: 'Attendees', emails: ['old@acme.com', 'keep@acme.com', '*@staff.acme.com'] } },
				sessions: [{ email: 'old@acme.com', module: 'selfProvisioning' }],
			},
		});
		await emulator.start();
		try {
			const run = (extra: IDataObject) =>
				runNode({
					typeVersion: 1.1,
					parameters: parameters(extra),
					items: ITEMS,
					credentials: { baseUrl: emulator.url, organizationId: 'demo-org', contextId: 'demo-context', apiToken: TOKEN },
				});
			const plan = (await run({})).output.at(-1)!.json;
			expect(plan).toMatchObject({ status: 'plan', adds: 1, removes: 1, summary: 'Sync E-Mails: 1 to add, 1 to remove, 0 kept, in 1 policy: remove old@acme.com; add new@acme.com' });
			expect(emulator.store.state.policies[POLICY].emails).toEqual(['old@acme.com', 'keep@acme.com', '*@staff.acme.com']);
			expect(emulator.store.state.sessions).toHaveLength(1);

			const applied = await run({ mode: 'apply', options: { approvedPlanId: plan.planId } });
			expect(applied.status).toBe('success');
			expect(emulator.store.state.policies[POLICY].emails).toEqual(['keep@acme.com', '*@staff.acme.com', 'new@acme.com']);
			expect(emulator.store.state.sessions).toEqual([]);
		} finally {
			await emulator.stop();
		}
	});
});
