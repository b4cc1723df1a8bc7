/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * How the end-to-end suites start their stack, build workflows in its n8n and read the results:
 * shared by the 2.x suites and the 1.x compatibility suite.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { freePort } from '../../scripts/n8n';
import {
	CREDENTIAL_NAME,
	DEMO_WEBHOOK_HEADER,
	GROUP_CREDENTIAL_NAME,
	NODE_TYPE,
	NODE_VERSION,
	TRIGGER_TYPE,
	WEBHOOK_CREDENTIAL_NAME,
	emulatorCredential,
	groupCredential,
	itemsWorkflow,
	startStack,
	type Stack,
	type StackOptions,
} from '../../scripts/stack';

/** What a suite's tests use; filled in once the suite's stack is up. */
export interface E2eContext {
	stack: Stack;
	workDir: string;
	/** Every line the stack has logged (install progress, dev rebuilds, n8n's reload lines), also printed. */
	logLines: string[];
	/** A Sign-In Context API credential pointing at the emulator. */
	credentialId: string;
	/** A Sign-In Organization API credential holding the emulator's group Contexts, a key each. */
	groupCredentialId: string;
	/** The Sign-In Webhook API credential with the demo header. */
	webhookCredentialId: string;
	operationWorkflow: ReturnType<typeof operationWorkflows>;
	triggerWorkflow: ReturnType<typeof triggerWorkflows>;
}

/**
 * Starts the emulator and an n8n with the package (free loopback ports, a fresh data folder),
 * an API key and both credentials before the suite's tests, and stops both by process id after
 * them. The returned context is filled in by then.
 */
export function useStack<Options extends StackOptions = StackOptions>(
	name: string,
	options: Partial<Omit<Options, 'workDir' | 'log'>> = {},
	start: (options: Options) => Promise<Stack> = startStack,
): E2eContext {
	const context = { logLines: [] as string[] } as E2eContext;
	beforeAll(async () => {
		context.workDir = mkdtempSync(join(tmpdir(), `netgraph-${name}-`));
		const stack = await start({
			n8nPort: await freePort(),
			brokerPort: await freePort(),
			emulatorPort: await freePort(),
			...options,
			workDir: context.workDir,
			log: (line: string) => {
				context.logLines.push(line);
				process.stdout.write(`${line}\n`);
			},
		} as Options);
		context.stack = stack;
		process.stdout.write(`${name}: n8n ${stack.n8n.version} started in ${(stack.n8n.startupMs / 1000).toFixed(1)} s\n`);
		await stack.client.createApiKey(name);
		context.credentialId = await stack.client.createCredential(CREDENTIAL_NAME, emulatorCredential(stack.emulator));
		context.groupCredentialId = await stack.client.createCredential(GROUP_CREDENTIAL_NAME, groupCredential(stack.emulator), 'signInOrganizationApi');
		context.webhookCredentialId = await stack.client.createCredential(WEBHOOK_CREDENTIAL_NAME, DEMO_WEBHOOK_HEADER, 'signInWebhookApi');
		context.operationWorkflow = operationWorkflows(stack, context.credentialId);
		context.triggerWorkflow = triggerWorkflows(stack, context.webhookCredentialId);
	}, 20 * 60 * 1000);
	afterAll(async () => {
		const { stack } = context;
		await stack?.stop();
		if (stack) expect(stack.n8n.process.exitCode !== null || stack.n8n.process.signalCode !== null).toBe(true);
		if (context.workDir) rmSync(context.workDir, { recursive: true, force: true });
	});
	return context;
}

export interface OperationWorkflow {
	id: string;
	/** Calls the workflow's webhook with one item per entry of `items`; answers with the node's output. */
	run(items: unknown[]): Promise<{ status: number; body: unknown }>;
}

/** Webhook paths of operation workflows, counted across builders so that two credentials' workflows never share one. */
let operationPaths = 0;

/** The name each Sign-In credential type's credential of the suite has. */
const CREDENTIAL_NAMES = { signInContextApi: CREDENTIAL_NAME, signInOrganizationApi: GROUP_CREDENTIAL_NAME };

/**
 * Builds "Webhook -> one item per entry of body.items -> the Sign-In node with the given
 * parameters" workflows, published; the node uses the credential `credentialId` of `credentialType`
 * (with the Organization credential, `parameters` say so in `authentication`).
 */
export function operationWorkflows(stack: Stack, credentialId: string, credentialType: keyof typeof CREDENTIAL_NAMES = 'signInContextApi') {
	return async (parameters: Record<string, unknown>, options: { continueOnFail?: boolean; executeOnce?: boolean } = {}): Promise<OperationWorkflow> => {
		const path = `op-${++operationPaths}`;
		const id = await stack.client.createWorkflow(
			itemsWorkflow(`e2e ${path} ${String(parameters.resource)} ${String(parameters.operation)}`, path, {
				name: 'Sign-In',
				type: NODE_TYPE,
				typeVersion: NODE_VERSION,
				parameters,
				credentials: { [credentialType]: { id: credentialId, name: CREDENTIAL_NAMES[credentialType] } },
				...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
				...(options.executeOnce ? { executeOnce: true } : {}),
			}),
			true,
		);
		return { id, run: async (items: unknown[]) => await stack.client.webhook(path, { items }) };
	};
}

/**
 * A venue group's Sign-In Webhook API credential: the demo header's secret for the main Context and
 * two further Contexts with their own (all beginning with the demo secret, so that the checks for
 * a leaked secret cover them).
 */
export const VENUE_GROUP = {
	...DEMO_WEBHOOK_HEADER,
	contextName: 'Hotel Stockholm',
	contexts: {
		context1: { name: 'Hotel Oslo', secret: `${DEMO_WEBHOOK_HEADER.secret}-oslo` },
		context2: { name: 'Hotel Bergen', secret: `${DEMO_WEBHOOK_HEADER.secret}-bergen` },
	},
};

/** Trigger workflows, counted across builders so that two credentials' triggers never share a webhook ID. */
let triggerCount = 0;

/** Builds "Sign-In Trigger -> No Operation" workflows, published; each resolves once n8n listens on the trigger's production URL. */
export function triggerWorkflows(stack: Stack, credentialId: string) {
	return async (parameters: Record<string, unknown>): Promise<{ id: string; url: string; urls: string[] }> => {
		const n = ++triggerCount;
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
		// Every process that serves production webhooks listens on the trigger's URL (in queue mode: each webhook processor).
		const urls = stack.client.webhookUrls.map((base) => `${base}/webhook/${webhookId}/webhook`);
		for (const url of urls) await untilListening(url);
		return { id, url: urls[0], urls };
	};
}

/** A just-published (or reloaded) workflow's webhook takes a moment to register: until then n8n answers 404, not the trigger's 401. */
export async function untilListening(url: string): Promise<void> {
	for (let waited = 0; waited < 20_000; waited += 250) {
		const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => undefined);
		await response?.text();
		if (response?.status === 401) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`${url} was not registered within 20 s`);
}

let subscriptions = 0;
/** Registers a webhook subscription on the emulator, sending the demo header, as an admin would in the Context. */
export function subscribe(stack: Stack, url: string, subscription: Record<string, unknown> = {}) {
	const created = stack.emulator.webhooks.subscribe({
		name: `sub${++subscriptions}`,
		url,
		headers: { [DEMO_WEBHOOK_HEADER.headerName]: DEMO_WEBHOOK_HEADER.secret },
		...subscription,
	});
	if ('error' in created) throw new Error(created.error);
	return created;
}

/** Waits until n8n has had time to store any execution a delivery might have started, then counts them. */
export async function executionCount(stack: Stack, workflowId: string): Promise<number> {
	await new Promise((resolve) => setTimeout(resolve, 1500));
	return (await stack.client.executions(workflowId)).length;
}

type RunData = Record<string, Array<{ data: { main: Array<Array<{ json: unknown }>> } }>>;

/** The items a node produced in one execution (its first run, first output). */
export function nodeOutput(execution: Record<string, unknown>, nodeName: string): unknown[] {
	const runData = (execution.data as { resultData: { runData: RunData } }).resultData.runData;
	return runData[nodeName][0].data.main[0].map((item) => item.json);
}

/** The items the trigger produced in each finished execution of the workflow, oldest execution first. */
export async function triggeredItems(stack: Stack, workflowId: string, expectedExecutions: number, nodeName = 'Sign-In Trigger'): Promise<unknown[][]> {
	for (let waited = 0; ; waited += 250) {
		const executions = await stack.client.executions(workflowId);
		const finished = executions.filter((execution) => execution.finished === true || execution.status === 'success');
		if (finished.length >= expectedExecutions || waited > 20_000) {
			return finished.sort((a, b) => Number(a.id) - Number(b.id)).map((execution) => nodeOutput(execution, nodeName));
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}
