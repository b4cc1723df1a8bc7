/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev code, never published: n8n Cloud's sandbox rules are for the package */
/**
 * Upgrade cases: workflows as release 0.1.0 saved them (its example workflows and one saved node
 * for each operation and option it had, every node `typeVersion: 1`), each with the webhook body
 * it is called with and the emulator state it starts from. `runUpgradeCases` runs them in an n8n
 * and records what reached the Sign-In API and what the nodes gave, normalised so that two runs
 * (and two releases) can be compared. `npm run upgrade:baseline` records 0.1.0 itself
 * (scripts/upgradeBaseline.ts); test/e2e/upgrade.e2e.test.ts compares today's package with it.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import type { Session, State, StoredWhitelisting } from '../emulator/store';
import type { EmulatorOptions } from '../emulator/server';
import { ROOT } from './n8n';
import { NODE_TYPE, adaptWorkflow, itemsWorkflow, type Stack, type Workflow } from './stack';

/** The commit of release 0.1.0 (its node and credential are unchanged through 370107b, whose examples are 0.1.0's). */
export const RELEASE_0_1_0 = 'bca0ff3';
export const FIXTURE_FILE = join(ROOT, 'test', 'e2e', 'fixtures', 'upgrade-0.1.0.json');
/** The example workflows of 0.1.0 and their sample webhook bodies, as 370107b holds them (`git show 370107b:examples/<file>`). */
export const EXAMPLES_0_1_0_DIR = join(ROOT, 'test', 'e2e', 'fixtures', 'examples-0.1.0');

/** A planned emulator fault (POST /__emulator/faults). */
export interface PlannedFault {
	fault: string;
	phase: 'before' | 'after';
	pathSuffix?: string;
	method?: string;
}

export interface UpgradeCase {
	/** What the case covers, in a few words; also its key in the fixture. */
	name: string;
	workflow: Workflow;
	/** The webhook called and its body. */
	call: { path: string; body: unknown };
	/** The emulator state the case starts from (after a reset). */
	state: Partial<State>;
	/** Faults the emulator answers with, in order. */
	faults?: PlannedFault[];
	/** Emulator settings for this case only (restored afterwards). */
	emulator?: Pick<EmulatorOptions, 'refuseValues' | 'pageSize'>;
	/**
	 * Generated passwords: the node's Password Length. Every password the API receives that the
	 * case does not name is checked to have this length (and, when the API took it, to be stored).
	 */
	generatedPasswordLength?: number;
}

/** A request as the Sign-In API received it: never its headers (the token is in them). */
export interface ApiRequest {
	method: string;
	/** The path below the Sign-In Context (`/v1/org/<org>/contexts/sign-in/<context>` left out). */
	path: string;
	body: unknown;
}

export interface CaseRecord {
	requests: ApiRequest[];
	/** The items each node of the workflow gave (its first run, first output), by node name; triggers left out. */
	output: Record<string, unknown[]>;
	/** When the execution failed: the node that failed and n8n's error message. */
	error?: { node: string; message: string };
}

export interface UpgradeFixture {
	header: { recordedFrom: string; n8nVersion: string; command: string; note: string };
	cases: Record<string, CaseRecord>;
}

// ---- The emulator states the cases start from

const ATTENDEES = '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const STAFF = '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7';
const PRINTER: StoredWhitelisting = {
	id: '3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d',
	mac: '00:1B:63:84:45:E6',
	name: 'Printer lobby',
	description: null,
	toDate: null,
	tags: [{ value: 'printer' }, { value: 'inventory-sync' }],
	createdBy: 'inventory-sync',
};
const KIOSK: StoredWhitelisting = {
	id: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
	mac: '00:1B:63:84:45:D1',
	name: 'Old kiosk',
	description: 'Retired in the last inventory',
	toDate: '2031-12-31',
	tags: [{ value: 'kiosk' }],
	createdBy: 'inventory-sync',
};
const SIGNAGE: StoredWhitelisting = {
	id: '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e',
	mac: '00:1B:63:84:45:F0',
	name: 'Signage bar',
	description: 'Bar, wall left',
	toDate: null,
	tags: [{ value: 'signage' }, { value: 'floor-3' }],
	createdBy: null,
};
const WHITELIST = [PRINTER, KIOSK, SIGNAGE];
const SESSIONS: Session[] = [
	{ mac: KIOSK.mac, module: 'whitelisting' },
	{ email: 'carol@example.org', module: 'conferences' },
	{ email: 'bob@partner.example.com', module: 'selfProvisioning' },
];
const user = (password: string) => ({ password, createdAt: '2026-11-01T08:00:00.000Z', updatedAt: '2026-11-01T08:00:00.000Z' });
const policies = (attendees: string[] = ['alice@acme.com']) => ({
	[STAFF]: { name: 'Staff', emails: ['*@acme.com', 'bob@partner.example.com'] },
	[ATTENDEES]: { name: 'Conference attendees', emails: attendees },
});

// ---- The workflows

const CREDENTIALS = { signInContextApi: { id: 'sign-in-context-api', name: 'Sign-In Context API' } };
let paths = 0;

/** One 0.1.0 Sign-In node, saved with `parameters` (what the user set), behind a webhook giving one item per entry of body.items. */
function savedNode(name: string, parameters: Record<string, unknown>, items: unknown[], options: { continueOnFail?: boolean; state?: Partial<State> } & Omit<UpgradeCase, 'name' | 'workflow' | 'call' | 'state'> = {}): UpgradeCase {
	const path = `upgrade-${++paths}`;
	const { continueOnFail, state, ...rest } = options;
	return {
		name,
		workflow: itemsWorkflow(`0.1.0 ${name}`, path, {
			name: 'Sign-In',
			type: NODE_TYPE,
			typeVersion: 1,
			parameters,
			credentials: CREDENTIALS,
			...(continueOnFail ? { onError: 'continueRegularOutput' } : {}),
		}),
		call: { path, body: { items } },
		state: state ?? { users: {}, policies: policies(), whitelistings: WHITELIST, sessions: SESSIONS },
		...rest,
	};
}

function example0_1_0(file: string): Workflow {
	return JSON.parse(readFileSync(join(EXAMPLES_0_1_0_DIR, file), 'utf8')) as Workflow;
}

const SAMPLES = JSON.parse(readFileSync(join(EXAMPLES_0_1_0_DIR, 'sample-requests.json'), 'utf8')) as Record<string, unknown>;

/** An example of 0.1.0, called at one of its webhooks with its sample body; webhook paths get a prefix so that each case has its own. */
function exampleCase(name: string, file: string, webhookPath: string, state: Partial<State>, body: unknown = SAMPLES[webhookPath]): UpgradeCase {
	const prefix = `upgrade-${++paths}`;
	const workflow = example0_1_0(file);
	return {
		name,
		workflow: {
			...workflow,
			name: `0.1.0 ${name}`,
			nodes: workflow.nodes.map((node) =>
				node.type === 'n8n-nodes-base.webhook'
					? { ...node, webhookId: `${prefix}-${String(node.webhookId)}`, parameters: { ...(node.parameters as object), path: `${prefix}-${(node.parameters as { path: string }).path}` } }
					: node,
			),
		},
		call: { path: `${prefix}-${webhookPath}`, body },
		state,
		generatedPasswordLength: file === 'hotel-guest-wifi.json' ? 10 : undefined,
	};
}

const user1 = { resource: 'user', operation: 'create' };
const RESERVATION = 'R-20261123-0042';
const GUEST_PASSWORD = 'Guest-Wifi-2026';
const NEW_ID = '7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7f';

export const UPGRADE_CASES: UpgradeCase[] = [
	exampleCase('example hotel guest Wi-Fi: check-in', 'hotel-guest-wifi.json', 'hotel-check-in', { users: {} }),
	exampleCase('example hotel guest Wi-Fi: check-out', 'hotel-guest-wifi.json', 'hotel-check-out', { users: { [RESERVATION]: user('Checked-In-1') } }),
	exampleCase('example hotel guest Wi-Fi: check-out of a reservation without account', 'hotel-guest-wifi.json', 'hotel-check-out', { users: {} }),
	exampleCase('example attendee access policy sync', 'attendee-access-policy-sync.json', 'attendee-sync', { policies: policies(), sessions: SESSIONS }),
	exampleCase('example device inventory whitelist sync', 'device-inventory-whitelist-sync.json', 'device-inventory-sync', { whitelistings: [PRINTER, KIOSK], sessions: SESSIONS }),

	savedNode(
		'User Create: generated password with length and symbols, two items',
		{ ...user1, username: '={{ $json.username }}', passwordLength: 24, includeSymbols: true },
		[{ username: 'guest-101' }, { username: 'guest-102' }],
		{ generatedPasswordLength: 24 },
	),
	savedNode('User Create: defined password', { ...user1, username: 'guest-201', passwordMode: 'define', password: GUEST_PASSWORD }, [{}]),
	savedNode('User Create: existing account fails the run', { ...user1, username: '={{ $json.username }}', passwordMode: 'define', password: GUEST_PASSWORD }, [{ username: 'staff-anna' }, { username: 'guest-301' }], {
		state: { users: { 'staff-anna': user('Staff-Anna-1') } },
	}),
	savedNode('User Create: existing account under Continue On Fail', { ...user1, username: '={{ $json.username }}', passwordMode: 'define', password: GUEST_PASSWORD }, [{ username: 'staff-anna' }, { username: 'guest-401' }], {
		continueOnFail: true,
		state: { users: { 'staff-anna': user('Staff-Anna-1') } },
	}),
	savedNode('User Create: the API answers 503 once', { ...user1, username: 'guest-501', passwordMode: 'define', password: GUEST_PASSWORD }, [{}], {
		faults: [{ fault: '503', phase: 'before', pathSuffix: '/modules/up/create' }],
	}),
	savedNode('User Update: generated password (default length)', { resource: 'user', operation: 'update', username: 'staff-anna' }, [{}], {
		state: { users: { 'staff-anna': user('Staff-Anna-1') } },
		generatedPasswordLength: 16,
	}),
	savedNode('User Update: defined password', { resource: 'user', operation: 'update', username: '={{ $json.username }}', passwordMode: 'define', password: GUEST_PASSWORD }, [{ username: 'staff-anna' }], {
		state: { users: { 'staff-anna': user('Staff-Anna-1') } },
	}),
	savedNode('User Update: missing account fails the run', { resource: 'user', operation: 'update', username: 'nobody', passwordMode: 'define', password: GUEST_PASSWORD }, [{}], { state: { users: {} } }),
	savedNode('User Delete: existing account', { resource: 'user', operation: 'delete', username: '={{ $json.username }}' }, [{ username: 'staff-anna' }], {
		state: { users: { 'staff-anna': user('Staff-Anna-1') } },
	}),
	savedNode('User Delete: missing account fails the run', { resource: 'user', operation: 'delete', username: 'nobody' }, [{}], { state: { users: {} } }),
	savedNode('User Delete: missing account with Succeed If Not Found', { resource: 'user', operation: 'delete', username: 'nobody', options: { succeedIfNotFound: true } }, [{}], { state: { users: {} } }),
	savedNode('User Delete: Succeed If Not Found and a bare 404, under Continue On Fail', { resource: 'user', operation: 'delete', username: 'nobody', options: { succeedIfNotFound: true } }, [{}], {
		continueOnFail: true,
		state: { users: {} },
		faults: [{ fault: '404', phase: 'before', pathSuffix: '/modules/up/delete' }],
	}),

	savedNode(
		'Access Policy Add Emails: two items for one policy',
		{ resource: 'accessPolicy', operation: 'addEmails', policyId: ATTENDEES, emails: '={{ $json.emails }}' },
		[{ emails: ['dave@example.com', 'alice@acme.com'] }, { emails: 'erin@example.com, *@speakers.example.net' }],
	),
	savedNode(
		'Access Policy Add Emails: 101 items for one policy',
		{ resource: 'accessPolicy', operation: 'addEmails', policyId: ATTENDEES, emails: '={{ $json.email }}' },
		Array.from({ length: 101 }, (_unused, index) => ({ email: `guest${index + 1}@example.com` })),
	),
	savedNode(
		'Access Policy Add Emails: an invalid e-mail under Continue On Fail',
		{ resource: 'accessPolicy', operation: 'addEmails', policyId: '={{ $json.policyId }}', emails: '={{ $json.emails }}' },
		[{ policyId: ATTENDEES, emails: 'not-an-email' }, { policyId: STAFF, emails: 'frank@example.com' }],
		{ continueOnFail: true },
	),
	savedNode(
		'Access Policy Remove Emails: two items for one policy, revoking sign-ins',
		{ resource: 'accessPolicy', operation: 'removeEmails', policyId: ATTENDEES, emails: '={{ $json.emails }}' },
		[{ emails: 'carol@example.org' }, { emails: ['alice@acme.com', 'nobody@example.com'] }],
		{ state: { policies: policies(['alice@acme.com', 'carol@example.org', 'dave@example.com']), sessions: SESSIONS } },
	),
	savedNode(
		'Access Policy Remove Emails: two items for one policy, keeping sign-ins',
		{ resource: 'accessPolicy', operation: 'removeEmails', policyId: STAFF, emails: '={{ $json.emails }}', revokeUserEngagement: false },
		[{ emails: 'bob@partner.example.com' }, { emails: '*@acme.com' }],
	),

	savedNode(
		'Whitelisting Create: every additional field',
		{
			resource: 'whitelisting',
			operation: 'create',
			mac: 'aa-bb-cc-00-00-01',
			name: 'Reception printer',
			additionalFields: { createdBy: 'hr-sync', description: 'Lobby floor, left side', tags: 'printer, floor-3', toDate: '2031-06-30T00:00:00', id: NEW_ID },
		},
		[{}],
	),
	savedNode('Whitelisting Create: generated ID', { resource: 'whitelisting', operation: 'create', mac: '={{ $json.mac }}', name: '={{ $json.name }}' }, [{ mac: 'aabbcc000002', name: 'Kiosk entrance' }]),
	savedNode('Whitelisting Create: a whitelisted MAC fails the run', { resource: 'whitelisting', operation: 'create', mac: PRINTER.mac, name: 'Printer again' }, [{}]),
	savedNode(
		'Whitelisting Update: every additional field, ID as a plain string',
		{ resource: 'whitelisting', operation: 'update', id: SIGNAGE.id, mac: SIGNAGE.mac, name: 'Signage bar left', additionalFields: { description: 'Moved to the left wall', tags: ['signage', 'bar'], toDate: '2031-01-15T00:00:00' } },
		[{}],
	),
	savedNode(
		'Whitelisting Update: ID as an expression, no additional fields',
		{ resource: 'whitelisting', operation: 'update', id: '={{ $json.id }}', mac: '={{ $json.mac }}', name: '={{ $json.name }}' },
		[{ id: PRINTER.id, mac: PRINTER.mac, name: 'Printer lobby' }],
	),
	savedNode(
		'Whitelisting Create Many: batch size 2, three items, generated tags, one whitelisted MAC',
		{
			resource: 'whitelisting',
			operation: 'createMany',
			mac: '={{ $json.mac }}',
			name: '={{ $json.name }}',
			additionalFields: { tags: '={{ $json.tags }}', createdBy: 'inventory-sync', description: 'From the inventory' },
			options: { batchSize: 2, autoGenerateTags: true, autoGenerateDateTag: true },
		},
		[
			{ mac: '00:1b:63:84:46:01', name: 'Printer floor 1', tags: ['printer'] },
			{ mac: PRINTER.mac, name: 'Printer lobby', tags: [] },
			{ mac: '00-1B-63-84-46-03', name: 'Kiosk lobby', tags: 'kiosk, lobby' },
		],
	),
	savedNode(
		'Whitelisting Create Many: a refused batch under Continue On Fail',
		{ resource: 'whitelisting', operation: 'createMany', mac: '={{ $json.mac }}', name: '={{ $json.name }}', additionalFields: { id: '={{ $json.id }}' }, options: { batchSize: 2 } },
		[
			{ mac: '00:1B:63:84:47:01', name: 'Phone one', id: 'a0000000-0000-4000-8000-000000000001' },
			{ mac: '00:1B:63:84:47:02', name: 'Phone two', id: 'a0000000-0000-4000-8000-000000000002' },
			{ mac: '00:1B:63:84:47:03', name: 'Phone three', id: 'a0000000-0000-4000-8000-000000000003' },
		],
		{ continueOnFail: true, emulator: { refuseValues: ['00:1B:63:84:47:02'] } },
	),
	savedNode(
		'Whitelisting Revoke Many: batch size 2, three items, a MAC not whitelisted',
		{ resource: 'whitelisting', operation: 'revokeMany', macs: '={{ $json.macs }}', options: { batchSize: 2 } },
		[{ macs: [KIOSK.mac] }, { macs: 'aa:bb:cc:dd:ee:99' }, { macs: [PRINTER.mac] }],
	),
	savedNode(
		'Whitelisting Revoke Many: one MAC named by two items in two batches',
		{ resource: 'whitelisting', operation: 'revokeMany', macs: '={{ $json.macs }}', options: { batchSize: 1 } },
		[{ macs: KIOSK.mac }, { macs: KIOSK.mac }],
	),
	savedNode('Whitelisting Get Many: Return All', { resource: 'whitelisting', operation: 'getAll', returnAll: true }, [{}]),
	savedNode('Whitelisting Get Many: Limit', { resource: 'whitelisting', operation: 'getAll', limit: 2 }, [{}]),
	savedNode('Whitelisting Get Many: MAC filter', { resource: 'whitelisting', operation: 'getAll', returnAll: true, filters: { mac: '001b.6384.45d1' } }, [{}]),
	savedNode('Whitelisting Get Many: Name Contains filter', { resource: 'whitelisting', operation: 'getAll', filters: { name: 'PRINTER' } }, [{}]),
	savedNode('Whitelisting Get Many: Return All from a list answered in pages of 2', { resource: 'whitelisting', operation: 'getAll', returnAll: true }, [{}], { emulator: { pageSize: 2 } }),
	savedNode('Whitelisting Get Many: Limit 0 by expression', { resource: 'whitelisting', operation: 'getAll', limit: '={{ $json.limit }}' }, [{ limit: 0 }]),
	savedNode('Whitelisting Get Many: Tag filter', { resource: 'whitelisting', operation: 'getAll', returnAll: true, filters: { tag: 'Floor-3' } }, [{}]),
];

// ---- Running them

async function emulatorControl(stack: Stack, route: string, body: unknown): Promise<void> {
	const response = await fetch(`${stack.emulator.url}/__emulator/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	if (!response.ok) throw new Error(`emulator ${route} answered ${response.status}: ${await response.text()}`);
}

/** The workflow's one execution once n8n has finished and stored it. */
async function finishedExecution(stack: Stack, workflowId: string): Promise<Record<string, unknown>> {
	for (let waited = 0; ; waited += 250) {
		const [execution] = await stack.client.executions(workflowId);
		if (execution && execution.stoppedAt) return execution;
		if (waited > 30_000) throw new Error(`workflow ${workflowId} has no finished execution after 30 s`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

type RunData = Record<string, Array<{ data?: { main?: Array<Array<{ json: unknown }> | null> } }>>;

/** Runs one case in the stack's n8n and records it, not yet normalised. */
async function runCase(stack: Stack, credentialId: string, upgradeCase: UpgradeCase): Promise<CaseRecord> {
	const id = await stack.client.createWorkflow(adaptWorkflow(upgradeCase.workflow, { signInContextApi: credentialId }) as unknown as Record<string, unknown>, true);
	await emulatorControl(stack, 'reset', { state: upgradeCase.state });
	if (upgradeCase.faults) await emulatorControl(stack, 'faults', { faults: upgradeCase.faults });
	const before = { ...stack.emulator.options };
	Object.assign(stack.emulator.options, upgradeCase.emulator ?? {});
	try {
		await stack.client.webhook(upgradeCase.call.path, upgradeCase.call.body);
	} finally {
		Object.assign(stack.emulator.options, before);
	}
	const execution = await finishedExecution(stack, id);
	const result = (execution.data as { resultData: { runData: RunData; error?: { message: string }; lastNodeExecuted?: string } }).resultData;
	const triggers = new Set(upgradeCase.workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.webhook').map((node) => node.name as string));
	const output: Record<string, unknown[]> = {};
	for (const [node, runs] of Object.entries(result.runData)) {
		const items = runs[0]?.data?.main?.[0];
		if (!triggers.has(node) && items) output[node] = items.map((item) => item.json);
	}
	const contextPath = stack.emulator.contextPath;
	const record: CaseRecord = {
		requests: stack.emulator.requests.map((request) => ({
			method: request.method,
			path: request.path.startsWith(contextPath) ? request.path.slice(contextPath.length) : request.path,
			body: request.body ?? null,
		})),
		output,
	};
	if (result.error) record.error = { node: result.lastNodeExecuted ?? '', message: result.error.message };
	return record;
}

/** UUIDs the case itself names (kept as they are); any other is one the node or the emulator made up. */
function namedUuids(upgradeCase: UpgradeCase): Set<string> {
	const text = JSON.stringify([upgradeCase.workflow.nodes.map((node) => node.parameters), upgradeCase.call.body, upgradeCase.state]).toLowerCase();
	return new Set(text.match(UUID) ?? []);
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * Replaces what differs between runs: generated passwords (by their length, and whether it is the
 * length the case asks for and the emulator stored the one it took), UUIDs the case does not name
 * (`<generated id N>` in order of appearance) and today's date.
 */
function normalise(stack: Stack, upgradeCase: UpgradeCase, record: CaseRecord): CaseRecord {
	const named = new Set<string>();
	collectPasswords(upgradeCase.workflow.nodes.map((node) => node.parameters), named);
	const generated = new Map<string, string>();
	for (const request of record.requests) {
		const body = request.body as { username?: string; password?: unknown } | null;
		if (!/^\/modules\/up\/(create|update)$/.test(request.path) || typeof body?.password !== 'string' || named.has(body.password)) continue;
		// A wrong length or a password the API took but did not store shows in the placeholder, so that only this case differs.
		const length = body.password.length;
		const stored = Object.values(stack.emulator.store.state.users).some((account) => account.password === body.password);
		const taken = stack.emulator.requests.some((request) => request.status < 300 && (request.body as { password?: string } | null)?.password === body.password);
		const problems = [
			...(length === upgradeCase.generatedPasswordLength ? [] : [`not the ${String(upgradeCase.generatedPasswordLength)} asked for`]),
			...(taken && !stored ? ['taken by the API but not stored'] : []),
		];
		generated.set(body.password, `<generated password, length ${[length, ...problems].join(', ')}>`);
	}
	const keep = namedUuids(upgradeCase);
	const ids = new Map<string, string>();
	const today = stack.emulator.today();
	const text = (value: string): string => {
		let result = value;
		for (const [password, placeholder] of generated) result = result.split(password).join(placeholder);
		result = result.replace(UUID, (uuid) => {
			const key = uuid.toLowerCase();
			if (keep.has(key)) return uuid;
			if (!ids.has(key)) ids.set(key, `<generated id ${ids.size + 1}>`);
			return ids.get(key)!;
		});
		return result.split(today).join('<today>');
	};
	return mapStrings(record, text) as CaseRecord;
}

function collectPasswords(value: unknown, into: Set<string>): void {
	if (Array.isArray(value)) for (const entry of value) collectPasswords(entry, into);
	else if (value && typeof value === 'object') {
		for (const [key, entry] of Object.entries(value)) {
			if (key === 'password' && typeof entry === 'string') into.add(entry);
			else collectPasswords(entry, into);
		}
	}
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
	if (typeof value === 'string') return map(value);
	if (Array.isArray(value)) return value.map((entry) => mapStrings(entry, map));
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, entry]) => [map(key), mapStrings(entry, map)]));
	return value;
}

/** Runs every upgrade case in the stack's n8n, one after another, and returns their normalised records by case name. */
export async function runUpgradeCases(stack: Stack, credentialId: string, cases: UpgradeCase[] = UPGRADE_CASES): Promise<Record<string, CaseRecord>> {
	const records: Record<string, CaseRecord> = {};
	for (const upgradeCase of cases) records[upgradeCase.name] = normalise(stack, upgradeCase, await runCase(stack, credentialId, upgradeCase));
	return records;
}

/** JSON with every object's keys sorted, so that a re-recording only shows what changed. */
export function stableJson(value: unknown): string {
	const sorted = (entry: unknown): unknown => {
		if (Array.isArray(entry)) return entry.map(sorted);
		if (entry && typeof entry === 'object') return Object.fromEntries(Object.keys(entry).sort().map((key) => [key, sorted((entry as Record<string, unknown>)[key])]));
		return entry;
	};
	return `${JSON.stringify(sorted(value), null, '\t')}\n`;
}

export function readFixture(): UpgradeFixture {
	return JSON.parse(readFileSync(FIXTURE_FILE, 'utf8')) as UpgradeFixture;
}
