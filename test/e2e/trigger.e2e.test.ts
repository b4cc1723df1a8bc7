/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * End to end: the emulator delivers webhooks to the Netgraph Sign-In Trigger in a real n8n, which
 * is restarted once to show that the redelivery memory survives it.
 */
import { readFileSync } from 'fs';

import type { Delivery } from '../../emulator/webhooks';
import { DEMO_WEBHOOK_HEADER, loadWorkflow, triggersOf, type Stack } from '../../scripts/stack';
import { executionCount as countOf, nodeOutput, subscribe as subscribeOn, triggeredItems as itemsOf, triggerWorkflows, untilListening, useStack, VENUE_GROUP } from './drive';
import { deliveryRuns, scenarioTests, triggerRuns } from './scenarios';

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

const GROUP = VENUE_GROUP;
const OSLO = { [DEMO_WEBHOOK_HEADER.headerName]: GROUP.contexts.context1.secret };
const BERGEN = { [DEMO_WEBHOOK_HEADER.headerName]: GROUP.contexts.context2.secret };

async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
	const response = await fetch(url, { method: 'POST', headers, body });
	return { status: response.status, body: await response.text() };
}

describe('Netgraph Sign-In Trigger in n8n', () => {
	scenarioTests(triggerRuns, context);
	scenarioTests(deliveryRuns, context);

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

	it("serves two Contexts' webhooks from one trigger: each event says its Context, redeliveries are dropped per Context", async () => {
		const groupId = await stack.client.createCredential('Sign-In Webhook group', GROUP, 'signInWebhookApi');
		expect(await stack.client.testCredential(groupId)).toEqual({
			status: 'OK',
			message:
				"Header ready for 3 Contexts (Hotel Stockholm, Hotel Oslo, Hotel Bergen). Add the header X-Webhook-Secret to the webhook in each Context's admin, with that Context's own secret as its value.",
		});
		const workflow = await triggerWorkflows(stack, groupId)({});
		const oslo = subscribe(workflow.url, { contextId: 'hotel-oslo', headers: OSLO });
		subscribe(workflow.url, { contextId: 'hotel-bergen', headers: BERGEN, type: 'batch' });
		subscribe(workflow.url, { contextId: 'hotel-nowhere', headers: { [DEMO_WEBHOOK_HEADER.headerName]: `${DEMO_WEBHOOK_HEADER.secret}-nowhere` } });
		const deliveries = await stack.emulator.webhooks.simulate([{ event: 'signin.session.denied', id: 'g-1', timestamp: '2026-12-04T07:00:00Z' }]);
		expect(deliveries.map((delivery) => delivery.attempts[0].status).sort()).toEqual([200, 200, 401]);

		const event = { id: 'g-1', event: 'signin.session.denied', timestamp: '2026-12-04T07:00:00Z', organizationId: 'demo-org', data: {} };
		const runs = await triggeredItems(workflow.id, 2);
		expect(runs.flat().sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
			{ ...event, contextId: 'hotel-bergen', signInContext: 'Hotel Bergen' },
			{ ...event, contextId: 'hotel-oslo', signInContext: 'Hotel Oslo' },
		]);

		const osloDelivery = deliveries.find((delivery) => delivery.subscriptionId === oslo.id)!;
		const again = (await stack.emulator.webhooks.redeliver(osloDelivery.id)) as Delivery;
		expect([again.attempts[1].status, JSON.parse(again.attempts[1].response)]).toEqual([200, { received: 1, started: 0, redelivered: 1, filteredOut: 0 }]);
		expect(await executionCount(workflow.id)).toBe(2);
		expect((await post(workflow.url, JSON.stringify({ ...event, id: 'g-2' }), { 'content-type': 'application/json', ...HEADERS })).status).toBe(200);
		expect((await triggeredItems(workflow.id, 3))[2]).toEqual([{ ...event, id: 'g-2', signInContext: 'Hotel Stockholm' }]);
	});

	it("keeps each further Context's secret when the editor deletes another Context from the credential (named slots)", async () => {
		const groupId = await stack.client.createCredential('Sign-In Webhook group to edit', GROUP, 'signInWebhookApi');
		const workflow = await triggerWorkflows(stack, groupId)({});
		// What the editor does: load the credential with its secrets blanked, remove Context 1, save the rest as shown.
		const shown = await stack.client.rest<{ name: string; type: string; data: typeof GROUP }>('GET', `/credentials/${groupId}?includeData=true`);
		expect(JSON.stringify(shown.data)).not.toContain(DEMO_WEBHOOK_HEADER.secret);
		const kept: Partial<typeof GROUP.contexts> = { ...shown.data.contexts };
		delete kept.context1;
		await stack.client.rest('PATCH', `/credentials/${groupId}`, { name: shown.name, type: shown.type, data: { ...shown.data, contexts: kept } });

		const body = JSON.stringify({ event: 'signin.session.denied', id: 'e-1' });
		expect((await post(workflow.url, body, { 'content-type': 'application/json', ...OSLO })).status).toBe(401);
		expect((await post(workflow.url, body, { 'content-type': 'application/json', ...BERGEN })).status).toBe(200);
		expect(await triggeredItems(workflow.id, 1)).toEqual([[{ event: 'signin.session.denied', id: 'e-1', signInContext: 'Hotel Bergen' }]]);
		expect(await stack.client.testCredential(groupId)).toEqual({
			status: 'OK',
			message:
				"Header ready for 2 Contexts (Hotel Stockholm, Hotel Bergen). Add the header X-Webhook-Secret to the webhook in each Context's admin, with that Context's own secret as its value.",
		});
	});

	it('keeps the secret out of execution data and the n8n log', async () => {
		const workflows = (await stack.client.api<{ data: Array<{ id: string }> }>('GET', '/workflows?limit=250')).data;
		// The group's secrets all begin with the demo secret, so this covers them too.
		for (const workflow of workflows) expect(JSON.stringify(await stack.client.executions(workflow.id))).not.toContain(DEMO_WEBHOOK_HEADER.secret);
		expect(readFileSync(stack.n8n.logFile, 'utf8')).not.toContain(DEMO_WEBHOOK_HEADER.secret);
	});
});
