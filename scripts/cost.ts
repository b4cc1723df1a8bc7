/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev CLI, never published: n8n Cloud's sandbox rules are for the package, and a CLI prints */
/*
 * `npm run build && npm run build:dev && node build/scripts/cost.js [--rounds=5] [--scale=1] [--profile[=file]] [--dist=dir ...]`: the
 * node's own CPU cost per item. Runs the built package (dist/, as n8n loads it) in this process through n8n-core's
 * WorkflowExecute, as test/support/harness.ts does, against the in-process emulator at latency 0, Concurrency 1. Per
 * workload, medians of N rounds after a warm-up: the run's time, the time in its requests (n8n's HTTP helper and the
 * emulator) and the rest, the node's own. `--dist=dir` (repeatable) runs those builds, alternating, e.g. a copy of the
 * .js files of an earlier dist/ below build/ (where node_modules resolve; n8n-node lint would read .d.ts files) against
 * dist. `--profile` profiles N more rounds of the first build and prints the top self times in its files. The digest
 * (every request and output item, client UUIDs masked) must not change when only the speed does.
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
import { NODE_VERSION } from './stack';

process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-cost-'));
const option = (name: string) => process.argv.filter((arg) => arg.startsWith(`--${name}`)).map((arg) => arg.slice(name.length + 3));
const ROUNDS = Number(option('rounds')[0] ?? 5);
const PROFILE = option('profile')[0];
/** `--scale=10`: ten times the items (100,000 devices, 50,000 e-mails), to see whether the cost per item holds. */
const SCALE = Number(option('scale')[0] ?? 1);

/** n8n's engine, loaded once the environment is set (n8n-core reads it when it loads), and the builds to run. */
async function load() {
	const [core, workflow] = await Promise.all([import('n8n-core'), import('n8n-workflow')]);
	const dirs = option('dist').length ? option('dist') : [join(ROOT, 'dist')];
	const builds = dirs.map(async (dir) => {
		const dist = resolve(dir);
		const { NetgraphSignIn } = (await import(join(dist, 'nodes/NetgraphSignIn/NetgraphSignIn.node.js'))) as { NetgraphSignIn: new () => INodeType };
		const { SignInContextApi } = (await import(join(dist, 'credentials/SignInContextApi.credentials.js'))) as { SignInContextApi: new () => ICredentialType };
		return { dist, name: relative(ROOT, dist), NetgraphSignIn, credentialType: new SignInContextApi() };
	});
	return { core, workflow, builds: await Promise.all(builds) };
}
let loaded: Awaited<ReturnType<typeof load>>;
type Build = (typeof loaded.builds)[number];

const POLICY = '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const hex = (i: number) => i.toString(16).padStart(6, '0').toUpperCase().replace(/(..)(?!$)/g, '$1:');
// Items as they reach n8n, parsed from JSON (flat strings, not the joined ones a template literal makes).
const asParsed = <T>(items: T[]): T[] => JSON.parse(JSON.stringify(items)) as T[];
const devices = asParsed(Array.from({ length: 10_000 * SCALE }, (_, i) => ({ mac: `02:00:00:${hex(i)}`, name: `Device ${i}` })));
const guests = asParsed(Array.from({ length: 5_000 * SCALE }, (_, i) => ({ email: `guest${i}@example.com` })));
const WORKLOADS = [
	{ name: 'Whitelisting Create Many', items: devices, parameters: { resource: 'whitelisting', operation: 'createMany', mac: '={{ $json.mac }}', name: '={{ $json.name }}', additionalFields: {} } },
	{ name: 'Whitelisting Revoke Many', items: devices, parameters: { resource: 'whitelisting', operation: 'revokeMany', macs: '={{ $json.mac }}' } },
	{ name: 'Access Policy Add E-Mails', items: guests, parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: '={{ $json.email }}' } },
	{ name: 'Access Policy Remove E-Mails', items: guests, parameters: { resource: 'accessPolicy', operation: 'removeEmails', policyId: POLICY, emails: '={{ $json.email }}' } },
];
type Workload = (typeof WORKLOADS)[number];

const emulator = new SignInEmulator({ latencyMs: 0, seed: { policies: { [POLICY]: { name: 'Cost', emails: [] } } } });
let apiMs = 0;

/** The node, with every request it sends timed: what n8n's HTTP helper and the emulator take is not the node's own. */
function timedNode(build: Build): INodeType {
	const inner = new build.NetgraphSignIn();
	const execute = async function (this: IExecuteFunctions) {
		const send = this.helpers.httpRequestWithAuthentication;
		this.helpers.httpRequestWithAuthentication = async function (this: IExecuteFunctions, ...args: Parameters<typeof send>) {
			const start = performance.now();
			return await send.apply(this, args).finally(() => (apiMs += performance.now() - start));
		};
		return await inner.execute!.call(this);
	};
	return Object.assign(Object.create(inner) as INodeType, { execute });
}

/** One run of the node over the workload's items through WorkflowExecute; its output and times. */
async function runOnce(build: Build, { parameters, items }: Workload) {
	const nodeType = timedNode(build);
	const node: INode = {
		id: 'cost-node', name: 'Sign-In', type: 'netgraphSignIn', typeVersion: NODE_VERSION, position: [0, 0],
		parameters: { ...parameters, requestOptions: { concurrency: 1 } } as INode['parameters'],
		credentials: { signInContextApi: { id: 'cred-1', name: 'Sign-In Context API' } },
	};
	const { core: { ExecutionLifecycleHooks, WorkflowExecute }, workflow: { NodeHelpers, Workflow } } = loaded;
	const nodeTypes = { getByName: () => nodeType, getByNameAndVersion: (_: string, version?: number) => NodeHelpers.getVersionedNodeType(nodeType, version), getKnownTypes: () => ({}) };
	const workflowData = { id: 'wf-cost', name: 'cost', nodes: [node], connections: {}, active: false };
	const hooks = new ExecutionLifecycleHooks('manual', 'exec-cost', { ...workflowData, settings: {} } as never);
	const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)));
	const credentials = { baseUrl: emulator.url, organizationId: 'demo-org', contextId: 'demo-context', apiToken: 'emulator-token' };
	const credentialsHelper = {
		getDecrypted: async () => ({ ...credentials }),
		authenticate: async (data: object, _type: string, options: object) => await (build.credentialType.authenticate as (...args: unknown[]) => unknown)(data, options),
		...{ preAuthentication: async () => undefined, getParentTypes: () => [], isCredentialUsableByNode: () => true },
	};
	const additionalData = { hooks, credentialsHelper, variables: {}, restApiUrl: '', instanceBaseUrl: '', currentNodeExecutionIndex: 0 } as unknown as IWorkflowExecuteAdditionalData;
	const nodeExecutionStack = [{ node, data: { main: [items.map((json) => ({ json }))] }, source: null }];
	const executionData = { contextData: {}, metadata: {}, waitingExecution: {}, waitingExecutionSource: null, nodeExecutionStack };
	apiMs = 0;
	emulator.requests.length = 0;
	const start = performance.now();
	await new WorkflowExecute(additionalData, 'manual', { resultData: { runData: {} }, executionData } as never).processRunExecutionData(new Workflow({ ...workflowData, nodeTypes }));
	const run = await finished;
	const totalMs = performance.now() - start;
	const task = run.data.resultData.runData[node.name]?.[0];
	const output: INodeExecutionData[] = task?.data?.main?.[0] ?? [];
	if (task?.error || output.length !== items.length || output.some((item) => item.json.error !== undefined)) {
		throw new Error(`The run did not succeed for every item: ${task?.error?.message ?? JSON.stringify(output.find((item) => item.json.error))}`);
	}
	const requests = emulator.requests.map(({ method, path, status, body }) => ({ method, path, status, body }));
	const digest = createHash('sha256').update(JSON.stringify([requests, output.map(({ json, pairedItem }) => ({ json, pairedItem }))], (key, value: unknown) => (key === 'id' ? '<id>' : value)));
	return { totalMs, apiMs, ownMs: totalMs - apiMs, digest: digest.digest('hex').slice(0, 12) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function profile(build: Build, file: string): Promise<void> {
	const session = new Session();
	session.connect();
	await session.post('Profiler.enable').then(() => session.post('Profiler.setSamplingInterval', { interval: 200 }));
	await session.post('Profiler.start');
	for (let round = 0; round < ROUNDS; round++) for (const workload of WORKLOADS) await runOnce(build, workload);
	const { profile } = await session.post('Profiler.stop');
	writeFileSync(file, JSON.stringify(profile));
	const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
	const self = new Map<string, number>();
	profile.samples!.forEach((id, index) => {
		const { functionName, url, lineNumber } = frames.get(id)!;
		const own = url.includes(build.dist) ? `${functionName || '(anonymous)'} ${relative(build.dist, url.replace('file://', ''))}:${lineNumber + 1}` : '';
		const key = own || (functionName === '(garbage collector)' ? functionName : '');
		if (key) self.set(key, (self.get(key) ?? 0) + profile.timeDeltas![index] / 1000 / ROUNDS);
	});
	console.log(`\nProfile of ${ROUNDS} more rounds of ${build.name} written to ${file}. Top self times in its files (ms per round of the four):`);
	for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${ms.toFixed(1).padStart(9)}  ${key}`);
}

async function main(): Promise<void> {
	loaded = await load();
	const BUILDS = loaded.builds;
	await emulator.start();
	try {
		const runs = BUILDS.map(() => WORKLOADS.map(() => [] as Array<Awaited<ReturnType<typeof runOnce>>>));
		// Create and Revoke, Add and Remove leave the emulator as they found it.
		for (let round = 0; round <= ROUNDS; round++) {
			for (const [b, build] of BUILDS.entries()) for (const [w, workload] of WORKLOADS.entries()) runs[b][w].push(await runOnce(build, workload));
		}
		const rows = [['build', 'workload', 'items', 'total ms', 'API ms', 'own ms', 'own ms / 1,000 items', 'digest']];
		for (const [w, { name, items }] of WORKLOADS.entries()) {
			for (const [b, build] of BUILDS.entries()) {
				// Round 0 warms up.
				const at = (key: 'totalMs' | 'apiMs' | 'ownMs') => median(runs[b][w].slice(1).map((run) => run[key]));
				const digests = [...new Set(runs[b][w].map((run) => run.digest))].join(',');
				rows.push([build.name, name, String(items.length), at('totalMs').toFixed(0), at('apiMs').toFixed(0), at('ownMs').toFixed(0), ((at('ownMs') / items.length) * 1000).toFixed(1), digests]);
			}
		}
		console.log(`Concurrency 1, emulator latency 0, medians of ${ROUNDS} rounds after a warm-up round:\n`);
		const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
		for (const row of rows) console.log(row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  '));
		if (PROFILE !== undefined) await profile(BUILDS[0], PROFILE || 'cost.cpuprofile');
	} finally {
		await emulator.stop();
	}
}

main().catch((error: unknown) => ((process.exitCode = 1), console.error(error)));
