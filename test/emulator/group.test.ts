/* eslint-disable @n8n/community-nodes/no-restricted-imports */
import { mkdtempSync, readFileSync } from 'fs';
import nock from 'nock';
import { tmpdir } from 'os';
import { join } from 'path';

import { parseOptions } from '../../emulator/cli';
import { SignInEmulator, contextStateFile, type EmulatorOptions } from '../../emulator/server';

const GROUP = ['hotel-stockholm', 'hotel-oslo', 'hotel-bergen'];
const ENTRY = { mac: 'AA:BB:CC:00:00:01', name: 'Lobby printer' };

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1/));

let emulator: SignInEmulator;
async function start(options: EmulatorOptions = {}) {
	emulator = new SignInEmulator({ token: 'group-test', contextId: GROUP[0], contexts: GROUP.slice(1).map((id) => ({ id })), ...options });
	await emulator.start();
	return emulator;
}
afterEach(async () => emulator?.stop());

/** A call to a Context's API with a Context's key (or none, or a given text). */
async function call(method: string, path: string, { to, keyOf, token, body }: { to: string; keyOf?: string; token?: string; body?: unknown }) {
	const key = token ?? (keyOf ? emulator.context(keyOf).token : undefined);
	const response = await fetch(`${emulator.url}${emulator.context(to).path}${path}`, {
		method,
		headers: { ...(key === undefined ? {} : { 'x-auth-token': key }), 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function control(path: string, init?: { method: string; body: unknown }) {
	const response = await fetch(`${emulator.url}/__emulator/${path}`, init && { method: init.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) });
	return { status: response.status, body: (await response.json()) as unknown };
}

describe('a group of Contexts', () => {
	it('puts further Contexts beside contextId, each with its own name, path and key', async () => {
		await start({ contexts: [{ id: 'hotel-oslo' }, { id: 'hotel-bergen', name: 'Bergen Harbour', token: 'bergen-own-key' }] });
		expect([...emulator.contexts.values()].map(({ id, name, path, token }) => ({ id, name, path, token }))).toEqual([
			{ id: 'hotel-stockholm', name: 'Hotel Stockholm', path: '/v1/org/demo-org/contexts/sign-in/hotel-stockholm', token: 'group-test' },
			{ id: 'hotel-oslo', name: 'Hotel Oslo', path: '/v1/org/demo-org/contexts/sign-in/hotel-oslo', token: 'group-test-hotel-oslo' },
			{ id: 'hotel-bergen', name: 'Bergen Harbour', path: '/v1/org/demo-org/contexts/sign-in/hotel-bergen', token: 'bergen-own-key' },
		]);
		expect([emulator.options.contextId, emulator.options.token, emulator.contextPath]).toEqual(['hotel-stockholm', 'group-test', '/v1/org/demo-org/contexts/sign-in/hotel-stockholm']);
		expect(emulator.store).toBe(emulator.context('hotel-stockholm').store);
		expect(emulator.group).toBe(true);
	});

	it('refuses a group in which two Contexts share an ID or a key', () => {
		expect(() => new SignInEmulator({ contexts: [{ id: 'demo-context' }] })).toThrow('Context demo-context is given twice');
		expect(() => new SignInEmulator({ contexts: [{ id: 'a', token: 'k' }, { id: 'b', token: 'k' }] })).toThrow('Context b has the key of another Context');
		expect(() => new SignInEmulator({ token: 'k', contexts: [{ id: 'a', token: 'k' }] })).toThrow('Context a has the key of another Context');
	});

	it('keeps a state per Context: what one Context whitelists the others do not have', async () => {
		await start({ seed: { whitelistings: [{ id: 'seeded', ...ENTRY, description: null, toDate: null, tags: [], createdBy: null }] } });
		const created = await call('POST', '/modules/whitelistings/batch/add', { to: 'hotel-oslo', keyOf: 'hotel-oslo', body: { whitelistings: [{ mac: 'AA:BB:CC:00:00:02', name: 'Bar tablet' }] } });
		expect(created).toEqual({ status: 200, body: { createdWhitelistingMacs: ['AA:BB:CC:00:00:02'], existingWhitelistingMacs: [], faultyRequests: [], updatedLogins: 0 } });
		const revoked = await call('POST', '/modules/whitelistings/batch/remove', { to: 'hotel-bergen', keyOf: 'hotel-bergen', body: { macs: [{ mac: ENTRY.mac }] } });
		expect(revoked.status).toBe(200);
		const macs = (id: string) => emulator.activeWhitelistings(id).map((entry) => entry.mac);
		expect(GROUP.map(macs)).toEqual([[ENTRY.mac], [ENTRY.mac, 'AA:BB:CC:00:00:02'], []]);
		expect(macs(emulator.options.contextId)).toEqual(emulator.activeWhitelistings().map((entry) => entry.mac));
		const listed = await call('GET', '/modules/whitelistings/active', { to: 'hotel-oslo', keyOf: 'hotel-oslo' });
		expect((listed.body as Array<{ mac: string }>).map((entry) => entry.mac)).toEqual([ENTRY.mac, 'AA:BB:CC:00:00:02']);
		expect(emulator.crossContextKeys).toEqual([]);
	});

	it("refuses a Context's key at another Context with 401, changes nothing and notes which key went where", async () => {
		await start();
		const before = GROUP.map((id) => structuredClone(emulator.context(id).store.state));
		const answer = await call('POST', '/modules/whitelistings/batch/add', { to: 'hotel-oslo', keyOf: 'hotel-stockholm', body: { whitelistings: [ENTRY] } });
		expect(answer).toEqual({ status: 401, body: undefined });
		const user = await call('POST', '/modules/up/create', { to: 'hotel-bergen', keyOf: 'hotel-oslo', body: { username: 'a', password: 'b' } });
		expect(user.status).toBe(401);
		expect((user.body as { error_code: string; error_message: string })).toMatchObject({ error_code: 'UNAUTHORIZED', error_message: 'invalid API key' });
		expect(GROUP.map((id) => emulator.context(id).store.state)).toEqual(before);
		expect(emulator.crossContextKeys.map(({ method, path, keyOf, sentTo }) => ({ method, path, keyOf, sentTo }))).toEqual([
			{ method: 'POST', path: '/v1/org/demo-org/contexts/sign-in/hotel-oslo/modules/whitelistings/batch/add', keyOf: 'hotel-stockholm', sentTo: 'hotel-oslo' },
			{ method: 'POST', path: '/v1/org/demo-org/contexts/sign-in/hotel-bergen/modules/up/create', keyOf: 'hotel-oslo', sentTo: 'hotel-bergen' },
		]);
		expect(JSON.stringify(emulator.crossContextKeys)).not.toContain('group-test');
	});

	it('answers an unknown key 401 and a known key at a Context the Organization lacks 403, noting only the second', async () => {
		await start();
		expect((await call('GET', '/modules/whitelistings/active', { to: 'hotel-oslo', token: 'nobody-s-key' })).status).toBe(401);
		expect((await call('GET', '/modules/whitelistings/active', { to: 'hotel-oslo' })).status).toBe(401);
		const response = await fetch(`${emulator.url}/v1/org/demo-org/contexts/sign-in/hotel-reykjavik/modules/whitelistings/active`, {
			headers: { 'x-auth-token': emulator.context('hotel-bergen').token },
		});
		expect(response.status).toBe(403);
		expect(emulator.crossContextKeys.map(({ keyOf, sentTo }) => [keyOf, sentTo])).toEqual([['hotel-bergen', 'hotel-reykjavik']]);
	});

	it('records with every request the Context its path names and the Context whose key it carried', async () => {
		await start();
		await call('GET', '/modules/whitelistings/active', { to: 'hotel-oslo', keyOf: 'hotel-oslo' });
		await call('GET', '/modules/whitelistings/active', { to: 'hotel-oslo', keyOf: 'hotel-bergen' });
		await call('GET', '/modules/whitelistings/active', { to: 'hotel-bergen', token: 'nobody-s-key' });
		expect(emulator.requests.map(({ status, context, keyOf }) => ({ status, context, keyOf }))).toEqual([
			{ status: 200, context: 'hotel-oslo', keyOf: 'hotel-oslo' },
			{ status: 401, context: 'hotel-oslo', keyOf: 'hotel-bergen' },
			{ status: 401, context: 'hotel-bergen', keyOf: null },
		]);
	});

	it('records no Context fields with the requests of a single Context, as before', async () => {
		emulator = new SignInEmulator({ token: 'single' });
		await emulator.start();
		const response = await fetch(`${emulator.url}${emulator.contextPath}/modules/whitelistings/active`, { headers: { 'x-auth-token': 'single' } });
		expect(response.status).toBe(200);
		expect(Object.keys(emulator.requests[0]).sort()).toEqual(['at', 'body', 'fault', 'method', 'path', 'status']);
		expect([...emulator.contexts.keys()]).toEqual(['demo-context']);
		expect(emulator.group).toBe(false);
	});

	it('shows each Context through the control API: list, state, sessions and reset, and the keys sent astray, never a key', async () => {
		await start();
		await call('POST', '/modules/whitelistings', { to: 'hotel-bergen', keyOf: 'hotel-bergen', body: ENTRY });
		await call('POST', '/modules/whitelistings', { to: 'hotel-bergen', keyOf: 'hotel-oslo', body: ENTRY });
		const contexts = await control('contexts');
		expect(contexts.body).toEqual([
			{ id: 'hotel-stockholm', name: 'Hotel Stockholm', path: '/v1/org/demo-org/contexts/sign-in/hotel-stockholm', activeWhitelistings: 0, foreignKeysReceived: 0 },
			{ id: 'hotel-oslo', name: 'Hotel Oslo', path: '/v1/org/demo-org/contexts/sign-in/hotel-oslo', activeWhitelistings: 0, foreignKeysReceived: 0 },
			{ id: 'hotel-bergen', name: 'Hotel Bergen', path: '/v1/org/demo-org/contexts/sign-in/hotel-bergen', activeWhitelistings: 1, foreignKeysReceived: 1 },
		]);
		const astray = await control('cross-context-keys');
		expect((astray.body as Array<{ keyOf: string; sentTo: string }>).map(({ keyOf, sentTo }) => [keyOf, sentTo])).toEqual([['hotel-oslo', 'hotel-bergen']]);
		for (const answer of [contexts, astray, await control('requests')]) expect(JSON.stringify(answer.body)).not.toContain('group-test');
		const bergen = await control('state?context=hotel-bergen');
		expect((bergen.body as { activeWhitelistings: Array<{ mac: string }> }).activeWhitelistings.map((entry) => entry.mac)).toEqual([ENTRY.mac]);
		expect((await control('state?context=hotel-reykjavik')).status).toBe(404);
		await control('sessions', { method: 'POST', body: { context: 'hotel-oslo', sessions: [{ mac: ENTRY.mac, module: 'whitelisting' }] } });
		expect(GROUP.map((id) => emulator.context(id).store.state.sessions.length)).toEqual([0, 1, 0]);
		await control('reset', { method: 'POST', body: { context: 'hotel-oslo', state: { whitelistings: [] } } });
		expect(GROUP.map((id) => emulator.context(id).store.state.sessions.length)).toEqual([0, 0, 0]);
		expect(emulator.activeWhitelistings('hotel-bergen')).toHaveLength(1);
		await control('reset', { method: 'POST', body: {} });
		expect(GROUP.map((id) => emulator.activeWhitelistings(id).length)).toEqual([0, 0, 0]);
		expect(emulator.crossContextKeys).toEqual([]);
	});

	it('keeps the state file for contextId and one per further Context beside it', async () => {
		const stateFile = join(mkdtempSync(join(tmpdir(), 'emulator-group-')), 'state.json');
		await start({ stateFile });
		await call('POST', '/modules/whitelistings', { to: 'hotel-oslo', keyOf: 'hotel-oslo', body: ENTRY });
		await emulator.stop();
		const file = (id: string) => (id === GROUP[0] ? stateFile : contextStateFile(stateFile, id));
		const saved = (id: string) => (JSON.parse(readFileSync(file(id), 'utf8')) as { whitelistings: unknown[] }).whitelistings.length;
		expect(GROUP.map(saved)).toEqual([0, 1, 0]);
		await start({ stateFile });
		expect(GROUP.map((id) => emulator.activeWhitelistings(id).length)).toEqual([0, 1, 0]);
	});

	it('is asked for on the command line with --contexts', () => {
		expect(parseOptions(['--contexts=hotel-stockholm, hotel-oslo,', '--token', 'k'], {})).toMatchObject({
			token: 'k',
			contexts: [{ id: 'hotel-stockholm' }, { id: 'hotel-oslo' }],
		});
		expect(parseOptions([], { EMULATOR_CONTEXTS: 'a,b' }).contexts).toEqual([{ id: 'a' }, { id: 'b' }]);
		expect(contextStateFile('/x/state.json', 'hotel-oslo')).toBe('/x/state.hotel-oslo.json');
	});
});
