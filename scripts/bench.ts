/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev CLI, never published: n8n Cloud's sandbox rules are for the package, and a CLI prints */
/*
 * `npm run bench`: this node against n8n's HTTP Request node, inside one real n8n, against the
 * emulator, under a latency-only and a rate-limited API model. Prints figures; times and memory are
 * never asserted. The one check: the sync contenders must leave the desired state, and a mismatch is printed loudly.
 * `--full` runs the slow contender (one HTTP request per item, batched to 10 per second, under
 * the rate limit) on every entry instead of a sample. `--only=node,floor` runs only the named
 * contenders (keys of CONTENDERS and SYNC_CONTENDERS), for a quick comparison; the README's figures come from full runs.
 * The Whitelisting Sync rows (`--only=sync,sync-concurrent,sync-stock`) run each contender twice on a fresh
 * 10,000-entry whitelist, the 1 % drift and then the same input again, and check that each leaves the desired state.
 * The group rows (`--only=group-sync,group-sync-stock`) do the same on 20 Contexts of one Organization, 500 entries and
 * 1 % drift each: one Sync node with the organisation credential (Context per item) against a stock branch per
 * Context, and check that each leaves the 20 desired whitelists and that no request carried another Context's key.
 * The inventory load rows (`--only=queue`): 50 webhook calls at once, 200 devices each, on the regular-mode n8n and
 * then on a queue-mode stack (scripts/queue.ts: main, 2 workers, 2 webhook processors), in the same run.
 */
import { randomUUID } from 'crypto';
import { writeFileSync, mkdtempSync, rmSync } from 'fs';
import { request } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';

import type { SignInEmulator } from '../emulator/server';
import type { State } from '../emulator/store';
import { inventoryWorkflow, runInventoryLoad } from './load';
import { ROOT, freePort, rssMb, type N8nClient } from './n8n';
import { startQueueStack } from './queue';
import { CREDENTIAL_NAME, GROUP_CREDENTIAL_NAME, NODE_TYPE, emulatorCredential, groupCredential, startStack, type Stack } from './stack';

const FULL = process.argv.includes('--full');
const ONLY = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const SAMPLE = 300;
const WHITELIST_ENTRIES = Number(process.env.BENCH_WHITELIST_ENTRIES ?? 10000);
const EMAILS = Number(process.env.BENCH_EMAILS ?? 5000);
const POLICY = '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

type Model = { name: string; latencyMs: number; rateLimit: number };
const MODELS: Model[] = [
	{ name: 'latency only (20 ms, no limit)', latencyMs: 20, rateLimit: 0 },
	{ name: 'rate-limited (20 ms, 10 req/s, 429 + Retry-After: 1)', latencyMs: 20, rateLimit: 10 },
];

type Workload = 'whitelist' | 'emails';
type Contender = 'node' | 'node-concurrent' | 'http-defaults' | 'http-batching' | 'floor';
/** Batches in flight at once for the `node-concurrent` contender (Request Options > Concurrency). */
const BATCH_CONCURRENCY = 4;
const CONTENDERS: Record<Contender, string> = {
	node: '(1) Netgraph Sign-In node',
	'node-concurrent': `(1b) Netgraph Sign-In node, Concurrency ${BATCH_CONCURRENCY}`,
	'http-defaults': '(2) HTTP Request per item, defaults',
	'http-batching': '(2) HTTP Request per item, batching 10 / 1 s',
	floor: '(3) Code node chunks + HTTP Request',
};

interface Row {
	model: string;
	workload: string;
	contender: Contender;
	entries: number;
	sampled: boolean;
	ok: boolean;
	note: string;
	requests: number;
	/** Requests answered 429. */
	rateLimited: number;
	delivered: number;
	removed: number;
	wallMs: number;
	beyondMs: number;
	peakMb: number;
	growthMb: number;
}

let counter = 0;
const node = (name: string, type: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	id: `${name}-${++counter}`,
	name,
	type,
	typeVersion: type === 'n8n-nodes-base.httpRequest' ? 4.2 : type === 'n8n-nodes-base.code' ? 2 : type === 'n8n-nodes-base.webhook' ? 2 : 1,
	position: [counter * 200, 0],
	parameters,
	...extra,
});

function chain(name: string, nodes: Array<ReturnType<typeof node>>) {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < nodes.length - 1; i++) connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** Webhook -> Code that makes `count` items: one per whitelist entry or e-mail. */
function source(path: string, workload: Workload, count: number) {
	const code =
		workload === 'whitelist'
			? `return Array.from({ length: ${count} }, (_, i) => { const h = i.toString(16).padStart(6, '0'); return { json: { mac: 'BE:EF:' + h.slice(0,2) + ':' + h.slice(2,4) + ':' + h.slice(4,6) + ':00', name: 'Bench device ' + i } }; });`
			: `return Array.from({ length: ${count} }, (_, i) => ({ json: { email: 'bench' + i + '@bench.example.com' } }));`;
	return [
		node('Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'noData', options: {} }, { webhookId: `bench-${path}` }),
		node('Items', 'n8n-nodes-base.code', { jsCode: code }),
	];
}

function workflowFor(stack: Stack, credentialId: string, path: string, workload: Workload, contender: Contender | 'baseline', count: number, rateLimited: boolean) {
	const base = `${stack.emulator.url}${stack.emulator.contextPath}`;
	const headers = { sendHeaders: true, headerParameters: { parameters: [{ name: 'x-auth-token', value: stack.emulator.options.token }] } };
	/** Per item: 10 per second, as the issue's user sets it. The floor's chunk requests: 5 per second, so that two
	 * HTTP Request nodes in a row (add, then remove) stay within 10 per second at their boundary. */
	const http = (name: string, method: string, url: string, jsonBody: string, batching: boolean, batchSize = 10) =>
		node(name, 'n8n-nodes-base.httpRequest', {
			method,
			url,
			...headers,
			sendBody: true,
			specifyBody: 'json',
			jsonBody,
			options: batching ? { batching: { batch: { batchSize, batchInterval: 1000 } } } : {},
		});
	const credentials = { signInContextApi: { id: credentialId, name: CREDENTIAL_NAME } };
	const concurrency = contender === 'node-concurrent' ? { requestOptions: { concurrency: BATCH_CONCURRENCY } } : {};
	const ours = (name: string, parameters: Record<string, unknown>) => node(name, NODE_TYPE, { ...parameters, ...concurrency }, { credentials });
	const chunker = (name: string, key: string, map: string) =>
		node(name, 'n8n-nodes-base.code', {
			jsCode: `const all = $input.all(); const out = []; for (let i = 0; i < all.length; i += 500) out.push({ json: { ${key}: all.slice(i, i + 500).map((item) => ${map}) } }); return out;`,
		});
	const emailsUrl = `${base}/policies/${POLICY}/emails`;
	const nodes = [...source(path, workload, count)];
	if (contender === 'baseline') return chain(`bench ${path}`, nodes);
	if (workload === 'whitelist') {
		if (contender === 'node' || contender === 'node-concurrent') {
			nodes.push(ours('Create Many', { resource: 'whitelisting', operation: 'createMany', mac: '={{ $json.mac }}', name: '={{ $json.name }}', additionalFields: {} }));
			nodes.push(ours('Revoke Many', { resource: 'whitelisting', operation: 'revokeMany', macs: '={{ $json.mac }}' }));
		} else if (contender === 'floor') {
			nodes.push(chunker('Chunk entries', 'whitelistings', '({ mac: item.json.mac, name: item.json.name })'));
			nodes.push(http('Batch add', 'POST', `${base}/modules/whitelistings/batch/add`, '={{ JSON.stringify({ whitelistings: $json.whitelistings }) }}', rateLimited, 5));
			nodes.push(node('All MACs', 'n8n-nodes-base.code', { jsCode: `return $('Items').all().map((item) => ({ json: { mac: item.json.mac } }));` }));
			nodes.push(chunker('Chunk MACs', 'macs', '({ mac: item.json.mac })'));
			nodes.push(http('Batch remove', 'POST', `${base}/modules/whitelistings/batch/remove`, '={{ JSON.stringify({ macs: $json.macs }) }}', rateLimited, 5));
		} else {
			const batching = contender === 'http-batching';
			nodes.push(http('Create', 'POST', `${base}/modules/whitelistings`, '={{ JSON.stringify({ mac: $json.mac, name: $json.name }) }}', batching));
			nodes.push(node('Each MAC', 'n8n-nodes-base.code', { jsCode: `return $('Items').all().map((item) => ({ json: { mac: item.json.mac } }));` }));
			nodes.push(http('Revoke', 'POST', `${base}/modules/whitelistings/batch/remove`, '={{ JSON.stringify({ macs: [{ mac: $json.mac }] }) }}', batching));
		}
	} else if (contender === 'node' || contender === 'node-concurrent') {
		nodes.push(ours('Add E-Mails', { resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: '={{ $json.email }}' }));
		nodes.push(ours('Remove E-Mails', { resource: 'accessPolicy', operation: 'removeEmails', policyId: POLICY, emails: '={{ $json.requestedEmails }}' }));
	} else if (contender === 'floor') {
		nodes.push(chunker('Chunk add', 'emails', 'item.json.email'));
		nodes.push(http('Add', 'POST', emailsUrl, '={{ JSON.stringify({ emails: $json.emails }) }}', rateLimited, 5));
		nodes.push(node('All e-mails', 'n8n-nodes-base.code', { jsCode: `return $('Items').all().map((item) => ({ json: { email: item.json.email } }));` }));
		nodes.push(chunker('Chunk remove', 'emails', 'item.json.email'));
		nodes.push(http('Remove', 'DELETE', emailsUrl, '={{ JSON.stringify({ emails: $json.emails }) }}', rateLimited, 5));
	} else {
		const batching = contender === 'http-batching';
		nodes.push(http('Add', 'POST', emailsUrl, '={{ JSON.stringify({ emails: [$json.email] }) }}', batching));
		nodes.push(node('Each e-mail', 'n8n-nodes-base.code', { jsCode: `return $('Items').all().map((item) => ({ json: { email: item.json.email } }));` }));
		nodes.push(http('Remove', 'DELETE', emailsUrl, '={{ JSON.stringify({ emails: [$json.email] }) }}', batching));
	}
	return chain(`bench ${path}`, nodes);
}

// ---- Whitelisting Sync: desired state against an active whitelist with 1 % drift

const SYNC_TAG = 'bench-sync';
/** Devices to add, entries that differ, entries no longer wanted. */
type Drift = { fresh: number; changed: number; gone: number };
/** Drift of the desired list against the active whitelist (1 % of 10,000). */
const DRIFT: Drift = { fresh: 50, changed: 30, gone: 20 };
/** Active entries outside the Scope (untagged, made by hand): every contender must leave them alone. */
const OUT_OF_SCOPE = 10;
/** The group rows: Contexts of one Organization (the emulator's group), entries in each, and each one's 1 % drift. */
const GROUP = { contexts: 20, entries: 500, drift: { fresh: 1, changed: 3, gone: 1 } as Drift };
const GROUP_CONTEXTS = Array.from({ length: GROUP.contexts }, (_, i) => `bench-site-${String(i + 1).padStart(2, '0')}`);
type SyncContender = 'sync' | 'sync-concurrent' | 'sync-stock' | 'group-sync' | 'group-sync-stock';
const SYNC_CONTENDERS: Record<SyncContender, string> = {
	sync: '(1) Whitelisting Sync, Apply',
	'sync-concurrent': `(1b) Whitelisting Sync, Apply, Concurrency ${BATCH_CONCURRENCY}`,
	'sync-stock': '(2) HTTP Request GET + Code diff + HTTP Request',
	'group-sync': '(1) one Whitelisting Sync, Context per item',
	'group-sync-stock': '(2) per Context: GET + Code diff + HTTP Request',
};

/**
 * A Sync workload: the Contexts it spans (each with a site number that makes its MACs its own),
 * the entries each starts with, the drift in each, and who competes on it.
 */
interface SyncShape {
	name: string;
	sites: Array<{ contextId: string; site: number }>;
	entries: number;
	drift: Drift;
	contenders: SyncContender[];
}

function syncShapes(stack: Stack): SyncShape[] {
	return [
		{ name: 'one Context', sites: [{ contextId: stack.emulator.options.contextId, site: 0 }], entries: WHITELIST_ENTRIES, drift: DRIFT, contenders: ['sync', 'sync-concurrent', 'sync-stock'] },
		{
			name: `${GROUP.contexts} Contexts`,
			sites: GROUP_CONTEXTS.map((contextId, index) => ({ contextId, site: index + 1 })),
			entries: GROUP.entries,
			drift: GROUP.drift,
			contenders: ['group-sync', 'group-sync-stock'],
		},
	];
}

interface Device {
	mac: string;
	name: string;
	description?: string;
	toDate?: string;
}

/**
 * The desired devices: the first `active - gone` of the active entries (the first `changed` of
 * them with a new name, description or Valid Until in turn) and `fresh` new ones; the MACs end
 * in the site number. Self-contained, because its source is also the bench workflow's Code node.
 */
function syncDevices(active: number, fresh: number, changed: number, gone: number, site: number): Device[] {
	const macOf = (i: number) => {
		const h = i.toString(16).padStart(6, '0');
		return 'BE:EF:' + h.slice(0, 2) + ':' + h.slice(2, 4) + ':' + h.slice(4, 6) + ':' + site.toString(16).padStart(2, '0').toUpperCase();
	};
	const devices: Device[] = [];
	for (let i = 0; i < active - gone + fresh; i++) {
		const index = i < active - gone ? i : i + gone;
		const device: Device = { mac: macOf(index), name: 'Bench device ' + index };
		if (i < changed && i % 3 === 0) device.name = 'Bench device ' + index + ' moved';
		if (i < changed && i % 3 === 1) device.description = 'Moved to hall B';
		if (i < changed && i % 3 === 2) device.toDate = '2099-12-31';
		devices.push(device);
	}
	return devices;
}

function syncSeed(active: number, site: number): Partial<State> {
	const inScope = syncDevices(active, 0, 0, 0, site).map((device) => ({ ...device, tags: [{ value: SYNC_TAG }] }));
	const siteHex = site.toString(16).padStart(2, '0').toUpperCase();
	const outside = Array.from({ length: OUT_OF_SCOPE }, (_, i) => ({ mac: `CA:FE:00:00:${siteHex}:${String(i).padStart(2, '0')}`, name: `Front desk ${i}`, tags: [] }));
	return {
		policies: { [POLICY]: { name: 'Bench', emails: [] } },
		whitelistings: [...inScope, ...outside].map((entry) => ({ id: randomUUID(), description: null, toDate: null, createdBy: null, ...entry })),
	};
}

/** An entry as the comparison sees it: no id (each contender makes its own), no description the same as an empty one. */
function canonical(entry: { mac: string; name: string; description?: string | null; toDate?: string | null; tags?: Array<{ value: string }> }): string {
	const tags = (entry.tags ?? []).map((tag) => tag.value.toLowerCase()).sort();
	return JSON.stringify([entry.mac.toUpperCase(), entry.name, entry.description ?? '', entry.toDate ?? null, tags]);
}

/** The state a correct sync leaves in each Context: every desired device with the scope tag, the out-of-scope entries as they were; Context first. */
function expectedSyncState(shape: SyncShape): string[] {
	return shape.sites
		.flatMap(({ contextId, site }) => {
			const seed = syncSeed(shape.entries, site).whitelistings!;
			const desired = syncDevices(shape.entries, shape.drift.fresh, shape.drift.changed, shape.drift.gone, site).map((device) => ({ ...device, tags: [{ value: SYNC_TAG }] }));
			return [...desired, ...seed.slice(shape.entries)].map((entry) => `${contextId} ${canonical(entry)}`);
		})
		.sort();
}

/** The active entries of the shape's Contexts, by Context and MAC, as the comparison sees them. */
function activeEntries(stack: Stack, shape: SyncShape): Map<string, string> {
	return new Map(
		shape.sites.flatMap(({ contextId }) =>
			stack.emulator.activeWhitelistings(contextId).map((entry): [string, string] => [`${contextId} ${entry.mac.toUpperCase()}`, `${contextId} ${canonical(entry)}`]),
		),
	);
}

/**
 * What a user builds today with stock nodes: one GET of the active list (Execute Once), a Code
 * node that computes the difference within the scope tag and turns it into requests (Batch Add
 * and Batch Remove in chunks of 500, one PUT per changed entry, keeping the tag), and one HTTP
 * Request node that sends them (all at once; under the rate limit with Batching 5 per 1 s, as the floor).
 * `desired` is the expression that gives the desired items: for one Context of a group, its items.
 */
const stockDiff = (desired: string) => `const SCOPE = '${SYNC_TAG}';
const key = (mac) => String(mac).toUpperCase().replace(/[^0-9A-F]/g, '').replace(/(..)(?!$)/g, '$1:');
const tagsOf = (entry) => (entry.tags || []).map((tag) => (typeof tag === 'string' ? tag : tag.value));
const owned = (entry) => tagsOf(entry).some((tag) => tag.toLowerCase() === SCOPE);
const active = new Map();
for (const { json } of $input.all()) if (json.mac && !active.has(key(json.mac))) active.set(key(json.mac), json);
const desired = new Map();
for (const { json } of ${desired}) if (!desired.has(key(json.mac))) desired.set(key(json.mac), json);
const creates = [], updates = [], revokes = [];
for (const [mac, device] of desired) {
  const tags = [...new Set([...(device.tags || []), SCOPE])].map((value) => ({ value }));
  const want = { mac, name: device.name, description: device.description || '', toDate: device.toDate || null, tags };
  const entry = active.get(mac);
  if (!entry) { creates.push(want); continue; }
  if (!owned(entry)) continue;
  const same = entry.name === want.name && (entry.description || '') === want.description && (entry.toDate || null) === want.toDate
    && tagsOf(entry).map((t) => t.toLowerCase()).sort().join() === tags.map((t) => t.value.toLowerCase()).sort().join();
  if (!same) updates.push({ id: entry.id, ...want });
}
for (const [mac, entry] of active) if (owned(entry) && !desired.has(mac)) revokes.push({ mac });
const chunks = (list) => Array.from({ length: Math.ceil(list.length / 500) }, (_, i) => list.slice(i * 500, i * 500 + 500));
return [
  ...chunks(creates).map((whitelistings) => ({ json: { method: 'POST', path: '/modules/whitelistings/batch/add', body: { whitelistings } } })),
  ...updates.map((entry) => ({ json: { method: 'PUT', path: '/modules/whitelistings', body: entry } })),
  ...chunks(revokes).map((macs) => ({ json: { method: 'POST', path: '/modules/whitelistings/batch/remove', body: { macs } } })),
];`;

/** The credentials the bench's Sign-In nodes use: the Context's, and the organisation credential of the group. */
interface BenchCredentials {
	context: string;
	group?: string;
}

/**
 * The stock contender's nodes for one Context: its GET, its difference of `desired`, its sender,
 * each with that Context's key. `retry`: its HTTP Request nodes retry a failed request (Retry On
 * Fail, 5 tries 1 s apart), as a user sets them when branches in a row meet the rate limit.
 */
function stockSyncNodes(stack: Stack, contextId: string, desired: string, rateLimited: boolean, { suffix = '', retry = false } = {}) {
	const { path, token } = stack.emulator.context(contextId);
	const base = `${stack.emulator.url}${path}`;
	const headers = { sendHeaders: true, headerParameters: { parameters: [{ name: 'x-auth-token', value: token }] } };
	const settings = retry ? { retryOnFail: true, maxTries: 5, waitBetweenTries: 1000 } : {};
	return [
		node(`Active list${suffix}`, 'n8n-nodes-base.httpRequest', { method: 'GET', url: `${base}/modules/whitelistings/active`, ...headers, options: {} }, { executeOnce: true, ...settings }),
		node(`Difference${suffix}`, 'n8n-nodes-base.code', { jsCode: stockDiff(desired) }),
		node(
			`Send changes${suffix}`,
			'n8n-nodes-base.httpRequest',
			{
				method: '={{ $json.method }}',
				url: `=${base}{{ $json.path }}`,
				...headers,
				sendBody: true,
				specifyBody: 'json',
				jsonBody: '={{ JSON.stringify($json.body) }}',
				options: rateLimited ? { batching: { batch: { batchSize: 5, batchInterval: 1000 } } } : {},
			},
			settings,
		),
	];
}

function syncWorkflowFor(stack: Stack, credentials: BenchCredentials, path: string, shape: SyncShape, contender: SyncContender | 'baseline', rateLimited: boolean) {
	const devices = (site: number) => `(${syncDevices.toString()})(${shape.entries}, ${shape.drift.fresh}, ${shape.drift.changed}, ${shape.drift.gone}, ${site})`;
	const code =
		shape.sites.length === 1
			? `return ${devices(shape.sites[0].site)}.map((json) => ({ json }));`
			: `return [${shape.sites.map(({ contextId, site }) => `...${devices(site)}.map((json) => ({ json: { ...json, property: '${contextId}' } }))`).join(', ')}];`;
	const nodes = [
		node('Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'noData', options: {} }, { webhookId: `bench-${path}` }),
		node('Items', 'n8n-nodes-base.code', { jsCode: code }),
	];
	if (contender === 'sync' || contender === 'sync-concurrent' || contender === 'group-sync') {
		const concurrency = contender === 'sync-concurrent' ? { requestOptions: { concurrency: BATCH_CONCURRENCY } } : {};
		const group = contender === 'group-sync';
		const parameters = {
			...(group ? { authentication: 'signInOrganizationApi', context: { __rl: true, mode: 'id', value: '={{ $json.property }}' } } : {}),
			resource: 'whitelisting',
			operation: 'sync',
			scope: 'tag',
			scopeTag: SYNC_TAG,
			mode: 'apply',
			mac: '={{ $json.mac }}',
			name: '={{ $json.name }}',
			additionalFields: { description: '={{ $json.description }}', toDate: '={{ $json.toDate }}' },
			...concurrency,
		};
		const credential = group
			? { signInOrganizationApi: { id: credentials.group ?? '', name: GROUP_CREDENTIAL_NAME } }
			: { signInContextApi: { id: credentials.context, name: CREDENTIAL_NAME } };
		nodes.push(node('Sync', NODE_TYPE, parameters, { credentials: credential }));
	} else if (contender === 'sync-stock') {
		nodes.push(...stockSyncNodes(stack, shape.sites[0].contextId, `$('Items').all()`, rateLimited));
	} else if (contender === 'group-sync-stock') {
		// One branch per Context from the items, each run in turn (execution order v1): GET, difference of its items, send.
		// Branches in a row meet the rate limit where one alone stays under it: there, its HTTP Request nodes retry.
		const workflow = chain(`bench ${path}`, nodes);
		for (const { contextId } of shape.sites) {
			const desired = `$('Items').all().filter((item) => item.json.property === '${contextId}')`;
			const branch = stockSyncNodes(stack, contextId, desired, rateLimited, { suffix: ` ${contextId}`, retry: rateLimited });
			const linked = chain('', branch);
			workflow.nodes.push(...branch);
			Object.assign(workflow.connections, linked.connections);
			const fromItems = (workflow.connections as Record<string, { main: Array<Array<unknown>> }>).Items ?? { main: [[]] };
			fromItems.main[0].push({ node: branch[0].name, type: 'main', index: 0 });
			Object.assign(workflow.connections, { Items: fromItems });
		}
		return workflow;
	}
	return chain(`bench ${path}`, nodes);
}

interface SyncRow {
	model: string;
	workload: string;
	contender: SyncContender;
	run: 'drift' | 'no change';
	ok: boolean;
	note: string;
	requests: number;
	rateLimited: number;
	/** Requests that carried the key of another Context than the one they were for. */
	foreignKeys: number;
	created: number;
	updated: number;
	revoked: number;
	wallMs: number;
	beyondMs: number;
	peakMb: number;
	growthMb: number;
}

/** Each Sync contender of the shape on a fresh copy of its whitelists: the drift run, then the same input again. */
async function syncBench(stack: Stack, credentials: BenchCredentials, model: Model, shape: SyncShape, contenders: SyncContender[]): Promise<SyncRow[]> {
	const rows: SyncRow[] = [];
	const expected = expectedSyncState(shape);
	const expectedSet = new Set(expected);
	const finals = new Map<SyncContender, string[]>();
	const publish = async (contender: SyncContender | 'baseline') => {
		const path = `bench-${++counter}`;
		await untilReady(stack);
		await stack.client.createWorkflow(syncWorkflowFor(stack, credentials, path, shape, contender, model.rateLimit > 0), true);
		return path;
	};
	const seed = async () => {
		for (const { contextId, site } of shape.sites) stack.emulator.context(contextId).store.reset(syncSeed(shape.entries, site));
		await ready(stack, model);
	};
	const baselinePath = await publish('baseline');
	await seed();
	const fixed = (await measure(stack, baselinePath)).wallMs;
	const { fresh, changed, gone } = shape.drift;
	const total = (count: number) => count * shape.sites.length;
	const each = shape.sites.length > 1 ? ` (in each of ${shape.sites.length} Contexts: ${shape.entries} entries, drift ${fresh} new, ${changed} changed, ${gone} gone)` : '';
	console.log(
		`${model.name} / Whitelisting Sync of ${total(shape.entries - gone + fresh)} desired devices against ${total(shape.entries)} active entries in Scope (+${total(OUT_OF_SCOPE)} outside it), drift ${total(fresh)} new, ${total(changed)} changed, ${total(gone)} gone${each}: fixed start cost ${fixed} ms`,
	);
	for (const contender of contenders) {
		const path = await publish(contender);
		await seed();
		const seeded = activeEntries(stack, shape);
		for (const run of ['drift', 'no change'] as const) {
			if (run === 'no change') await ready(stack, model);
			const result = await measure(stack, path);
			const byMac = activeEntries(stack, shape);
			const final = [...byMac.values()].sort();
			const finalSet = new Set(final);
			const missing = expected.filter((entry) => !finalSet.has(entry));
			const unexpected = final.filter((entry) => !expectedSet.has(entry));
			const mismatch = missing.length + unexpected.length > 0;
			if (mismatch) {
				console.log(`  !!!!! MISMATCH: ${SYNC_CONTENDERS[contender]} (${run}) left ${unexpected.length} entries that should not be there and lacks ${missing.length} that should`);
				for (const entry of [...missing.slice(0, 5).map((e) => `missing ${e}`), ...unexpected.slice(0, 5).map((e) => `unexpected ${e}`)]) console.log(`  !!!!!   ${entry}`);
			}
			const foreignKeys = stack.emulator.crossContextKeys.length;
			if (run === 'drift') finals.set(contender, final);
			const row: SyncRow = {
				model: model.name,
				workload: shape.name,
				contender,
				run,
				ok: result.status === 200 && !mismatch && foreignKeys === 0,
				note: [
					result.status === 200 ? '' : `execution failed (HTTP ${result.status})`,
					mismatch ? 'final state differs from the desired one' : '',
					foreignKeys ? `${foreignKeys} requests carried another Context's key` : '',
				]
					.filter(Boolean)
					.join('; '),
				requests: stack.emulator.requests.length,
				rateLimited: stack.emulator.requests.filter((r) => r.status === 429).length,
				foreignKeys,
				created: [...byMac.keys()].filter((mac) => !seeded.has(mac)).length,
				updated: [...byMac].filter(([mac, entry]) => seeded.has(mac) && seeded.get(mac) !== entry).length,
				revoked: [...seeded.keys()].filter((mac) => !byMac.has(mac)).length,
				wallMs: result.wallMs,
				beyondMs: result.wallMs - fixed,
				peakMb: Math.round(result.peakMb),
				growthMb: Math.round(result.peakMb - result.startMb),
			};
			rows.push(row);
			for (const [mac, entry] of byMac) seeded.set(mac, entry);
			for (const mac of [...seeded.keys()]) if (!byMac.has(mac)) seeded.delete(mac);
			console.log(
				`  ${`${SYNC_CONTENDERS[contender]}, ${run}`.padEnd(60)} ${row.ok ? 'ok    ' : 'FAILED'} ${String(row.requests).padStart(4)} requests (${row.rateLimited} answered 429), ${row.created} created, ${row.updated} updated, ${row.revoked} revoked, ${(row.wallMs / 1000).toFixed(2)} s wall, ${(row.beyondMs / 1000).toFixed(2)} s beyond start, peak ${row.peakMb} MB (+${row.growthMb})${row.note ? ` [${row.note}]` : ''}`,
			);
		}
	}
	const [first, ...others] = [...finals.entries()];
	const what = shape.sites.length > 1 ? `whitelists (${shape.sites.length} Contexts` : `state (`;
	for (const [contender, final] of first ? others : []) {
		const same = final.length === first[1].length && final.every((entry, index) => entry === first[1][index]);
		console.log(
			same
				? `  ${SYNC_CONTENDERS[contender]} and ${SYNC_CONTENDERS[first[0]]} left the same ${what}${shape.sites.length > 1 ? ', ' : ''}${final.length} active entries)`
				: `  !!!!! MISMATCH: ${SYNC_CONTENDERS[contender]} and ${SYNC_CONTENDERS[first[0]]} left different ${shape.sites.length > 1 ? 'whitelists' : 'states'}`,
		);
	}
	return rows;
}

// ---- Access Policy Sync E-Mails: a registration list against a policy with 1 % drift

/** Drift of the registration list against the policy: e-mails newly registered, e-mails no longer registered. */
const EMAIL_DRIFT = { fresh: 25, gone: 25 };
/** Wildcards the policy holds: outside the default Scope (Addresses Only), so both contenders must leave them alone. */
const POLICY_WILDCARDS = ['*@staff.example.org', '*@*.partner.example.net', '*@visitors.example.com'];
type EmailSyncContender = 'emails-sync' | 'emails-sync-concurrent' | 'emails-sync-stock';
const EMAIL_SYNC_CONTENDERS: Record<EmailSyncContender, string> = {
	'emails-sync': '(1) Access Policy Sync E-Mails',
	'emails-sync-concurrent': `(1b) Access Policy Sync E-Mails, Concurrency ${BATCH_CONCURRENCY}`,
	'emails-sync-stock': '(2) HTTP Request add + Code diff + HTTP Request remove',
};

/** The policy before the run: `EMAILS` registered addresses and the wildcards. */
function emailSyncSeed() {
	const emails = Array.from({ length: EMAILS }, (_, i) => `bench${i}@bench.example.com`);
	return { policies: { [POLICY]: { name: 'Bench', emails: [...emails, ...POLICY_WILDCARDS] } } };
}

/** The registration list: the policy's addresses without the first `gone`, and `fresh` new ones. */
const REGISTRATIONS = `return Array.from({ length: ${EMAILS - EMAIL_DRIFT.gone + EMAIL_DRIFT.fresh} }, (_, i) => ({ json: { email: 'bench' + (i + ${EMAIL_DRIFT.gone}) + '@bench.example.com' } }));`;

/** The policy a correct sync leaves: every registered e-mail and the wildcards, sorted. */
function expectedPolicy(): string[] {
	const registered = Array.from({ length: EMAILS - EMAIL_DRIFT.gone + EMAIL_DRIFT.fresh }, (_, i) => `bench${i + EMAIL_DRIFT.gone}@bench.example.com`);
	return [...registered, ...POLICY_WILDCARDS].sort();
}

/**
 * What a user builds today with stock nodes: the e-mails in chunks of 500, one add request per
 * chunk (every add answers with the policy after it); a Code node that takes the policy from the
 * add answers and computes the addresses in it that no registration names (wildcards left alone,
 * as Sync E-Mails' default Scope); one remove request per chunk of 500 of those.
 */
const STOCK_EMAIL_DIFF = `// The adds only add, and each answers with the policy after it: together they hold all of it, in whatever order they were answered.
const policy = new Set($input.all().flatMap((item) => item.json.policyEmails || []));
const desired = new Set($('Items').all().map((item) => String(item.json.email).trim().toLowerCase()));
const gone = [...policy].filter((email) => !email.startsWith('*@') && !desired.has(email.toLowerCase()));
const out = [];
for (let i = 0; i < gone.length; i += 500) out.push({ json: { emails: gone.slice(i, i + 500) } });
return out;`;

function emailSyncWorkflowFor(stack: Stack, credentialId: string, path: string, contender: EmailSyncContender | 'baseline', rateLimited: boolean) {
	const emailsUrl = `${stack.emulator.url}${stack.emulator.contextPath}/policies/${POLICY}/emails`;
	const nodes = [
		node('Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'noData', options: {} }, { webhookId: `bench-${path}` }),
		node('Items', 'n8n-nodes-base.code', { jsCode: REGISTRATIONS }),
	];
	/** Under the rate limit, 5 per second as the floor, so that the add and the remove node in a row stay within 10 per second. */
	const http = (name: string, method: string) =>
		node(name, 'n8n-nodes-base.httpRequest', {
			method,
			url: emailsUrl,
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'x-auth-token', value: stack.emulator.options.token }] },
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify({ emails: $json.emails }) }}',
			options: rateLimited ? { batching: { batch: { batchSize: 5, batchInterval: 1000 } } } : {},
		});
	if (contender === 'emails-sync' || contender === 'emails-sync-concurrent') {
		const concurrency = contender === 'emails-sync-concurrent' ? { requestOptions: { concurrency: BATCH_CONCURRENCY } } : {};
		const parameters = { resource: 'accessPolicy', operation: 'syncEmails', policyId: POLICY, emails: '={{ $json.email }}', scope: 'addresses', ...concurrency };
		nodes.push(node('Sync E-Mails', NODE_TYPE, parameters, { credentials: { signInContextApi: { id: credentialId, name: CREDENTIAL_NAME } } }));
	} else if (contender === 'emails-sync-stock') {
		const chunks = `const all = $input.all(); const out = []; for (let i = 0; i < all.length; i += 500) out.push({ json: { emails: all.slice(i, i + 500).map((item) => item.json.email) } }); return out;`;
		nodes.push(node('Chunk add', 'n8n-nodes-base.code', { jsCode: chunks }));
		nodes.push(http('Add', 'POST'));
		nodes.push(node('Difference', 'n8n-nodes-base.code', { jsCode: STOCK_EMAIL_DIFF }));
		nodes.push(http('Remove', 'DELETE'));
	}
	return chain(`bench ${path}`, nodes);
}

/**
 * Readies the emulator for a measured run: the seed, when given; no recorded requests; the model's
 * latency and limit; and 1.5 s for n8n to register the webhook and the rate-limit window to pass.
 */
async function ready(stack: Stack, model: Model, seed?: Parameters<Stack['emulator']['store']['reset']>[0]): Promise<void> {
	await untilReady(stack);
	if (seed) stack.emulator.store.reset(seed);
	stack.emulator.requests.length = 0;
	stack.emulator.crossContextKeys.length = 0;
	Object.assign(stack.emulator.options, { latencyMs: model.latencyMs, rateLimitPerSecond: model.rateLimit });
	await new Promise((r) => setTimeout(r, 1500));
}

/** Each Sync E-Mails contender on a fresh copy of the policy: the drift run, then the same list again. Prints its rows. */
async function emailSyncBench(stack: Stack, credentialId: string, model: Model, contenders: EmailSyncContender[]): Promise<void> {
	const expected = expectedPolicy();
	const expectedSet = new Set(expected);
	const publish = async (contender: EmailSyncContender | 'baseline') => {
		const path = `bench-${++counter}`;
		await stack.client.createWorkflow(emailSyncWorkflowFor(stack, credentialId, path, contender, model.rateLimit > 0), true);
		return path;
	};
	const baselinePath = await publish('baseline');
	await ready(stack, model, emailSyncSeed());
	const fixed = (await measure(stack, baselinePath)).wallMs;
	console.log(
		`${model.name} / Sync E-Mails of ${EMAILS - EMAIL_DRIFT.gone + EMAIL_DRIFT.fresh} registered e-mails against a policy of ${EMAILS} addresses and ${POLICY_WILDCARDS.length} wildcards (Scope: Addresses Only), drift ${EMAIL_DRIFT.fresh} new, ${EMAIL_DRIFT.gone} gone: fixed start cost ${fixed} ms`,
	);
	const finals = new Map<string, string[]>();
	for (const contender of contenders) {
		const path = await publish(contender);
		await ready(stack, model, emailSyncSeed());
		for (const run of ['drift', 'no change'] as const) {
			if (run === 'no change') await ready(stack, model);
			const before = new Set(stack.emulator.store.state.policies[POLICY].emails);
			const result = await measure(stack, path);
			const final = [...stack.emulator.store.state.policies[POLICY].emails].sort();
			const after = new Set(final);
			const missing = expected.filter((email) => !after.has(email));
			const unexpected = final.filter((email) => !expectedSet.has(email));
			const requests = stack.emulator.requests.length;
			const rateLimited = stack.emulator.requests.filter((r) => r.status === 429).length;
			const ok = result.status === 200 && missing.length + unexpected.length === 0;
			const peakMb = Math.round(result.peakMb);
			console.log(
				`  ${`${EMAIL_SYNC_CONTENDERS[contender]}, ${run}`.padEnd(66)} ${ok ? 'ok    ' : 'FAILED'} ${String(requests).padStart(4)} requests (${rateLimited} answered 429), ${final.filter((email) => !before.has(email)).length} added, ${[...before].filter((email) => !after.has(email)).length} removed, ${(result.wallMs / 1000).toFixed(2)} s wall, ${((result.wallMs - fixed) / 1000).toFixed(2)} s beyond start, peak ${peakMb} MB (+${Math.round(result.peakMb - result.startMb)})${result.status === 200 ? '' : ` [execution failed (HTTP ${result.status})]`}`,
			);
			if (missing.length + unexpected.length > 0) {
				console.log(`  !!!!! MISMATCH: ${EMAIL_SYNC_CONTENDERS[contender]} (${run}) left ${unexpected.length} e-mails in the policy that should not be there and lacks ${missing.length} that should`);
				for (const line of [...missing.slice(0, 5).map((e) => `missing ${e}`), ...unexpected.slice(0, 5).map((e) => `unexpected ${e}`)]) console.log(`  !!!!!   ${line}`);
			}
			finals.set(`${contender}|${run}`, final);
		}
	}
	for (const run of ['drift', 'no change']) {
		const [first, ...others] = contenders.map((contender) => ({ contender, final: finals.get(`${contender}|${run}`)! }));
		for (const other of first ? others : []) {
			const same = other.final.length === first.final.length && other.final.every((email, index) => email === first.final[index]);
			console.log(
				same
					? `  after the ${run} run, ${EMAIL_SYNC_CONTENDERS[other.contender]} and ${EMAIL_SYNC_CONTENDERS[first.contender]} left the same policy (${other.final.length} e-mails)`
					: `  !!!!! MISMATCH: after the ${run} run, ${EMAIL_SYNC_CONTENDERS[other.contender]} and ${EMAIL_SYNC_CONTENDERS[first.contender]} left different policies`,
			);
		}
	}
}

/**
 * Waits (up to a minute) until n8n is ready again: a run that keeps its event loop busy for long
 * makes it miss its database ping, and it answers 503 "Database is not ready!" until the next one.
 */
async function untilReady(stack: Stack): Promise<void> {
	for (let waited = 0; waited < 60_000; waited += 500) {
		const response = await fetch(`${stack.n8n.url}/healthz/readiness`).catch(() => undefined);
		await response?.text();
		if (response?.status === 200) return;
		await new Promise((r) => setTimeout(r, 500));
	}
}

/** POST without a client-side timeout: the slow contender runs for many minutes. */
function call(url: string): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
		});
		req.on('error', reject);
		req.end('{}');
	});
}

async function measure(stack: Stack, path: string): Promise<{ wallMs: number; peakMb: number; startMb: number; status: number; body: string }> {
	const pid = stack.n8n.process.pid!;
	const startMb = rssMb(pid);
	let peakMb = startMb;
	const sampler = setInterval(() => (peakMb = Math.max(peakMb, rssMb(pid))), 100);
	const started = Date.now();
	const answer = await call(`${stack.n8n.url}/webhook/${path}`);
	const wallMs = Date.now() - started;
	clearInterval(sampler);
	return { wallMs, peakMb: Math.max(peakMb, rssMb(pid)), startMb, ...answer };
}

/** The inventory load of the queue-mode suite: executions at once, devices each. */
const LOAD = { executions: 50, devices: 200 };
type QueueRow = { mode: string; ok: boolean; wallMs: number; requests: number; created: number; peakMb: number };

/** Runs the load on `client`'s n8n and samples the summed RSS of `pids` (each with its task runner) meanwhile. */
async function inventoryLoad(mode: string, client: N8nClient, emulator: SignInEmulator, credentialId: string, pids: number[]): Promise<QueueRow> {
	const path = `bench-inventory-${++counter}`;
	await client.createWorkflow(inventoryWorkflow(credentialId, path), true);
	emulator.store.reset({});
	Object.assign(emulator.options, { latencyMs: MODELS[0].latencyMs, rateLimitPerSecond: 0 });
	await new Promise((r) => setTimeout(r, 1500));
	const rss = () => pids.reduce((sum, pid) => sum + rssMb(pid), 0);
	let peakMb = rss();
	const sampler = setInterval(() => (peakMb = Math.max(peakMb, rss())), 200);
	const load = await runInventoryLoad(client, emulator, path, LOAD.executions, LOAD.devices);
	clearInterval(sampler);
	const created = emulator.store.state.whitelistings.length;
	const ok = load.answers.every((answer) => answer.status === 200) && created === LOAD.executions * LOAD.devices;
	const row = { mode, ok, wallMs: load.wallMs, requests: load.requests, created, peakMb: Math.round(peakMb) };
	console.log(
		`  ${mode.padEnd(72)} ${ok ? 'ok    ' : 'FAILED'} ${String(row.requests).padStart(5)} requests, ${row.created}/${LOAD.executions * LOAD.devices} created, ${(row.wallMs / 1000).toFixed(1)} s wall, peak RSS ${row.peakMb} MB (all processes)`,
	);
	return row;
}

/** The inventory load on the regular-mode n8n of `stack`, then on a queue-mode stack (2 workers, 2 webhook processors) started for it. */
async function queueBench(stack: Stack, credentialId: string): Promise<QueueRow[]> {
	console.log(`Inventory load: ${LOAD.executions} webhook calls at once, ${LOAD.devices} devices each (Create Many), ${MODELS[0].name}`);
	const rows = [await inventoryLoad('regular mode: one n8n', stack.client, stack.emulator, credentialId, [stack.n8n.process.pid!])];
	const workDir = mkdtempSync(join(tmpdir(), 'netgraph-bench-queue-'));
	const queue = await startQueueStack({ n8nPort: await freePort(), brokerPort: await freePort(), emulatorPort: await freePort(), workDir, emulator: { token: 'bench-token' }, log: (line) => console.log(`  ${line}`) });
	try {
		await queue.client.createApiKey('bench');
		const queueCredentialId = await queue.client.createCredential(CREDENTIAL_NAME, emulatorCredential(queue.emulator));
		const pids = [...queue.processes().map((n8n) => n8n.process.pid!), queue.postgres.pid, queue.redis.pid];
		rows.push(await inventoryLoad('queue mode: main + 2 workers + 2 webhook processors, PostgreSQL, Redis', queue.client, queue.emulator, queueCredentialId, pids));
	} finally {
		await queue.stop();
		rmSync(workDir, { recursive: true, force: true });
	}
	return rows;
}

async function main(): Promise<void> {
	const workDir = mkdtempSync(join(tmpdir(), 'netgraph-bench-'));
	const stack = await startStack({
		n8nPort: await freePort(),
		brokerPort: await freePort(),
		emulatorPort: await freePort(),
		workDir,
		emulator: { token: 'bench-token', seed: { policies: { [POLICY]: { name: 'Bench', emails: [] } } }, contexts: GROUP_CONTEXTS.map((id) => ({ id })) },
		log: (line) => console.log(line),
	});
	const rows: Row[] = [];
	const syncRows: SyncRow[] = [];
	let queueRows: QueueRow[] = [];
	try {
		await stack.client.createApiKey('bench');
		const credentialId = await stack.client.createCredential(CREDENTIAL_NAME, emulatorCredential(stack.emulator));
		const shapes = syncShapes(stack).map((shape) => ({ ...shape, contenders: shape.contenders.filter((key) => !ONLY || ONLY.includes(key)) }));
		// The organisation credential only where this node runs a group row: it needs a package that has the credential type.
		const group = shapes.some((shape) => shape.contenders.includes('group-sync'))
			? await stack.client.createCredential(GROUP_CREDENTIAL_NAME, groupCredential(stack.emulator), 'signInOrganizationApi')
			: undefined;
		const run = async (model: Model, workload: Workload, contender: Contender | 'baseline', count: number) => {
			const path = `bench-${++counter}`;
			await stack.client.createWorkflow(workflowFor(stack, credentialId, path, workload, contender, count, model.rateLimit > 0), true);
			stack.emulator.store.reset({ policies: { [POLICY]: { name: 'Bench', emails: [] } } });
			stack.emulator.requests.length = 0;
			Object.assign(stack.emulator.options, { latencyMs: model.latencyMs, rateLimitPerSecond: model.rateLimit });
			// Let n8n register the webhook and the rate-limit window pass before the clock starts.
			await new Promise((r) => setTimeout(r, 1500));
			return { result: await measure(stack, path) };
		};
		for (const model of MODELS) {
			for (const workload of ['whitelist', 'emails'] as Workload[]) {
				if (ONLY && !ONLY.some((key) => key in CONTENDERS)) continue;
				const total = workload === 'whitelist' ? WHITELIST_ENTRIES : EMAILS;
				const label = workload === 'whitelist' ? `${total} whitelist entries created then revoked` : `${total} e-mails added then removed`;
				const baseline = await run(model, workload, 'baseline', total);
				console.log(`${model.name} / ${label}: fixed start cost ${baseline.result.wallMs} ms`);
				for (const contender of (Object.keys(CONTENDERS) as Contender[]).filter((key) => !ONLY || ONLY.includes(key))) {
					const sampled = contender === 'http-batching' && !FULL;
					const count = sampled ? Math.min(SAMPLE, total) : total;
					const fixed = sampled ? (await run(model, workload, 'baseline', count)).result.wallMs : baseline.result.wallMs;
					const { result } = await run(model, workload, contender, count);
					const requests = stack.emulator.requests.length;
					const everCreated = new Set<string>();
					let deliveredCount = 0;
					for (const r of stack.emulator.requests) {
						if (r.status !== 200) continue;
						const body = r.body as Record<string, unknown>;
						if (workload === 'whitelist' && r.method === 'POST' && r.path.endsWith('/modules/whitelistings')) everCreated.add(String(body.mac));
						if (workload === 'whitelist' && r.path.endsWith('/batch/add')) for (const entry of body.whitelistings as Array<{ mac: string }>) everCreated.add(entry.mac);
						if (workload === 'emails' && r.method === 'POST') for (const email of body.emails as string[]) everCreated.add(email);
					}
					deliveredCount = everCreated.size;
					const remaining = workload === 'whitelist' ? stack.emulator.store.state.whitelistings.length : stack.emulator.store.state.policies[POLICY].emails.length;
					const ok = result.status === 200;
					const row: Row = {
						model: model.name,
						workload: label,
						contender,
						entries: count,
						sampled,
						ok,
						note: ok ? '' : `execution failed (HTTP ${result.status})`,
						requests,
						rateLimited: stack.emulator.requests.filter((r) => r.status === 429).length,
						delivered: deliveredCount,
						removed: deliveredCount - remaining,
						wallMs: result.wallMs,
						beyondMs: result.wallMs - fixed,
						peakMb: Math.round(result.peakMb),
						growthMb: Math.round(result.peakMb - result.startMb),
					};
					rows.push(row);
					console.log(
						`  ${CONTENDERS[contender].padEnd(48)} ${ok ? 'ok    ' : 'FAILED'} ${String(requests).padStart(6)} requests (${row.rateLimited} answered 429), ${row.delivered}/${count} delivered, ${row.removed} removed, ${(row.wallMs / 1000).toFixed(1)} s wall, ${(row.beyondMs / 1000).toFixed(1)} s beyond start, peak ${row.peakMb} MB (+${row.growthMb})${sampled ? ` [sample of ${count}]` : ''}`,
					);
				}
			}
			for (const shape of shapes) if (shape.contenders.length) syncRows.push(...(await syncBench(stack, { context: credentialId, group }, model, shape, shape.contenders)));
			const emailSyncContenders = (Object.keys(EMAIL_SYNC_CONTENDERS) as EmailSyncContender[]).filter((key) => !ONLY || ONLY.includes(key));
			if (emailSyncContenders.length) await emailSyncBench(stack, credentialId, model, emailSyncContenders);
		}
		if (!ONLY || ONLY.includes('queue')) queueRows = await queueBench(stack, credentialId);
	} finally {
		await stack.stop();
		rmSync(workDir, { recursive: true, force: true });
	}
	writeFileSync(join(ROOT, '.cache', 'bench-results.json'), JSON.stringify({ rows, syncRows, queueRows }, null, 2));
	console.log(`\nRaw figures: .cache/bench-results.json`);
	printRatios(rows);
}

function perEntry(row: Row): number {
	return row.beyondMs / row.entries;
}

function printRatios(rows: Row[]): void {
	console.log('\nTime beyond the start cost, per entry, relative to the HTTP Request contenders (scaled to the full workload where sampled):');
	const groups = new Map<string, Row[]>();
	for (const row of rows) groups.set(`${row.model} | ${row.workload}`, [...(groups.get(`${row.model} | ${row.workload}`) ?? []), row]);
	for (const [key, group] of groups) {
		const find = (contender: Contender) => group.find((row) => row.contender === contender)!;
		const ours = find('node');
		if (!ours) continue;
		console.log(`  ${key}`);
		for (const other of ['http-defaults', 'http-batching', 'floor'] as Contender[]) {
			const row = find(other);
			if (!row) continue;
			const ratio = perEntry(row) / perEntry(ours);
			const extrapolated = row.sampled ? ` (extrapolated: ${((perEntry(row) * ours.entries) / 1000).toFixed(0)} s for ${ours.entries})` : '';
			console.log(`    ${CONTENDERS[other].padEnd(48)} ${row.ok ? '' : '[failed] '}${ratio >= 1 ? `${ratio.toFixed(1)}x slower than (1)` : `(1) is ${(1 / ratio).toFixed(2)}x its time`}${extrapolated}`);
		}
		for (const contender of ['node', 'node-concurrent'] as Contender[]) {
			if (!find(contender) || !find('floor')) continue;
			console.log(`    ${CONTENDERS[contender].padEnd(48)} ${(perEntry(find(contender)) / perEntry(find('floor'))).toFixed(2)}x the time of (3)`);
		}
	}
}

main().catch((error: Error) => {
	console.error(`bench: ${error.stack ?? error.message}`);
	process.exit(1);
});
