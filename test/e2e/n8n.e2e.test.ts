/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * End to end: a real n8n (installed into .cache on first use) with this package loaded, driving
 * the local Sign-In emulator. Both run on free loopback ports and are stopped by process id.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { freePort } from '../../scripts/n8n';
import {
	NODE_TYPE,
	CREDENTIAL_NAME,
	DEMO_WEBHOOK_HEADER,
	WEBHOOK_CREDENTIAL_NAME,
	emulatorCredential,
	exampleFiles,
	loadWorkflow,
	sampleRequests,
	startStack,
	webhookPaths,
	type Stack,
} from '../../scripts/stack';

const TOKEN = 'e2e-emulator-token-5c1d9a';
const POLICY = '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7';
let stack: Stack;
let workDir: string;
let credentialId: string;
let webhookCredentialId: string;

beforeAll(async () => {
	workDir = mkdtempSync(join(tmpdir(), 'netgraph-e2e-'));
	stack = await startStack({
		n8nPort: await freePort(),
		brokerPort: await freePort(),
		emulatorPort: await freePort(),
		workDir,
		emulator: { token: TOKEN, organizationId: 'e2e-org', contextId: 'e2e-context' },
		log: (line) => process.stdout.write(`${line}\n`),
	});
	process.stdout.write(`n8n started in ${(stack.n8n.startupMs / 1000).toFixed(1)} s\n`);
	await stack.client.createApiKey('e2e');
	credentialId = await stack.client.createCredential(CREDENTIAL_NAME, emulatorCredential(stack.emulator));
	webhookCredentialId = await stack.client.createCredential(WEBHOOK_CREDENTIAL_NAME, DEMO_WEBHOOK_HEADER, 'signInWebhookApi');
}, 20 * 60 * 1000);

afterAll(async () => {
	await stack?.stop();
	if (stack) expect(stack.n8n.process.exitCode !== null || stack.n8n.process.signalCode !== null).toBe(true);
	rmSync(workDir, { recursive: true, force: true });
});

let counter = 0;
/** Webhook -> one item per entry of body.items -> the Sign-In node with the given parameters. */
async function operationWorkflow(parameters: Record<string, unknown>, options: { continueOnFail?: boolean; executeOnce?: boolean } = {}) {
	const path = `op-${++counter}`;
	const id = await stack.client.createWorkflow(
		{
			name: `e2e ${path} ${String(parameters.resource)} ${String(parameters.operation)}`,
			nodes: [
				{ id: `w-${path}`, name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `hook-${path}`, parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} } },
				{ id: `s-${path}`, name: 'Items', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [200, 0], parameters: { fieldToSplitOut: 'body.items', options: {} } },
				{
					id: `n-${path}`,
					name: 'Sign-In',
					type: NODE_TYPE,
					typeVersion: 1,
					position: [400, 0],
					parameters,
					credentials: { signInContextApi: { id: credentialId, name: CREDENTIAL_NAME } },
					...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
					...(options.executeOnce ? { executeOnce: true } : {}),
				},
			],
			connections: {
				Webhook: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
				Items: { main: [[{ node: 'Sign-In', type: 'main', index: 0 }]] },
			},
		},
		true,
	);
	return {
		id,
		run: async (items: unknown[]) => await stack.client.webhook(path, { items }),
	};
}

const state = () => stack.emulator.store.state;

describe('credential test through n8n', () => {
	it('succeeds with the right token', async () => {
		expect(await stack.client.testCredential(credentialId)).toEqual({ status: 'OK', message: 'Connection successful!' });
	});

	it('fails with what to do for a wrong token', async () => {
		const id = await stack.client.createCredential('wrong token', emulatorCredential(stack.emulator, { apiToken: 'not-the-token' }));
		expect(await stack.client.testCredential(id)).toEqual({
			status: 'Error',
			message:
				'The API token was refused (401). Check the API Token; if it was rotated, copy the new one from the Sign-In Context admin: Administration > Configuration > Common Settings.',
		});
	});

	it('fails with what to do for a caller that is not on the IP allow-list', async () => {
		stack.emulator.options.allowIps = ['203.0.113.7'];
		try {
			expect(await stack.client.testCredential(credentialId)).toEqual({
				status: 'Error',
				message:
					"Access denied (403). Either this n8n server's public IP address is not on the Organization's Administrator portal IP whitelist, or the Organization ID or Context ID is wrong (copy both from the dashboard instructions on the Organization's admin home page).",
			});
		} finally {
			stack.emulator.options.allowIps = [];
		}
	});
});

describe('every operation inside n8n', () => {
	it('User: create with a generated password, update, delete', async () => {
		const create = await operationWorkflow({ resource: 'user', operation: 'create', username: '={{ $json.username }}', passwordMode: 'generate', passwordLength: 12 });
		const created = await create.run([{ username: 'e2e-guest-1' }, { username: 'e2e-guest-2' }]);
		expect(created.status).toBe(200);
		const outputs = created.body as Array<{ username: string; password: string; passwordGenerated: boolean }>;
		expect(outputs.map((item) => item.username)).toEqual(['e2e-guest-1', 'e2e-guest-2']);
		expect(state().users['e2e-guest-1'].password).toBe(outputs[0].password);
		expect(outputs[0].password).toHaveLength(12);

		const update = await operationWorkflow({ resource: 'user', operation: 'update', username: '={{ $json.username }}', passwordMode: 'define', password: '={{ $json.password }}' });
		expect((await update.run([{ username: 'e2e-guest-1', password: 'Rotated-Pass-1' }])).body).toEqual([
			{ username: 'e2e-guest-1', passwordGenerated: false },
		]);
		expect(state().users['e2e-guest-1'].password).toBe('Rotated-Pass-1');

		const remove = await operationWorkflow({ resource: 'user', operation: 'delete', username: '={{ $json.username }}' });
		expect((await remove.run([{ username: 'e2e-guest-1' }, { username: 'e2e-guest-2' }])).body).toEqual([
			{ username: 'e2e-guest-1', deleted: true },
			{ username: 'e2e-guest-2', deleted: true },
		]);
		expect(Object.keys(state().users).filter((name) => name.startsWith('e2e-guest'))).toEqual([]);
	});

	it('Access Policy: add and remove e-mails', async () => {
		const add = await operationWorkflow({ resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: '={{ $json.emails }}' });
		const added = await add.run([{ emails: 'dana@example.org, *@guests.example.org' }]);
		expect(added.body).toMatchObject([{ addedEmails: ['dana@example.org', '*@guests.example.org'], warnings: [] }]);
		expect(state().policies[POLICY].emails).toEqual(expect.arrayContaining(['dana@example.org', '*@guests.example.org']));

		const remove = await operationWorkflow({ resource: 'accessPolicy', operation: 'removeEmails', policyId: POLICY, emails: '={{ $json.emails }}', revokeUserEngagement: true });
		const removed = await remove.run([{ emails: ['dana@example.org'] }]);
		expect(removed.body).toMatchObject([{ removedEmails: [{ email: 'dana@example.org' }], notInPolicy: [] }]);
		expect(state().policies[POLICY].emails).not.toContain('dana@example.org');
	});

	it('Whitelisting: create, update, create many, revoke many, get many', async () => {
		const create = await operationWorkflow({ resource: 'whitelisting', operation: 'create', mac: '={{ $json.mac }}', name: '={{ $json.name }}', additionalFields: { tags: 'printer' } });
		const [entry] = (await create.run([{ mac: 'aa-bb-cc-e2-e2-01', name: 'E2E printer' }])).body as Array<{ id: string; mac: string }>;
		expect(entry.mac).toBe('AA:BB:CC:E2:E2:01');
		expect(state().whitelistings.find((stored) => stored.id === entry.id)).toMatchObject({ mac: 'AA:BB:CC:E2:E2:01', name: 'E2E printer', tags: [{ value: 'printer' }] });

		const update = await operationWorkflow({ resource: 'whitelisting', operation: 'update', id: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, mac: '={{ $json.mac }}', name: 'E2E printer moved', additionalFields: { toDate: '2099-01-31' } });
		await update.run([entry]);
		expect(state().whitelistings.find((stored) => stored.id === entry.id)).toMatchObject({ name: 'E2E printer moved', toDate: '2099-01-31', tags: [] });

		const createMany = await operationWorkflow({ resource: 'whitelisting', operation: 'createMany', mac: '={{ $json.mac }}', name: '={{ $json.name }}', options: { batchSize: 2 } });
		const many = (await createMany.run([
			{ mac: 'AA:BB:CC:E2:E2:10', name: 'Kiosk one' },
			{ mac: 'AA:BB:CC:E2:E2:11', name: 'Kiosk two' },
			{ mac: 'AA:BB:CC:E2:E2:01', name: 'Printer again' },
		])).body as Array<{ status: string }>;
		expect(many.map((item) => item.status)).toEqual(['created', 'created', 'existing']);

		const list = await operationWorkflow({ resource: 'whitelisting', operation: 'getAll', returnAll: true, filters: { name: 'kiosk one' } });
		expect(((await list.run([{}])).body as Array<{ mac: string }>).map((item) => item.mac)).toEqual(['AA:BB:CC:E2:E2:10']);

		const revoke = await operationWorkflow({ resource: 'whitelisting', operation: 'revokeMany', macs: '={{ $json.mac }}' });
		const revoked = (await revoke.run([{ mac: 'AA:BB:CC:E2:E2:10' }, { mac: 'aabbcce2e211' }])).body as Array<{ status: string }>;
		expect(revoked.map((item) => item.status)).toEqual(['revoked', 'revoked']);
		expect(stack.emulator.activeWhitelistings().map((stored) => stored.mac)).not.toEqual(expect.arrayContaining(['AA:BB:CC:E2:E2:10']));
		expect(stack.emulator.activeWhitelistings().some((stored) => stored.mac === 'AA:BB:CC:E2:E2:11')).toBe(false);
	});
});

describe('failures inside n8n', () => {
	it('with Continue On Fail, a failing item becomes an error item and the others succeed', async () => {
		const create = await operationWorkflow(
			{ resource: 'user', operation: 'create', username: '={{ $json.username }}', passwordMode: 'define', password: 'Pass-1234' },
			{ continueOnFail: true },
		);
		await create.run([{ username: 'cof-existing' }]);
		const answer = await create.run([{ username: 'cof-new-1' }, { username: 'cof-existing' }, { username: 'cof-new-2' }]);
		expect(answer.body).toEqual([
			{ username: 'cof-new-1', passwordGenerated: false },
			{
				error: 'The Sign-In API rejected the request: username cof-existing already exists',
				description: expect.stringMatching(/^Correct the value it names and run again\. Code: USERNAME_ALREADY_EXISTS\. Request ID: [0-9a-f-]{36} \(quote it if you contact Netgraph support\)\.$/),
			},
			{ username: 'cof-new-2', passwordGenerated: false },
		]);
		expect(Object.keys(state().users).filter((name) => name.startsWith('cof-'))).toEqual(['cof-existing', 'cof-new-1', 'cof-new-2']);
	});

	it('without it, the execution fails with the node message', async () => {
		const create = await operationWorkflow({ resource: 'user', operation: 'create', username: '={{ $json.username }}', passwordMode: 'define', password: 'Pass-1234' });
		const answer = await create.run([{ username: 'cof-existing' }]);
		expect(answer.status).toBe(500);
		const [execution] = await stack.client.executions(create.id);
		expect(execution.status).toBe('error');
		const error = (execution.data as { resultData: { error: { message: string } } }).resultData.error;
		expect(error.message).toBe('The Sign-In API rejected the request: username cof-existing already exists');
	});
});

describe('example workflows', () => {
	it('each runs to success and leaves the expected state', async () => {
		const samples = sampleRequests();
		const ids: string[] = [];
		for (const file of exampleFiles()) {
			const workflow = loadWorkflow(file, { signInContextApi: credentialId, signInWebhookApi: webhookCredentialId });
			ids.push(await stack.client.createWorkflow(workflow, true));
			for (const path of webhookPaths(workflow)) {
				const answer = await stack.client.webhook(path, samples[path]);
				expect([file, path, answer.status]).toEqual([file, path, 200]);
			}
		}
		expect(state().users['R-20261123-0042']).toBeUndefined();
		expect(state().policies['6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'].emails).toEqual(['alice@acme.com', '*@speakers.example.net']);
		const macs = stack.emulator.activeWhitelistings().map((entry) => entry.mac);
		expect(macs).toEqual(expect.arrayContaining(['00:1B:63:84:45:E6', '00:1B:63:84:45:E7', '00:1B:63:84:45:E8']));
		expect(macs).not.toContain('00:1B:63:84:45:D1');
		const runs = (await Promise.all(ids.map((id) => stack.client.executions(id)))).flat();
		expect(runs.map((execution) => execution.status)).toEqual(['success', 'success', 'success', 'success']);
	});

	it('the hotel example hands the guest the password the account was created with', async () => {
		const answer = await stack.client.webhook('hotel-check-in', { reservationId: 'R-E2E-7', guestName: 'Bo' });
		const card = answer.body as { username: string; password: string; message: string };
		expect(state().users['R-E2E-7'].password).toBe(card.password);
		expect(card.message).toBe(`Welcome, Bo! Wi-Fi: sign in as R-E2E-7 with password ${card.password}.`);
	});
});

describe('secrets', () => {
	it('the API token appears nowhere in execution data or the n8n log', async () => {
		const workflows = (await stack.client.api<{ data: Array<{ id: string }> }>('GET', '/workflows?limit=250')).data;
		let executions = 0;
		for (const workflow of workflows) {
			const data = await stack.client.executions(workflow.id);
			executions += data.length;
			expect(JSON.stringify(data)).not.toContain(TOKEN);
		}
		expect(executions).toBeGreaterThan(10);
		expect(readFileSync(stack.n8n.logFile, 'utf8')).not.toContain(TOKEN);
	});
});
