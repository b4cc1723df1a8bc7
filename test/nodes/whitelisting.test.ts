import nock from 'nock';

import type { IDataObject } from 'n8n-workflow';

import { FORBIDDEN_HELP } from '../../nodes/NetgraphSignIn/transport/errors';
import { BASE_URL, CONTEXT_PATH, defaultCredentials, expectCall, expectCalls, expectWire, plain, runNode, type RecordedRequest } from '../support/harness';
import { withResettingServer } from '../support/resettingServer';


const ID = '7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7f';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('Whitelisting > Create', () => {
	it('sends the spec example with a client-generated id and outputs the entry with that id', async () => {
		const calls = expectCall('POST', '/modules/whitelistings', 200, '');
		const result = await runNode({
			parameters: {
				resource: 'whitelisting',
				operation: 'create',
				mac: 'aa-bb-cc-dd-ee-ff',
				name: 'Reception printer',
				additionalFields: { description: 'Lobby floor, left side', toDate: '2026-12-31T00:00:00', tags: 'printer' },
			},
		});
		const sent = calls[0].body as { id: string };
		expect(sent.id).toMatch(UUID_V4);
		const entry = {
			id: sent.id,
			mac: 'AA:BB:CC:DD:EE:FF',
			name: 'Reception printer',
			description: 'Lobby floor, left side',
			toDate: '2026-12-31',
			tags: [{ value: 'printer' }],
		};
		expectWire(calls[0], 'POST', '/modules/whitelistings', entry);
		expect(plain(result.output)).toEqual([{ json: entry, pairedItem: { item: 0 } }]);
	});

	it('uses a given id and createdBy, omits empty optional fields, and keeps a stored entry the API returns', async () => {
		const calls = expectCall('POST', '/modules/whitelistings', 200, { id: ID, mac: 'AA:BB:CC:00:00:01', name: 'Kiosk', createdBy: 'hr-sync', tags: [] });
		const result = await runNode({
			parameters: {
				resource: 'whitelisting',
				operation: 'create',
				mac: 'aabb.cc00.0001',
				name: 'Kiosk',
				additionalFields: { id: ID.toUpperCase(), createdBy: 'hr-sync' },
			},
		});
		expectWire(calls[0], 'POST', '/modules/whitelistings', { id: ID, mac: 'AA:BB:CC:00:00:01', name: 'Kiosk', createdBy: 'hr-sync' });
		expect(result.output[0].json).toEqual({ id: ID, mac: 'AA:BB:CC:00:00:01', name: 'Kiosk', createdBy: 'hr-sync', tags: [] });
	});

	it('each invalid field is refused before sending, naming item, field, rule and value', async () => {
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ mac: '00-11' }, '[item 0] MAC Address "00-11" must be six pairs of hex digits, e.g. AA:BB:CC:DD:EE:FF, AA-BB-CC-DD-EE-FF, aabbccddeeff or aabb.ccdd.eeff'],
			[{ name: 'X' }, '[item 0] Name "X" must be 2–100 characters long (is 1)'],
			[{ additionalFields: { description: 'Lobby — left' } }, '[item 0] Description "Lobby — left" may only contain letters a-z, A-Z, å ä ö Å Ä Ö, digits, spaces and & , . - (found —)'],
			[{ additionalFields: { tags: 'ok, x' } }, '[item 0] Tags "x" must be 2–30 characters long (is 1)'],
			[{ additionalFields: { toDate: '31/12/2026' } }, '[item 0] Valid Until "31/12/2026" must be a calendar date as YYYY-MM-DD or an ISO 8601 date-time, e.g. 2026-12-31'],
			[{ additionalFields: { id: '7f2a-...' } }, '[item 0] Whitelisting ID "7f2a-..." must be a UUID, e.g. 7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7f'],
		];
		for (const [override, message] of cases) {
			const result = await runNode({
				parameters: { resource: 'whitelisting', operation: 'create', mac: 'AA:BB:CC:DD:EE:FF', name: 'Printer', ...override },
			});
			expect(result.error?.message).toBe(message);
		}
	});

	it('surfaces the Whitelisting array error body', async () => {
		expectCall('POST', '/modules/whitelistings', 400, [
			{ field: 'mac', rejectedValue: 'AA:BB:CC:DD:EE:FF', message: 'MAC already whitelisted' },
		]);
		const result = await runNode({
			parameters: { resource: 'whitelisting', operation: 'create', mac: 'AA:BB:CC:DD:EE:FF', name: 'Printer' },
		});
		expect(result.error?.message).toBe('The Sign-In API rejected the request: mac "AA:BB:CC:DD:EE:FF": MAC already whitelisted');
	});

	it('an HTML error page is explained as a Base URL or proxy issue', async () => {
		expectCall('POST', '/modules/whitelistings', 503, '<html><body><h1>Service Unavailable</h1></body></html>', { 'content-type': 'text/html' });
		const result = await runNode({
			parameters: { resource: 'whitelisting', operation: 'create', mac: 'AA:BB:CC:DD:EE:FF', name: 'Printer', requestOptions: { maxAttempts: 1 } },
		});
		expect(result.error?.message).toBe('The Sign-In API is unavailable (503 Service Unavailable)');
		expect(result.error?.description).toContain('The answer was an HTML page, not JSON');
	});

	it('a connection reset by the server is reported with what to check', async () => {
		const { result, connections } = await withResettingServer(async (baseUrl, port) => ({
			port,
			run: await runNode({
				parameters: {
					resource: 'whitelisting',
					operation: 'create',
					mac: 'AA:BB:CC:DD:EE:FF',
					name: 'Printer',
					requestOptions: { maxAttempts: 2, initialDelayMs: 0 },
				},
				credentials: { ...defaultCredentials, baseUrl: `${baseUrl}/` },
			}),
		}));
		expect(connections).toBe(2);
		expect(result.run.error?.message).toBe(`Could not reach the Sign-In API at 127.0.0.1:${result.port}`);
		expect(result.run.error?.description).toBe(
			'The request could not be completed: the connection was reset (ECONNRESET). Check the Base URL in the Sign-In Context API credential and that this n8n server can reach that host. Tried 2 times. The request may have been applied before its answer was lost.',
		);
	});
});

describe('Whitelisting > Update', () => {
	it('sends every field, by id, with PUT', async () => {
		const calls = expectCall('PUT', '/modules/whitelistings', 200);
		const result = await runNode({
			parameters: {
				resource: 'whitelisting',
				operation: 'update',
				id: ID,
				mac: 'AA:BB:CC:DD:EE:FF',
				name: 'Reception printer',
				additionalFields: { description: 'Lobby floor, moved to right side', toDate: '2027-06-30', tags: 'printer, lobby' },
			},
		});
		const entry = {
			id: ID,
			mac: 'AA:BB:CC:DD:EE:FF',
			name: 'Reception printer',
			description: 'Lobby floor, moved to right side',
			toDate: '2027-06-30',
			tags: [{ value: 'printer' }, { value: 'lobby' }],
		};
		expectWire(calls[0], 'PUT', '/modules/whitelistings', entry);
		expect(plain(result.output)).toEqual([{ json: entry, pairedItem: { item: 0 } }]);
	});

	it('fields left empty are sent cleared: no description, permanent, no tags', async () => {
		const calls = expectCall('PUT', '/modules/whitelistings', 200);
		await runNode({
			parameters: { resource: 'whitelisting', operation: 'update', id: ID, mac: 'AA:BB:CC:DD:EE:FF', name: 'Printer' },
		});
		expectWire(calls[0], 'PUT', '/modules/whitelistings', {
			id: ID,
			mac: 'AA:BB:CC:DD:EE:FF',
			name: 'Printer',
			description: '',
			toDate: null,
			tags: [],
		});
	});

	it('takes the entry picked from the list in the Whitelisting field', async () => {
		const calls = expectCall('PUT', '/modules/whitelistings', 200);
		const id = { __rl: true, mode: 'list', value: ID, cachedResultName: 'Printer (AA:BB:CC:DD:EE:FF)' };
		await runNode({ parameters: { resource: 'whitelisting', operation: 'update', id, mac: 'AA:BB:CC:DD:EE:FF', name: 'Printer' } });
		expect((calls[0].body as { id: string }).id).toBe(ID);
	});

	it('takes an ID mapped from each item in By ID mode', async () => {
		const other = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
		const calls = expectCall('PUT', '/modules/whitelistings', 200, undefined, {}, [], 2);
		const result = await runNode({
			parameters: {
				resource: 'whitelisting',
				operation: 'update',
				id: { __rl: true, mode: 'id', value: '={{ $json.entryId }}' },
				mac: 'AA:BB:CC:DD:EE:FF',
				name: 'Printer',
			},
			items: [{ entryId: ID }, { entryId: other.toUpperCase() }],
		});
		expect(calls.map((call) => (call.body as { id: string }).id)).toEqual([ID, other]);
		expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('leaves an empty pick to n8n, which refuses to run the node', async () => {
		const run = runNode({
			parameters: { resource: 'whitelisting', operation: 'update', id: { __rl: true, mode: 'list', value: '' }, mac: 'AA:BB:CC:DD:EE:FF', name: 'Printer' },
		});
		await expect(run).rejects.toThrow("The 'Sign-In' node has issues");
	});

	it('refuses an item whose mapped ID is missing, before sending anything', async () => {
		const result = await runNode({
			parameters: { resource: 'whitelisting', operation: 'update', id: { __rl: true, mode: 'id', value: '={{ $json.entryId }}' }, mac: 'AA:BB:CC:DD:EE:FF', name: 'Printer' },
			items: [{ other: 1 }],
		});
		expect(result.error?.message).toBe('[item 0] Whitelisting ID nothing must be a UUID, e.g. 7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7f');
	});

	it('an id that is not a UUID is refused', async () => {
		const result = await runNode({
			parameters: { resource: 'whitelisting', operation: 'update', id: '42', mac: 'AA:BB:CC:DD:EE:FF', name: 'Printer' },
		});
		expect(result.error?.message).toBe('[item 0] Whitelisting ID "42" must be a UUID, e.g. 7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7f');
	});
});

const createMany = (extra: Record<string, unknown> = {}) => ({
	resource: 'whitelisting',
	operation: 'createMany',
	mac: '={{ $json.mac }}',
	name: '={{ $json.name }}',
	additionalFields: { id: '={{ $json.id }}' },
	...extra,
});

describe('Whitelisting > Create Many', () => {
	it('sends the spec example as one batch and maps each MAC back to its item', async () => {
		const calls = expectCall('POST', '/modules/whitelistings/batch/add', 200, {
			createdWhitelistingMacs: ['AA:BB:CC:00:00:01', 'AA:BB:CC:00:00:02'],
			existingWhitelistingMacs: [],
			faultyRequests: [],
			updatedLogins: 0,
		});
		const result = await runNode({
			parameters: createMany({ additionalFields: {}, options: { autoGenerateTags: true, autoGenerateDateTag: true } }),
			items: [
				{ mac: 'AA:BB:CC:00:00:01', name: 'Printer A' },
				{ mac: 'AA:BB:CC:00:00:02', name: 'Printer B' },
			],
		});
		const sent = calls[0].body as { whitelistings: Array<{ id: string }> };
		const ids = sent.whitelistings.map((entry) => entry.id);
		ids.forEach((id) => expect(id).toMatch(UUID_V4));
		expectWire(calls[0], 'POST', '/modules/whitelistings/batch/add', {
			whitelistings: [
				{ id: ids[0], mac: 'AA:BB:CC:00:00:01', name: 'Printer A' },
				{ id: ids[1], mac: 'AA:BB:CC:00:00:02', name: 'Printer B' },
			],
			autoGenerateTags: true,
			autoGenerateDateTag: true,
		});
		expect(plain(result.output)).toEqual([
			{ json: { id: ids[0], mac: 'AA:BB:CC:00:00:01', name: 'Printer A', status: 'created' }, pairedItem: { item: 0 } },
			{ json: { id: ids[1], mac: 'AA:BB:CC:00:00:02', name: 'Printer B', status: 'created' }, pairedItem: { item: 1 } },
		]);
	});

	it('reports created, existing, rejected, skipped and invalid entries item by item', async () => {
		const calls = expectCall('POST', '/modules/whitelistings/batch/add', 200, {
			createdWhitelistingMacs: ['aa:bb:cc:00:00:01'],
			existingWhitelistingMacs: ['AA-BB-CC-00-00-02'],
			faultyRequests: [{ id: `${ID.slice(0, -1)}3`, mac: 'AA:BB:CC:00:00:03', name: 'No Tag' }],
			updatedLogins: 0,
		});
		const result = await runNode({
			parameters: createMany(),
			items: [
				{ id: `${ID.slice(0, -1)}1`, mac: 'AA:BB:CC:00:00:01', name: 'New' },
				{ id: `${ID.slice(0, -1)}2`, mac: 'AA:BB:CC:00:00:02', name: 'Old' },
				{ id: `${ID.slice(0, -1)}3`, mac: 'AA:BB:CC:00:00:03', name: 'No Tag' },
				{ id: `${ID.slice(0, -1)}4`, mac: 'aabbcc000001', name: 'Again' },
				{ id: `${ID.slice(0, -1)}5`, mac: 'zz', name: 'Broken' },
			],
			continueOnFail: true,
		});
		expect((calls[0].body as { whitelistings: unknown[] }).whitelistings).toEqual([
			{ id: `${ID.slice(0, -1)}1`, mac: 'AA:BB:CC:00:00:01', name: 'New' },
			{ id: `${ID.slice(0, -1)}2`, mac: 'AA:BB:CC:00:00:02', name: 'Old' },
			{ id: `${ID.slice(0, -1)}3`, mac: 'AA:BB:CC:00:00:03', name: 'No Tag' },
		]);
		expect(plain(result.output)).toEqual([
			{ json: { id: `${ID.slice(0, -1)}1`, mac: 'AA:BB:CC:00:00:01', name: 'New', status: 'created' }, pairedItem: { item: 0 } },
			{ json: { mac: 'AA:BB:CC:00:00:02', name: 'Old', status: 'existing' }, pairedItem: { item: 1 } },
			{
				json: {
					mac: 'AA:BB:CC:00:00:03',
					name: 'No Tag',
					status: 'rejected',
					reason:
						'The Sign-In API listed this entry as faulty and gave no reason; check its MAC Address, Name, Description, Tags and Valid Until against the whitelisting rules.',
				},
				pairedItem: { item: 2 },
			},
			{
				json: { mac: 'AA:BB:CC:00:00:01', name: 'Again', status: 'skipped', reason: 'Same MAC address as item 0, which was sent instead.' },
				pairedItem: { item: 3 },
			},
			{
				json: {
					error:
						'[item 4] MAC Address "zz" must be six pairs of hex digits, e.g. AA:BB:CC:DD:EE:FF, AA-BB-CC-DD-EE-FF, aabbccddeeff or aabb.ccdd.eeff',
					description: 'Correct the MAC Address of item 4 and run again. Nothing was sent for this item.',
				},
				pairedItem: { item: 4 },
			},
		]);
	});

	it('splits into batches of Batch Size, so N items cost ceil(N / size) requests', async () => {
		const calls: RecordedRequest[] = [];
		const items = Array.from({ length: 7 }, (_, i) => ({ mac: `AA:BB:CC:00:00:0${i}`, name: `Device ${i}` }));
		for (const group of [items.slice(0, 3), items.slice(3, 6), items.slice(6)]) {
			expectCall(
				'POST',
				'/modules/whitelistings/batch/add',
				200,
				{ createdWhitelistingMacs: group.map((item) => item.mac), existingWhitelistingMacs: [], faultyRequests: [], updatedLogins: 0 },
				{},
				calls,
			);
		}
		const result = await runNode({ parameters: createMany({ additionalFields: {}, options: { batchSize: 3 } }), items });
		expect(calls.map((call) => (call.body as { whitelistings: unknown[] }).whitelistings.length)).toEqual([3, 3, 1]);
		expect(result.output.map((item) => [item.json.status, item.pairedItem])).toEqual(
			items.map((_, i) => ['created', { item: i }]),
		);
	});

	it('a failed batch fails the run without Continue On Fail, and sends no further batch', async () => {
		expectCall('POST', '/modules/whitelistings/batch/add', 503, '');
		const result = await runNode({
			parameters: createMany({ additionalFields: {}, options: { batchSize: 1 }, requestOptions: { maxAttempts: 1 } }),
			items: [{ mac: 'AA:BB:CC:00:00:01', name: 'One' }, { mac: 'AA:BB:CC:00:00:02', name: 'Two' }],
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('The Sign-In API is unavailable (503 Service Unavailable)');
		expect(result.error?.description).toBe(
			"The Sign-In service could not handle the request. This is on the service's side: try again in a few minutes. The request may have been applied: a 503 answer does not say whether the service did the work before it failed. Of the run's 1 other entry, the service had answered for 0 and the rest were not applied.",
		);
	});

	it('with Continue On Fail, a failed batch gives error items for its entries only', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', '/modules/whitelistings/batch/add', 503, '', {}, calls);
		expectCall(
			'POST',
			'/modules/whitelistings/batch/add',
			200,
			{ createdWhitelistingMacs: ['AA:BB:CC:00:00:02'], existingWhitelistingMacs: [], faultyRequests: [], updatedLogins: 0 },
			{},
			calls,
		);
		const result = await runNode({
			parameters: createMany({ additionalFields: {}, options: { batchSize: 1 }, requestOptions: { maxAttempts: 1 } }),
			items: [{ mac: 'AA:BB:CC:00:00:01', name: 'One' }, { mac: 'AA:BB:CC:00:00:02', name: 'Two' }],
			continueOnFail: true,
		});
		expect(calls).toHaveLength(2);
		expect(result.output.map((item) => [item.json.error ?? item.json.status, item.pairedItem])).toEqual([
			['The Sign-In API is unavailable (503 Service Unavailable)', { item: 0 }],
			['created', { item: 1 }],
		]);
	});
});

const mac = (i: number) => `AA:BB:CC:00:${String(Math.floor(i / 256).toString(16)).padStart(2, '0').toUpperCase()}:${(i % 256).toString(16).padStart(2, '0').toUpperCase()}`;
const activeEntry = (address: string) => ({ id: ID, mac: address, name: 'Device' });
const revokeMany = (extra: Record<string, unknown> = {}) => ({ resource: 'whitelisting', operation: 'revokeMany', macs: '={{ $json.mac }}', ...extra });

/** A whitelist service for many requests: it counts what it is sent, and refuses a request holding a `refused` MAC. */
function revokeService(refused: string[] = []) {
	return (body: unknown): [number, IDataObject | IDataObject[]] => {
		const macs = (body as { macs: Array<{ mac: string }> }).macs;
		const bad = macs.findIndex((entry) => refused.includes(entry.mac));
		if (bad >= 0) return [400, [{ field: `macs[${bad}].mac`, rejectedValue: macs[bad].mac, message: 'MAC address not allowed' }]];
		return [200, { nrOfWhitelistingsInRevokeRequest: macs.length, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0 }];
	};
}

describe('Whitelisting > Create Many > a batch the service refuses with 400', () => {
	/** Creates what it is sent, and refuses a request holding a `refused` MAC with the family's array body. */
	function addService(refused: string[]) {
		return (body: unknown): [number, IDataObject | IDataObject[]] => {
			const entries = (body as { whitelistings: Array<{ mac: string }> }).whitelistings;
			const bad = entries.findIndex((entry) => refused.includes(entry.mac));
			if (bad >= 0) return [400, [{ field: `whitelistings[${bad}].mac`, rejectedValue: entries[bad].mac, message: 'MAC address not allowed' }]];
			return [200, { createdWhitelistingMacs: entries.map((entry) => entry.mac), existingWhitelistingMacs: [], faultyRequests: [], updatedLogins: 0 }];
		};
	}
	const items = [0, 1, 2, 3].map((i) => ({ id: `${ID.slice(0, -1)}${i}`, mac: `AA:BB:CC:00:00:0${i}`, name: `Device ${i}` }));

	it('with Continue On Fail, is split so that only the refused entry fails and the others are created', async () => {
		const calls = expectCalls('POST', '/modules/whitelistings/batch/add', 5, addService(['AA:BB:CC:00:00:02']));
		const result = await runNode({ parameters: createMany(), items, continueOnFail: true });
		expect(calls.map((call) => (call.body as { whitelistings: Array<{ mac: string }> }).whitelistings.map((entry) => entry.mac.slice(-2)))).toEqual([
			['00', '01', '02', '03'],
			['00', '01'],
			['02', '03'],
			['02'],
			['03'],
		]);
		calls.forEach((call) => expectWire(call, 'POST', '/modules/whitelistings/batch/add', call.body));
		expect(plain(result.output)).toEqual([
			{ json: { ...items[0], status: 'created' }, pairedItem: { item: 0 } },
			{ json: { ...items[1], status: 'created' }, pairedItem: { item: 1 } },
			{
				json: {
					error: 'The Sign-In API rejected the request: whitelistings[0].mac "AA:BB:CC:00:00:02": MAC address not allowed',
					description: 'Correct the value it names and run again.',
				},
				pairedItem: { item: 2 },
			},
			{ json: { ...items[3], status: 'created' }, pairedItem: { item: 3 } },
		]);
	});

	it('without Continue On Fail, fails the run with the service message after one request', async () => {
		const calls = expectCalls('POST', '/modules/whitelistings/batch/add', 1, addService(['AA:BB:CC:00:00:02']));
		const result = await runNode({ parameters: createMany(), items });
		expect(calls).toHaveLength(1);
		expect(result.error?.message).toBe('The Sign-In API rejected the request: whitelistings[2].mac "AA:BB:CC:00:00:02": MAC address not allowed');
	});
});

describe('Whitelisting > Revoke Many', () => {
	it('reads the active list once, sends the spec example as one batch, and tells revoked from not whitelisted', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('GET', '/modules/whitelistings/active', 200, [activeEntry('aa-bb-cc-00-00-01'), activeEntry('AA:BB:CC:00:00:09')], {}, calls);
		expectCall('POST', '/modules/whitelistings/batch/remove', 200, {
			nrOfWhitelistingsInRevokeRequest: 2,
			nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 1,
		}, {}, calls);
		const result = await runNode({ parameters: revokeMany(), items: [{ mac: 'aa:bb:cc:00:00:01' }, { mac: 'AA-BB-CC-00-00-02' }] });
		expectWire(calls[0], 'GET', '/modules/whitelistings/active');
		expectWire(calls[1], 'POST', '/modules/whitelistings/batch/remove', {
			macs: [{ mac: 'AA:BB:CC:00:00:01' }, { mac: 'AA:BB:CC:00:00:02' }],
		});
		const batch = { nrOfWhitelistingsInRevokeRequest: 2, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 1 };
		expect(plain(result.output)).toEqual([
			{
				json: { macs: ['AA:BB:CC:00:00:01'], status: 'revoked', revokedMacs: ['AA:BB:CC:00:00:01'], notWhitelistedMacs: [], batch, firstAnswerLost: false },
				pairedItem: { item: 0 },
			},
			{
				json: { macs: ['AA:BB:CC:00:00:02'], status: 'notWhitelisted', revokedMacs: [], notWhitelistedMacs: ['AA:BB:CC:00:00:02'], batch, firstAnswerLost: false },
				pairedItem: { item: 1 },
			},
		]);
	});

	it('sends each MAC once in batches of Batch Size MACs; an item spanning two batches gets one output with their counts summed', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('GET', '/modules/whitelistings/active', 200, [activeEntry('AA:BB:CC:00:00:01'), activeEntry('AA:BB:CC:00:00:03')], {}, calls);
		expectCalls('POST', '/modules/whitelistings/batch/remove', 2, revokeService(), calls);
		const result = await runNode({
			parameters: revokeMany({ macs: '={{ $json.macs }}', options: { batchSize: 3 } }),
			items: [
				{ macs: ['AA:BB:CC:00:00:01', 'AA:BB:CC:00:00:02'] },
				{ macs: 'AA:BB:CC:00:00:02' },
				{ macs: 'AA:BB:CC:00:00:03, AA:BB:CC:00:00:04' },
			],
		});
		expect(calls.slice(1).map((call) => call.body)).toEqual([
			{ macs: [{ mac: 'AA:BB:CC:00:00:01' }, { mac: 'AA:BB:CC:00:00:02' }, { mac: 'AA:BB:CC:00:00:03' }] },
			{ macs: [{ mac: 'AA:BB:CC:00:00:04' }] },
		]);
		const first = { nrOfWhitelistingsInRevokeRequest: 3, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0 };
		expect(plain(result.output)).toEqual([
			{
				json: { macs: ['AA:BB:CC:00:00:01', 'AA:BB:CC:00:00:02'], status: 'mixed', revokedMacs: ['AA:BB:CC:00:00:01'], notWhitelistedMacs: ['AA:BB:CC:00:00:02'], batch: first, firstAnswerLost: false },
				pairedItem: { item: 0 },
			},
			{
				json: { macs: ['AA:BB:CC:00:00:02'], status: 'notWhitelisted', revokedMacs: [], notWhitelistedMacs: ['AA:BB:CC:00:00:02'], batch: first, firstAnswerLost: false },
				pairedItem: { item: 1 },
			},
			{
				json: {
					macs: ['AA:BB:CC:00:00:03', 'AA:BB:CC:00:00:04'],
					status: 'mixed',
					revokedMacs: ['AA:BB:CC:00:00:03'],
					notWhitelistedMacs: ['AA:BB:CC:00:00:04'],
					batch: { nrOfWhitelistingsInRevokeRequest: 4, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0 },
					firstAnswerLost: false,
				},
				pairedItem: { item: 2 },
			},
		]);
	});

	it('one item with 2,000 MACs is sent in four requests of 500 and gets one output item', async () => {
		const macs = Array.from({ length: 2000 }, (_, i) => mac(i));
		const calls: RecordedRequest[] = [];
		expectCall('GET', '/modules/whitelistings/active', 200, macs.map(activeEntry), {}, calls);
		expectCalls('POST', '/modules/whitelistings/batch/remove', 4, revokeService(), calls);
		const result = await runNode({ parameters: revokeMany({ macs: '={{ $json.macs }}' }), items: [{ macs }] });
		expect(calls).toHaveLength(5);
		calls.slice(1).forEach((call, i) =>
			expectWire(call, 'POST', '/modules/whitelistings/batch/remove', { macs: macs.slice(i * 500, (i + 1) * 500).map((address) => ({ mac: address })) }),
		);
		expect(plain(result.output)).toEqual([
			{
				json: {
					macs,
					status: 'revoked',
					revokedMacs: macs,
					notWhitelistedMacs: [],
					batch: { nrOfWhitelistingsInRevokeRequest: 2000, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0 },
					firstAnswerLost: false,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('with Check Whitelist First off, sends no read and reports each MAC as requested', async () => {
		const calls = expectCall('POST', '/modules/whitelistings/batch/remove', 200, { nrOfWhitelistingsInRevokeRequest: 1, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0 });
		const result = await runNode({ parameters: revokeMany({ options: { checkWhitelistFirst: false } }), items: [{ mac: 'AA:BB:CC:00:00:01' }] });
		expect(calls).toHaveLength(1);
		expect(result.output[0].json).toEqual({
			macs: ['AA:BB:CC:00:00:01'],
			status: 'requested',
			revokedMacs: null,
			notWhitelistedMacs: null,
			batch: { nrOfWhitelistingsInRevokeRequest: 1, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0 },
			firstAnswerLost: false,
		});
	});

	it('when the active list cannot be read, nothing is revoked and each item says so', async () => {
		const expected = {
			error: 'The Sign-In API denied access to this Sign-In Context (403 Forbidden)',
			description: `${FORBIDDEN_HELP} Nothing was revoked: the active whitelist is read first to tell which MAC addresses were whitelisted. Turn off Check Whitelist First to revoke without it.`,
		};
		expectCall('GET', '/modules/whitelistings/active', 403, '');
		const stopped = await runNode({ parameters: revokeMany(), items: [{ mac: 'AA:BB:CC:00:00:01' }] });
		expect([stopped.error?.message, stopped.error?.description]).toEqual([expected.error, expected.description]);
		expectCall('GET', '/modules/whitelistings/active', 403, '');
		const continued = await runNode({ parameters: revokeMany(), items: [{ mac: 'AA:BB:CC:00:00:01' }, { mac: 'AA:BB:CC:00:00:02' }], continueOnFail: true });
		expect(plain(continued.output)).toEqual([
			{ json: expected, pairedItem: { item: 0 } },
			{ json: expected, pairedItem: { item: 1 } },
		]);
	});

	it('after a lost answer the statuses still hold (they come from the read); the counts are the retry\'s', async () => {
		expectCall('GET', '/modules/whitelistings/active', 200, [activeEntry('AA:BB:CC:00:00:01')]);
		expectCall('POST', '/modules/whitelistings/batch/remove', 502, '');
		expectCall('POST', '/modules/whitelistings/batch/remove', 200, { nrOfWhitelistingsInRevokeRequest: 1, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0 });
		const result = await runNode({ parameters: revokeMany({ requestOptions: { maxAttempts: 2, initialDelayMs: 0 } }), items: [{ mac: 'AA:BB:CC:00:00:01' }] });
		expect(result.output[0].json).toEqual({
			macs: ['AA:BB:CC:00:00:01'],
			status: 'revoked',
			revokedMacs: ['AA:BB:CC:00:00:01'],
			notWhitelistedMacs: [],
			batch: { nrOfWhitelistingsInRevokeRequest: 1, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0 },
			firstAnswerLost: true,
		});
	});

	it('a batch refused with 400 is split so that only the refused MAC fails (Continue On Fail)', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('GET', '/modules/whitelistings/active', 200, [0, 1, 2, 3].map((i) => activeEntry(mac(i))), {}, calls);
		expectCalls('POST', '/modules/whitelistings/batch/remove', 5, revokeService([mac(2)]), calls);
		const result = await runNode({ parameters: revokeMany(), items: [0, 1, 2, 3].map((i) => ({ mac: mac(i) })), continueOnFail: true });
		expect(calls.slice(1).map((call) => (call.body as { macs: Array<{ mac: string }> }).macs.map((entry) => entry.mac))).toEqual([
			[mac(0), mac(1), mac(2), mac(3)],
			[mac(0), mac(1)],
			[mac(2), mac(3)],
			[mac(2)],
			[mac(3)],
		]);
		expect(result.output.map((item) => [item.pairedItem, item.json.status ?? item.json.error])).toEqual([
			[{ item: 0 }, 'revoked'],
			[{ item: 1 }, 'revoked'],
			[{ item: 2 }, 'The Sign-In API rejected the request: macs[0].mac "AA:BB:CC:00:00:02": MAC address not allowed'],
			[{ item: 3 }, 'revoked'],
		]);
		expect(result.output[3].json.batch).toEqual({ nrOfWhitelistingsInRevokeRequest: 1, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0 });
	});

	it('an invalid MAC is refused before any request', async () => {
		const result = await runNode({
			parameters: { resource: 'whitelisting', operation: 'revokeMany', macs: 'AA:BB:CC:00:00:01, AA:BB' },
		});
		expect(result.error?.message).toBe(
			'[item 0] MAC Addresses "AA:BB" must be six pairs of hex digits, e.g. AA:BB:CC:DD:EE:FF, AA-BB-CC-DD-EE-FF, aabbccddeeff or aabb.ccdd.eeff',
		);
	});
});

describe('Whitelisting > Get Many', () => {
	const entries = [
		{ id: ID, mac: 'AA:BB:CC:DD:EE:FF', name: 'Reception printer', description: '', toDate: null, tags: [{ value: 'printer' }], createdBy: 'hr' },
		{ id: 'b', mac: 'aa-bb-cc-00-00-01', name: 'Kiosk Lobby', tags: [{ value: 'Kiosk' }], extra: 'kept' },
		{ id: 'c', mac: 'AA:BB:CC:00:00:02', name: 'Printer floor 3', tags: [{ value: 'printer' }, { value: 'floor-3' }] },
	];

	it('GETs the active list with no body and returns one item per entry up to the limit', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, entries);
		const result = await runNode({ parameters: { resource: 'whitelisting', operation: 'getAll', limit: 2 } });
		expectWire(calls[0], 'GET', '/modules/whitelistings/active');
		expect(plain(result.output)).toEqual([
			{ json: entries[0], pairedItem: { item: 0 } },
			{ json: entries[1], pairedItem: { item: 0 } },
		]);
	});

	it.each(['content', 'items', 'data', 'whitelistings', 'results', 'entries'])(
		'reads a list wrapped under "%s" and returns all with Return All',
		async (key) => {
			expectCall('GET', '/modules/whitelistings/active', 200, { [key]: entries, totalElements: 3 });
			const result = await runNode({ parameters: { resource: 'whitelisting', operation: 'getAll', returnAll: true } });
			expect(result.output.map((item) => item.json.id)).toEqual([ID, 'b', 'c']);
		},
	);

	it('an empty list is no items; an empty body is explained, never read as an empty list', async () => {
		expectCall('GET', '/modules/whitelistings/active', 200, []);
		const empty = await runNode({ parameters: { resource: 'whitelisting', operation: 'getAll', returnAll: true } });
		expect([empty.status, empty.output]).toEqual(['success', []]);
		expectCall('GET', '/modules/whitelistings/active', 200, '');
		const result = await runNode({ parameters: { resource: 'whitelisting', operation: 'getAll', returnAll: true } });
		expect(result.error?.message).toBe(
			'The Sign-In API answered 200 with an empty body instead of the list of active whitelistings',
		);
		// A read changed nothing, so it never says that something may have been applied.
		expect(result.error?.description).toBe(
			'Nothing was changed: this was a read. Check the Base URL in the Sign-In Context API credential (a proxy or web page answers like this).',
		);
	});

	it('filters by MAC in any spelling, by name and by tag, ignoring case', async () => {
		for (const [filters, ids] of [
			[{ mac: 'aabbcc000001' }, ['b']],
			[{ name: 'PRINTER' }, [ID, 'c']],
			[{ tag: 'Printer' }, [ID, 'c']],
			[{ tag: 'kiosk', name: 'lobby' }, ['b']],
			[{ mac: 'AA:BB:CC:00:00:09' }, []],
		] as Array<[Record<string, string>, string[]]>) {
			expectCall('GET', '/modules/whitelistings/active', 200, entries);
			const result = await runNode({ parameters: { resource: 'whitelisting', operation: 'getAll', returnAll: true, filters } });
			expect(result.output.map((item) => item.json.id)).toEqual(ids);
		}
	});

	it('an answer of unknown shape is explained', async () => {
		expectCall('GET', '/modules/whitelistings/active', 200, { page: 1 });
		const result = await runNode({ parameters: { resource: 'whitelisting', operation: 'getAll', returnAll: true } });
		expect(result.error?.message).toBe(
			'The Sign-In API answered the list of active whitelistings in a shape this node does not know',
		);
	});

	it('lists once per input item, with up to Concurrency lists at once; each entry is paired with the item whose filters it matched', async () => {
		const answer: Array<() => void> = [];
		nock(BASE_URL)
			.intercept(`${CONTEXT_PATH}/modules/whitelistings/active`, 'GET')
			.times(2)
			.reply((_uri, _body, callback) => {
				answer.push(() => callback(null, [200, entries]));
				// Both are in flight before either is answered; answered last first.
				if (answer.length === 2) for (const reply of [...answer].reverse()) reply();
			});
		const result = await runNode({
			parameters: { resource: 'whitelisting', operation: 'getAll', returnAll: true, filters: { tag: '={{ $json.tag }}' }, requestOptions: { concurrency: 2 } },
			items: [{ tag: 'printer' }, { tag: 'kiosk' }],
		});
		expect(answer).toHaveLength(2);
		expect(plain(result.output)).toEqual([
			{ json: entries[0], pairedItem: { item: 0 } },
			{ json: entries[2], pairedItem: { item: 0 } },
			{ json: entries[1], pairedItem: { item: 1 } },
		]);
	});

	it('an invalid MAC filter is refused before the request', async () => {
		const result = await runNode({ parameters: { resource: 'whitelisting', operation: 'getAll', filters: { mac: 'nope' } } });
		expect(result.error?.message).toBe(
			'[item 0] MAC Address filter "nope" must be six pairs of hex digits, e.g. AA:BB:CC:DD:EE:FF, AA-BB-CC-DD-EE-FF, aabbccddeeff or aabb.ccdd.eeff',
		);
	});
});
