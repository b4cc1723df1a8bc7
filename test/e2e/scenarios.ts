/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * End-to-end checks that more than one suite runs: the 2.x suites (n8n.e2e, trigger.e2e) and the
 * 1.x compatibility suite (compat.e2e) call the same ones, each against its own n8n.
 */
import { readFileSync } from 'fs';

import { majorOf } from '../../scripts/n8n';
import { frontDeskScript } from '../../emulator/model/frontDesk';
import { ModelServer } from '../../emulator/model/server';
import {
	DEMO_WEBHOOK_HEADER,
	FRONT_DESK_MCP_TOKEN,
	MCP_CREDENTIAL_NAME,
	MODEL_CREDENTIAL_NAME,
	emulatorCredential,
	exampleFiles,
	groupCredential,
	loadWorkflow,
	modelCredential,
	sampleRequests,
	webhookPaths,
	type Stack,
} from '../../scripts/stack';
import type { StoredWhitelisting } from '../../emulator/store';
import { planItem } from '../support/sync';
import { DEMO_INVENTORY } from '../../emulator/venue';
import { approvalLinks, approvedSyncWorkflowId, runEachBranch } from '../../scripts/approval';
import { executionCount, subscribe, triggeredItems, triggerWorkflows, VENUE_GROUP, type E2eContext } from './drive';

/** The approved sync example's plan with its inventory cut short to one device, and the valve's reason for holding it. */
const HELD_REASON = 'Sync would revoke 3 of the 4 active entries in the Scope (75 %), more than Max Destructive Share allows (50 %); nothing was changed';
const HELD_SUMMARY =
	'Whitelisting Sync: 0 to create, 0 to update (0 destructively), 3 to revoke, 1 unchanged, 0 conflicts: revoke 00:1B:63:84:46:02 "Printer floor 2"; revoke 00:1B:63:84:46:03 "Kiosk lobby"; revoke 00:1B:63:84:46:04 "Signage bar"';

export type Scenario = (context: E2eContext) => Promise<void>;

/** One test per scenario of `table`, each run in the suite's `context`. */
export function scenarioTests(table: Record<string, Scenario>, context: E2eContext): void {
	for (const [name, run] of Object.entries(table)) it(name, async () => await run(context));
}

const POLICY = '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7';
const state = (stack: Stack) => stack.emulator.store.state;

/**
 * What n8n shows when the credential's test request fails: on 2.x the message of the test's rule
 * for that status; n8n 1.x never applies those rules to a failing status (its credential tester
 * reads the status from the error's `cause`, which n8n-workflow 1.x's NodeApiError leaves
 * empty), so it shows its own message for the status.
 */
const failedTestMessage = (stack: Stack, rule: string, n8n1: string) => (majorOf(stack.n8n.version) >= 2 ? rule : n8n1);

/** The Sign-In Context API credential's test, run by n8n. */
export const credentialTests: Record<string, Scenario> = {
	'succeeds with the right token': async ({ stack, credentialId }) => {
		expect(await stack.client.testCredential(credentialId)).toEqual({ status: 'OK', message: 'Connection successful!' });
	},

	'fails for a wrong token, saying what to do (n8n 1.x: its own 401 message)': async ({ stack }) => {
		const id = await stack.client.createCredential('wrong token', emulatorCredential(stack.emulator, { apiToken: 'not-the-token' }));
		expect(await stack.client.testCredential(id)).toEqual({
			status: 'Error',
			message: failedTestMessage(
				stack,
				'The API token was refused (401). Check the API Token; if it was rotated, copy the new one from the Sign-In Context admin: Administration > Configuration > Common Settings.',
				'Authorization failed - please check your credentials',
			),
		});
	},

	'fails for a caller that is not on the IP allow-list, saying what to do (n8n 1.x: its own 403 message)': async ({ stack, credentialId }) => {
		stack.emulator.options.allowIps = ['203.0.113.7'];
		try {
			expect(await stack.client.testCredential(credentialId)).toEqual({
				status: 'Error',
				message: failedTestMessage(
					stack,
					"Access denied (403). Either this n8n server's public IP address is not on the Organization's Administrator portal IP whitelist, or the Organization ID or Context ID is wrong (copy both from the dashboard instructions on the Organization's admin home page).",
					'Forbidden - perhaps check your credentials?',
				),
			});
		} finally {
			stack.emulator.options.allowIps = [];
		}
	},
};

/** The Sign-In Organization API credential's test of the hotel group's three Contexts, run by n8n. */
export const organizationCredentialTests: Record<string, Scenario> = {
	'succeeds when every Context answers to its own key': async ({ stack, groupCredentialId }) => {
		expect(await stack.client.testCredential(groupCredentialId)).toEqual({
			status: 'OK',
			message: 'All 3 Contexts answered: "Hotel Stockholm", "Hotel Oslo" and "Hotel Bergen".',
		});
	},

	'fails for a wrong key, naming its Context and saying what to do': async ({ stack }) => {
		const data = groupCredential(stack.emulator) as { contexts: Record<string, { name: string; apiToken: string }> };
		expect(data.contexts.context2.name).toBe('Hotel Oslo');
		data.contexts.context2.apiToken = 'not-the-oslo-key';
		const id = await stack.client.createCredential('wrong Oslo key', data, 'signInOrganizationApi');
		expect(await stack.client.testCredential(id)).toEqual({
			status: 'Error',
			message:
				'1 of 3 Contexts failed. Hotel Oslo: The API token was refused (401). Check the API Key; if it was rotated, copy the new one from the Sign-In Context admin: Administration > Configuration > Common Settings.',
		});
	},
};

/** Every operation of the Sign-In node inside n8n, against the emulator. */
export const operationRuns: Record<string, Scenario> = {
	'User: create with a generated password, update, delete': async ({ stack, operationWorkflow }) => {
		const create = await operationWorkflow({ resource: 'user', operation: 'create', username: '={{ $json.username }}', passwordMode: 'generate', passwordLength: 12 });
		const created = await create.run([{ username: 'e2e-guest-1' }, { username: 'e2e-guest-2' }]);
		expect(created.status).toBe(200);
		const outputs = created.body as Array<{ username: string; password: string; passwordGenerated: boolean }>;
		expect(outputs.map((item) => item.username)).toEqual(['e2e-guest-1', 'e2e-guest-2']);
		expect(state(stack).users['e2e-guest-1'].password).toBe(outputs[0].password);
		expect(outputs[0].password).toHaveLength(12);

		const update = await operationWorkflow({ resource: 'user', operation: 'update', username: '={{ $json.username }}', passwordMode: 'define', password: '={{ $json.password }}' });
		expect((await update.run([{ username: 'e2e-guest-1', password: 'Rotated-Pass-1' }])).body).toEqual([
			{ username: 'e2e-guest-1', passwordGenerated: false },
		]);
		expect(state(stack).users['e2e-guest-1'].password).toBe('Rotated-Pass-1');

		const remove = await operationWorkflow({ resource: 'user', operation: 'delete', username: '={{ $json.username }}' });
		expect((await remove.run([{ username: 'e2e-guest-1' }, { username: 'e2e-guest-2' }])).body).toEqual([
			{ username: 'e2e-guest-1', deleted: true },
			{ username: 'e2e-guest-2', deleted: true },
		]);
		expect(Object.keys(state(stack).users).filter((name) => name.startsWith('e2e-guest'))).toEqual([]);
	},

	'User: create or update creates a new account and replaces the password of an existing one': async ({ stack, operationWorkflow }) => {
		const create = await operationWorkflow({ resource: 'user', operation: 'create', username: '={{ $json.username }}', passwordMode: 'define', password: 'Older-Pass-1' });
		await create.run([{ username: 'e2e-upsert-old' }]);
		const upsert = await operationWorkflow({ resource: 'user', operation: 'upsert', username: '={{ $json.username }}', passwordMode: 'define', password: '={{ $json.password }}' });
		expect((await upsert.run([{ username: 'e2e-upsert-new', password: 'Fresh-Pass-1' }, { username: 'e2e-upsert-old', password: 'Fresh-Pass-2' }])).body).toEqual([
			{ username: 'e2e-upsert-new', passwordGenerated: false, created: true },
			{ username: 'e2e-upsert-old', passwordGenerated: false, created: false },
		]);
		expect(state(stack).users['e2e-upsert-new'].password).toBe('Fresh-Pass-1');
		expect(state(stack).users['e2e-upsert-old'].password).toBe('Fresh-Pass-2');
	},

	'Access Policy: add and remove e-mails': async ({ stack, operationWorkflow }) => {
		const add = await operationWorkflow({ resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: '={{ $json.emails }}' });
		const added = await add.run([{ emails: 'dana@example.org, *@guests.example.org' }]);
		expect(added.body).toMatchObject([{ acceptedEmails: ['dana@example.org', '*@guests.example.org'], addedEmails: null, warnings: [] }]);
		expect(state(stack).policies[POLICY].emails).toEqual(expect.arrayContaining(['dana@example.org', '*@guests.example.org']));

		const remove = await operationWorkflow({ resource: 'accessPolicy', operation: 'removeEmails', policyId: POLICY, emails: '={{ $json.emails }}', revokeUserEngagement: true });
		const removed = await remove.run([{ emails: ['dana@example.org'] }]);
		expect(removed.body).toMatchObject([{ removedEmails: [{ email: 'dana@example.org' }], notInPolicy: [] }]);
		expect(state(stack).policies[POLICY].emails).not.toContain('dana@example.org');
	},

	'Whitelisting: create, update, create many, revoke many, get many': async ({ stack, operationWorkflow }) => {
		const create = await operationWorkflow({ resource: 'whitelisting', operation: 'create', mac: '={{ $json.mac }}', name: '={{ $json.name }}', additionalFields: { tags: 'printer' } });
		const [entry] = (await create.run([{ mac: 'aa-bb-cc-e2-e2-01', name: 'E2E printer' }])).body as Array<{ id: string; mac: string }>;
		expect(entry.mac).toBe('AA:BB:CC:E2:E2:01');
		expect(state(stack).whitelistings.find((stored) => stored.id === entry.id)).toMatchObject({ mac: 'AA:BB:CC:E2:E2:01', name: 'E2E printer', tags: [{ value: 'printer' }] });

		const update = await operationWorkflow({ resource: 'whitelisting', operation: 'update', id: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, mac: '={{ $json.mac }}', name: 'E2E printer moved', additionalFields: { toDate: '2099-01-31' } });
		await update.run([entry]);
		expect(state(stack).whitelistings.find((stored) => stored.id === entry.id)).toMatchObject({ name: 'E2E printer moved', toDate: '2099-01-31', tags: [] });

		const createMany = await operationWorkflow({ resource: 'whitelisting', operation: 'createMany', mac: '={{ $json.mac }}', name: '={{ $json.name }}', options: { batchSize: 2 } });
		const many = (await createMany.run([
			{ mac: 'AA:BB:CC:E2:E2:10', name: 'Kiosk one' },
			{ mac: 'AA:BB:CC:E2:E2:11', name: 'Kiosk two' },
			{ mac: 'AA:BB:CC:E2:E2:01', name: 'Printer again' },
		])).body as Array<{ status: string }>;
		expect(many.map((item) => item.status)).toEqual(['created', 'created', 'existing']);

		const list = await operationWorkflow({ resource: 'whitelisting', operation: 'getAll', returnAll: true, filters: { name: 'kiosk one' } });
		expect(((await list.run([{}])).body as Array<{ mac: string }>).map((item) => item.mac)).toEqual(['AA:BB:CC:E2:E2:10']);

		const revoke = await operationWorkflow({ resource: 'whitelisting', operation: 'revokeMany', macs: '={{ $json.mac }}' });
		const revoked = (await revoke.run([{ mac: 'AA:BB:CC:E2:E2:10' }, { mac: 'aabbcce2e211' }])).body as Array<{ status: string }>;
		expect(revoked.map((item) => item.status)).toEqual(['revoked', 'revoked']);
		expect(stack.emulator.activeWhitelistings().map((stored) => stored.mac)).not.toEqual(expect.arrayContaining(['AA:BB:CC:E2:E2:10']));
		expect(stack.emulator.activeWhitelistings().some((stored) => stored.mac === 'AA:BB:CC:E2:E2:11')).toBe(false);
	},
};

/** The fields of a Whitelisting Sync owning the entries tagged e2e-sync, unless `extra` says otherwise. */
const syncFields = (mode: string, extra: Record<string, unknown> = {}) => ({
	resource: 'whitelisting',
	operation: 'sync',
	scope: 'tag',
	scopeTag: 'e2e-sync',
	mode,
	mac: '={{ $json.mac }}',
	name: '={{ $json.name }}',
	...extra,
});

operationRuns['Whitelisting: sync previews, applies, and applied again changes nothing'] = async ({ stack, operationWorkflow }) => {
	const create = await operationWorkflow({ resource: 'whitelisting', operation: 'create', mac: '={{ $json.mac }}', name: '={{ $json.name }}', additionalFields: { tags: 'e2e-sync' } });
	await create.run([{ mac: 'AA:BB:CC:E3:E3:01', name: 'Sync kept' }, { mac: 'AA:BB:CC:E3:E3:03', name: 'Sync retired' }]);
	const desired = [{ mac: 'aa-bb-cc-e3-e3-01', name: 'Sync kept' }, { mac: 'AA:BB:CC:E3:E3:02', name: 'Sync new' }];
	const synced = () => stack.emulator.activeWhitelistings().filter((entry) => entry.mac.startsWith('AA:BB:CC:E3:E3')).map((entry) => entry.mac).sort();

	const preview = await operationWorkflow(syncFields('preview'));
	expect(((await preview.run(desired)).body as Array<{ status: string }>).map((item) => item.status)).toEqual(['unchanged', 'create', 'revoke', 'plan']);
	expect(synced()).toEqual(['AA:BB:CC:E3:E3:01', 'AA:BB:CC:E3:E3:03']);

	const apply = await operationWorkflow(syncFields('apply'));
	const applied = (await apply.run(desired)).body as Array<{ status: string; mac: string }>;
	expect(applied.map((item) => [item.status, item.mac])).toEqual([
		['unchanged', 'AA:BB:CC:E3:E3:01'],
		['created', 'AA:BB:CC:E3:E3:02'],
		['revoked', 'AA:BB:CC:E3:E3:03'],
	]);
	expect(synced()).toEqual(['AA:BB:CC:E3:E3:01', 'AA:BB:CC:E3:E3:02']);
	expect(stack.emulator.activeWhitelistings().find((entry) => entry.mac === 'AA:BB:CC:E3:E3:02')?.tags).toEqual([{ value: 'e2e-sync' }]);

	const before = stack.emulator.requests.length;
	expect(((await apply.run(desired)).body as Array<{ status: string }>).map((item) => item.status)).toEqual(['unchanged', 'unchanged']);
	expect(stack.emulator.requests.slice(before).map((request) => `${request.method} ${request.path.split('/modules')[1]}`)).toEqual(['GET /whitelistings/active']);
};

operationRuns['Whitelisting: sync adopts an entry made by hand, a Preview says a field-clearing input would be held, and All Active Entries revokes what no item names'] = async ({
	stack,
	operationWorkflow,
}) => {
	// All Active Entries owns the whole whitelist, so the entries of the other scenarios are set aside for this one and put back
	// after it (a new list, so that the emulator rebuilds its indexes).
	const others = state(stack).whitelistings;
	const handMade = (n: number, fields: Partial<StoredWhitelisting>): StoredWhitelisting => ({
		id: `e4e4e4e4-0000-4000-8000-00000000000${n}`,
		mac: `AA:BB:CC:E4:E4:0${n}`,
		name: `Hand device ${n}`,
		description: null,
		toDate: null,
		tags: [],
		createdBy: 'admin',
		...fields,
	});
	const byMac = () => new Map(stack.emulator.activeWhitelistings().map((entry) => [entry.mac, entry]));
	try {
		state(stack).whitelistings = [
			handMade(1, { description: 'Made by hand' }),
			handMade(2, {}),
			handMade(3, { tags: [{ value: 'e2e-adopt' }], toDate: '2099-12-31', createdBy: null }),
		];
		const additionalFields = { description: '={{ $json.description }}', tags: '={{ $json.tags }}', toDate: '={{ $json.toDate }}' };
		const kept = [
			{ mac: 'AA:BB:CC:E4:E4:02', name: 'Hand device 2', tags: ['e2e-adopt'] },
			{ mac: 'AA:BB:CC:E4:E4:03', name: 'Hand device 3', tags: ['e2e-adopt'], toDate: '2099-12-31' },
		];

		// Entries With Tag e2e-adopt and Adopt Out-of-Scope Entries: the untagged device 2 is taken over and given the tag.
		const adopt = await operationWorkflow(syncFields('apply', { scopeTag: 'e2e-adopt', additionalFields, options: { adoptOutOfScope: true } }));
		const adopted = (await adopt.run(kept)).body as Array<{ status: string; mac: string; destructive?: boolean }>;
		expect(adopted.map((item) => [item.status, item.mac, item.destructive ?? null])).toEqual([
			['adopted', 'AA:BB:CC:E4:E4:02', false],
			['unchanged', 'AA:BB:CC:E4:E4:03', null],
		]);
		expect(byMac().get('AA:BB:CC:E4:E4:02')).toEqual(handMade(2, { description: '', tags: [{ value: 'e2e-adopt' }] }));
		expect(byMac().get('AA:BB:CC:E4:E4:01')).toEqual(handMade(1, { description: 'Made by hand' }));

		// An export whose Description, Tags and Valid Until came through empty: Preview says Apply would be held, and changes nothing.
		const before = structuredClone(state(stack).whitelistings);
		const all = (mode: string) => operationWorkflow(syncFields(mode, { scope: 'all', scopeTag: '', additionalFields }));
		const cleared = [1, 2, 3].map((n) => ({ mac: `AA:BB:CC:E4:E4:0${n}`, name: `Hand device ${n}` }));
		const previewed = (await (await all('preview')).run(cleared)).body as Array<Record<string, unknown>>;
		expect(previewed.map((item) => [item.status, item.destructive ?? null])).toEqual([
			['update', true],
			['update', true],
			['update', true],
			['plan', null],
		]);
		expect(previewed[3]).toEqual(
			planItem({
				updates: 3,
				destructiveUpdates: 3,
				inScope: 3,
				destructiveShare: 100,
				applyAllowed: false,
				reason:
					'Sync would destructively update 3 of the 3 active entries in the Scope (100 %), more than Max Destructive Share allows (50 %); nothing was changed',
			}),
		);
		expect(state(stack).whitelistings).toEqual(before);

		// All Active Entries in Apply: the hand-made device 1, which no item names, is revoked; the valve counts 1 of the 3 entries.
		const applied = (await (await all('apply')).run(kept)).body as Array<{ status: string; mac: string }>;
		expect(applied.map((item) => [item.status, item.mac])).toEqual([
			['unchanged', 'AA:BB:CC:E4:E4:02'],
			['unchanged', 'AA:BB:CC:E4:E4:03'],
			['revoked', 'AA:BB:CC:E4:E4:01'],
		]);
		expect([...byMac().keys()].sort()).toEqual(['AA:BB:CC:E4:E4:02', 'AA:BB:CC:E4:E4:03']);
	} finally {
		state(stack).whitelistings = others;
	}
};

operationRuns['Access Policy: sync e-mails adds, removes what no item names, and run again removes nothing'] = async ({ stack, operationWorkflow }) => {
	const CONTRACTORS = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
	const add = await operationWorkflow({ resource: 'accessPolicy', operation: 'addEmails', policyId: CONTRACTORS, emails: '={{ $json.emails }}' });
	await add.run([{ emails: 'old@contractor.example.com, keep@contractor.example.com' }]);
	const sync = await operationWorkflow({ resource: 'accessPolicy', operation: 'syncEmails', mode: 'apply', policyId: CONTRACTORS, emails: '={{ $json.emails }}' });
	const desired = [{ emails: 'keep@contractor.example.com' }, { emails: 'new@contractor.example.com' }];
	const synced = (await sync.run(desired)).body as Array<{ status: string; email?: string }>;
	expect(synced.map((item) => [item.status, item.email])).toEqual([
		['alreadyPresent', undefined],
		['accepted', undefined],
		['removed', 'old@contractor.example.com'],
	]);
	expect(state(stack).policies[CONTRACTORS].emails).toEqual(['*@*.contractor.example.com', 'keep@contractor.example.com', 'new@contractor.example.com']);

	const before = stack.emulator.requests.length;
	expect(((await sync.run(desired)).body as Array<{ status: string }>).map((item) => item.status)).toEqual(['alreadyPresent', 'alreadyPresent']);
	expect(stack.emulator.requests.slice(before).map((request) => request.method)).toEqual(['POST']);
};

operationRuns['Destructive options: Delete if not found, Revoke Many unchecked, Remove without revoking sign-ins, Sync by Created By, Sync E-Mails by domain and with wildcards'] = async ({ stack, operationWorkflow }) => {
	const sent = (since: number) => stack.emulator.requests.slice(since).map((request) => [request.method, request.body]);

	const remove = await operationWorkflow({ resource: 'user', operation: 'delete', username: '={{ $json.username }}', options: { succeedIfNotFound: true } });
	expect((await remove.run([{ username: 'e2e-never-existed' }])).body).toEqual([{ username: 'e2e-never-existed', deleted: false, notFound: true }]);

	const createMany = await operationWorkflow({
		resource: 'whitelisting',
		operation: 'createMany',
		mac: '={{ $json.mac }}',
		name: '={{ $json.name }}',
		additionalFields: { createdBy: '={{ $json.createdBy }}' },
	});
	await createMany.run([
		{ mac: 'AA:BB:CC:E2:E3:01', name: 'Unchecked one', createdBy: 'e2e-other' },
		{ mac: 'AA:BB:CC:E2:E3:10', name: 'Kiosk ten', createdBy: 'e2e-created-by' },
		{ mac: 'AA:BB:CC:E2:E3:11', name: 'Kiosk eleven', createdBy: 'e2e-created-by' },
		{ mac: 'AA:BB:CC:E2:E3:12', name: 'Kiosk twelve', createdBy: 'e2e-other' },
	]);
	const active = (mac: string) => stack.emulator.activeWhitelistings().find((stored) => stored.mac === mac);

	const unchecked = await operationWorkflow({ resource: 'whitelisting', operation: 'revokeMany', macs: '={{ $json.mac }}', options: { checkWhitelistFirst: false } });
	let since = stack.emulator.requests.length;
	expect((await unchecked.run([{ mac: 'aa-bb-cc-e2-e3-01' }])).body).toMatchObject([
		{ macs: ['AA:BB:CC:E2:E3:01'], status: 'requested', revokedMacs: null, notWhitelistedMacs: null, batch: { nrOfWhitelistingsInRevokeRequest: 1 } },
	]);
	expect(sent(since)).toEqual([['POST', { macs: [{ mac: 'AA:BB:CC:E2:E3:01' }] }]]);
	expect(active('AA:BB:CC:E2:E3:01')).toBeUndefined();

	const byCreator = await operationWorkflow(syncFields('apply', { scope: 'createdBy', scopeTag: '', scopeCreatedBy: 'e2e-created-by' }));
	const synced = (await byCreator.run([{ mac: 'AA:BB:CC:E2:E3:10', name: 'Lobby kiosk' }])).body as Array<{ status: string; mac: string }>;
	expect(synced.map((item) => [item.status, item.mac])).toEqual([
		['updated', 'AA:BB:CC:E2:E3:10'],
		['revoked', 'AA:BB:CC:E2:E3:11'],
	]);
	expect(active('AA:BB:CC:E2:E3:10')).toMatchObject({ name: 'Lobby kiosk', createdBy: 'e2e-created-by' });
	expect(active('AA:BB:CC:E2:E3:11')).toBeUndefined();
	expect(active('AA:BB:CC:E2:E3:12')).toMatchObject({ name: 'Kiosk twelve' });

	const add = await operationWorkflow({ resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: '={{ $json.emails }}' });
	await add.run([{ emails: 'a@team.example.net, b@eu.team.example.net, c@other.example.net, keep-session@example.net, *@*.wild.example.net' }]);

	const keepSessions = await operationWorkflow({ resource: 'accessPolicy', operation: 'removeEmails', policyId: POLICY, emails: '={{ $json.emails }}', revokeUserEngagement: false });
	since = stack.emulator.requests.length;
	expect((await keepSessions.run([{ emails: 'keep-session@example.net' }])).body).toMatchObject([{ removedEmails: [{ email: 'keep-session@example.net' }], notInPolicy: [] }]);
	expect(sent(since)).toEqual([['DELETE', { emails: ['keep-session@example.net'], revokeUserEngagement: false }]]);

	const byDomain = await operationWorkflow({
		resource: 'accessPolicy',
		operation: 'syncEmails',
		mode: 'apply',
		policyId: POLICY,
		emails: '={{ $json.emails }}',
		scope: 'domain',
		scopeDomain: 'team.example.net',
		revokeUserEngagement: false,
		options: { maxShare: 100 },
	});
	const domainRun = (await byDomain.run([{ emails: 'a@team.example.net' }])).body as Array<{ status: string; email?: string; policyEmailsAfter?: string }>;
	expect(domainRun.map((item) => [item.status, item.email, item.policyEmailsAfter])).toEqual([
		['alreadyPresent', undefined, 'removes'],
		['removed', 'b@eu.team.example.net', undefined],
	]);
	expect(state(stack).policies[POLICY].emails).toEqual(expect.arrayContaining(['a@team.example.net', 'c@other.example.net', '*@*.wild.example.net']));
	expect(state(stack).policies[POLICY].emails).not.toContain('b@eu.team.example.net');

	const withWildcards = await operationWorkflow({ resource: 'accessPolicy', operation: 'syncEmails', mode: 'apply', policyId: POLICY, emails: '={{ $json.emails }}', scope: 'all' });
	const desired = state(stack).policies[POLICY].emails.filter((email) => email !== '*@*.wild.example.net');
	const wildRun = (await withWildcards.run(desired.map((emails) => ({ emails })))).body as Array<{ status: string; email?: string }>;
	expect(wildRun.filter((item) => item.email !== undefined).map((item) => [item.status, item.email])).toEqual([['removed', '*@*.wild.example.net']]);
	expect(state(stack).policies[POLICY].emails).toEqual(desired);
};

/** A failing item with and without Continue On Fail. */
export const failureRuns: Record<string, Scenario> = {
	'with Continue On Fail, a failing item becomes an error item and the others succeed': async ({ stack, operationWorkflow }) => {
		const create = await operationWorkflow(
			{ resource: 'user', operation: 'create', username: '={{ $json.username }}', passwordMode: 'define', password: 'Pass-1234' },
			{ continueOnFail: true },
		);
		await create.run([{ username: 'cof-existing' }]);
		const answer = await create.run([{ username: 'cof-new-1' }, { username: 'cof-existing' }, { username: 'cof-new-2' }]);
		expect(answer.body).toEqual([
			{ username: 'cof-new-1', passwordGenerated: false },
			{
				error: 'The Sign-In API rejected the request: username cof-existing already exists',
				description: expect.stringMatching(/^Correct the value it names and run again\. Code: USERNAME_ALREADY_EXISTS\. Request ID: [0-9a-f-]{36} \(quote it if you contact Netgraph support\)\.$/),
			},
			{ username: 'cof-new-2', passwordGenerated: false },
		]);
		// The two new accounts are created side by side at Concurrency Auto: which lands first is not kept.
		expect(Object.keys(state(stack).users).filter((name) => name.startsWith('cof-')).sort()).toEqual(['cof-existing', 'cof-new-1', 'cof-new-2']);
	},

	'without it, the execution fails with the node message': async ({ stack, operationWorkflow }) => {
		const create = await operationWorkflow({ resource: 'user', operation: 'create', username: '={{ $json.username }}', passwordMode: 'define', password: 'Pass-1234' });
		const answer = await create.run([{ username: 'cof-existing' }]);
		expect(answer.status).toBe(500);
		const [execution] = await stack.client.executions(create.id);
		expect(execution.status).toBe('error');
		const error = (execution.data as { resultData: { error: { message: string } } }).resultData.error;
		expect(error.message).toBe('The Sign-In API rejected the request: username cof-existing already exists');
	},
};

/** The trigger's credential test and an Instant delivery from the emulator. */
export const triggerRuns: Record<string, Scenario> = {
	'reports the credential test result through n8n': async ({ stack, webhookCredentialId }) => {
		expect(await stack.client.testCredential(webhookCredentialId)).toEqual({
			status: 'OK',
			message: 'Header ready. Add the header X-Webhook-Secret with this value to the webhook in the Sign-In Context admin.',
		});
	},

	'starts one execution per Instant delivery, holding exactly the event, and answers 200 at once': async ({ stack, triggerWorkflow }) => {
		const workflow = await triggerWorkflow({ events: ['signin.session.denied', 'signin.session.requested'] });
		subscribe(stack, workflow.url, { type: 'instant' });
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
		expect(await triggeredItems(stack, workflow.id, 2)).toEqual([[deliveries[0].body], [deliveries[2].body]]);
		expect(await executionCount(stack, workflow.id)).toBe(2);
	},
};

/** Headers carrying the secret of one of the venue group's further Contexts. */
const OSLO = { [VENUE_GROUP.headerName]: VENUE_GROUP.contexts.context1.secret };
const BERGEN = { [VENUE_GROUP.headerName]: VENUE_GROUP.contexts.context2.secret };

/** POSTs a JSON body to a trigger's URL, as a Context's webhook with the given headers would. */
async function postJson(url: string, body: unknown, headers: Record<string, string>): Promise<number> {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
	await response.text();
	return response.status;
}

/** One trigger for a venue group: one credential holding several Contexts' secrets. */
export const contextRuns: Record<string, Scenario> = {
	"serves two Contexts' webhooks from one trigger: each event says its Context, redeliveries are dropped per Context": async ({ stack }) => {
		const groupId = await stack.client.createCredential('Sign-In Webhook group', VENUE_GROUP, 'signInWebhookApi');
		expect(await stack.client.testCredential(groupId)).toEqual({
			status: 'OK',
			message:
				"Header ready for 3 Contexts (Hotel Stockholm, Hotel Oslo, Hotel Bergen). Add the header X-Webhook-Secret to the webhook in each Context's admin, with that Context's own secret as its value.",
		});
		const workflow = await triggerWorkflows(stack, groupId)({});
		const oslo = subscribe(stack, workflow.url, { contextId: 'hotel-oslo', headers: OSLO });
		const bergen = subscribe(stack, workflow.url, { contextId: 'hotel-bergen', headers: BERGEN, type: 'batch' });
		const stranger = subscribe(stack, workflow.url, { contextId: 'hotel-nowhere', headers: { [VENUE_GROUP.headerName]: `${VENUE_GROUP.secret}-nowhere` } });
		const ours = [oslo.id, bergen.id, stranger.id];
		// A suite that does not reset the emulator between tests still has earlier tests' subscriptions: only these three count here.
		const deliveries = (await stack.emulator.webhooks.simulate([{ event: 'signin.session.denied', id: 'g-1', timestamp: '2026-12-04T07:00:00Z' }])).filter((delivery) =>
			ours.includes(delivery.subscriptionId),
		);
		expect(deliveries.map((delivery) => delivery.attempts[0].status).sort()).toEqual([200, 200, 401]);

		const event = { id: 'g-1', event: 'signin.session.denied', timestamp: '2026-12-04T07:00:00Z', organizationId: 'demo-org', data: {} };
		const runs = await triggeredItems(stack, workflow.id, 2);
		expect(runs.flat().sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
			{ ...event, contextId: 'hotel-bergen', signInContext: 'Hotel Bergen' },
			{ ...event, contextId: 'hotel-oslo', signInContext: 'Hotel Oslo' },
		]);

		const osloDelivery = deliveries.find((delivery) => delivery.subscriptionId === oslo.id)!;
		const again = (await stack.emulator.webhooks.redeliver(osloDelivery.id))!;
		expect([again.attempts[1].status, JSON.parse(again.attempts[1].response)]).toEqual([200, { received: 1, started: 0, redelivered: 1, filteredOut: 0 }]);
		expect(await executionCount(stack, workflow.id)).toBe(2);
		expect(await postJson(workflow.url, { ...event, id: 'g-2' }, { [VENUE_GROUP.headerName]: VENUE_GROUP.secret })).toBe(200);
		expect((await triggeredItems(stack, workflow.id, 3))[2]).toEqual([{ ...event, id: 'g-2', signInContext: 'Hotel Stockholm' }]);
	},

	"keeps each further Context's secret when the editor deletes another Context from the credential (named slots)": async ({ stack }) => {
		const groupId = await stack.client.createCredential('Sign-In Webhook group to edit', VENUE_GROUP, 'signInWebhookApi');
		const workflow = await triggerWorkflows(stack, groupId)({});
		// What the editor does: load the credential with its secrets blanked, remove Context 1, save the rest as shown.
		const shown = await stack.client.rest<{ name: string; type: string; data: typeof VENUE_GROUP }>('GET', `/credentials/${groupId}?includeData=true`);
		expect(JSON.stringify(shown.data)).not.toContain(VENUE_GROUP.secret);
		const kept: Partial<typeof VENUE_GROUP.contexts> = { ...shown.data.contexts };
		delete kept.context1;
		await stack.client.rest('PATCH', `/credentials/${groupId}`, { name: shown.name, type: shown.type, data: { ...shown.data, contexts: kept } });

		const body = { event: 'signin.session.denied', id: 'e-1' };
		expect(await postJson(workflow.url, body, OSLO)).toBe(401);
		expect(await postJson(workflow.url, body, BERGEN)).toBe(200);
		expect(await triggeredItems(stack, workflow.id, 1)).toEqual([[{ ...body, signInContext: 'Hotel Bergen' }]]);
		expect(await stack.client.testCredential(groupId)).toEqual({
			status: 'OK',
			message:
				"Header ready for 2 Contexts (Hotel Stockholm, Hotel Bergen). Add the header X-Webhook-Secret to the webhook in each Context's admin, with that Context's own secret as its value.",
		});
	},
};

/** Batch deliveries and deliveries with a wrong or missing header. */
export const deliveryRuns: Record<string, Scenario> = {
	'starts one execution per Batch delivery with one item per event, in delivery order': async ({ stack, triggerWorkflow }) => {
		const workflow = await triggerWorkflow({ events: ['signin.dhcp.granted'], otherEvents: 'signin.dhcp.expired' });
		subscribe(stack, workflow.url, { type: 'batch', envelope: 'events' });
		subscribe(stack, workflow.url, { type: 'batch', envelope: 'array' });
		const events = [
			{ event: 'signin.dhcp.granted', id: 'b-1', data: { ip: '10.0.0.1' } },
			{ event: 'signin.session.created', id: 'b-2' },
			{ payload: { event: 'signin.dhcp.expired', eventId: 'b-3', lease: { ip: '10.0.0.1' } } },
			{ event: 'signin.dhcp.granted', id: 'b-4', data: { ip: '10.0.0.2' } },
		];
		const deliveries = await stack.emulator.webhooks.simulate(events);
		const wrapped = deliveries.find((delivery) => !Array.isArray(delivery.body))!;
		const expected = (wrapped.body as { events: unknown[] }).events.filter((_, i) => i !== 1);
		const [first] = await triggeredItems(stack, workflow.id, 1);
		expect(first).toEqual(expected);
		// Both subscriptions carried the same four events, one wrapped and one as an array: whichever came second was all redeliveries.
		expect(deliveries.map((delivery) => JSON.parse(delivery.attempts[0].response))).toEqual(
			expect.arrayContaining([
				{ received: 4, started: 3, redelivered: 0, filteredOut: 1 },
				{ received: 4, started: 0, redelivered: 3, filteredOut: 1 },
			]),
		);
		expect(await executionCount(stack, workflow.id)).toBe(1);
	},

	'answers 401 and starts nothing for a missing or wrong header; the platform keeps retrying': async ({ stack, triggerWorkflow }) => {
		const workflow = await triggerWorkflow({});
		subscribe(stack, workflow.url, { headers: { [DEMO_WEBHOOK_HEADER.headerName]: 'emulator-webhook-secret-wrong' } });
		subscribe(stack, workflow.url, { headers: {} });
		const deliveries = await stack.emulator.webhooks.simulate(['signin.session.denied']);
		for (let waited = 0; deliveries.some((delivery) => delivery.state !== 'failed') && waited < 30_000; waited += 100) {
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		for (const delivery of deliveries) {
			expect(delivery.attempts.map((attempt) => attempt.status)).toEqual([401, 401, 401, 401, 401, 401]);
			expect(JSON.parse(delivery.attempts[0].response)).toEqual({ message: 'Missing or wrong webhook authentication header; nothing was started.' });
		}
		expect(await executionCount(stack, workflow.id)).toBe(0);
	},
};

/**
 * After the hotel group example (examples/group-device-sync.json, Scope: tag inventory-sync) ran
 * once on the seeded group (emulator/hotel-group.json): each property's whitelist is its own
 * inventory, the entries made by hand stay, and every request carried the key of the Context it
 * was for.
 */
function expectGroupSynced(stack: Stack, answer: unknown): void {
	const whitelist = (id: string) => stack.emulator.activeWhitelistings(id).map((entry) => [entry.mac, entry.name, entry.tags.map((tag) => tag.value)]);
	const synced = ['inventory-sync'];
	expect(whitelist('hotel-stockholm')).toEqual([
		['AA:10:00:00:00:01', 'Lobby printer', synced],
		['AA:10:00:00:00:03', 'Spa kiosk', synced],
		['AA:10:00:00:00:99', 'Front desk PC', []],
		['AA:10:00:00:00:04', 'Signage floor 2', synced],
	]);
	expect(whitelist('hotel-oslo')).toEqual([
		['AA:20:00:00:00:01', 'Bar tablet terrace', synced],
		['AA:20:00:00:00:02', 'Conference screen', synced],
		['AA:20:00:00:00:99', 'Manager laptop', []],
		['AA:20:00:00:00:03', 'Breakfast kiosk', synced],
	]);
	expect(whitelist('hotel-bergen')).toEqual([
		['AA:30:00:00:00:01', 'Reception tablet', synced],
		['AA:30:00:00:00:02', 'Gym screen', synced],
	]);
	expect(answer).toEqual([
		{ signInContext: 'Hotel Stockholm', status: 'unchanged', count_status: 2 },
		{ signInContext: 'Hotel Stockholm', status: 'created', count_status: 1 },
		{ signInContext: 'Hotel Stockholm', status: 'revoked', count_status: 1 },
		{ signInContext: 'Hotel Oslo', status: 'updated', count_status: 1 },
		{ signInContext: 'Hotel Oslo', status: 'unchanged', count_status: 1 },
		{ signInContext: 'Hotel Oslo', status: 'created', count_status: 1 },
		{ signInContext: 'Hotel Bergen', status: 'created', count_status: 2 },
	]);
	const groupRequests = stack.emulator.requests.filter((request) => request.context !== stack.emulator.options.contextId);
	expect(groupRequests.length).toBeGreaterThanOrEqual(6);
	for (const request of groupRequests) expect([request.path, request.keyOf]).toEqual([request.path, request.context]);
	expect(stack.emulator.crossContextKeys).toEqual([]);
}

/** The hotel group example, run once more on the state its first run left. */
const GROUP_AGAIN = 'the hotel group example run again changes nothing: one read per property, each with its own key';
const groupExampleAgain: Scenario = async ({ stack }) => {
	const before = stack.emulator.requests.length;
	const answer = await stack.client.webhook('group-device-sync', sampleRequests()['group-device-sync']);
	expect(answer.status).toBe(200);
	expect(answer.body).toEqual([
		{ signInContext: 'Hotel Stockholm', status: 'unchanged', count_status: 3 },
		{ signInContext: 'Hotel Oslo', status: 'unchanged', count_status: 3 },
		{ signInContext: 'Hotel Bergen', status: 'unchanged', count_status: 2 },
	]);
	// The Contexts run side by side, so their reads arrive in any order.
	const requests = stack.emulator.requests.slice(before);
	expect(requests.map(({ method, path, status, keyOf }) => [method, path, status, keyOf]).sort()).toEqual(
		['hotel-bergen', 'hotel-oslo', 'hotel-stockholm'].map((id) => ['GET', `${stack.emulator.context(id).path}/modules/whitelistings/active`, 200, id]).sort(),
	);
	expect(stack.emulator.crossContextKeys).toEqual([]);
};

/**
 * The hotel group example alone (examples/group-device-sync.json), as stored: each item names its
 * property's Context by an expression (`{{ $json.property }}`, a name or a Context ID).
 */
export const groupExampleRuns: Record<string, Scenario> = {
	"makes each property's whitelist its inventory, every item in the Context its expression names": async ({ stack, groupCredentialId }) => {
		await stack.client.createWorkflow(loadWorkflow('group-device-sync.json', { signInOrganizationApi: groupCredentialId }), true);
		const answer = await stack.client.webhook('group-device-sync', sampleRequests()['group-device-sync']);
		expect(answer.status).toBe(200);
		expectGroupSynced(stack, answer.body);
	},

	[GROUP_AGAIN]: groupExampleAgain,
};

/** The front desk assistant's public Chat Trigger (examples/front-desk-assistant.json). */
const FRONT_DESK_CHAT = '7d1e0f00-0000-4000-8000-0000000000c1/chat';

/** The example workflows, imported as stored and run with their sample requests; the hotel one once more. */
export const exampleRuns: Record<string, Scenario> = {
	'each runs to success and leaves the expected state': async ({ stack, credentialId, groupCredentialId, webhookCredentialId }) => {
		const samples = sampleRequests();
		const ids: string[] = [];
		/** Each webhook call starts one execution (the MCP example is called by the MCP tests instead). */
		let calls = 0;
		const answers: Record<string, unknown> = {};
		// The front desk assistant's chat model talks to the local model server, scripted like `npm start`'s.
		const model = new ModelServer({ script: frontDeskScript });
		await model.start();
		try {
			const openAiApi = await stack.client.createCredential(MODEL_CREDENTIAL_NAME, modelCredential(model.url), 'openAiApi');
			const httpBearerAuth = await stack.client.createCredential(MCP_CREDENTIAL_NAME, { token: FRONT_DESK_MCP_TOKEN }, 'httpBearerAuth');
			for (const file of exampleFiles()) {
				const workflow = loadWorkflow(file, { signInContextApi: credentialId, signInOrganizationApi: groupCredentialId, signInWebhookApi: webhookCredentialId, openAiApi, httpBearerAuth }, stack.emulator.url);
				ids.push(await stack.client.createWorkflow(workflow, true));
				for (const path of webhookPaths(workflow)) {
					calls++;
					const answer = await stack.client.webhook(path, samples[path]);
					expect([file, path, answer.status]).toEqual([file, path, 200]);
					answers[path] = answer.body;
				}
			}
		} finally {
			await model.stop();
		}
		const guest = state(stack).users['room-214'];
		expect(guest.password).toHaveLength(10);
		expect(answers[FRONT_DESK_CHAT]).toEqual({
			output: `The Wi-Fi account for room 214 is ready. Please hand the guest: username room-214, password ${guest.password}.`,
		});
		expect(model.chatRequests().map((request) => (request.tools ?? []).map((tool) => tool.function.name).sort())).toEqual([
			['Allow_Contractor_Email', 'Create_Guest_Account', 'Revoke_Device', 'Whitelist_Device'],
			['Allow_Contractor_Email', 'Create_Guest_Account', 'Revoke_Device', 'Whitelist_Device'],
		]);
		expect(state(stack).users['R-20261123-0042']).toBeUndefined();
		expect(state(stack).policies['6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'].emails).toEqual(['alice@acme.com', 'dave@example.org', '*@speakers.example.net']);
		// Device inventory (Sync, Scope: tag inventory-sync): the seeded E6 updated in place, E7 and E8 created with the tag, D1 (tagged, not in the inventory) revoked.
		const whitelist = new Map(stack.emulator.activeWhitelistings().map((entry) => [entry.mac, entry]));
		expect(whitelist.get('00:1B:63:84:45:E6')).toEqual({
			id: '3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d',
			mac: '00:1B:63:84:45:E6',
			name: 'Lobby printer',
			description: '',
			toDate: null,
			tags: [{ value: 'printer' }, { value: 'lobby' }, { value: 'inventory-sync' }],
			createdBy: 'inventory-sync',
		});
		expect(whitelist.get('00:1B:63:84:45:E7')).toMatchObject({ name: 'Kiosk Reception', tags: [{ value: 'kiosk' }, { value: 'inventory-sync' }] });
		expect(whitelist.get('00:1B:63:84:45:E8')).toMatchObject({ name: 'Signage floor 3', tags: [{ value: 'signage' }, { value: 'floor-3' }, { value: 'inventory-sync' }] });
		expect(whitelist.has('00:1B:63:84:45:D1')).toBe(false);
		expect([...(answers['device-inventory-sync'] as Array<{ status: string }>)].sort((x, y) => x.status.localeCompare(y.status))).toEqual([
			{ status: 'created', count_status: 2 },
			{ status: 'revoked', count_status: 1 },
			{ status: 'updated', count_status: 1 },
		]);
		expectGroupSynced(stack, answers['group-device-sync']);
		// In queue mode a worker may store the last execution a moment after the webhook answered.
		let runs: Array<Record<string, unknown>> = [];
		for (let waited = 0; waited <= 15_000; waited += 500) {
			runs = (await Promise.all(ids.map((id) => stack.client.executions(id)))).flat();
			if (runs.length >= calls && runs.every((execution) => execution.status !== 'running' && execution.status !== 'new')) break;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		expect(runs.map((execution) => execution.status)).toEqual(Array.from({ length: calls }, () => 'success'));
	},

	[GROUP_AGAIN]: groupExampleAgain,

	'the approved sync example: within the valve it applies at once; held for approval, a rejection changes nothing, a plan gone stale is refused, an approval applies above the valve': async ({ stack }) => {
		const workflowId = await approvedSyncWorkflowId(stack.client);
		const macs = DEMO_INVENTORY.map((device) => device.mac);
		const requestsBefore = stack.emulator.requests.length;
		const [within, rejected, stale, approved] = await runEachBranch(stack, workflowId, DEMO_INVENTORY.map((device) => ({ ...device, tags: [...device.tags] })));
		expect(within).toMatchObject({ run: { status: 'success' }, after: macs });
		expect(within.run.message).toBeUndefined();

		const held = 'Nightly whitelist sync held by its safety valve: ';
		expect(rejected).toMatchObject({ run: { status: 'success' }, before: macs, after: macs });
		const [reason, summary] = rejected.run.message!.split('\n');
		expect(reason).toBe(`${held}${HELD_REASON}`);
		expect(summary).toBe(HELD_SUMMARY);
		const links = approvalLinks(rejected.run.message!);
		expect(links.approve).toMatch(new RegExp(`/webhook-waiting/${rejected.run.executionId}[?&].*decision=approve$`));
		expect(links.reject).toBe(links.approve.replace(/approve$/, 'reject'));

		// Held again; 46:04 revoked by hand before the approval: the approved plan is stale, and Apply sends no change.
		expect(stale.run.status).toBe('error');
		expect(stale.run.error).toMatch(/^Sync did not apply: its plan now has planId [0-9a-f]{64}, not the approved [0-9a-f]{64}; nothing was changed\. /);
		expect(stale).toMatchObject({ before: macs, after: macs.slice(0, 3) });

		expect(approved).toMatchObject({ run: { status: 'success' }, before: macs.slice(0, 3), after: macs.slice(0, 1) });
		expect(approved.run.message!.split('\n')[1]).toBe(
			'Whitelisting Sync: 0 to create, 0 to update (0 destructively), 2 to revoke, 1 unchanged, 0 conflicts: revoke 00:1B:63:84:46:02 "Printer floor 2"; revoke 00:1B:63:84:46:03 "Kiosk lobby"',
		);
		// The only changes the emulator received: the first run's creates, the hand revoke and the approved revoke.
		const changes = stack.emulator.requests
			.slice(requestsBefore)
			.filter((request) => request.method !== 'GET')
			.map((request) => [request.method, request.path.replace(stack.emulator.contextPath, ''), request.body]);
		expect(changes.filter(([, path]) => path !== '/modules/whitelistings/batch/add')).toEqual([
			['POST', '/modules/whitelistings/batch/remove', { macs: [{ mac: macs[3] }] }],
			['POST', '/modules/whitelistings/batch/remove', { macs: [{ mac: macs[1] }, { mac: macs[2] }] }],
		]);
	},

	'the hotel example hands the guest the password the account was created with': async ({ stack }) => {
		const answer = await stack.client.webhook('hotel-check-in', { reservationId: 'R-E2E-7', guestName: 'Bo' });
		const card = answer.body as { username: string; password: string; message: string };
		expect(state(stack).users['R-E2E-7'].password).toBe(card.password);
		expect(card.message).toBe(`Welcome, Bo! Wi-Fi: sign in as R-E2E-7 with password ${card.password}.`);
	},
};

/** After a suite's runs: the emulator's API token is nowhere in n8n's execution data or log. */
export const secretRuns: Record<string, Scenario> = {
	'the API token appears nowhere in execution data or any n8n process log': async ({ stack }) => {
		const { token } = stack.emulator.options;
		const workflows = (await stack.client.api<{ data: Array<{ id: string }> }>('GET', '/workflows?limit=250')).data;
		let executions = 0;
		for (const workflow of workflows) {
			const data = await stack.client.executions(workflow.id);
			executions += data.length;
			expect(JSON.stringify(data)).not.toContain(token);
		}
		expect(executions).toBeGreaterThan(10);
		for (const n8n of stack.processes()) expect([n8n.logFile, readFileSync(n8n.logFile, 'utf8').includes(token)]).toEqual([n8n.logFile, false]);
	},
};
