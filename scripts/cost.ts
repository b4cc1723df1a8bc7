/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev CLI, never published: n8n Cloud's sandbox rules are for the package, and a CLI prints */
/*
 * `npm run build && npm run build:dev && node build/scripts/cost.js [--rounds=5] [--profile[=file]] [--dist=dir]`: the node's own
 * CPU cost per item. Runs the built package (dist/, as n8n loads it) in this process through n8n-core's
 * WorkflowExecute, as test/support/harness.ts does, against the emulator at latency 0, at Concurrency 1. Per
 * workload: the run's total time, the time spent in the node's requests (n8n's HTTP helper and the emulator,
 * which runs in this process), and the rest, the node's own time; medians of N rounds after a warm-up round.
 * `--profile` profiles N more rounds and prints the top self times in the package's own files, per round.
 * The digest covers every request the emulator received and every output item (client UUIDs masked): it must
 * not change when only the node's speed does.
 */
import 'reflect-metadata';
import { createHash } from 'crypto';
import { mkdtempSync, writeFileSync } from 'fs';
import { Session } from 'inspector/promises';
import { tmpdir } from 'os';
import { join, relative, resolve } from 'path';
import type { ICredentialType, IExecuteFunctions, INode, INodeExecutionData, INodeType, IRun, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { SignInEmulator } from '../emulator/server';
import { ROOT } from './n8n';

process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-cost-'));
// After the environment is set: n8n-core reads it when it loads.
const { ExecutionLifecycleHooks, WorkflowExecute } = require('n8n-core') as typeof import('n8n-core');
const { NodeHelpers, Workflow } = require('n8n-workflow') as typeof import('n8n-workflow');
/** Another build's dist folder, to compare two versions in one sitting: a copy of an earlier one kept below this checkout (build/), where its node_modules resolve. */
const DIST = resolve(process.argv.find((arg) => arg.startsWith('--dist='))?.slice('--dist='.length) ?? join(ROOT, 'dist'));
const { NetgraphSignIn } = require(join(DIST, 'nodes/NetgraphSignIn/NetgraphSignIn.node.js')) as { NetgraphSignIn: new () => INodeType };
const { SignInContextApi } = require(join(DIST, 'credentials/SignInContextApi.credentials.js')) as { SignInContextApi: new () => ICredentialType };

const ROUNDS = Number(process.argv.find((arg) => arg.startsWith('--rounds='))?.slice('--rounds='.length) ?? 5);
const PROFILE = process.argv.find((arg) => arg.startsWith('--profile'));
const POLICY = '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const hex = (i: number) => i.toString(16).padStart(6, '0').toUpperCase().replace(/(..)(?!$)/g, '$1:');
// Items as they reach n8n, parsed from JSON (flat strings, not the joined ones a template literal makes).
const asParsed = <T>(items: T[]): T[] => JSON.parse(JSON.stringify(items)) as T[];
const devices = asParsed(Array.from({ length: 10_000 }, (_, i) => ({ mac: `02:00:00:${hex(i)}`, name: `Device ${i}` })));
const guests = asParsed(Array.from({ length: 5_000 }, (_, i) => ({ email: `guest${i}@example.com` })));
const WORKLOADS = [
	{ name: 'Whitelisting Create Many', items: devices, parameters: { resource: 'whitelisting', operation: 'createMany', mac: '={{ $json.mac }}', name: '={{ $json.name }}', additionalFields: {} } },
	{ name: 'Whitelisting Revoke Many', items: devices, parameters: { resource: 'whitelisting', operation: 'revokeMany', macs: '={{ $json.mac }}' } },
	{ name: 'Access Policy Add E-Mails', items: guests, parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: '={{ $json.email }}' } },
	{ name: 'Access Policy Remove E-Mails', items: guests, parameters: { resource: 'accessPolicy', operation: 'removeEmails', policyId: POLICY, emails: '={{ $json.email }}' } },
];

const emulator = new SignInEmulator({ latencyMs: 0, seed: { policies: { [POLICY]: { name: 'Cost', emails: [] } } } });
const credentialType = new SignInContextApi();
let apiMs = 0;

/** The node, with every request it sends timed: what n8n's HTTP helper and the emulator take is not the node's own. */
function timedNode(): INodeType {
	const inner = new NetgraphSignIn();
	return Object.assign(Object.create(inner) as INodeType, {
		async execute(this: IExecuteFunctions) {
			const send = this.helpers.httpRequestWithAuthentication;
			this.helpers.httpRequestWithAuthentication = async function (this: IExecuteFunctions, ...args: Parameters<typeof send>) {
				const start = performance.now();
				try {
					return await send.apply(this, args);
				} finally {
					apiMs += performance.now() - start;
				}
			};
			return await inner.execute!.call(this);
		},
	});
}

/** One run of the node over `items` through WorkflowExecute; its output and time. */
async function runOnce(parameters: Record<string, unknown>, items: object[]) {
	const nodeType = timedNode();
	const node: INode = {
		id: 'cost-node', name: 'Sign-In', type: 'netgraphSignIn', typeVersion: 1, position: [0, 0],
		parameters: { ...parameters, requestOptions: { concurrency: 1 } } as INode['parameters'],
		credentials: { signInContextApi: { id: 'cred-1', name: 'Sign-In Context API' } },
	};
	const nodeTypes = { getByName: () => nodeType, getByNameAndVersion: (_: string, version?: number) => NodeHelpers.getVersionedNodeType(nodeType, version), getKnownTypes: () => ({}) };
	const workflowData = { id: 'wf-cost', name: 'cost', nodes: [node], connections: {}, active: false };
	const workflow = new Workflow({ ...workflowData, nodeTypes });
	const hooks = new ExecutionLifecycleHooks('manual', 'exec-cost', { ...workflowData, settings: {} } as never);
	const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)));
	const credentials = { baseUrl: emulator.url, organizationId: 'demo-org', contextId: 'demo-context', apiToken: 'emulator-token' };
	const credentialsHelper = {
		getDecrypted: async () => ({ ...credentials }),
		authenticate: async (data: typeof credentials, _type: string, options: object) => await (credentialType.authenticate as (...args: unknown[]) => unknown)(data, options),
		preAuthentication: async () => undefined,
		getParentTypes: () => [],
		isCredentialUsableByNode: () => true,
	};
	const additionalData = { hooks, credentialsHelper, variables: {}, restApiUrl: '', instanceBaseUrl: '', currentNodeExecutionIndex: 0 } as unknown as IWorkflowExecuteAdditionalData;
	const nodeExecutionStack = [{ node, data: { main: [items.map((json) => ({ json }))] }, source: null }];
	const executionData = { contextData: {}, metadata: {}, waitingExecution: {}, waitingExecutionSource: null, nodeExecutionStack };
	apiMs = 0;
	emulator.requests.length = 0;
	const start = performance.now();
	await new WorkflowExecute(additionalData, 'manual', { resultData: { runData: {} }, executionData } as never).processRunExecutionData(workflow);
	const run = await finished;
	const totalMs = performance.now() - start;
	const task = run.data.resultData.runData[node.name]?.[0];
	const output: INodeExecutionData[] = task?.data?.main?.[0] ?? [];
	if (task?.error || output.length !== items.length || output.some((item) => item.json.error !== undefined)) {
		throw new Error(`The run did not succeed for every item: ${task?.error?.message ?? JSON.stringify(output.find((item) => item.json.error))}`);
	}
	return { totalMs, apiMs, ownMs: totalMs - apiMs, output };
}

const maskIds = (key: string, value: unknown) => (key === 'id' ? '<id>' : value);
const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value, maskIds)).digest('hex').slice(0, 12);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function profiled(): Promise<void> {
	const session = new Session();
	session.connect();
	await session.post('Profiler.enable');
	await session.post('Profiler.setSamplingInterval', { interval: 200 });
	await session.post('Profiler.start');
	for (let round = 0; round < ROUNDS; round++) for (const workload of WORKLOADS) await runOnce(workload.parameters, workload.items);
	const { profile } = await session.post('Profiler.stop');
	const file = PROFILE!.includes('=') ? PROFILE!.slice(PROFILE!.indexOf('=') + 1) : 'cost.cpuprofile';
	writeFileSync(file, JSON.stringify(profile));
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const self = new Map<string, number>();
	profile.samples!.forEach((id, index) => {
		const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
		const own = url.includes(DIST);
		const key = own ? `${functionName || '(anonymous)'} ${relative(DIST, url.replace('file://', ''))}:${lineNumber + 1}` : functionName === '(garbage collector)' ? functionName : '';
		if (key) self.set(key, (self.get(key) ?? 0) + profile.timeDeltas![index] / 1000 / ROUNDS);
	});
	console.log(`\nProfile of ${ROUNDS} more rounds written to ${file}. Top self times in the package's own files (ms per round of the four):`);
	for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${ms.toFixed(1).padStart(9)}  ${key}`);
}

async function main(): Promise<void> {
	await emulator.start();
	const rows: string[][] = [['workload', 'items', 'total ms', 'API ms', 'own ms', 'own ms / 1,000 items', 'digest']];
	try {
		const results = WORKLOADS.map(() => ({ totalMs: [] as number[], apiMs: [] as number[], ownMs: [] as number[], digests: new Set<string>() }));
		// Round 0 warms up; Create and Revoke, Add and Remove leave the emulator as they found it.
		for (let round = 0; round <= ROUNDS; round++) {
			for (const [index, workload] of WORKLOADS.entries()) {
				const run = await runOnce(workload.parameters, workload.items);
				const result = results[index];
				result.digests.add(digest([emulator.requests.map(({ method, path, status, body }) => ({ method, path, status, body })), run.output.map(({ json, pairedItem }) => ({ json, pairedItem }))]));
				if (round === 0) continue;
				result.totalMs.push(run.totalMs);
				result.apiMs.push(run.apiMs);
				result.ownMs.push(run.ownMs);
			}
		}
		for (const [index, { name, items }] of WORKLOADS.entries()) {
			const { totalMs, apiMs: api, ownMs, digests } = results[index];
			const own = median(ownMs);
			rows.push([name, String(items.length), median(totalMs).toFixed(0), median(api).toFixed(0), own.toFixed(0), ((own / items.length) * 1000).toFixed(1), [...digests].join(',')]);
		}
		console.log(`Concurrency 1, emulator latency 0, medians of ${ROUNDS} rounds after a warm-up round:\n`);
		const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
		for (const row of rows) console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  '));
		if (PROFILE) await profiled();
	} finally {
		await emulator.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
