import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { SignInEmulator } from '../../emulator/server';
import { expectCall, expectWire, plain, runNode } from '../support/harness';
import { syncMac, syncParameters, taggedEntry } from '../support/sync';

const TOKEN = 'sync-test-token';
const id = (n: number) => `b0000000-0000-4000-8000-00000000000${n}`;
const mac = syncMac;
const stored = taggedEntry;
const parameters = syncParameters;

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

	it('Preview sends only the read and outputs the plan, one item per input item and one per revoke', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, active);
		const result = await runNode({ parameters: parameters({ mode: 'preview' }), items });
		expect(calls).toHaveLength(1);
		expectWire(calls[0], 'GET', '/modules/whitelistings/active');
		expect(plain(result.output)).toEqual([
			{ json: { ...stored(1), status: 'unchanged' }, pairedItem: { item: 0 } },
			{
				json: {
					id: id(2),
					mac: mac(2),
					name: 'Renamed 2',
					description: '',
					toDate: null,
					tags: [{ value: 'n8n-sync' }],
					status: 'update',
					changes: { name: { from: 'Device 2', to: 'Renamed 2' } },
				},
				pairedItem: { item: 1 },
			},
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
		const updated = { id: id(2), mac: mac(2), name: 'Renamed 2', description: '', toDate: null, tags: [{ value: 'n8n-sync' }] };
		expectWire(calls[2], 'PUT', '/modules/whitelistings', updated);
		expectWire(calls[3], 'POST', '/modules/whitelistings/batch/remove', { macs: [{ mac: mac(3) }] });
		expect(plain(result.output).map((item) => [item.json.status, item.pairedItem])).toEqual([
			['unchanged', { item: 0 }],
			['updated', { item: 1 }],
			['created', { item: 2 }],
			['conflict', { item: 3 }],
			['skipped', { item: 4 }],
			['revoked', { item: 0 }],
		]);
		expect(result.output[1].json).toEqual({ ...updated, status: 'updated', changes: { name: { from: 'Device 2', to: 'Renamed 2' } } });
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

	it('stops Apply before any change when it would revoke more than Max Revoke Share of the entries in scope', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, [stored(1), stored(2), stored(3)]);
		const result = await runNode({ parameters: parameters(), items: [{ mac: mac(1), name: 'Device 1' }] });
		expect(calls).toHaveLength(1);
		expect(result.error?.message).toBe(
			'Sync would revoke 2 of the 3 active entries in the Scope (66.7 %), more than Max Revoke Share allows (50 %); nothing was changed',
		);
		expect(result.error?.description).toBe(
			'The plan: 0 to create, 0 to update, 1 unchanged, 0 conflicts, 2 to revoke. An empty or partial input would revoke everything it left out: check that the input is complete. If these are meant to go, raise Max Revoke Share (%) under Options (100 allows any share).',
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
