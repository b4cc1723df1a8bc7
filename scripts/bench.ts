/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev CLI, never published: n8n Cloud's sandbox rules are for the package, and a CLI prints */
/*
 * `npm run bench`: this node against n8n's HTTP Request node, inside one real n8n, against the
 * emulator, under a latency-only and a rate-limited API model. Prints figures; times and memory are
 * never asserted. The one check: the sync contenders must leave the desired state, and a mismatch is printed loudly.
 * `--full` runs the slow contender (one HTTP request per item, batched to 10 per second, under
 * the rate limit) on every entry instead of a sample. `--only=node,floor` runs only the named
 * contenders (keys of CONTENDERS and SYNC_CONTENDERS), for a quick comparison; the figures in BENCHMARKS.md and CONTRIBUTING.md come from full runs.
 * The Whitelisting Sync rows (`--only=sync,sync-concurrent,sync-stock`) run each contender twice on a fresh
 * 10,000-entry whitelist, the 1 % drift and then the same input again, and check that each leaves the desired state.
 * The group rows (`--only=group-sync,group-sync-stock`) do the same on 20 Contexts of one Organization, 500 entries and
 * 1 % drift each: one Sync node with the organisation credential (Context per item) against a stock branch per
 * Context, and check that each leaves the 20 desired whitelists and that no request carried another Context's key.
 * The inventory load rows (`--only=queue`): 50 webhook calls at once, 200 devices each, on the regular-mode n8n and
 * then on a queue-mode stack (scripts/queue.ts: main, 2 workers, 2 webhook processors), in the same run.
 * `--models=latency,limit,limit-no-retry-after` runs only the named API models (default all three).
 * The scale rows (`--only=scale-node,scale-floor,scale-sync,scale-sync-stock`, latency only) run 100,000 entries in one
 * execution and print each beside the same contender's 10,000-entry figure of the same run.
 * The run ends with the issue's targets that its rows cover: the measured ratio and met or missed.
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
import { CREDENTIAL_NAME, GROUP_CREDENTIAL_NAME, NODE_TYPE, NODE_VERSION, emulatorCredential, groupCredential, startStack, type Stack } from './stack';

const FULL = process.argv.includes('--full');
const ONLY = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const SAMPLE = 300;
const WHITELIST_ENTRIES = Number(process.env.BENCH_WHITELIST_ENTRIES ?? 10000);
const EMAILS = Number(process.env.BENCH_EMAILS ?? 5000);
const POLICY = '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

type ModelKey = 'latency' | 'limit' | 'limit-no-retry-after';
type Model = { key: ModelKey; name: string; latencyMs: number; rateLimit: number; omitRetryAfter: boolean };
const ALL_MODELS: Model[] = [
	{ key: 'latency', name: 'latency only (20 ms, no limit)', latencyMs: 20, rateLimit: 0, omitRetryAfter: false },
	{ key: 'limit', name: 'rate-limited (20 ms, 10 req/s, 429 + Retry-After: 1)', latencyMs: 20, rateLimit: 10, omitRetryAfter: false },
	{ key: 'limit-no-retry-after', name: 'rate-limited (20 ms, 10 req/s, 429 without Retry-After)', latencyMs: 20, rateLimit: 10, omitRetryAfter: true },
];
const MODEL_KEYS = process.argv.find((arg) => arg.startsWith('--models='))?.slice('--models='.length).split(',');
const MODELS = ALL_MODELS.filter((model) => !MODEL_KEYS || MODEL_KEYS.includes(model.key));
/** The emulator's knobs for a model. */
const knobs = (model: Model) => ({ latencyMs: model.latencyMs, rateLimitPerSecond: model.rateLimit, omitRetryAfter: model.omitRetryAfter });

type Workload = 'whitelist' | 'emails';
type Contender = 'node' | 'node-concurrent' | 'node-c1' | 'http-defaults' | 'http-batching' | 'floor';
/** Batches in flight at once for the `node-concurrent` contenders (Request Options > Concurrency). */
const BATCH_CONCURRENCY = 4;
/**
 * Request Options of the node's contenders: the defaults set none (Concurrency not set, which is
 * to become Auto), the others pin a number.
 */
const PINNED: Record<string, number> = {
	'node-concurrent': BATCH_CONCURRENCY,
	'node-c1': 1,
	'sync-concurrent': BATCH_CONCURRENCY,
	'sync-c1': 1,
	'emails-sync-concurrent': BATCH_CONCURRENCY,
	'emails-sync-c1': 1,
};
const requestOptionsOf = (contender: string) => (contender in PINNED ? { requestOptions: { concurrency: PINNED[contender] } } : {});
const CONTENDERS: Record<Contender, string> = {
	node: '(1) Netgraph Sign-In node, defaults',
	'node-concurrent': `(1b) Netgraph Sign-In node, Concurrency ${BATCH_CONCURRENCY}`,
	'node-c1': '(1c) Netgraph Sign-In node, Concurrency 1',
	'http-defaults': '(2) HTTP Request per item, defaults',
	'http-batching': '(2) HTTP Request per item, batching 10 / 1 s',
	floor: '(3) Code node chunks + HTTP Request',
};
/** A contender's name in a model: under a rate limit the floor's HTTP Request nodes use Batching (5 per 1 s). */
const contenderName = (contender: Contender, model: Model) => (contender === 'floor' && model.rateLimit > 0 ? `${CONTENDERS.floor} + Batching 5 / 1 s` : CONTENDERS[contender]);
const isNode = (contender: string) => contender === 'node' || contender === 'node-concurrent' || contender === 'node-c1';

interface Row {
	model: string;
	modelKey: ModelKey;
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
	/** Entries an add request that was answered 200 carried again after an earlier one had delivered them. */
	deliveredAgain: number;
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
	typeVersion: type === NODE_TYPE ? NODE_VERSION : type === 'n8n-nodes-base.httpRequest' ? 4.2 : type === 'n8n-nodes-base.code' ? 2 : type === 'n8n-nodes-base.webhook' ? 2 : 1,
	position: [counter * 200, 0],
	parameters,
	...extra,
});

/** As in examples/approved-sync.json: a sync's Preview, then the same items again into its Apply (node `applyName`) with the Preview's planId approved. */
function previewThenApprovedApply(parameters: Record<string, unknown>, extra: Record<string, unknown>, applyName: string) {
	return [
		node('Preview', NODE_TYPE, { ...parameters, mode: 'preview' }, extra),
		node('Items again', 'n8n-nodes-base.code', { jsCode: "return $('Items').all();" }),
		node(applyName, NODE_TYPE, { ...parameters, mode: 'apply', options: { approvedPlanId: "={{ $('Preview').last().json.planId }}" } }, extra),
	];
}

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
	const ours = (name: string, parameters: Record<string, unknown>) => node(name, NODE_TYPE, { ...parameters, ...requestOptionsOf(contender) }, { credentials });
	const chunker = (name: string, key: string, map: string) =>
		node(name, 'n8n-nodes-base.code', {
			jsCode: `const all = $input.all(); const out = []; for (let i = 0; i < all.length; i += 500) out.push({ json: { ${key}: all.slice(i, i + 500).map((item) => ${map}) } }); return out;`,
		});
	const emailsUrl = `${base}/policies/${POLICY}/emails`;
	const nodes = [...source(path, workload, count)];
	if (contender === 'baseline') return chain(`bench ${path}`, nodes);
	if (workload === 'whitelist') {
		if (isNode(contender)) {
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
	} else if (isNode(contender)) {
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
type SyncContender = 'sync' | 'sync-concurrent' | 'sync-c1' | 'sync-approved' | 'sync-stock' | 'group-sync' | 'group-sync-stock';
const SYNC_CONTENDERS: Record<SyncContender, string> = {
	sync: '(1) Whitelisting Sync, Apply, defaults',
	'sync-concurrent': `(1b) Whitelisting Sync, Apply, Concurrency ${BATCH_CONCURRENCY}`,
	'sync-c1': '(1c) Whitelisting Sync, Apply, Concurrency 1',
	'sync-approved': '(1d) Whitelisting Sync Preview, then Apply of its planId',
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
		{ name: 'one Context', sites: [{ contextId: stack.emulator.options.contextId, site: 0 }], entries: WHITELIST_ENTRIES, drift: DRIFT, contenders: ['sync', 'sync-concurrent', 'sync-c1', 'sync-approved', 'sync-stock'] },
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
	if (contender === 'sync' || contender === 'sync-concurrent' || contender === 'sync-c1' || contender === 'sync-approved' || contender === 'group-sync') {
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
			...requestOptionsOf(contender),
		};
		const credential = group
			? { signInOrganizationApi: { id: credentials.group ?? '', name: GROUP_CREDENTIAL_NAME } }
			: { signInContextApi: { id: credentials.context, name: CREDENTIAL_NAME } };
		if (contender === 'sync-approved') {
			nodes.push(...previewThenApprovedApply(parameters, { credentials: credential }, 'Sync'));
		} else {
			nodes.push(node('Sync', NODE_TYPE, parameters, { credentials: credential }));
		}
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
	modelKey: ModelKey;
	/** The shape's name; the whitelist's size for a one-Context shape is `entries`. */
	workload: string;
	entries: number;
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
		await publishWorkflow(stack, syncWorkflowFor(stack, credentials, path, shape, contender, model.rateLimit > 0));
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
			const newest = await newestExecution(stack);
			const result = await measure(stack, path);
			const times = contender === 'sync' || contender === 'sync-approved' ? await nodeTimes(stack, newest, ['Preview', 'Sync']) : '';
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
				modelKey: model.key,
				workload: shape.name,
				entries: shape.entries,
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
				`  ${`${SYNC_CONTENDERS[contender]}, ${run}`.padEnd(60)} ${row.ok ? 'ok    ' : 'FAILED'} ${String(row.requests).padStart(4)} requests (${row.rateLimited} answered 429), ${row.created} created, ${row.updated} updated, ${row.revoked} revoked, ${(row.wallMs / 1000).toFixed(2)} s wall, ${(row.beyondMs / 1000).toFixed(2)} s beyond start, peak ${row.peakMb} MB (+${row.growthMb})${row.note ? ` [${row.note}]` : ''}${times}`,
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
type EmailSyncContender = 'emails-sync' | 'emails-sync-concurrent' | 'emails-sync-c1' | 'emails-sync-preview' | 'emails-sync-approved' | 'emails-sync-stock';
const EMAIL_SYNC_CONTENDERS: Record<EmailSyncContender, string> = {
	'emails-sync': '(1) Access Policy Sync E-Mails, defaults',
	'emails-sync-concurrent': `(1b) Access Policy Sync E-Mails, Concurrency ${BATCH_CONCURRENCY}`,
	'emails-sync-c1': '(1c) Access Policy Sync E-Mails, Concurrency 1',
	'emails-sync-preview': '(1d) Sync E-Mails, Preview only (changes nothing)',
	'emails-sync-approved': '(1e) Sync E-Mails Preview, then Apply of its planId',
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
	const credentials = { credentials: { signInContextApi: { id: credentialId, name: CREDENTIAL_NAME } } };
	const parameters = { resource: 'accessPolicy', operation: 'syncEmails', policyId: POLICY, emails: '={{ $json.email }}', scope: 'addresses', ...requestOptionsOf(contender) };
	if (contender === 'emails-sync' || contender === 'emails-sync-concurrent' || contender === 'emails-sync-c1') {
		nodes.push(node('Sync E-Mails', NODE_TYPE, { ...parameters, mode: 'apply' }, credentials));
	} else if (contender === 'emails-sync-preview') {
		nodes.push(node('Preview', NODE_TYPE, { ...parameters, mode: 'preview' }, credentials));
	} else if (contender === 'emails-sync-approved') {
		nodes.push(...previewThenApprovedApply(parameters, credentials, 'Apply'));
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
	Object.assign(stack.emulator.options, knobs(model));
	await new Promise((r) => setTimeout(r, 1500));
}

/** Each Sync E-Mails contender on a fresh copy of the policy: the drift run, then the same list again. Prints its rows. */
interface EmailSyncRow {
	modelKey: ModelKey;
	contender: EmailSyncContender;
	run: 'drift' | 'no change';
	ok: boolean;
	beyondMs: number;
	growthMb: number;
}

async function emailSyncBench(stack: Stack, credentialId: string, model: Model, contenders: EmailSyncContender[]): Promise<EmailSyncRow[]> {
	const rows: EmailSyncRow[] = [];
	/** What each contender must leave: the synced policy, or for Preview the policy it started with. */
	const expectedOf = (contender: EmailSyncContender) => (contender === 'emails-sync-preview' ? [...emailSyncSeed().policies[POLICY].emails].sort() : expectedPolicy());
	const publish = async (contender: EmailSyncContender | 'baseline') => {
		const path = `bench-${++counter}`;
		await publishWorkflow(stack, emailSyncWorkflowFor(stack, credentialId, path, contender, model.rateLimit > 0));
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
			const newest = await newestExecution(stack);
			const result = await measure(stack, path);
			const times = ['emails-sync', 'emails-sync-preview', 'emails-sync-approved'].includes(contender) ? await nodeTimes(stack, newest, ['Preview', 'Sync E-Mails', 'Apply']) : '';
			const final = [...stack.emulator.store.state.policies[POLICY].emails].sort();
			const after = new Set(final);
			const expected = expectedOf(contender);
			const missing = expected.filter((email) => !after.has(email));
			const unexpected = final.filter((email) => !expected.includes(email));
			const requests = stack.emulator.requests.length;
			const rateLimited = stack.emulator.requests.filter((r) => r.status === 429).length;
			const ok = result.status === 200 && missing.length + unexpected.length === 0;
			const peakMb = Math.round(result.peakMb);
			console.log(
				`  ${`${EMAIL_SYNC_CONTENDERS[contender]}, ${run}`.padEnd(66)} ${ok ? 'ok    ' : 'FAILED'} ${String(requests).padStart(4)} requests (${rateLimited} answered 429), ${final.filter((email) => !before.has(email)).length} added, ${[...before].filter((email) => !after.has(email)).length} removed, ${(result.wallMs / 1000).toFixed(2)} s wall, ${((result.wallMs - fixed) / 1000).toFixed(2)} s beyond start, peak ${peakMb} MB (+${Math.round(result.peakMb - result.startMb)})${result.status === 200 ? '' : ` [execution failed (HTTP ${result.status})]`}${times}`,
			);
			if (missing.length + unexpected.length > 0) {
				console.log(`  !!!!! MISMATCH: ${EMAIL_SYNC_CONTENDERS[contender]} (${run}) left ${unexpected.length} e-mails in the policy that should not be there and lacks ${missing.length} that should`);
				for (const line of [...missing.slice(0, 5).map((e) => `missing ${e}`), ...unexpected.slice(0, 5).map((e) => `unexpected ${e}`)]) console.log(`  !!!!!   ${line}`);
			}
			finals.set(`${contender}|${run}`, final);
			rows.push({ modelKey: model.key, contender, run, ok, beyondMs: result.wallMs - fixed, growthMb: Math.round(result.peakMb - result.startMb) });
		}
	}
	for (const run of ['drift', 'no change']) {
		// Preview leaves the policy as it was, so it is compared with its start above, not with the others.
		const [first, ...others] = contenders.filter((contender) => contender !== 'emails-sync-preview').map((contender) => ({ contender, final: finals.get(`${contender}|${run}`)! }));
		for (const other of first ? others : []) {
			const same = other.final.length === first.final.length && other.final.every((email, index) => email === first.final[index]);
			console.log(
				same
					? `  after the ${run} run, ${EMAIL_SYNC_CONTENDERS[other.contender]} and ${EMAIL_SYNC_CONTENDERS[first.contender]} left the same policy (${other.final.length} e-mails)`
					: `  !!!!! MISMATCH: after the ${run} run, ${EMAIL_SYNC_CONTENDERS[other.contender]} and ${EMAIL_SYNC_CONTENDERS[first.contender]} left different policies`,
			);
		}
	}
	return rows;
}

/**
 * Creates and publishes a workflow. The readiness GET first meets the connection that the bench's
 * busy event loop (its in-process emulator answering 50,000-e-mail policies) may have let go stale:
 * n8n closes an idle one after 5 s, and a POST sent on it fails with "other side closed" and is not
 * repeated. untilReady repeats its GET on a new connection, so the POST goes on a fresh one.
 */
async function publishWorkflow(stack: Stack, workflow: Parameters<Stack['client']['createWorkflow']>[0]): Promise<void> {
	await untilReady(stack);
	await stack.client.createWorkflow(workflow, true);
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

/** The ID of the newest execution n8n stored (0 before the first). */
async function newestExecution(stack: Stack): Promise<number> {
	const { data } = await stack.client.api<{ data: Array<{ id: string }> }>('GET', '/executions?limit=1');
	return Number(data[0]?.id ?? 0);
}

/**
 * The own run time of the nodes `names` in the first execution stored after `after` (n8n's
 * `executionTime` of each node's run), e.g. ` [node time: Preview 0.91 s, Apply 1.02 s]`: the
 * Apply of an approved plan measured apart from the Preview before it.
 */
async function nodeTimes(stack: Stack, after: number, names: string[]): Promise<string> {
	for (let waited = 0; waited <= 10_000; waited += 250) {
		const { data } = await stack.client.api<{ data: Array<{ id: string; finished?: boolean; data?: { resultData?: { runData?: Record<string, Array<{ executionTime: number }>> } } }> }>(
			'GET',
			'/executions?limit=1&includeData=true',
		);
		const [execution] = data;
		if (execution && Number(execution.id) > after && execution.data?.resultData?.runData) {
			const runData = execution.data.resultData.runData;
			const times = names.filter((name) => runData[name]).map((name) => `${name} ${(runData[name][0].executionTime / 1000).toFixed(2)} s`);
			return times.length ? ` [node time: ${times.join(', ')}]` : '';
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	return ' [node time: the execution was not stored within 10 s]';
}

/** The inventory load of the queue-mode suite: executions at once, devices each. */
const LOAD = { executions: 50, devices: 200 };
type QueueRow = { mode: string; ok: boolean; wallMs: number; requests: number; created: number; peakMb: number };

/** Runs the load on `client`'s n8n and samples the summed RSS of `pids` (each with its task runner) meanwhile. */
async function inventoryLoad(mode: string, client: N8nClient, emulator: SignInEmulator, credentialId: string, pids: number[]): Promise<QueueRow> {
	const path = `bench-inventory-${++counter}`;
	await client.createWorkflow(inventoryWorkflow(credentialId, path), true);
	emulator.store.reset({});
	Object.assign(emulator.options, knobs(ALL_MODELS[0]));
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
	console.log(`Inventory load: ${LOAD.executions} webhook calls at once, ${LOAD.devices} devices each (Create Many), ${ALL_MODELS[0].name}`);
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

/** Publishes the batch workflow of `contender`, readies the emulator (empty whitelist and policy, the model's knobs) and runs it once. */
async function runBatch(stack: Stack, credentialId: string, model: Model, workload: Workload, contender: Contender | 'baseline', count: number) {
	const path = `bench-${++counter}`;
	await publishWorkflow(stack, workflowFor(stack, credentialId, path, workload, contender, count, model.rateLimit > 0));
	await ready(stack, model, { policies: { [POLICY]: { name: 'Bench', emails: [] } } });
	return measure(stack, path);
}

const batchLabel = (workload: Workload, total: number) => (workload === 'whitelist' ? `${total} whitelist entries created then revoked` : `${total} e-mails added then removed`);

/**
 * One batch row: `contender` on `count` entries, its time beyond `fixed`, and what the emulator
 * saw: entries delivered (each counted once), delivered again by a later add, removed. Prints it.
 */
async function batchRow(stack: Stack, credentialId: string, model: Model, workload: Workload, contender: Contender, count: number, fixed: number, sampled: boolean): Promise<Row> {
	const result = await runBatch(stack, credentialId, model, workload, contender, count).catch((error: Error) => ({ failure: error.message }));
	if ('failure' in result) console.log(`  ${contenderName(contender, model).padEnd(60)} FAILED: the webhook call failed (${result.failure})`);
	const everCreated = new Set<string>();
	let deliveredAgain = 0;
	const deliver = (key: string) => (everCreated.has(key) ? deliveredAgain++ : everCreated.add(key));
	for (const r of stack.emulator.requests) {
		if (r.status !== 200) continue;
		const body = r.body as Record<string, unknown>;
		if (workload === 'whitelist' && r.method === 'POST' && r.path.endsWith('/modules/whitelistings')) deliver(String(body.mac).toUpperCase());
		if (workload === 'whitelist' && r.path.endsWith('/batch/add')) for (const entry of body.whitelistings as Array<{ mac: string }>) deliver(entry.mac.toUpperCase());
		if (workload === 'emails' && r.method === 'POST') for (const email of body.emails as string[]) deliver(email.toLowerCase());
	}
	const remaining = workload === 'whitelist' ? stack.emulator.store.state.whitelistings.length : stack.emulator.store.state.policies[POLICY].emails.length;
	const status = 'failure' in result ? 0 : result.status;
	const once = everCreated.size === count && deliveredAgain === 0 && remaining === 0;
	const ok = status === 200 && once;
	const row: Row = {
		model: model.name,
		modelKey: model.key,
		workload: batchLabel(workload, count),
		contender,
		entries: count,
		sampled,
		ok,
		note: [
			status === 200 ? '' : 'failure' in result ? `webhook call failed: ${result.failure}` : `execution failed (HTTP ${status})`,
			once ? '' : `${everCreated.size} of ${count} delivered, ${deliveredAgain} delivered again, ${remaining} left after the removal`,
		]
			.filter(Boolean)
			.join('; '),
		requests: stack.emulator.requests.length,
		rateLimited: stack.emulator.requests.filter((r) => r.status === 429).length,
		delivered: everCreated.size,
		deliveredAgain,
		removed: everCreated.size - remaining,
		wallMs: 'failure' in result ? 0 : result.wallMs,
		beyondMs: 'failure' in result ? 0 : result.wallMs - fixed,
		peakMb: 'failure' in result ? 0 : Math.round(result.peakMb),
		growthMb: 'failure' in result ? 0 : Math.round(result.peakMb - result.startMb),
	};
	console.log(
		`  ${contenderName(contender, model).padEnd(60)} ${ok ? 'ok    ' : 'FAILED'} ${String(row.requests).padStart(6)} requests (${row.rateLimited} answered 429), ${row.delivered}/${count} delivered${row.deliveredAgain ? ` (${row.deliveredAgain} again)` : ''}, ${row.removed} removed, ${(row.wallMs / 1000).toFixed(1)} s wall, ${(row.beyondMs / 1000).toFixed(1)} s beyond start, peak ${row.peakMb} MB (+${row.growthMb})${sampled ? ` [sample of ${count}]` : ''}${row.note ? ` [${row.note}]` : ''}`,
	);
	if (status === 200 && !once) console.log(`  !!!!! MISMATCH: ${contenderName(contender, model)}: ${row.note}`);
	return row;
}

/** The batch workloads of one model: the fixed start cost, then each chosen contender. */
async function batchBench(stack: Stack, credentialId: string, model: Model, contenders: Contender[]): Promise<Row[]> {
	const rows: Row[] = [];
	for (const workload of ['whitelist', 'emails'] as Workload[]) {
		const total = workload === 'whitelist' ? WHITELIST_ENTRIES : EMAILS;
		const fixed = (await runBatch(stack, credentialId, model, workload, 'baseline', total)).wallMs;
		console.log(`${model.name} / ${batchLabel(workload, total)}: fixed start cost ${fixed} ms`);
		for (const contender of contenders) {
			const sampled = contender === 'http-batching' && !FULL;
			const count = sampled ? Math.min(SAMPLE, total) : total;
			const sampleFixed = sampled ? (await runBatch(stack, credentialId, model, workload, 'baseline', count)).wallMs : fixed;
			rows.push(await batchRow(stack, credentialId, model, workload, contender, count, sampleFixed, sampled));
		}
	}
	return rows;
}

// ---- Scale: 100,000 entries in one execution, beside the same contender's 10,000 of the same run

const SCALE_ENTRIES = Number(process.env.BENCH_SCALE_ENTRIES ?? 100000);
type ScaleContender = 'scale-node' | 'scale-floor' | 'scale-sync' | 'scale-sync-stock';
const SCALE_BATCH: Partial<Record<ScaleContender, Contender>> = { 'scale-node': 'node', 'scale-floor': 'floor' };
const SCALE_SYNC: Partial<Record<ScaleContender, SyncContender>> = { 'scale-sync': 'sync', 'scale-sync-stock': 'sync-stock' };
/** A scale contender's figures: at 10,000 and at `SCALE_ENTRIES` entries, latency only. */
interface ScaleRow {
	key: ScaleContender;
	name: string;
	small: { entries: number; ok: boolean; note: string; beyondMs: number; growthMb: number };
	large: { entries: number; ok: boolean; note: string; beyondMs: number; growthMb: number };
}

/** The one-Context sync shape at `entries`, with its drift scaled from the 10,000-entry one (1 %). */
function oneContextShape(stack: Stack, entries: number, contenders: SyncContender[]): SyncShape {
	const scale = (count: number) => Math.round((count * entries) / WHITELIST_ENTRIES);
	return {
		name: entries === WHITELIST_ENTRIES ? 'one Context' : `one Context, ${entries} entries`,
		sites: [{ contextId: stack.emulator.options.contextId, site: 0 }],
		entries,
		drift: { fresh: scale(DRIFT.fresh), changed: scale(DRIFT.changed), gone: scale(DRIFT.gone) },
		contenders,
	};
}

async function scaleBench(stack: Stack, credentialId: string, keys: ScaleContender[], rows: Row[], syncRows: SyncRow[]): Promise<ScaleRow[]> {
	const model = ALL_MODELS[0];
	const scaled: ScaleRow[] = [];
	const figure = (row: Row | SyncRow) => ({ entries: row.entries, ok: row.ok, note: row.note, beyondMs: row.beyondMs, growthMb: row.growthMb });
	const batchKeys = keys.filter((key) => SCALE_BATCH[key]);
	if (batchKeys.length) {
		const sizes = [WHITELIST_ENTRIES, SCALE_ENTRIES];
		const fixed: number[] = [];
		for (const size of sizes) fixed.push((await runBatch(stack, credentialId, model, 'whitelist', 'baseline', size)).wallMs);
		console.log(`Scale, ${model.name} / whitelist entries created then revoked: fixed start cost ${fixed[0]} ms at ${sizes[0]}, ${fixed[1]} ms at ${sizes[1]}`);
		for (const key of batchKeys) {
			const contender = SCALE_BATCH[key]!;
			const earlier = rows.find((row) => row.modelKey === model.key && row.contender === contender && row.workload === batchLabel('whitelist', WHITELIST_ENTRIES));
			const small = earlier ?? (await batchRow(stack, credentialId, model, 'whitelist', contender, WHITELIST_ENTRIES, fixed[0], false));
			const large = await batchRow(stack, credentialId, model, 'whitelist', contender, SCALE_ENTRIES, fixed[1], false);
			scaled.push({ key, name: contenderName(contender, model), small: figure(small), large: figure(large) });
		}
	}
	const syncKeys = keys.filter((key) => SCALE_SYNC[key]);
	if (syncKeys.length) {
		const contenders = syncKeys.map((key) => SCALE_SYNC[key]!);
		const drift = (list: SyncRow[], contender: SyncContender, entries: number) =>
			list.find((row) => row.modelKey === model.key && row.contender === contender && row.entries === entries && row.workload.startsWith('one Context') && row.run === 'drift');
		const missing = contenders.filter((contender) => !drift(syncRows, contender, WHITELIST_ENTRIES));
		const small = missing.length ? await syncBench(stack, { context: credentialId }, model, oneContextShape(stack, WHITELIST_ENTRIES, missing), missing) : [];
		const large = await syncBench(stack, { context: credentialId }, model, oneContextShape(stack, SCALE_ENTRIES, contenders), contenders).catch((error: Error) => {
			console.log(`  FAILED: the ${SCALE_ENTRIES}-entry sync did not finish (${error.message})`);
			return [] as SyncRow[];
		});
		for (const key of syncKeys) {
			const contender = SCALE_SYNC[key]!;
			const before = drift([...syncRows, ...small], contender, WHITELIST_ENTRIES);
			const after = drift(large, contender, SCALE_ENTRIES);
			const failed = { entries: SCALE_ENTRIES, ok: false, note: 'did not run to the end (see above)', beyondMs: 0, growthMb: 0 };
			if (before) scaled.push({ key, name: SYNC_CONTENDERS[contender], small: figure(before), large: after ? figure(after) : failed });
		}
	}
	printScale(scaled);
	return scaled;
}

function printScale(scaled: ScaleRow[]): void {
	if (!scaled.length) return;
	console.log(`\nScale (latency only): time beyond start per 1,000 entries and n8n's memory growth, at ${WHITELIST_ENTRIES} and at ${SCALE_ENTRIES} entries (sync rows: the drift run)`);
	const per1000 = (figure: ScaleRow['small']) => (figure.beyondMs / figure.entries) * 1000;
	const reference = (key: ScaleContender) => scaled.find((row) => row.key === (key === 'scale-node' ? 'scale-floor' : key === 'scale-sync' ? 'scale-sync-stock' : undefined));
	for (const row of scaled) {
		const state = (figure: ScaleRow['small']) => (figure.ok ? '' : ` [FAILED: ${figure.note}]`);
		const against = reference(row.key);
		const growth = against && against.large.ok && row.large.ok ? `, ${(row.large.growthMb / Math.max(1, against.large.growthMb)).toFixed(2)}x the growth of ${against.name} (+${against.large.growthMb} MB)` : '';
		console.log(
			`  ${row.name.padEnd(60)} ${per1000(row.small).toFixed(0)} ms / 1,000 at ${row.small.entries}${state(row.small)}, ${per1000(row.large).toFixed(0)} ms / 1,000 at ${row.large.entries}${state(row.large)}, ratio ${row.large.ok && row.small.ok ? (per1000(row.large) / per1000(row.small)).toFixed(2) : '-'}x; memory growth +${row.small.growthMb} MB at ${row.small.entries}, +${row.large.growthMb} MB at ${row.large.entries}${growth}`,
		);
	}
}

// ---- The issue's targets, as far as the run's rows cover them

function printTargets(rows: Row[], syncRows: SyncRow[], emailRows: EmailSyncRow[], scaled: ScaleRow[]): void {
	const lines: string[] = [];
	const verdict = (ratio: number, limit: number) => `${ratio.toFixed(2)}x (target ≤ ${limit}x): ${ratio <= limit ? 'met' : 'MISSED'}`;
	const compare = (what: string, ours: { ok: boolean; beyondMs: number } | undefined, theirs: { ok: boolean; beyondMs: number } | undefined, limit: number) => {
		if (!ours || !theirs) return;
		const failed = [ours.ok ? '' : 'ours failed', theirs.ok ? '' : 'the reference failed'].filter(Boolean).join(', ');
		lines.push(`  ${what.padEnd(96)} ${verdict(ours.beyondMs / theirs.beyondMs, limit)}${failed ? ` [${failed}]` : ''}`);
	};
	const batch = (model: ModelKey, workload: Workload, contender: Contender) =>
		rows.find((row) => row.modelKey === model && row.contender === contender && row.workload === batchLabel(workload, workload === 'whitelist' ? WHITELIST_ENTRIES : EMAILS));
	const sync = (model: ModelKey, contender: SyncContender, run: string) => syncRows.find((row) => row.modelKey === model && row.workload === 'one Context' && row.contender === contender && row.run === run);
	const emailSync = (model: ModelKey, contender: EmailSyncContender, run: string) => emailRows.find((row) => row.modelKey === model && row.contender === contender && row.run === run);
	const syncs = (model: ModelKey, ours: 'defaults' | 'c1', limit: number) => {
		for (const run of ['drift', 'no change']) {
			compare(`${model}: Whitelisting Sync ${ours === 'c1' ? 'Concurrency 1' : 'defaults'}, ${run}, against the hand-built stock setup`, sync(model, ours === 'c1' ? 'sync-c1' : 'sync', run), sync(model, 'sync-stock', run), limit);
			compare(
				`${model}: Sync E-Mails ${ours === 'c1' ? 'Concurrency 1' : 'defaults'}, ${run}, against the hand-built stock setup`,
				emailSync(model, ours === 'c1' ? 'emails-sync-c1' : 'emails-sync', run),
				emailSync(model, 'emails-sync-stock', run),
				limit,
			);
		}
	};
	for (const workload of ['whitelist', 'emails'] as Workload[]) compare(`latency: ${workload}, defaults, against the floor`, batch('latency', workload, 'node'), batch('latency', workload, 'floor'), 0.8);
	syncs('latency', 'defaults', 0.8);
	for (const workload of ['whitelist', 'emails'] as Workload[]) compare(`latency: ${workload}, Concurrency 1, against the floor`, batch('latency', workload, 'node-c1'), batch('latency', workload, 'floor'), 1.1);
	syncs('latency', 'c1', 1.1);
	for (const model of ['limit', 'limit-no-retry-after'] as ModelKey[]) {
		for (const workload of ['whitelist', 'emails'] as Workload[]) {
			const ours = batch(model, workload, 'node');
			if (ours) lines.push(`  ${`${model}: ${workload}, defaults, every entry delivered once and removed`.padEnd(96)} ${ours.ok ? 'met' : `MISSED [${ours.note}]`}`);
			compare(`${model}: ${workload}, defaults, against the floor + Batching`, ours, batch(model, workload, 'floor'), 0.8);
		}
		syncs(model, 'defaults', 0.8);
	}
	for (const row of scaled.filter((each) => each.key === 'scale-node' || each.key === 'scale-sync')) {
		const ratio = row.large.beyondMs / row.large.entries / (row.small.beyondMs / row.small.entries);
		const failed = row.small.ok && row.large.ok ? '' : ' [a run failed]';
		lines.push(`  ${`scale: ${row.name}, per-entry time at ${row.large.entries} against ${row.small.entries}`.padEnd(96)} ${verdict(ratio, 1.1)}${failed}`);
		const against = scaled.find((each) => each.key === (row.key === 'scale-node' ? 'scale-floor' : 'scale-sync-stock'));
		if (against) {
			lines.push(
				`  ${`scale: ${row.name}, memory growth at ${row.large.entries} against ${against.name}`.padEnd(96)} ${verdict(row.large.growthMb / Math.max(1, against.large.growthMb), 2)}${row.large.ok && against.large.ok ? '' : ' [a run failed]'}`,
			);
		}
	}
	console.log(`\nTargets covered by this run (time beyond start; syncs per run):`);
	for (const line of lines.length ? lines : ['  none: the run has no rows a target compares']) console.log(line);
}

async function main(): Promise<void> {
	const workDir = mkdtempSync(join(tmpdir(), 'netgraph-bench-'));
	const stack = await startStack({
		n8nPort: await freePort(),
		brokerPort: await freePort(),
		emulatorPort: await freePort(),
		workDir,
		// No state file: at 100,000 entries writing the whole state after every change would cost the emulator more than the requests.
		emulator: { token: 'bench-token', stateFile: undefined, seed: { policies: { [POLICY]: { name: 'Bench', emails: [] } } }, contexts: GROUP_CONTEXTS.map((id) => ({ id })) },
		log: (line) => console.log(line),
	});
	const rows: Row[] = [];
	const syncRows: SyncRow[] = [];
	const emailRows: EmailSyncRow[] = [];
	let scaled: ScaleRow[] = [];
	let queueRows: QueueRow[] = [];
	try {
		await stack.client.createApiKey('bench');
		const credentialId = await stack.client.createCredential(CREDENTIAL_NAME, emulatorCredential(stack.emulator));
		const shapes = syncShapes(stack).map((shape) => ({ ...shape, contenders: shape.contenders.filter((key) => !ONLY || ONLY.includes(key)) }));
		// The organisation credential only where this node runs a group row: it needs a package that has the credential type.
		const group = shapes.some((shape) => shape.contenders.includes('group-sync'))
			? await stack.client.createCredential(GROUP_CREDENTIAL_NAME, groupCredential(stack.emulator), 'signInOrganizationApi')
			: undefined;
		const contenders = (Object.keys(CONTENDERS) as Contender[]).filter((key) => !ONLY || ONLY.includes(key));
		for (const model of MODELS) {
			if (contenders.length) rows.push(...(await batchBench(stack, credentialId, model, contenders)));
			for (const shape of shapes) if (shape.contenders.length) syncRows.push(...(await syncBench(stack, { context: credentialId, group }, model, shape, shape.contenders)));
			const emailSyncContenders = (Object.keys(EMAIL_SYNC_CONTENDERS) as EmailSyncContender[]).filter((key) => !ONLY || ONLY.includes(key));
			if (emailSyncContenders.length) emailRows.push(...(await emailSyncBench(stack, credentialId, model, emailSyncContenders)));
		}
		const scaleKeys = (['scale-node', 'scale-floor', 'scale-sync', 'scale-sync-stock'] as ScaleContender[]).filter((key) => !ONLY || ONLY.includes(key));
		if (scaleKeys.length) scaled = await scaleBench(stack, credentialId, scaleKeys, rows, syncRows);
		if (!ONLY || ONLY.includes('queue')) queueRows = await queueBench(stack, credentialId);
	} finally {
		await stack.stop();
		rmSync(workDir, { recursive: true, force: true });
	}
	writeFileSync(join(ROOT, '.cache', 'bench-results.json'), JSON.stringify({ rows, syncRows, emailRows, scaled, queueRows }, null, 2));
	console.log(`\nRaw figures: .cache/bench-results.json`);
	printRatios(rows);
	printTargets(rows, syncRows, emailRows, scaled);
}

function perEntry(row: Row): number {
	return row.beyondMs / row.entries;
}

function printRatios(rows: Row[]): void {
	if (!rows.some((row) => row.contender === 'node')) return;
	console.log('\nTime beyond the start cost, per entry, relative to the HTTP Request contenders (scaled to the full workload where sampled):');
	const groups = new Map<string, Row[]>();
	for (const row of rows) groups.set(`${row.model} | ${row.workload}`, [...(groups.get(`${row.model} | ${row.workload}`) ?? []), row]);
	for (const [key, group] of groups) {
		const find = (contender: Contender) => group.find((row) => row.contender === contender)!;
		const ours = find('node');
		if (!ours) continue;
		const model = ALL_MODELS.find((each) => each.key === ours.modelKey)!;
		console.log(`  ${key}`);
		for (const other of ['http-defaults', 'http-batching', 'floor'] as Contender[]) {
			const row = find(other);
			if (!row) continue;
			const ratio = perEntry(row) / perEntry(ours);
			const extrapolated = row.sampled ? ` (extrapolated: ${((perEntry(row) * ours.entries) / 1000).toFixed(0)} s for ${ours.entries})` : '';
			console.log(`    ${contenderName(other, model).padEnd(60)} ${row.ok ? '' : '[failed] '}${ratio >= 1 ? `${ratio.toFixed(1)}x slower than (1)` : `(1) is ${(1 / ratio).toFixed(2)}x its time`}${extrapolated}`);
		}
		for (const contender of ['node', 'node-concurrent', 'node-c1'] as Contender[]) {
			if (!find(contender) || !find('floor')) continue;
			console.log(`    ${contenderName(contender, model).padEnd(60)} ${(perEntry(find(contender)) / perEntry(find('floor'))).toFixed(2)}x the time of (3)`);
		}
	}
}

main().catch((error: Error & { cause?: unknown }) => {
	console.error(`bench: ${error.stack ?? error.message}${error.cause ? `\ncaused by: ${String((error.cause as Error).stack ?? error.cause)}` : ''}`);
	process.exit(1);
});
