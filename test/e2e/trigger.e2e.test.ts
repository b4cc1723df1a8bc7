/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * End to end: the emulator delivers webhooks to the Netgraph Sign-In Trigger in a real n8n, which
 * is restarted once to show that the redelivery memory survives it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import type { Delivery } from '../../emulator/webhooks';
import { freePort } from '../../scripts/n8n';
import {
	TRIGGER_TYPE,
	DEMO_WEBHOOK_HEADER,
	WEBHOOK_CREDENTIAL_NAME,
	loadWorkflow,
	startStack,
	triggersOf,
	type Stack,
} from '../../scripts/stack';

const HEADERS = { [DEMO_WEBHOOK_HEADER.headerName]: DEMO_WEBHOOK_HEADER.secret };
let stack: Stack;
let workDir: string;
let credentialId: string;

beforeAll(async () => {
	workDir = mkdtempSync(join(tmpdir(), 'netgraph-trigger-e2e-'));
	stack = await startStack({
		n8nPort: await freePort(),
		brokerPort: await freePort(),
		emulatorPort: await freePort(),
		workDir,
		emulator: { webhookRetryScale: 0.0005, webhookTimeoutMs: 5000 },
		log: (line) => process.stdout.write(`${line}\n`),
	});
	await stack.client.createApiKey('trigger-e2e');
	credentialId = await stack.client.createCredential(WEBHOOK_CREDENTIAL_NAME, DEMO_WEBHOOK_HEADER, 'signInWebhookApi');
}, 20 * 60 * 1000);

beforeEach(() => stack.emulator.webhooks.reset());

afterAll(async () => {
	await stack?.stop();
	rmSync(workDir, { recursive: true, force: true });
});

let counter = 0;
/** Trigger -> No Operation, published; returns the workflow ID and the trigger's production URL. */
async function triggerWorkflow(parameters: Record<string, unknown>) {
	const n = ++counter;
	const webhookId = `7d1e2a00-0000-4000-8000-${String(n).padStart(12, '0')}`;
	const id = await stack.client.createWorkflow(
		{
			name: `trigger e2e ${n}`,
			nodes: [
				{
					id: `t-${n}`,
					name: 'Sign-In Trigger',
					type: TRIGGER_TYPE,
					typeVersion: 1,
					position: [0, 0],
					webhookId,
					parameters: { events: ['*'], otherEvents: '', options: {}, ...parameters },
					credentials: { signInWebhookApi: { id: credentialId, name: WEBHOOK_CREDENTIAL_NAME } },
				},
				{ id: `n-${n}`, name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
			],
			connections: { 'Sign-In Trigger': { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		},
		true,
	);
	const url = `${stack.n8n.url}/webhook/${webhookId}/webhook`;
	await untilListening(url);
	return { id, url };
}

/** A just-published (or reloaded) workflow's webhook takes a moment to register: until then n8n answers 404, not the trigger's 401. */
async function untilListening(url: string): Promise<void> {
	for (let waited = 0; waited < 20_000; waited += 250) {
		const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => undefined);
		await response?.text();
		if (response?.status === 401) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`${url} was not registered within 20 s`);
}

/** The items the trigger produced in each finished execution of the workflow, oldest execution first. */
async function triggeredItems(workflowId: string, expectedExecutions: number, nodeName = 'Sign-In Trigger'): Promise<unknown[][]> {
	for (let waited = 0; ; waited += 250) {
		const executions = await stack.client.executions(workflowId);
		const finished = executions.filter((execution) => execution.finished === true || execution.status === 'success');
		if (finished.length >= expectedExecutions || waited > 20_000) {
			return finished
				.sort((a, b) => Number(a.id) - Number(b.id))
				.map((execution) => {
					const runData = (execution.data as { resultData: { runData: Record<string, Array<{ data: { main: Array<Array<{ json: unknown }>> } }>> } }).resultData.runData;
					return runData[nodeName][0].data.main[0].map((item) => item.json);
				});
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** Waits until n8n has had time to store any execution a delivery might have started, then counts them. */
async function executionCount(workflowId: string): Promise<number> {
	await new Promise((resolve) => setTimeout(resolve, 1500));
	return (await stack.client.executions(workflowId)).length;
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
	const response = await fetch(url, { method: 'POST', headers, body });
	return { status: response.status, body: await response.text() };
}

const subscribe = (url: string, subscription: Record<string, unknown> = {}) => {
	const created = stack.emulator.webhooks.subscribe({ name: `sub${++counter}`, url, headers: HEADERS, ...subscription });
	if ('error' in created) throw new Error(created.error);
	return created;
};

describe('Netgraph Sign-In Trigger in n8n', () => {
	it('reports the credential test result through n8n', async () => {
		expect(await stack.client.testCredential(credentialId)).toEqual({
			status: 'OK',
			message: 'Header ready. Add the header X-Webhook-Secret with this value to the webhook in the Sign-In Context admin.',
		});
	});

	it('starts one execution per Instant delivery, holding exactly the event, and answers 200 at once', async () => {
		const workflow = await triggerWorkflow({ events: ['signin.session.denied', 'signin.session.requested'] });
		subscribe(workflow.url, { type: 'instant' });
		const deliveries = await stack.emulator.webhooks.simulate([
			{ event: 'signin.session.denied', id: 'i-1', timestamp: '2026-11-23T09:00:00Z', data: { mac: 'AA:BB:CC:00:00:01' } },
			{ event: 'signin.session.created', id: 'i-2' },
			{ event: 'signin.session.requested', id: 'i-3', timestamp: '2026-11-23T09:01:00Z', data: { email: 'guest@example.org' } },
		]);
		expect(deliveries.map((delivery) => [delivery.state, delivery.attempts[0].status, JSON.parse(delivery.attempts[0].response)])).toEqual([
			['delivered', 200, { received: 1, started: 1, redelivered: 0, filteredOut: 0 }],
			['delivered', 200, { received: 1, started: 0, redelivered: 0, filteredOut: 1 }],
			['delivered', 200, { received: 1, started: 1, redelivered: 0, filteredOut: 0 }],
		]);
		expect(await triggeredItems(workflow.id, 2)).toEqual([[deliveries[0].body], [deliveries[2].body]]);
		expect(await executionCount(workflow.id)).toBe(2);
	});

	it('starts one execution per Batch delivery with one item per event, in delivery order', async () => {
		const workflow = await triggerWorkflow({ events: ['signin.dhcp.granted'], otherEvents: 'signin.dhcp.expired' });
		subscribe(workflow.url, { type: 'batch', envelope: 'events' });
		subscribe(workflow.url, { type: 'batch', envelope: 'array' });
		const events = [
			{ event: 'signin.dhcp.granted', id: 'b-1', data: { ip: '10.0.0.1' } },
			{ event: 'signin.session.created', id: 'b-2' },
			{ payload: { event: 'signin.dhcp.expired', eventId: 'b-3', lease: { ip: '10.0.0.1' } } },
			{ event: 'signin.dhcp.granted', id: 'b-4', data: { ip: '10.0.0.2' } },
		];
		const deliveries = await stack.emulator.webhooks.simulate(events);
		const wrapped = deliveries.find((delivery) => !Array.isArray(delivery.body))!;
		const expected = (wrapped.body as { events: unknown[] }).events.filter((_, i) => i !== 1);
		const [first] = await triggeredItems(workflow.id, 1);
		expect(first).toEqual(expected);
		// Both subscriptions carried the same four events, one wrapped and one as an array: whichever came second was all redeliveries.
		expect(deliveries.map((delivery) => JSON.parse(delivery.attempts[0].response))).toEqual(
			expect.arrayContaining([
				{ received: 4, started: 3, redelivered: 0, filteredOut: 1 },
				{ received: 4, started: 0, redelivered: 3, filteredOut: 1 },
			]),
		);
		expect(await executionCount(workflow.id)).toBe(1);
	});

	it('answers 401 and starts nothing for a missing or wrong header; the platform keeps retrying', async () => {
		const workflow = await triggerWorkflow({});
		subscribe(workflow.url, { headers: { [DEMO_WEBHOOK_HEADER.headerName]: 'emulator-webhook-secret-wrong' } });
		subscribe(workflow.url, { headers: {} });
		const deliveries = await stack.emulator.webhooks.simulate(['signin.session.denied']);
		for (let waited = 0; deliveries.some((delivery) => delivery.state !== 'failed') && waited < 30_000; waited += 100) {
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		for (const delivery of deliveries) {
			expect(delivery.attempts.map((attempt) => attempt.status)).toEqual([401, 401, 401, 401, 401, 401]);
			expect(JSON.parse(delivery.attempts[0].response)).toEqual({ message: 'Missing or wrong webhook authentication header; nothing was started.' });
		}
		expect(await executionCount(workflow.id)).toBe(0);
	});

	it('answers malformed bodies with a 4xx (n8n itself a 500 above its payload limit), starts nothing, and keeps serving', async () => {
		const workflow = await triggerWorkflow({});
		const json = { 'content-type': 'application/json', ...HEADERS };
		expect((await post(workflow.url, '{"event": "signin.session.denied",', json)).status).toBe(422);
		expect(await post(workflow.url, '', json)).toEqual({ status: 400, body: '{"message":"The delivery has an empty body; nothing was started."}' });
		expect(await post(workflow.url, 'denied AA:BB', { 'content-type': 'text/plain', ...HEADERS })).toEqual({
			status: 400,
			body: '{"message":"The delivery body is not JSON; nothing was started."}',
		});
		expect(await post(workflow.url, '42', json)).toEqual({
			status: 400,
			body: '{"message":"The delivery body is neither a JSON object nor a JSON array; nothing was started."}',
		});
		const huge = JSON.stringify({ events: [{ event: 'signin.session.denied', padding: 'x'.repeat(17 * 1024 * 1024) }] });
		// Above N8N_PAYLOAD_SIZE_MAX (16 MiB by default) n8n refuses the body itself with a 500, before the trigger runs.
		const tooLarge = await post(workflow.url, huge, json);
		expect([tooLarge.status, (JSON.parse(tooLarge.body) as { message: string }).message]).toEqual([500, 'There was a problem executing the workflow']);
		expect(await executionCount(workflow.id)).toBe(0);
		expect((await fetch(`${stack.n8n.url}/healthz`)).status).toBe(200);
		const ok = await post(workflow.url, JSON.stringify({ event: 'signin.session.denied', id: 'm-1' }), json);
		expect(ok.status).toBe(200);
		expect(await triggeredItems(workflow.id, 1)).toEqual([[{ event: 'signin.session.denied', id: 'm-1' }]]);
	});

	it('starts nothing for a redelivery, also after n8n restarts, and still starts new events', async () => {
		const workflow = await triggerWorkflow({});
		subscribe(workflow.url);
		const [delivery] = await stack.emulator.webhooks.simulate([{ event: 'signin.session.denied', id: 'r-1' }]);
		expect(await triggeredItems(workflow.id, 1)).toHaveLength(1);

		const again = (await stack.emulator.webhooks.redeliver(delivery.id)) as Delivery;
		expect(JSON.parse(again.attempts[1].response)).toEqual({ received: 1, started: 0, redelivered: 1, filteredOut: 0 });

		await stack.restartN8n();
		await untilListening(workflow.url);
		await stack.emulator.webhooks.redeliver(delivery.id);
		expect(delivery.attempts[2].status).toBe(200);
		expect(JSON.parse(delivery.attempts[2].response)).toEqual({ received: 1, started: 0, redelivered: 1, filteredOut: 0 });
		expect(await executionCount(workflow.id)).toBe(1);

		await stack.emulator.webhooks.simulate([{ event: 'signin.session.denied', id: 'r-2' }]);
		expect(await triggeredItems(workflow.id, 2)).toHaveLength(2);
	});

	it('runs the front-desk example: a denied sign-in becomes an alert', async () => {
		const example = loadWorkflow('front-desk-denied-sign-in-alert.json', { signInWebhookApi: credentialId });
		const id = await stack.client.createWorkflow(example, true);
		const [{ url }] = triggersOf(example, stack.n8n.url);
		subscribe(url, { events: ['signin.session.denied'] });
		await stack.emulator.webhooks.simulate([
			{ event: 'signin.session.denied', id: 'x-1', timestamp: '2026-11-23T10:00:00Z', data: { mac: 'AA:BB:CC:00:00:42', email: 'guest@example.org' } },
		]);
		await triggeredItems(id, 1, 'Sign-in denied or awaiting approval');
		const [execution] = await stack.client.executions(id);
		const runData = (execution.data as { resultData: { runData: Record<string, Array<{ data: { main: Array<Array<{ json: unknown }>> } }>> } }).resultData.runData;
		expect(runData['Front desk alert'][0].data.main[0].map((item) => item.json)).toEqual([
			{
				channel: '#front-desk',
				text: ':no_entry: Wi-Fi sign-in denied for device AA:BB:CC:00:00:42 (guest@example.org) at 2026-11-23T10:00:00Z.',
				eventId: 'x-1',
			},
		]);
	});

	it('keeps the secret out of execution data and the n8n log', async () => {
		const workflows = (await stack.client.api<{ data: Array<{ id: string }> }>('GET', '/workflows?limit=250')).data;
		for (const workflow of workflows) expect(JSON.stringify(await stack.client.executions(workflow.id))).not.toContain(DEMO_WEBHOOK_HEADER.secret);
		expect(readFileSync(stack.n8n.logFile, 'utf8')).not.toContain(DEMO_WEBHOOK_HEADER.secret);
	});
});
