/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * End to end: the emulator delivers webhooks to the Netgraph Sign-In Trigger in a real n8n, which
 * is restarted once to show that the redelivery memory survives it.
 */
import { readFileSync } from 'fs';

import type { Delivery } from '../../emulator/webhooks';
import { DEMO_WEBHOOK_HEADER, loadWorkflow, triggersOf, type Stack } from '../../scripts/stack';
import { executionCount as countOf, nodeOutput, subscribe as subscribeOn, triggeredItems as itemsOf, untilListening, useStack } from './drive';
import { contextRuns, deliveryRuns, scenarioTests, triggerRuns } from './scenarios';

const HEADERS = { [DEMO_WEBHOOK_HEADER.headerName]: DEMO_WEBHOOK_HEADER.secret };
const context = useStack('trigger-e2e', { emulator: { webhookRetryScale: 0.0005, webhookTimeoutMs: 5000 } });
let stack: Stack;
let credentialId: string;
let triggerWorkflow: (typeof context)['triggerWorkflow'];
beforeAll(() => {
	({ stack, webhookCredentialId: credentialId, triggerWorkflow } = context);
});

beforeEach(() => stack.emulator.webhooks.reset());

const triggeredItems = (workflowId: string, expectedExecutions: number, nodeName?: string) => itemsOf(stack, workflowId, expectedExecutions, nodeName);
const executionCount = (workflowId: string) => countOf(stack, workflowId);
const subscribe = (url: string, subscription: Record<string, unknown> = {}) => subscribeOn(stack, url, subscription);

async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
	const response = await fetch(url, { method: 'POST', headers, body });
	return { status: response.status, body: await response.text() };
}

describe('Netgraph Sign-In Trigger in n8n', () => {
	scenarioTests(triggerRuns, context);
	scenarioTests(deliveryRuns, context);
	scenarioTests(contextRuns, context);

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
		expect(nodeOutput(execution, 'Front desk alert')).toEqual([
			{
				channel: '#front-desk',
				text: ':no_entry: Wi-Fi sign-in denied for device AA:BB:CC:00:00:42 (guest@example.org) at 2026-11-23T10:00:00Z.',
				eventId: 'x-1',
			},
		]);
	});

	it('keeps the secret out of execution data and the n8n log', async () => {
		const workflows = (await stack.client.api<{ data: Array<{ id: string }> }>('GET', '/workflows?limit=250')).data;
		// The group's secrets all begin with the demo secret, so this covers them too.
		for (const workflow of workflows) expect(JSON.stringify(await stack.client.executions(workflow.id))).not.toContain(DEMO_WEBHOOK_HEADER.secret);
		expect(readFileSync(stack.n8n.logFile, 'utf8')).not.toContain(DEMO_WEBHOOK_HEADER.secret);
	});
});
