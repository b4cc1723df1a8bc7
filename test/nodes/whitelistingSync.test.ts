import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { SignInEmulator } from '../../emulator/server';
import { expectCall, expectWire, plain, runNode } from '../support/harness';
import { planItem, syncMac, syncParameters, taggedEntry } from '../support/sync';

const TOKEN = 'sync-test-token';
const id = (n: number) => `b0000000-0000-4000-8000-00000000000${n}`;
const mac = syncMac;
const stored = taggedEntry;
const parameters = syncParameters;

/** An update's body as sent: the entry's whole state, with its cleared fields as '' and null. */
const putBody = (n: number, name: string, tags: Array<{ value: string }>) => ({ id: id(n), mac: mac(n), name, description: '', toDate: null, tags });
/** A rename's output item. */
const renamed = (n: number, name: string, tags: Array<{ value: string }>, status: string) => ({
	...putBody(n, name, tags),
	status,
	changes: { name: { from: `Device ${n}`, to: name } },
	destructive: false,
	destructiveChanges: [],
});

describe('Whitelisting > Sync', () => {
	// 1 unchanged, 2 renamed, 3 in scope and not desired, 4 outside the scope and desired, 5 outside and not desired.
	const active = [stored(1), stored(2), stored(3), stored(4, { tags: [] }), stored(5, { tags: [{ value: 'manual' }] })];
	const items = [
		{ mac: mac(1), name: 'Device 1' },
		{ mac: mac(2), name: 'Renamed 2' },
		{ mac: mac(6), name: 'Device 6' },
		{ mac: mac(4), name: 'Device 4' },
		{ mac: 'aa-bb-cc-00-00-01', name: 'Duplicate' },
	];

	it('Preview sends only the read and outputs the plan: one item per input item, one per revoke, and the counts with the valve\'s verdict', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, active);
		const result = await runNode({ parameters: parameters({ mode: 'preview' }), items });
		expect(calls).toHaveLength(1);
		expectWire(calls[0], 'GET', '/modules/whitelistings/active');
		expect(plain(result.output)).toEqual([
			{ json: { ...stored(1), status: 'unchanged' }, pairedItem: { item: 0 } },
			{ json: renamed(2, 'Renamed 2', [{ value: 'n8n-sync' }], 'update'), pairedItem: { item: 1 } },
			{ json: { mac: mac(6), name: 'Device 6', tags: [{ value: 'n8n-sync' }], status: 'create' }, pairedItem: { item: 2 } },
			{
				json: {
					mac: mac(4),
					name: 'Device 4',
					tags: [],
					status: 'conflict',
					entry: stored(4, { tags: [] }),
					reason:
						'This MAC address is whitelisted by an entry outside the Scope, which Sync left as it was. Turn on Adopt Out-of-Scope Entries to take such entries over.',
				},
				pairedItem: { item: 3 },
			},
			{
				json: { mac: mac(1), name: 'Duplicate', tags: [], status: 'skipped', reason: 'Same MAC address as item 0, which is synced instead.' },
				pairedItem: { item: 4 },
			},
			{ json: { id: id(3), mac: mac(3), name: 'Device 3', status: 'revoke' }, pairedItem: { item: 0 } },
			{
				json: planItem({ creates: 1, updates: 1, unchanged: 1, conflicts: 1, skipped: 1, revokes: 1, inScope: 3, destructiveShare: 33.3 }),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('Apply reads once, creates in a batch with the scope tag, updates by id, revokes in a batch', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, active);
		expectCall('POST', '/modules/whitelistings/batch/add', 200, {
			createdWhitelistingMacs: [mac(6)],
			existingWhitelistingMacs: [],
			faultyRequests: [],
			updatedLogins: 0,
		}, {}, calls);
		expectCall('PUT', '/modules/whitelistings', 200, '', {}, calls);
		expectCall('POST', '/modules/whitelistings/batch/remove', 200, {
			nrOfWhitelistingsInRevokeRequest: 1,
			nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0,
		}, {}, calls);
		const result = await runNode({ parameters: parameters(), items });
		expect(calls.map((call) => `${call.method} ${call.path.split('/modules')[1]}`)).toEqual([
			'GET /whitelistings/active',
			'POST /whitelistings/batch/add',
			'PUT /whitelistings',
			'POST /whitelistings/batch/remove',
		]);
		const createdId = (calls[1].body as { whitelistings: Array<{ id: string }> }).whitelistings[0].id;
		expectWire(calls[1], 'POST', '/modules/whitelistings/batch/add', {
			whitelistings: [{ id: createdId, mac: mac(6), name: 'Device 6', tags: [{ value: 'n8n-sync' }] }],
		});
		expectWire(calls[2], 'PUT', '/modules/whitelistings', putBody(2, 'Renamed 2', [{ value: 'n8n-sync' }]));
		expectWire(calls[3], 'POST', '/modules/whitelistings/batch/remove', { macs: [{ mac: mac(3) }] });
		expect(plain(result.output).map((item) => [item.json.status, item.pairedItem])).toEqual([
			['unchanged', { item: 0 }],
			['updated', { item: 1 }],
			['created', { item: 2 }],
			['conflict', { item: 3 }],
			['skipped', { item: 4 }],
			['revoked', { item: 0 }],
		]);
		expect(result.output[1].json).toEqual(renamed(2, 'Renamed 2', [{ value: 'n8n-sync' }], 'updated'));
		expect(result.output[2].json).toEqual({ id: createdId, mac: mac(6), name: 'Device 6', tags: [{ value: 'n8n-sync' }], status: 'created' });
		expect(result.output[5].json).toEqual({
			id: id(3),
			mac: mac(3),
			name: 'Device 3',
			status: 'revoked',
			batch: { nrOfWhitelistingsInRevokeRequest: 1, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0 },
			firstAnswerLost: false,
		});
	});

	it('stops Apply before any change when it would revoke more than Max Destructive Share of the entries in scope', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, [stored(1), stored(2), stored(3)]);
		const result = await runNode({ parameters: parameters(), items: [{ mac: mac(1), name: 'Device 1' }] });
		expect(calls).toHaveLength(1);
		expect(result.error?.message).toBe(
			'Sync would revoke 2 of the 3 active entries in the Scope (66.7 %), more than Max Destructive Share allows (50 %); nothing was changed',
		);
		expect(result.error?.description).toBe(
			'The plan: 0 to create, 0 to update, 1 unchanged, 0 conflicts, 2 to revoke. An empty or partial input would revoke everything it left out: check that the input is complete. If these are meant to go, raise Max Destructive Share (%) under Options (100 allows any share).',
		);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('the default Scope, Entries With Tag, needs a Scope Tag: without one n8n refuses to run it and nothing is sent', async () => {
		await expect(runNode({ parameters: parameters({ scope: undefined, scopeTag: '' }), items: [{ mac: mac(1), name: 'Device 1' }] })).rejects.toThrow(
			'Parameter "Scope Tag" is required.',
		);
	});

	it('an invalid item is an error item and keeps its entry from being revoked', async () => {
		expectCall('GET', '/modules/whitelistings/active', 200, [stored(1), stored(2)]);
		const result = await runNode({
			parameters: parameters(),
			items: [{ mac: mac(1), name: 'Device 1' }, { mac: mac(2), name: 'X' }],
			continueOnFail: true,
		});
		expect(plain(result.output)).toEqual([
			{ json: { ...stored(1), status: 'unchanged' }, pairedItem: { item: 0 } },
			{
				json: {
					error: '[item 1] Name "X" must be 2–100 characters long (is 1)',
					description: 'Correct the Name of item 1 and run again. Nothing was sent for this item.',
				},
				pairedItem: { item: 1 },
			},
		]);
	});
});

describe('Whitelisting > Sync against the emulator', () => {
	const run = (emulator: SignInEmulator, items: IDataObject[], extra: IDataObject = {}) =>
		runNode({
			parameters: parameters(extra),
			items,
			credentials: { baseUrl: emulator.url, organizationId: 'demo-org', contextId: 'demo-context', apiToken: TOKEN },
		});
	beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1/));

	it('the same input applied twice: the second run sends only the read and reports everything unchanged', async () => {
		const emulator = new SignInEmulator({ token: TOKEN, seed: { whitelistings: [stored(1), stored(2), stored(3, { tags: [] })] } });
		await emulator.start();
		try {
			const items = [
				{ mac: 'aa-bb-cc-00-00-01', name: 'Device 1' },
				{ mac: mac(2), name: 'Printer 2', tags: 'printer' },
				{ mac: mac(7), name: 'Kiosk 7' },
			];
			const withFields = { additionalFields: { tags: '={{ $json.tags }}', toDate: '={{ $json.toDate }}' } };
			const first = await run(emulator, items.map((item) => ({ ...item, toDate: item.mac === mac(7) ? '2030-01-31' : '' })), withFields);
			expect(first.output.map((item) => item.json.status)).toEqual(['unchanged', 'updated', 'created']);
			emulator.requests.length = 0;
			const second = await run(emulator, items.map((item) => ({ ...item, toDate: item.mac === mac(7) ? '2030-01-31' : '' })), withFields);
			expect(emulator.requests.map((request) => `${request.method} ${request.path.split('/modules')[1]}`)).toEqual(['GET /whitelistings/active']);
			expect(second.output.map((item) => item.json.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
			const entries = emulator.store.state.whitelistings;
			expect(entries.find((entry) => entry.mac === mac(7))).toMatchObject({ name: 'Kiosk 7', toDate: '2030-01-31', tags: [{ value: 'n8n-sync' }] });
			expect(entries.find((entry) => entry.mac === mac(3))).toBeDefined();
		} finally {
			await emulator.stop();
		}
	});

	it('Entries Created By: created entries carry the value, and updates keep it', async () => {
		const emulator = new SignInEmulator({
			token: TOKEN,
			seed: { whitelistings: [stored(1, { tags: [], createdBy: 'inventory' }), stored(2, { tags: [], createdBy: 'inventory' })] },
		});
		await emulator.start();
		try {
			const result = await run(emulator, [{ mac: mac(1), name: 'Renamed 1' }, { mac: mac(8), name: 'Device 8' }], {
				scope: 'createdBy',
				scopeCreatedBy: 'inventory',
			});
			expect(result.output.map((item) => item.json.status)).toEqual(['updated', 'created', 'revoked']);
			expect(emulator.store.state.whitelistings.map((entry) => [entry.mac, entry.name, entry.createdBy])).toEqual([
				[mac(1), 'Renamed 1', 'inventory'],
				[mac(8), 'Device 8', 'inventory'],
			]);
		} finally {
			await emulator.stop();
		}
	});
});

describe('Whitelisting > Sync safety valve: revokes and destructive updates', () => {
	/** The inventory's columns, mapped into Description, Tags and Valid Until. */
	const mapped = (extra: IDataObject = {}) =>
		parameters({
			additionalFields: { description: '={{ $json.description }}', tags: '={{ $json.tags }}', toDate: '={{ $json.validUntil }}' },
			...extra,
		});
	/** Four printers in the Scope, each with a description, a second tag and an end date. */
	const printer = (n: number, extra: IDataObject = {}) =>
		stored(n, { description: `Floor ${n}`, toDate: '2030-01-31', tags: [{ value: 'n8n-sync' }, { value: 'printer' }], ...extra });
	const printers = [printer(1), printer(2), printer(3), printer(4)];
	/** An export whose Description, Tags and Valid Until columns came through empty (renamed upstream). */
	const drifted = [1, 2, 3, 4].map((n) => ({ mac: mac(n), name: `Device ${n}` }));
	const clearedBody = (n: number) => putBody(n, `Device ${n}`, [{ value: 'n8n-sync' }]);
	const clearedChanges = (n: number) => ({
		description: { from: `Floor ${n}`, to: '' },
		toDate: { from: '2030-01-31', to: null },
		tags: { from: [{ value: 'n8n-sync' }, { value: 'printer' }], to: [{ value: 'n8n-sync' }] },
	});
	const DRIFT_MESSAGE =
		'Sync would destructively update 4 of the 4 active entries in the Scope (100 %), more than Max Destructive Share allows (50 %); nothing was changed';
	const DRIFT_DESCRIPTION =
		'The plan: 0 to create, 4 to update (4 destructively), 0 unchanged, 0 conflicts, 0 to revoke. ' +
		'Destructive updates (descriptions cleared: 4, tags removed: 4, Valid Until later or permanent: 4, earlier: 0). ' +
		"An empty or renamed Description, Tags or Valid Until column would clear every entry's fields or make devices permanent: check that the input is complete and its fields are mapped. " +
		'If these changes are meant, raise Max Destructive Share (%) under Options (100 allows any share).';

	it('holds Apply when an input with empty Description, Tags and Valid Until would clear every entry in the Scope and make it permanent: only the read is sent', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, printers);
		const result = await runNode({ parameters: mapped(), items: drifted });
		expect(calls).toHaveLength(1);
		expectWire(calls[0], 'GET', '/modules/whitelistings/active');
		expect(result.status).toBe('error');
		expect(result.output).toEqual([]);
		expect(result.error?.message).toBe(DRIFT_MESSAGE);
		expect(result.error?.description).toBe(DRIFT_DESCRIPTION);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('with Continue On Fail, the held Apply is one error item per input item and still sends only the read', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, printers);
		const result = await runNode({ parameters: mapped(), items: drifted, continueOnFail: true });
		expect(calls).toHaveLength(1);
		expect(plain(result.output)).toEqual(
			[0, 1, 2, 3].map((item) => ({ json: { error: DRIFT_MESSAGE, description: DRIFT_DESCRIPTION }, pairedItem: { item } })),
		);
	});

	it('with Max Destructive Share 100 the same input is applied: one PUT per entry, each update marked destructive', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, printers);
		expectCall('PUT', '/modules/whitelistings', 200, '', {}, calls, 4);
		const result = await runNode({ parameters: mapped({ options: { maxShare: 100 } }), items: drifted });
		expect(calls.map((call) => call.method)).toEqual(['GET', 'PUT', 'PUT', 'PUT', 'PUT']);
		const sent = calls.slice(1).sort((a, b) => String((a.body as IDataObject).mac).localeCompare(String((b.body as IDataObject).mac)));
		sent.forEach((call, index) => expectWire(call, 'PUT', '/modules/whitelistings', clearedBody(index + 1)));
		expect(plain(result.output)).toEqual(
			[1, 2, 3, 4].map((n) => ({
				json: {
					...clearedBody(n),
					status: 'updated',
					changes: clearedChanges(n),
					destructive: true,
					destructiveChanges: ['descriptionCleared', 'tagsRemoved', 'validUntilPermanent'],
				},
				pairedItem: { item: n - 1 },
			})),
		);
	});

	it('Preview of the same input says Apply would be held: the plan item has applyAllowed false and the reason', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, printers);
		const result = await runNode({ parameters: mapped({ mode: 'preview' }), items: drifted });
		expect(calls).toHaveLength(1);
		expect(plain(result.output)).toEqual([
			...[1, 2, 3, 4].map((n) => ({
				json: {
					...clearedBody(n),
					status: 'update',
					changes: clearedChanges(n),
					destructive: true,
					destructiveChanges: ['descriptionCleared', 'tagsRemoved', 'validUntilPermanent'],
				},
				pairedItem: { item: n - 1 },
			})),
			{
				json: planItem({ updates: 4, destructiveUpdates: 4, inScope: 4, destructiveShare: 100, applyAllowed: false, reason: DRIFT_MESSAGE }),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('counts Valid Until moved later, made permanent and moved earlier, and says which in Preview', async () => {
		const dated = [printer(1), printer(2), printer(3), printer(4)];
		const items = [
			{ validUntil: '2031-06-30' },
			{ validUntil: '' },
			{ validUntil: '2029-01-31' },
			{ validUntil: '2030-01-31' },
		].map((fields, index) => ({ mac: mac(index + 1), name: `Device ${index + 1}`, description: `Floor ${index + 1}`, tags: 'printer', ...fields }));
		expectCall('GET', '/modules/whitelistings/active', 200, dated, {}, [], 2);
		const preview = await runNode({ parameters: mapped({ mode: 'preview' }), items });
		expect(preview.output.map((item) => [item.json.status, item.json.destructiveChanges ?? null, item.json.changes ?? null])).toEqual([
			['update', ['validUntilLater'], { toDate: { from: '2030-01-31', to: '2031-06-30' } }],
			['update', ['validUntilPermanent'], { toDate: { from: '2030-01-31', to: null } }],
			['update', ['validUntilEarlier'], { toDate: { from: '2030-01-31', to: '2029-01-31' } }],
			['unchanged', null, null],
			['plan', null, null],
		]);
		expect(preview.output[4].json).toMatchObject({ destructiveUpdates: 3, inScope: 4, destructiveShare: 75, applyAllowed: false });
		const apply = await runNode({ parameters: mapped(), items });
		expect(apply.error?.message).toBe(
			'Sync would destructively update 3 of the 4 active entries in the Scope (75 %), more than Max Destructive Share allows (50 %); nothing was changed',
		);
		expect(apply.error?.description).toContain('(descriptions cleared: 0, tags removed: 0, Valid Until later or permanent: 2, earlier: 1)');
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('a permanent entry given an end date is cut short: counted as earlier', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, [stored(1), stored(2)]);
		const result = await runNode({
			parameters: parameters({ additionalFields: { toDate: '={{ $json.validUntil }}' }, options: { maxShare: 0 } }),
			items: [{ mac: mac(1), name: 'Device 1', validUntil: '2030-01-31' }, { mac: mac(2), name: 'Device 2' }],
		});
		expect(calls).toHaveLength(1);
		expect(result.error?.message).toBe(
			'Sync would destructively update 1 of the 2 active entries in the Scope (50 %), more than Max Destructive Share allows (0 %); nothing was changed',
		);
		expect(result.error?.description).toContain('(descriptions cleared: 0, tags removed: 0, Valid Until later or permanent: 0, earlier: 1)');
	});

	it('renames, added tags, a first description and a changed description are not destructive: applied even with Max Destructive Share 0', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, [stored(1), stored(2), stored(3, { description: 'Old text' })]);
		expectCall('PUT', '/modules/whitelistings', 200, '', {}, calls, 3);
		expectCall('POST', '/modules/whitelistings/batch/add', 200, { createdWhitelistingMacs: [mac(5)], existingWhitelistingMacs: [], faultyRequests: [] }, {}, calls);
		const result = await runNode({
			parameters: mapped({ options: { maxShare: 0 } }),
			items: [
				{ mac: mac(1), name: 'Renamed 1' },
				{ mac: mac(2), name: 'Device 2', tags: 'printer', description: 'First text' },
				{ mac: mac(3), name: 'Device 3', description: 'New text' },
				{ mac: mac(5), name: 'Device 5' },
			],
		});
		expect(result.status).toBe('success');
		expect(calls.map((call) => `${call.method} ${call.path.split('/modules')[1]}`)).toEqual([
			'GET /whitelistings/active',
			'POST /whitelistings/batch/add',
			'PUT /whitelistings',
			'PUT /whitelistings',
			'PUT /whitelistings',
		]);
		expect(plain(result.output).map(({ json, pairedItem }) => [json.status, json.destructive ?? null, json.changes ?? null, pairedItem])).toEqual([
			['updated', false, { name: { from: 'Device 1', to: 'Renamed 1' } }, { item: 0 }],
			[
				'updated',
				false,
				{ description: { from: '', to: 'First text' }, tags: { from: [{ value: 'n8n-sync' }], to: [{ value: 'printer' }, { value: 'n8n-sync' }] } },
				{ item: 1 },
			],
			['updated', false, { description: { from: 'Old text', to: 'New text' } }, { item: 2 }],
			['created', null, null, { item: 3 }],
		]);
	});

	it('counts revokes and destructive updates together, and names both', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, printers);
		const result = await runNode({
			parameters: mapped(),
			items: [
				{ mac: mac(1), name: 'Device 1' },
				{ mac: mac(2), name: 'Device 2', description: 'Floor 2', tags: 'printer' },
				{ mac: mac(3), name: 'Device 3', description: 'Floor 3', tags: 'printer', validUntil: '2030-01-31' },
			],
		});
		expect(calls).toHaveLength(1);
		expect(result.error?.message).toBe(
			'Sync would revoke 1 and destructively update 2 of the 4 active entries in the Scope (75 %), more than Max Destructive Share allows (50 %); nothing was changed',
		);
		expect(result.error?.description).toBe(
			'The plan: 0 to create, 2 to update (2 destructively), 1 unchanged, 0 conflicts, 1 to revoke. ' +
				'An empty or partial input would revoke everything it left out: check that the input is complete. ' +
				'Destructive updates (descriptions cleared: 1, tags removed: 1, Valid Until later or permanent: 2, earlier: 0). ' +
				"An empty or renamed Description, Tags or Valid Until column would clear every entry's fields or make devices permanent: check that the input is complete and its fields are mapped. " +
				'If these changes are meant, raise Max Destructive Share (%) under Options (100 allows any share).',
		);
	});
});

describe('Whitelisting > Sync scopes in Apply', () => {
	it('All Active Entries revokes an untagged entry made by hand, and counts the valve on every active entry', async () => {
		const active = [stored(1), stored(2, { tags: [], createdBy: 'admin' }), stored(3, { tags: [{ value: 'manual' }] })];
		const items = [
			{ mac: mac(1), name: 'Device 1', tags: 'n8n-sync' },
			{ mac: mac(3), name: 'Renamed 3', tags: 'manual' },
		];
		const all = parameters({ scope: 'all', scopeTag: undefined, additionalFields: { tags: '={{ $json.tags }}' } });
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, active);
		expectCall('PUT', '/modules/whitelistings', 200, '', {}, calls);
		expectCall('POST', '/modules/whitelistings/batch/remove', 200, {
			nrOfWhitelistingsInRevokeRequest: 1,
			nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0,
		}, {}, calls);
		const result = await runNode({ parameters: all, items });
		expect(calls).toHaveLength(3);
		expectWire(calls[1], 'PUT', '/modules/whitelistings', putBody(3, 'Renamed 3', [{ value: 'manual' }]));
		expectWire(calls[2], 'POST', '/modules/whitelistings/batch/remove', { macs: [{ mac: mac(2) }] });
		expect(plain(result.output)).toEqual([
			{ json: { ...stored(1), status: 'unchanged' }, pairedItem: { item: 0 } },
			{ json: renamed(3, 'Renamed 3', [{ value: 'manual' }], 'updated'), pairedItem: { item: 1 } },
			{
				json: {
					id: id(2),
					mac: mac(2),
					name: 'Device 2',
					status: 'revoked',
					batch: { nrOfWhitelistingsInRevokeRequest: 1, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0 },
					firstAnswerLost: false,
				},
				pairedItem: { item: 0 },
			},
		]);

		// One of the three active entries is 33.3 %: more than a share of 30 % allows.
		const held = expectCall('GET', '/modules/whitelistings/active', 200, active);
		const stopped = await runNode({ parameters: { ...all, options: { maxShare: 30 } }, items });
		expect(held).toHaveLength(1);
		expect(stopped.error?.message).toBe(
			'Sync would revoke 1 of the 3 active entries in the Scope (33.3 %), more than Max Destructive Share allows (30 %); nothing was changed',
		);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('Adopt Out-of-Scope Entries takes an untagged entry over: updated by id, given the Scope Tag, status adopted', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, [stored(1), stored(4, { tags: [], createdBy: 'admin' })]);
		expectCall('PUT', '/modules/whitelistings', 200, '', {}, calls);
		const result = await runNode({
			parameters: parameters({ options: { adoptOutOfScope: true } }),
			items: [{ mac: mac(1), name: 'Device 1' }, { mac: mac(4), name: 'Device 4' }],
		});
		expect(calls).toHaveLength(2);
		const adopted = putBody(4, 'Device 4', [{ value: 'n8n-sync' }]);
		expectWire(calls[1], 'PUT', '/modules/whitelistings', adopted);
		expect(plain(result.output)).toEqual([
			{ json: { ...stored(1), status: 'unchanged' }, pairedItem: { item: 0 } },
			{
				json: {
					...adopted,
					status: 'adopted',
					changes: { tags: { from: [], to: [{ value: 'n8n-sync' }] } },
					destructive: false,
					destructiveChanges: [],
				},
				pairedItem: { item: 1 },
			},
		]);
	});

	it('an adopted entry updated destructively counts, with the adopted entries in the base', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, [stored(1), stored(4, { tags: [{ value: 'manual' }], description: 'By hand' })]);
		const result = await runNode({
			parameters: parameters({ options: { adoptOutOfScope: true, maxShare: 40 } }),
			items: [{ mac: mac(1), name: 'Device 1' }, { mac: mac(4), name: 'Device 4' }],
		});
		expect(calls).toHaveLength(1);
		expect(result.error?.message).toBe(
			'Sync would destructively update 1 of the 2 active entries in the Scope or adopted (50 %), more than Max Destructive Share allows (40 %); nothing was changed',
		);
		expect(result.error?.description).toContain('(descriptions cleared: 1, tags removed: 1, Valid Until later or permanent: 0, earlier: 0)');
	});

	it('Entries Created By creates with Created By, updates without it, revokes its own entries and leaves the others', async () => {
		const active = [
			stored(1, { tags: [], createdBy: 'inventory' }),
			stored(2, { tags: [], createdBy: 'inventory' }),
			stored(3, { tags: [], createdBy: 'admin' }),
		];
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, active);
		expectCall('POST', '/modules/whitelistings/batch/add', 200, { createdWhitelistingMacs: [mac(8)], existingWhitelistingMacs: [], faultyRequests: [] }, {}, calls);
		expectCall('PUT', '/modules/whitelistings', 200, '', {}, calls);
		expectCall('POST', '/modules/whitelistings/batch/remove', 200, {
			nrOfWhitelistingsInRevokeRequest: 1,
			nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 1,
		}, {}, calls);
		const result = await runNode({
			parameters: parameters({ scope: 'createdBy', scopeTag: undefined, scopeCreatedBy: 'inventory' }),
			items: [{ mac: mac(1), name: 'Renamed 1' }, { mac: mac(8), name: 'Device 8' }],
		});
		expect(calls).toHaveLength(4);
		const createdId = (calls[1].body as { whitelistings: Array<{ id: string }> }).whitelistings[0].id;
		expectWire(calls[1], 'POST', '/modules/whitelistings/batch/add', {
			whitelistings: [{ id: createdId, mac: mac(8), name: 'Device 8', createdBy: 'inventory' }],
		});
		expectWire(calls[2], 'PUT', '/modules/whitelistings', putBody(1, 'Renamed 1', []));
		expectWire(calls[3], 'POST', '/modules/whitelistings/batch/remove', { macs: [{ mac: mac(2) }] });
		expect(plain(result.output).map(({ json, pairedItem }) => [json.status, json.mac, pairedItem])).toEqual([
			['updated', mac(1), { item: 0 }],
			['created', mac(8), { item: 1 }],
			['revoked', mac(2), { item: 0 }],
		]);
	});
});
