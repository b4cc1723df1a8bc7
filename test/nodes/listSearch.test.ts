/** The Whitelisting picker of Update, run through n8n-core's real LoadOptionsContext with nock at the HTTP boundary. */
import { CONTEXT_PATH, TEST_TOKEN, defaultCredentials, expectCall, loadOptionsCaller } from '../support/harness';

const entries = [
	{ id: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', mac: '00:1B:63:84:45:D1', name: 'Old kiosk', toDate: null },
	{ id: '7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7f', mac: 'AA:BB:CC:DD:EE:FF', name: 'Reception printer', toDate: '2027-06-30' },
	{ mac: 'AA:BB:CC:DD:EE:00', name: 'Entry without an id' },
];

async function search(filter?: string) {
	const { nodeType, caller } = loadOptionsCaller({ resource: 'whitelisting', operation: 'update' }, defaultCredentials, 'parameters.id');
	return await nodeType.methods.listSearch.searchActiveWhitelistings.call(caller, filter);
}

describe('Whitelisting picker (Update)', () => {
	it('lists the active entries by name and MAC, with their IDs as values, from one authenticated GET', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, entries);
		expect(await search()).toEqual({
			results: [
				{ name: 'Old kiosk (00:1B:63:84:45:D1)', value: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0' },
				{ name: 'Reception printer (AA:BB:CC:DD:EE:FF)', value: '7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7f' },
			],
		});
		expect(calls[0].headers['x-auth-token']).toBe(TEST_TOKEN);
	});

	it.each([
		['reception', ['Reception printer (AA:BB:CC:DD:EE:FF)']],
		['aa-bb-cc', ['Reception printer (AA:BB:CC:DD:EE:FF)']],
		['001b.6384', ['Old kiosk (00:1B:63:84:45:D1)']],
		['0f1e2d3c', ['Old kiosk (00:1B:63:84:45:D1)']],
		['nothing like it', []],
	])('filters on "%s" by name, MAC in any spelling, or ID', async (filter, names) => {
		expectCall('GET', '/modules/whitelistings/active', 200, entries);
		expect((await search(filter)).results.map((result) => result.name)).toEqual(names);
	});

	it('lists the entries of every page of a paged list, asking for each page in turn', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, { content: entries.slice(0, 1), number: 0, size: 1, totalPages: 2, totalElements: 2, last: false });
		expectCall('GET', '/modules/whitelistings/active?page=1&size=1', 200, { content: entries.slice(1, 2), number: 1, size: 1, totalPages: 2, totalElements: 2, last: true }, {}, calls);
		expect((await search()).results.map((result) => result.value)).toEqual([entries[0].id, entries[1].id]);
		expect(calls.map((call) => call.path)).toEqual([`${CONTEXT_PATH}/modules/whitelistings/active`, `${CONTEXT_PATH}/modules/whitelistings/active?page=1&size=1`]);
	});

	it('explains a refused token in the editor like in an execution', async () => {
		expectCall('GET', '/modules/whitelistings/active', 401, '');
		await expect(search()).rejects.toThrow('The Sign-In API refused the API token (401 Unauthorized)');
	});
});
