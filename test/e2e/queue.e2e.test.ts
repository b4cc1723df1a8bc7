/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev code, never published: n8n Cloud's sandbox rules are for the package */
/**
 * End to end in n8n's queue mode: PostgreSQL, Redis, one main process, two workers and two
 * webhook processors (scripts/queue.ts), each with the package installed from its tarball.
 * Production webhooks reach the webhook processors, executions run on the workers.
 */
import { readFileSync } from 'fs';

import { approvedSyncWorkflowId } from '../../scripts/approval';
import { inventoryDevices, inventoryWorkflow, runInventoryLoad } from '../../scripts/load';
import { rssMb } from '../../scripts/n8n';
import { startQueueStack, startedExecutions, type QueueOptions, type QueueStack } from '../../scripts/queue';
import { DEMO_WEBHOOK_HEADER, TRIGGER_TYPE, WEBHOOK_CREDENTIAL_NAME, loadWorkflow, triggersOf, type Workflow } from '../../scripts/stack';
import { nodeOutput, untilListening, useStack } from './drive';
import { deliveryRuns, exampleRuns, scenarioTests, secretRuns, triggerRuns } from './scenarios';

// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- the local emulator's token for this test
const TOKEN = 'queue-e2e-emulator-token-8f2b61';
const context = useStack<QueueOptions>('queue-e2e', { emulator: { token: TOKEN, organizationId: 'queue-org', contextId: 'queue-context', webhookRetryScale: 0.0005, webhookTimeoutMs: 5000 } }, startQueueStack);
const queue = () => context.stack as QueueStack;
const logOf = (file: string) => readFileSync(file, 'utf8');

/** For each execution id, the names of the processes whose log says they ran it ("Worker started execution N"). */
function whereRan(ids: string[]): Record<string, string[]> {
	const processes = queue().processes().map((n8n) => ({ name: n8n.logFile.split('/').pop()!.replace('.log', ''), started: startedExecutions(n8n) }));
	return Object.fromEntries(ids.map((id) => [id, processes.filter(({ started }) => started.includes(id)).map(({ name }) => name)]));
}

/** Whether an execution went through the approved sync example's Wait node (it was held for approval). */
const waited = (execution: Record<string, unknown>) =>
	'Wait for the decision' in ((execution.data as { resultData?: { runData?: object } } | undefined)?.resultData?.runData ?? {});

/** Every execution the workers' logs say they started: execution id and worker index. */
function workerStarts(): Array<[string, number]> {
	return queue().workers.flatMap((worker, index) => startedExecutions(worker).map((id): [string, number] => [id, index]));
}

describe('example workflows in queue mode', () => {
	scenarioTests(exampleRuns, context);

	it('every execution ran on exactly one worker, none on main or a webhook processor (those held for approval: see below)', async () => {
		const { client } = queue();
		const workflows = (await client.api<{ data: Array<{ id: string; name: string }> }>('GET', '/workflows?limit=250')).data;
		const executions = (await Promise.all(workflows.map((workflow) => client.executions(workflow.id)))).flat();
		const ids = executions.filter((execution) => !waited(execution)).map((execution) => String(execution.id));
		expect(ids.length).toBeGreaterThan(3);
		const ran = whereRan(ids);
		for (const id of ids) expect([id, ran[id]]).toEqual([id, [expect.stringMatching(/^worker-\d$/)]]);
	});

	it('the approved sync example: each execution held for approval ran on workers twice, until the wait and again when its link resumed it, never on main or a webhook processor', async () => {
		const { client } = queue();
		const held = (await client.executions(await approvedSyncWorkflowId(client))).filter(waited).map((execution) => String(execution.id));
		// Rejected, stale and approved.
		expect(held).toHaveLength(3);
		const ran = whereRan(held);
		const starts = workerStarts();
		for (const id of held) {
			expect([id, ran[id].every((name) => /^worker-\d$/.test(name))]).toEqual([id, true]);
			expect([id, starts.filter(([started]) => started === id).length]).toEqual([id, 2]);
		}
	});
});

/** The Create Many node's items in one execution: each device's MAC and the input item it is paired with. */
function whitelistItems(execution: Record<string, unknown>): Array<[string, unknown]> {
	const runData = (execution.data as { resultData: { runData: Record<string, Array<{ data: { main: Array<Array<{ json: { mac: string }; pairedItem: unknown }>> } }>> } }).resultData.runData;
	return runData['Whitelist devices'][0].data.main[0].map((item) => [item.json.mac, item.pairedItem]);
}

const stored = (prefix: string) => queue().emulator.store.state.whitelistings.filter((entry) => entry.mac.startsWith(prefix));
/** The MACs the emulator's Batch Add requests carried, from request `since` on. */
const batchAdded = (since: number) =>
	queue()
		.emulator.requests.slice(since)
		.filter((request) => request.method === 'POST' && request.path.endsWith('/whitelistings/batch/add') && request.status === 200)
		.flatMap((request) => (request.body as { whitelistings: Array<{ mac: string }> }).whitelistings.map((entry) => entry.mac));

describe('load in queue mode', () => {
	it('50 webhook-started executions at once, 200 devices each, spread over both workers: all succeed, the emulator holds exactly the union, nothing twice, items paired', async () => {
		const stack = queue();
		const workflowId = await stack.client.createWorkflow(inventoryWorkflow(context.credentialId, 'inventory-load'), true);
		const since = stack.emulator.requests.length;
		const load = await runInventoryLoad(stack.client, stack.emulator, 'inventory-load', 50, 200);
		const all = load.devices.flat().map((device) => device.mac).sort();
		expect(load.answers.map((answer) => answer.status)).toEqual(Array(50).fill(200));
		load.answers.forEach((answer, i) => expect((answer.body as Array<{ status: string; mac: string }>).map((item) => [item.status, item.mac])).toEqual(load.devices[i].map((device) => ['created', device.mac])));
		expect(stored('02:4C:').map((entry) => entry.mac).sort()).toEqual(all);
		expect(batchAdded(since).sort()).toEqual(all);

		const executions = await stack.client.executions(workflowId);
		expect(executions.map((execution) => execution.status)).toEqual(Array(50).fill('success'));
		for (const execution of executions) {
			const batch = (nodeOutput(execution, 'Inventory export')[0] as { body: { batch: number } }).body.batch;
			expect(whitelistItems(execution)).toEqual(load.devices[batch].map((device, item) => [device.mac, { item }]));
		}
		const ran = whereRan(executions.map((execution) => String(execution.id)));
		const perWorker = (name: string) => Object.values(ran).filter((where) => where.length === 1 && where[0] === name).length;
		expect(perWorker('worker-1') + perWorker('worker-2')).toBe(50);
		expect(perWorker('worker-1')).toBeGreaterThan(0);
		expect(perWorker('worker-2')).toBeGreaterThan(0);
		process.stdout.write(
			`queue load: 50 executions x 200 devices in ${(load.wallMs / 1000).toFixed(1)} s wall, ${load.requests} requests to the emulator; worker-1 ran ${perWorker('worker-1')}, worker-2 ran ${perWorker('worker-2')}\n`,
		);
	}, 10 * 60 * 1000);
});

describe('a worker killed in the middle of a batch run', () => {
	it('n8n marks the execution failed once its job stalls and does not run it again; running it again creates the rest, nothing twice, nothing lost', async () => {
		const stack = queue();
		const devices = inventoryDevices(200, 3000);
		await stack.client.createWorkflow(inventoryWorkflow(context.credentialId, 'inventory-kill'), true);
		const since = stack.emulator.requests.length;
		stack.emulator.options.latencyMs = 150;
		const call = stack.client.webhook('inventory-kill', { batch: 200, devices }).catch((error: Error) => ({ status: 0, body: error.message }));
		const startedBefore = new Set(workerStarts().map(([id]) => id));
		let executionId = '';
		let victim = -1;
		for (let waited = 0; victim < 0 || batchAdded(since).length < 500; waited += 100) {
			if (waited > 120_000) throw new Error('the batch run did not start within 120 s');
			await new Promise((resolve) => setTimeout(resolve, 100));
			const started = workerStarts().find(([id]) => !startedBefore.has(id));
			if (started) [executionId, victim] = started;
		}
		await stack.killWorker(victim);
		stack.emulator.options.latencyMs = 0;
		// A request the worker sent before it died is still applied by the emulator.
		await new Promise((resolve) => setTimeout(resolve, 2000));
		const createdBeforeKill = stored('02:4C:C8:').length;
		process.stdout.write(`killed worker-${victim + 1} (SIGKILL) running execution ${executionId} after ${createdBeforeKill} of 3000 devices were created\n`);

		// What n8n makes of it, watched until the execution is no longer running (n8n's queue marks a job whose worker stopped renewing its lock as stalled).
		const seen: string[] = [];
		let execution: Record<string, unknown> = {};
		for (let waited = 0; waited < 240_000 && seen.at(-1)?.startsWith('running') !== false; waited += 2000) {
			execution = await stack.client.api<Record<string, unknown>>('GET', `/executions/${executionId}?includeData=true`);
			const state = `${String(execution.status)} (finished ${String(execution.finished)}, stoppedAt ${String(execution.stoppedAt)})`;
			if (seen.at(-1) !== state) seen.push(state);
			await new Promise((resolve) => setTimeout(resolve, 2000));
		}
		const error = (execution.data as { resultData: { error?: { message: string } } }).resultData.error?.message;
		const answer = (await Promise.race([call, new Promise((resolve) => setTimeout(() => resolve({ status: 'no answer after 5 s' }), 5000))])) as { status: unknown; body?: unknown };
		const others = stack.processes().filter((n8n) => n8n !== stack.workers[victim]);
		const startedAgain = others.filter((n8n) => startedExecutions(n8n).includes(executionId));
		process.stdout.write(
			`execution ${executionId} after the kill: ${seen.join(' -> ')}, error "${error}"; the webhook caller got: ${JSON.stringify(answer).slice(0, 200)}; started again on another worker: ${startedAgain.length}\n`,
		);
		expect(seen[0]).toMatch(/^running/);
		expect(seen.at(-1)).toMatch(/^error/);
		expect(answer).toEqual({ status: 500, body: { message: 'Error in workflow' } });
		expect(startedAgain).toEqual([]);
		expect(stored('02:4C:C8:').length).toBe(createdBeforeKill);

		await stack.restartWorker(victim);
		const again = await stack.client.webhook('inventory-kill', { batch: 200, devices });
		expect(again.status).toBe(200);
		const statuses = (again.body as Array<{ status: string; mac: string }>).map((item) => item.status);
		expect(statuses.filter((status) => status === 'existing').length).toBe(createdBeforeKill);
		expect(statuses.filter((status) => status === 'created').length).toBe(3000 - createdBeforeKill);
		expect(stored('02:4C:C8:').map((entry) => entry.mac).sort()).toEqual(devices.map((device) => device.mac).sort());
	}, 10 * 60 * 1000);
});

const HEADERS = { 'content-type': 'application/json', [DEMO_WEBHOOK_HEADER.headerName]: DEMO_WEBHOOK_HEADER.secret };

/** Posts `event` to every URL at the same moment, as a platform retry spread by a load balancer would arrive. */
async function deliverToAll(urls: string[], event: Record<string, unknown>): Promise<Array<{ started: number; redelivered: number }>> {
	return await Promise.all(
		urls.map(async (url) => (await (await fetch(url, { method: 'POST', headers: HEADERS, body: JSON.stringify(event) })).json()) as { started: number; redelivered: number }),
	);
}

/** Waits until the workflow's executions are all finished (none new or running, `expected` at least), then returns them. */
async function settled(workflowId: string, expected: number): Promise<Array<Record<string, unknown>>> {
	for (let waited = 0; ; waited += 500) {
		const executions = await queue().client.executions(workflowId);
		const done = executions.every((execution) => execution.status !== 'new' && execution.status !== 'running');
		if ((done && executions.length >= expected) || waited > 60_000) return executions;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

describe('the trigger behind two webhook processors', () => {
	beforeEach(() => queue().emulator.webhooks.reset());
	scenarioTests(triggerRuns, context);
	scenarioTests(deliveryRuns, context);

	it('trigger executions ran on workers', async () => {
		const { client } = queue();
		const workflows = (await client.api<{ data: Array<{ id: string; name: string }> }>('GET', '/workflows?limit=250')).data.filter((workflow) => workflow.name.startsWith('trigger e2e'));
		const ids = (await Promise.all(workflows.map((workflow) => client.executions(workflow.id)))).flat().map((execution) => String(execution.id));
		expect(ids.length).toBeGreaterThan(2);
		const ran = whereRan(ids);
		for (const id of ids) expect([id, ran[id]]).toEqual([id, [expect.stringMatching(/^worker-\d$/)]]);
	});

	it('the same event delivered to both processors at the same moment: how often it starts twice (20 tries)', async () => {
		const workflow = await context.triggerWorkflow({});
		expect(workflow.urls).toHaveLength(2);
		let twice = 0;
		for (let i = 0; i < 20; i++) {
			const answers = await deliverToAll(workflow.urls, { event: 'signin.session.denied', id: `dup-${i}` });
			if (answers.every((answer) => answer.started === 1)) twice++;
		}
		const executions = await settled(workflow.id, 20 + twice);
		const perEvent = new Map<string, number>();
		for (const execution of executions) {
			const [{ id }] = nodeOutput(execution, 'Sign-In Trigger') as Array<{ id: string }>;
			perEvent.set(id, (perEvent.get(id) ?? 0) + 1);
		}
		expect(perEvent.size).toBe(20);
		expect([...perEvent.values()].filter((count) => count === 2).length).toBe(twice);
		expect(executions.length).toBe(20 + twice);
		process.stdout.write(`trigger behind two webhook processors: the same event, delivered to both at once, started twice in ${twice} of 20 tries\n`);
	}, 5 * 60 * 1000);

	it("the front-desk example's Remove Duplicates node: a later redelivery to the other processor gets no alert through; simultaneous ones can slip past it", async () => {
		const stack = queue();
		// Published by the example run above, as imported.
		const example = loadWorkflow('front-desk-denied-sign-in-alert.json', { signInWebhookApi: context.webhookCredentialId });
		const workflows = (await stack.client.api<{ data: Array<{ id: string; name: string }> }>('GET', '/workflows?limit=250')).data;
		const { id } = workflows.find((workflow) => workflow.name === example.name)!;
		const urls = stack.client.webhookUrls.flatMap((base) => triggersOf(example, base).map((trigger) => trigger.url));
		for (const url of urls) await untilListening(url);
		const event = (eventId: string) => ({ event: 'signin.session.denied', id: eventId, timestamp: '2026-11-23T10:00:00Z', data: { mac: 'AA:BB:CC:00:00:42' } });
		const alertsOf = (executions: Array<Record<string, unknown>>) =>
			executions.flatMap((execution) => {
				const runData = (execution.data as { resultData: { runData: Record<string, unknown> } }).resultData.runData;
				return runData['Front desk alert'] ? (nodeOutput(execution, 'Front desk alert') as Array<{ eventId: string }>).map((alert) => alert.eventId) : [];
			});
		const before = (await stack.client.executions(id)).length;

		// The platform's retry after a lost answer, landing on the other webhook processor once the first delivery's execution is done.
		let started = 0;
		for (let i = 0; i < 10; i++) {
			started += (await deliverToAll([urls[0]], event(`fd-retry-${i}`)))[0].started;
			await settled(id, before + started);
			started += (await deliverToAll([urls[1]], event(`fd-retry-${i}`)))[0].started;
			await settled(id, before + started);
		}
		const retried = (await settled(id, before + started)).slice(0, started);
		expect(retried.map((execution) => execution.status)).toEqual(Array(started).fill('success'));
		expect(alertsOf(retried).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `fd-retry-${i}`).sort());

		// Both processors at the same moment: the two executions run side by side on the two workers.
		let simultaneous = 0;
		for (let i = 0; i < 20; i++) simultaneous += (await deliverToAll(urls, event(`fd-${i}`))).reduce((sum, answer) => sum + answer.started, 0);
		const all = await settled(id, before + started + simultaneous);
		const alerts = alertsOf(all.slice(0, simultaneous)).filter((eventId) => !eventId.startsWith('fd-retry-'));
		expect([...new Set(alerts)].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `fd-${i}`).sort());
		process.stdout.write(
			`front-desk example (Remove Duplicates): 10 retries to the other processor: ${started} executions, ${alertsOf(retried).length} alerts; 20 events to both processors at once: ${simultaneous} executions, ${alerts.length} alerts (${alerts.length - 20} duplicates)\n`,
		);
	}, 5 * 60 * 1000);

	it('an atomic claim in Redis (Redis Increment on the event ID, then a Filter on 1) lets exactly one of two simultaneous deliveries through', async () => {
		const stack = queue();
		const redisId = await stack.client.createCredential('Redis', { host: '127.0.0.1', port: stack.redis.port, database: 1, password: '', user: '' }, 'redis');
		const recipe = redisClaimWorkflow(context.webhookCredentialId, redisId);
		const id = await stack.client.createWorkflow(recipe, true);
		const urls = stack.client.webhookUrls.flatMap((base) => triggersOf(recipe, base).map((trigger) => trigger.url));
		for (const url of urls) await untilListening(url);
		let started = 0;
		for (let i = 0; i < 20; i++) started += (await deliverToAll(urls, { event: 'signin.session.denied', id: `claim-${i}` })).reduce((sum, answer) => sum + answer.started, 0);
		const executions = await settled(id, started);
		expect(executions.map((execution) => execution.status)).toEqual(Array(started).fill('success'));
		const through = executions.flatMap((execution) => {
			const runData = (execution.data as { resultData: { runData: Record<string, unknown> } }).resultData.runData;
			return runData['Alert'] ? (nodeOutput(execution, 'Alert') as Array<{ eventId: string }>).map((alert) => alert.eventId) : [];
		});
		expect(through.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `claim-${i}`).sort());
		process.stdout.write(`Redis claim: 20 events to both processors at once: ${started} executions, ${through.length} got through\n`);
	}, 5 * 60 * 1000);
});

/**
 * Trigger -> Redis Increment of `netgraph-sign-in:event:<id>` (kept 7 days) -> Filter: only the
 * first claim (1) -> the alert. INCR is atomic, so of two executions of one event exactly one sees 1.
 */
function redisClaimWorkflow(webhookCredentialId: string, redisCredentialId: string): Workflow {
	return {
		name: 'trigger e2e redis claim',
		nodes: [
			{ id: 'rc-1', name: 'Sign-In Trigger', type: TRIGGER_TYPE, typeVersion: 1, position: [0, 0], webhookId: '7d1e2a00-0000-4000-8000-00000000c1a1', parameters: { events: ['*'], otherEvents: '', options: {} }, credentials: { signInWebhookApi: { id: webhookCredentialId, name: WEBHOOK_CREDENTIAL_NAME } } },
			{ id: 'rc-2', name: 'Claim event', type: 'n8n-nodes-base.redis', typeVersion: 1, position: [220, 0], parameters: { operation: 'incr', key: "={{ 'netgraph-sign-in:event:' + $json.id }}", expire: true, ttl: 604800 }, credentials: { redis: { id: redisCredentialId, name: 'Redis' } } },
			{
				id: 'rc-3',
				name: 'First claim only',
				type: 'n8n-nodes-base.filter',
				typeVersion: 2,
				position: [440, 0],
				parameters: { conditions: { options: { caseSensitive: true, leftValue: '', typeValidation: 'strict' }, conditions: [{ id: 'c1', leftValue: '={{ Object.values($json)[0] }}', rightValue: 1, operator: { type: 'number', operation: 'equals' } }], combinator: 'and' }, options: {} },
			},
			{ id: 'rc-4', name: 'Alert', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [660, 0], parameters: { assignments: { assignments: [{ id: 'a1', name: 'eventId', value: "={{ $('Sign-In Trigger').item.json.id }}", type: 'string' }] }, options: {} } },
		],
		connections: {
			'Sign-In Trigger': { main: [[{ node: 'Claim event', type: 'main', index: 0 }]] },
			'Claim event': { main: [[{ node: 'First claim only', type: 'main', index: 0 }]] },
			'First claim only': { main: [[{ node: 'Alert', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

describe('secrets in queue mode', () => {
	scenarioTests(secretRuns, context);

	it('the webhook secret appears in no execution data and no process log', async () => {
		const { client } = queue();
		const workflows = (await client.api<{ data: Array<{ id: string }> }>('GET', '/workflows?limit=250')).data;
		for (const workflow of workflows) expect(JSON.stringify(await client.executions(workflow.id))).not.toContain(DEMO_WEBHOOK_HEADER.secret);
		for (const n8n of queue().processes()) expect([n8n.logFile, logOf(n8n.logFile).includes(DEMO_WEBHOOK_HEADER.secret)]).toEqual([n8n.logFile, false]);
	});

	it('memory of each process (RSS, with its task runner)', () => {
		const stack = queue();
		const figures = stack.processes().map((n8n) => `${n8n.logFile.split('/').pop()!.replace('.log', '')} ${rssMb(n8n.process.pid!).toFixed(0)} MB`);
		for (const service of [stack.postgres, stack.redis]) figures.push(`${service.name} ${rssMb(service.pid).toFixed(0)} MB`);
		process.stdout.write(`queue stack memory (RSS): ${figures.join(', ')}\n`);
		expect(figures).toHaveLength(7);
	});
});
