/* eslint-disable @n8n/community-nodes/no-restricted-imports */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'fs';
import { request as httpRequest } from 'http';
import nock from 'nock';
import { tmpdir } from 'os';
import { join } from 'path';

import { KNOBS, parseOptions } from '../../emulator/cli';
import { FAULTS, SignInEmulator, type EmulatorOptions, type Fault } from '../../emulator/server';
import { SHARED_SPEC_FILE, SPEC_FILE, requestErrors, responseErrors } from './openapi';

const POLICY = '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7';
const TOKEN = 'emulator-test-token';

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1/));

interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	raw: string;
	body: unknown;
}

/** A raw HTTP call, so that DELETE bodies, resets and hangs behave as on the wire. */
function call(
	emulator: SignInEmulator,
	method: string,
	path: string,
	body?: unknown,
	{ token = TOKEN, raw, prefix = emulator.contextPath, timeoutMs = 5000 }: { token?: string | null; raw?: string; prefix?: string; timeoutMs?: number } = {},
): Promise<Answer> {
	const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
	return new Promise((resolve, reject) => {
		const url = new URL(prefix + path, emulator.url);
		const request = httpRequest(url, {
			method,
			headers: {
				...(token === null ? {} : { 'x-auth-token': token }),
				...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
			},
			timeout: timeoutMs,
		});
		request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
		request.on('error', reject);
		request.on('response', (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let parsed: unknown;
				try {
					parsed = text ? JSON.parse(text) : undefined;
				} catch {
					parsed = undefined;
				}
				resolve({ status: response.statusCode ?? 0, headers: response.headers, raw: text, body: parsed });
			});
		});
		request.end(payload);
	});
}

/** Calls the API, checking the request (when valid) and the answer against the OpenAPI file. */
async function api(emulator: SignInEmulator, method: string, path: string, body?: unknown, expectValidRequest = true) {
	const template = path.replace(/\/policies\/[^/]+\/emails/, '/policies/{accessPolicyId}/emails');
	if (body !== undefined && expectValidRequest) expect(requestErrors(method, template, body)).toEqual([]);
	const answer = await call(emulator, method, path, body);
	expect(responseErrors(method, template, answer.status, answer.body)).toEqual([]);
	return answer;
}

let emulator: SignInEmulator;
async function start(options: EmulatorOptions = {}) {
	emulator = new SignInEmulator({
		token: TOKEN,
		seed: { policies: { [POLICY]: { name: 'Staff', emails: ['*@acme.com', 'bob@partner.example.com'] } } },
		...options,
	});
	await emulator.start();
	return emulator;
}
afterEach(async () => emulator?.stop());

it('carries the shared OpenAPI file unchanged', () => {
	if (!existsSync(SHARED_SPEC_FILE)) return;
	expect(readFileSync(SPEC_FILE, 'utf8')).toBe(readFileSync(SHARED_SPEC_FILE, 'utf8'));
});

describe('Username & Password', () => {
	it('creates, updates and deletes, answering as the spec says', async () => {
		await start();
		let answer = await api(emulator, 'POST', '/modules/up/create', { username: 'alice.smith', password: 'Bx7-qMfeQ9' });
		expect([answer.status, answer.body]).toEqual([200, { username: 'alice.smith', password: 'Bx7-qMfeQ9' }]);
		answer = await api(emulator, 'PUT', '/modules/up/update', { username: 'alice.smith', password: 'N3w-P@ssw0rd' });
		expect([answer.status, answer.body]).toEqual([200, { username: 'alice.smith', password: 'N3w-P@ssw0rd' }]);
		expect(emulator.store.state.users['alice.smith'].password).toBe('N3w-P@ssw0rd');
		answer = await api(emulator, 'DELETE', '/modules/up/delete', { username: 'alice.smith' });
		expect([answer.status, answer.raw]).toEqual([204, '']);
		expect(emulator.store.state.users).toEqual({});
	});

	it('refuses duplicates, unknown users, policy violations and a disabled module with the UP body', async () => {
		await start({ passwordMinLength: 8 });
		await api(emulator, 'POST', '/modules/up/create', { username: 'a', password: 'long-enough' });
		const cases: Array<[string, string, unknown, string]> = [
			['POST', '/modules/up/create', { username: 'a', password: 'long-enough' }, 'USERNAME_ALREADY_EXISTS'],
			['POST', '/modules/up/create', { username: 'b', password: 'short' }, 'PASSWORD_POLICY_VIOLATION'],
			['PUT', '/modules/up/update', { username: 'nobody', password: 'long-enough' }, 'USER_NOT_FOUND'],
			['DELETE', '/modules/up/delete', { username: 'nobody' }, 'USER_NOT_FOUND'],
		];
		for (const [method, path, body, code] of cases) {
			const answer = await api(emulator, method, path, body);
			expect(answer.status).toBe(400);
			expect((answer.body as { error_code: string }).error_code).toBe(code);
		}
		for (const [method, path, body] of [
			['POST', '/modules/up/create', { username: '', password: 'x' }],
			['POST', '/modules/up/create', { username: 'c' }],
		] as Array<[string, string, unknown]>) {
			const answer = await api(emulator, method, path, body, false);
			expect([answer.status, (answer.body as { error_code: string }).error_code]).toEqual([400, 'VALIDATION_ERROR']);
		}
		await emulator.stop();
		await start({ upModuleEnabled: false });
		const answer = await api(emulator, 'POST', '/modules/up/create', { username: 'a', password: 'b' });
		expect((answer.body as { error_code: string }).error_code).toBe('MODULE_NOT_ENABLED');
	});
});

describe('Access Policy', () => {
	it('adds with warnings for duplicates and shadowed addresses, in insertion order', async () => {
		await start();
		const answer = await api(emulator, 'POST', `/policies/${POLICY}/emails`, {
			emails: ['alice@acme.com', '*@external.example.com', 'bob@partner.example.com', 'Carol@Example.org', 'carol@example.org'],
		});
		expect(answer.body).toEqual({
			policyEmails: ['*@acme.com', 'bob@partner.example.com', '*@external.example.com', 'carol@example.org'],
			warnings: [
				{ email: 'alice@acme.com', reason: 'covered by existing pattern *@acme.com' },
				{ email: 'bob@partner.example.com', reason: 'already in policy' },
			],
		});
	});

	it('removes with the four revoke counters, and none when revokeUserEngagement is false', async () => {
		await start();
		emulator.store.state.sessions.push(
			{ email: 'bob@partner.example.com', module: 'selfProvisioning' },
			{ email: 'bob@partner.example.com', module: 'conferences' },
			{ email: 'dave@acme.com', module: 'meetingHost' },
		);
		let answer = await api(emulator, 'DELETE', `/policies/${POLICY}/emails`, {
			emails: ['bob@partner.example.com', 'not@there.com'],
			revokeUserEngagement: true,
		});
		expect(answer.body).toEqual({
			policyEmails: ['*@acme.com'],
			removedEmails: [
				{
					email: 'bob@partner.example.com',
					revokedLoginsForSelfProvisioning: 1,
					revokedLoginsForMeetingHost: 0,
					revokedWhitelisting: 0,
					revokeLoginsforConferences: 1,
				},
			],
		});
		answer = await api(emulator, 'DELETE', `/policies/${POLICY}/emails`, { emails: ['*@acme.com'], revokeUserEngagement: false });
		expect((answer.body as { removedEmails: unknown[] }).removedEmails).toEqual([
			{ email: '*@acme.com', revokedLoginsForSelfProvisioning: 0, revokedLoginsForMeetingHost: 0, revokedWhitelisting: 0, revokeLoginsforConferences: 0 },
		]);
		expect(emulator.store.state.sessions).toEqual([{ email: 'dave@acme.com', module: 'meetingHost' }]);
	});

	it('refuses empty lists, invalid patterns and unknown policies with the Access Policy body', async () => {
		await start();
		for (const [path, body, message] of [
			[`/policies/${POLICY}/emails`, { emails: [] }, 'emails must not be empty'],
			[`/policies/${POLICY}/emails`, { emails: ['a*@acme.com'] }, 'invalid email pattern: a*@acme.com'],
			['/policies/00000000-0000-4000-8000-000000000000/emails', { emails: ['a@b.com'] }, 'access policy not found'],
		] as Array<[string, unknown, string]>) {
			const answer = await api(emulator, 'POST', path, body, false);
			expect(answer.status).toBe(400);
			expect(answer.body).toMatchObject({ status: 400, message });
		}
	});
});

describe('Whitelisting', () => {
	const printer = {
		id: '7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7f',
		mac: 'AA:BB:CC:DD:EE:FF',
		name: 'Reception printer',
		description: 'Lobby floor, left side',
		toDate: '2099-12-31',
		tags: [{ value: 'printer' }],
		createdBy: 'hr-sync',
	};

	it('creates with an empty 200, lists active entries, updates as a full replacement', async () => {
		await start();
		const created = await api(emulator, 'POST', '/modules/whitelistings', printer);
		expect([created.status, created.raw]).toEqual([200, '']);
		let list = await api(emulator, 'GET', '/modules/whitelistings/active');
		expect(list.body).toEqual([printer]);
		const updated = await api(emulator, 'PUT', '/modules/whitelistings', { id: printer.id, mac: 'AA-BB-CC-DD-EE-00', name: 'Moved printer' });
		expect(updated.status).toBe(200);
		list = await api(emulator, 'GET', '/modules/whitelistings/active');
		expect(list.body).toEqual([
			{ id: printer.id, mac: 'AA-BB-CC-DD-EE-00', name: 'Moved printer', description: null, toDate: null, tags: [], createdBy: 'hr-sync' },
		]);
	});

	it('answers with the stored entry when configured to', async () => {
		await start({ returnStoredEntry: true });
		const answer = await call(emulator, 'POST', '/modules/whitelistings', { mac: 'AA:BB:CC:DD:EE:01', name: 'Kiosk' });
		expect(answer.body).toMatchObject({ mac: 'AA:BB:CC:DD:EE:01', name: 'Kiosk', toDate: null });
	});

	it('expires entries at 00:00 Organization-local time on toDate', async () => {
		for (const timeZone of ['Pacific/Kiritimati', 'Etc/GMT+12']) {
			await start({ timeZone });
			const today = new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
			const tomorrow = new Date(`${today}T00:00:00Z`);
			tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
			await api(emulator, 'POST', '/modules/whitelistings', { mac: 'AA:BB:CC:00:00:01', name: 'Ends today', toDate: today });
			await api(emulator, 'POST', '/modules/whitelistings', {
				mac: 'AA:BB:CC:00:00:02',
				name: 'Ends tomorrow',
				toDate: tomorrow.toISOString().slice(0, 10),
			});
			const list = await api(emulator, 'GET', '/modules/whitelistings/active');
			expect((list.body as Array<{ name: string }>).map((entry) => entry.name)).toEqual(['Ends tomorrow']);
			await emulator.stop();
		}
	});

	it('refuses every broken field rule with the Whitelisting array body', async () => {
		await start();
		const answer = await api(
			emulator,
			'POST',
			'/modules/whitelistings',
			{ id: 'nope', mac: 'aabbccddeeff', name: 'X', description: 'Lobby — left', toDate: '2026-02-30', tags: [{ value: 'a' }] },
			false,
		);
		expect(answer.status).toBe(400);
		expect((answer.body as Array<{ field: string }>).map((error) => error.field)).toEqual([
			'id',
			'mac',
			'name',
			'description',
			'toDate',
			'tags[0].value',
		]);
		await api(emulator, 'POST', '/modules/whitelistings', printer);
		const duplicate = await api(emulator, 'POST', '/modules/whitelistings', { mac: 'aa-bb-cc-dd-ee-ff', name: 'Again' });
		expect(duplicate.body).toEqual([{ field: 'mac', rejectedValue: 'aa-bb-cc-dd-ee-ff', message: 'MAC already whitelisted' }]);
		const unknown = await api(emulator, 'PUT', '/modules/whitelistings', { id: '00000000-0000-4000-8000-000000000000', mac: 'AA:BB:CC:DD:EE:01', name: 'Ghost' });
		expect(unknown.body).toEqual([{ field: 'id', rejectedValue: '00000000-0000-4000-8000-000000000000', message: 'whitelisting not found' }]);
	});

	it('batch add sorts entries into created, existing and faulty, echoing faulty ones unchanged', async () => {
		await start();
		await api(emulator, 'POST', '/modules/whitelistings', printer);
		const faulty = { mac: 'AA:BB:CC:00:00:09', name: 'X' };
		const answer = await api(
			emulator,
			'POST',
			'/modules/whitelistings/batch/add',
			{
				whitelistings: [
					{ mac: 'AA:BB:CC:00:00:01', name: 'Printer A' },
					{ mac: 'aa:bb:cc:dd:ee:ff', name: 'Printer again' },
					faulty,
					{ mac: 'AA-BB-CC-00-00-01', name: 'Printer A twice' },
				],
				autoGenerateTags: true,
				autoGenerateDateTag: true,
			},
			false,
		);
		expect(answer.body).toEqual({
			createdWhitelistingMacs: ['AA:BB:CC:00:00:01'],
			existingWhitelistingMacs: ['aa:bb:cc:dd:ee:ff', 'AA-BB-CC-00-00-01'],
			faultyRequests: [faulty],
			updatedLogins: 0,
		});
		expect(emulator.store.state.whitelistings[1].tags).toEqual([{ value: 'api' }, { value: emulator.today() }]);
	});

	it('batch remove counts the request and the devices whose sessions it ended', async () => {
		await start();
		await api(emulator, 'POST', '/modules/whitelistings/batch/add', {
			whitelistings: [
				{ mac: 'AA:BB:CC:00:00:01', name: 'Printer A' },
				{ mac: 'AA:BB:CC:00:00:02', name: 'Printer B' },
			],
		});
		emulator.store.state.sessions.push({ mac: 'aa:bb:cc:00:00:01', module: 'whitelisting' });
		const answer = await api(emulator, 'POST', '/modules/whitelistings/batch/remove', {
			macs: [{ mac: 'AA:BB:CC:00:00:01' }, { mac: 'AA:BB:CC:00:00:02' }, { mac: 'AA:BB:CC:00:00:03' }],
		});
		expect(answer.body).toEqual({ nrOfWhitelistingsInRevokeRequest: 3, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 1 });
		expect(emulator.store.state.whitelistings).toEqual([]);
		const invalid = await api(emulator, 'POST', '/modules/whitelistings/batch/remove', { macs: [{ mac: '00-11' }] }, false);
		expect(invalid.body).toEqual([{ field: 'macs[0].mac', rejectedValue: '00-11', message: 'invalid MAC address format' }]);
	});

	it('enforces a configured batch limit', async () => {
		await start({ batchLimit: 1 });
		const answer = await api(emulator, 'POST', '/modules/whitelistings/batch/remove', { macs: [{ mac: 'AA:BB:CC:00:00:01' }, { mac: 'AA:BB:CC:00:00:02' }] });
		expect(answer.status).toBe(400);
	});
});

describe('paged list (U-G6)', () => {
	const seeded = [1, 2, 3, 4, 5].map((n) => ({
		id: `d0000000-0000-4000-8000-00000000000${n}`,
		mac: `AA:BB:CC:00:02:0${n}`,
		name: `Device ${n}`,
		description: null,
		toDate: null,
		tags: [],
		createdBy: null,
	}));
	const list = '/modules/whitelistings/active';

	it('spring: answers page and size as Spring Data does, the size asked for winning over the configured one', async () => {
		await start({ seed: { whitelistings: seeded }, pageSize: 2 });
		const answers = await Promise.all([list, `${list}?page=1`, `${list}?page=2&size=2`, `${list}?size=3&page=1`, `${list}?page=9`].map((path) => call(emulator, 'GET', path)));
		expect(answers.map((answer) => [answer.status, answer.body])).toEqual([
			[200, { content: seeded.slice(0, 2), number: 0, size: 2, totalPages: 3, totalElements: 5, last: false }],
			[200, { content: seeded.slice(2, 4), number: 1, size: 2, totalPages: 3, totalElements: 5, last: false }],
			[200, { content: seeded.slice(4), number: 2, size: 2, totalPages: 3, totalElements: 5, last: true }],
			[200, { content: seeded.slice(3), number: 1, size: 3, totalPages: 2, totalElements: 5, last: true }],
			[200, { content: [], number: 9, size: 2, totalPages: 3, totalElements: 5, last: true }],
		]);
	});

	it('spring: an empty list is one last page; a page or size that is not a whole number is a 400 with the Whitelisting body', async () => {
		await start({ pageSize: 2 });
		expect((await call(emulator, 'GET', list)).body).toEqual({ content: [], number: 0, size: 2, totalPages: 0, totalElements: 0, last: true });
		const refused = await call(emulator, 'GET', `${list}?page=-1&size=0`);
		expect([refused.status, refused.body]).toEqual([
			400,
			[
				{ field: 'page', rejectedValue: '-1', message: 'must be a whole number of at least 0' },
				{ field: 'size', rejectedValue: '0', message: 'must be a whole number of at least 1' },
			],
		]);
	});

	it('next: answers {items, next} with an absolute link on the host called, null on the last page', async () => {
		await start({ seed: { whitelistings: seeded }, pageSize: 2, pageStyle: 'next' });
		const link = (cursor: number) => `${emulator.url}${emulator.contextPath}${list}?cursor=${cursor}`;
		const pages = [];
		for (let path: string | null = `${emulator.contextPath}${list}`; path !== null; ) {
			const answer = await call(emulator, 'GET', path, undefined, { prefix: '' });
			pages.push(answer.body);
			const next = (answer.body as { next: string | null }).next;
			path = next === null ? null : next.slice(emulator.url.length);
		}
		expect(pages).toEqual([
			{ items: seeded.slice(0, 2), next: link(2) },
			{ items: seeded.slice(2, 4), next: link(4) },
			{ items: seeded.slice(4), next: null },
		]);
		expect((await call(emulator, 'GET', `${list}?cursor=x`)).status).toBe(400);
	});

	it('is off by default, and set with --page-size and --page-style or their environment variables', () => {
		expect([new SignInEmulator().options.pageSize, new SignInEmulator().options.pageStyle]).toEqual([0, 'spring']);
		const flags = parseOptions(['--page-size', '2', '--page-style=next'], {});
		const env = parseOptions([], { EMULATOR_PAGE_SIZE: '50', EMULATOR_PAGE_STYLE: 'spring' });
		expect([flags.pageSize, flags.pageStyle, env.pageSize, env.pageStyle]).toEqual([2, 'next', 50, 'spring']);
		expect(() => parseOptions(['--page-style', 'cursor'], {})).toThrow('--page-style needs spring or next, got "cursor"');
	});
});

describe('refused values', () => {
	it('refuses a whole request holding a refused e-mail or MAC with the family 400 body, and applies nothing of it', async () => {
		await start({ refuseValues: ['Refused@Example.com', 'aa-bb-cc-00-00-02'] });
		const add = await api(emulator, 'POST', `/policies/${POLICY}/emails`, { emails: ['ok@example.com', 'refused@example.com'] });
		expect([add.status, add.body]).toEqual([400, { status: 400, message: 'email not allowed: refused@example.com', request_id: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
		const remove = await api(emulator, 'DELETE', `/policies/${POLICY}/emails`, { emails: ['*@acme.com', 'REFUSED@example.com'] });
		expect([remove.status, (remove.body as { message: string }).message]).toEqual([400, 'email not allowed: REFUSED@example.com']);
		expect(emulator.store.state.policies[POLICY].emails).toEqual(['*@acme.com', 'bob@partner.example.com']);
		const entries = [
			{ mac: 'AA:BB:CC:00:00:01', name: 'Printer A' },
			{ mac: 'AA:BB:CC:00:00:02', name: 'Printer B' },
		];
		const batchAdd = await api(emulator, 'POST', '/modules/whitelistings/batch/add', { whitelistings: entries });
		expect([batchAdd.status, batchAdd.body]).toEqual([400, [{ field: 'whitelistings[1].mac', rejectedValue: 'AA:BB:CC:00:00:02', message: 'MAC address not allowed' }]]);
		expect(emulator.store.state.whitelistings).toEqual([]);
		await api(emulator, 'POST', '/modules/whitelistings/batch/add', { whitelistings: [entries[0]] });
		const batchRemove = await api(emulator, 'POST', '/modules/whitelistings/batch/remove', { macs: [{ mac: 'AA:BB:CC:00:00:01' }, { mac: 'aa:bb:cc:00:00:02' }] });
		expect([batchRemove.status, batchRemove.body]).toEqual([400, [{ field: 'macs[1].mac', rejectedValue: 'aa:bb:cc:00:00:02', message: 'MAC address not allowed' }]]);
		expect(emulator.store.state.whitelistings.map((entry) => entry.mac)).toEqual(['AA:BB:CC:00:00:01']);
	});
});

describe('access control', () => {
	it('401 for a missing or wrong token, with the family body where one exists', async () => {
		await start();
		const missing = await call(emulator, 'POST', '/modules/up/create', { username: 'a', password: 'b' }, { token: null });
		expect(missing.status).toBe(401);
		expect(missing.body).toMatchObject({ error_code: 'UNAUTHORIZED', error_message: 'missing x-auth-token header' });
		const wrong = await call(emulator, 'POST', `/policies/${POLICY}/emails`, { emails: ['a@b.com'] }, { token: 'wrong' });
		expect([wrong.status, (wrong.body as { status: number }).status]).toEqual([401, 401]);
		const whitelisting = await call(emulator, 'GET', '/modules/whitelistings/active', undefined, { token: 'wrong' });
		expect([whitelisting.status, whitelisting.raw]).toEqual([401, '']);
	});

	it('403 for an unknown organization or context, and for a caller off the IP allow-list even with the right token', async () => {
		await start();
		const unknown = await call(emulator, 'GET', '/modules/whitelistings/active', undefined, {
			prefix: '/v1/org/other-org/contexts/sign-in/demo-context',
		});
		expect(unknown.status).toBe(403);
		await emulator.stop();
		await start({ allowIps: ['203.0.113.7'] });
		const blocked = await call(emulator, 'POST', '/modules/up/create', { username: 'a', password: 'b' });
		expect(blocked.status).toBe(403);
		expect((blocked.body as { error_message: string }).error_message).toBe(
			'source IP 127.0.0.1 is not on the Administrator portal IP whitelist',
		);
	});

	it('malformed JSON is a 400 with the family body', async () => {
		await start();
		const answer = await call(emulator, 'POST', '/modules/whitelistings', undefined, { raw: '{"mac":' });
		expect(answer.body).toEqual([{ field: 'body', rejectedValue: null, message: 'request body must be a JSON object' }]);
	});
});

describe('state', () => {
	it('survives a restart through its JSON file, written atomically', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'emulator-'));
		const stateFile = join(dir, 'state.json');
		await start({ stateFile });
		await api(emulator, 'POST', '/modules/up/create', { username: 'persisted', password: 'x' });
		await emulator.stop();
		expect(readdirSync(dir)).toEqual(['state.json']);
		await start({ stateFile, seed: {} });
		expect(Object.keys(emulator.store.state.users)).toEqual(['persisted']);
		expect(Object.keys(emulator.store.state.policies)).toEqual([POLICY]);
	});

	it('shows its state and requests on the inspection routes, without the token', async () => {
		await start();
		await api(emulator, 'POST', '/modules/up/create', { username: 'a', password: 'b' });
		const state = await call(emulator, 'GET', '/state', undefined, { prefix: '/__emulator' });
		expect((state.body as { users: object }).users).toHaveProperty('a');
		const requests = await call(emulator, 'GET', '/requests', undefined, { prefix: '/__emulator' });
		expect(requests.body).toMatchObject([{ method: 'POST', path: `${emulator.contextPath}/modules/up/create`, status: 200 }]);
		expect(requests.raw).not.toContain(TOKEN);
	});
});

describe('venue stand-ins', () => {
	const venue = (method: string, path: string, body?: unknown) => call(emulator, method, path, body, { prefix: '/__emulator', token: null });

	it('serves the device inventory, takes a replacement, refuses a malformed one, and reset restores the demo data', async () => {
		await start();
		expect((await venue('GET', '/inventory')).body).toEqual({
			devices: [
				{ mac: '00:1B:63:84:46:01', name: 'Printer floor 1', tags: ['printer'] },
				{ mac: '00:1B:63:84:46:02', name: 'Printer floor 2', tags: ['printer'] },
				{ mac: '00:1B:63:84:46:03', name: 'Kiosk lobby', tags: ['kiosk'] },
				{ mac: '00:1B:63:84:46:04', name: 'Signage bar', tags: ['signage'] },
			],
		});
		expect(await venue('PUT', '/inventory', { devices: [{ mac: '00:1B:63:84:46:01', name: 'Printer floor 1', tags: ['printer'] }] })).toMatchObject({ status: 200, body: { devices: 1 } });
		expect((await venue('GET', '/inventory')).body).toEqual({ devices: [{ mac: '00:1B:63:84:46:01', name: 'Printer floor 1', tags: ['printer'] }] });
		expect(await venue('PUT', '/inventory', { devices: [{ mac: '00:1B:63:84:46:01', tags: 'printer' }] })).toMatchObject({
			status: 400,
			body: { message: 'devices must be a list of { mac, name, tags: [string] }' },
		});
		await venue('POST', '/reset', {});
		expect((await venue('GET', '/inventory')).body).toMatchObject({ devices: { length: 4 } });
	});

	it("keeps the messages posted to the chat inbox, oldest first, and refuses one without text", async () => {
		await start();
		expect((await venue('POST', '/inbox', { text: 'first' })).status).toBe(200);
		expect((await venue('POST', '/inbox', { text: 'second' })).status).toBe(200);
		expect(await venue('POST', '/inbox', { message: 'no text' })).toMatchObject({ status: 400, body: { message: 'text must be a non-empty string' } });
		expect((await venue('GET', '/inbox')).body).toEqual([
			{ at: expect.any(String), text: 'first' },
			{ at: expect.any(String), text: 'second' },
		]);
		await venue('POST', '/reset', {});
		expect((await venue('GET', '/inbox')).body).toEqual([]);
	});
});

describe('faults', () => {
	it('a planned fault before the change leaves state untouched; after the change, applies it and loses the answer', async () => {
		await start();
		emulator.planFaults([{ fault: '503', phase: 'before' }]);
		let answer = await call(emulator, 'POST', '/modules/up/create', { username: 'a', password: 'b' });
		expect(answer.status).toBe(503);
		expect(emulator.store.state.users).toEqual({});
		emulator.planFaults([{ fault: '502', phase: 'after' }]);
		answer = await call(emulator, 'POST', '/modules/up/create', { username: 'a', password: 'b' });
		expect(answer.status).toBe(502);
		expect(Object.keys(emulator.store.state.users)).toEqual(['a']);
	});

	it('delivers 429 with Retry-After, an HTML page, an empty 200, a reset and a hang', async () => {
		await start({ retryAfterSeconds: 7 });
		emulator.planFaults([
			{ fault: '429', phase: 'before' },
			{ fault: 'html', phase: 'before' },
			{ fault: 'empty200', phase: 'before' },
			{ fault: 'reset', phase: 'before' },
			{ fault: 'hang', phase: 'before' },
		]);
		const path = '/modules/whitelistings/active';
		const limited = await call(emulator, 'GET', path);
		expect([limited.status, limited.headers['retry-after']]).toEqual([429, '7']);
		const html = await call(emulator, 'GET', path);
		expect([html.status, html.headers['content-type'], html.raw.startsWith('<!DOCTYPE html>')]).toEqual([502, 'text/html', true]);
		const empty = await call(emulator, 'GET', path);
		expect([empty.status, empty.raw]).toEqual([200, '']);
		await expect(call(emulator, 'GET', path)).rejects.toMatchObject({ code: 'ECONNRESET' });
		await expect(call(emulator, 'GET', path, undefined, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'TIMEOUT' });
		expect(emulator.requests.map((request) => request.fault)).toEqual(['429', 'html', 'empty200', 'reset', 'hang']);
	});

	it('answers as a wrong address would: an empty 404 and an HTML 404, applying nothing', async () => {
		await start();
		emulator.planFaults([
			{ fault: '404', phase: 'before' },
			{ fault: '404html', phase: 'before' },
		]);
		const empty = await call(emulator, 'DELETE', '/modules/up/delete', { username: 'a' });
		expect([empty.status, empty.raw]).toEqual([404, '']);
		const html = await call(emulator, 'POST', '/modules/up/create', { username: 'a', password: 'b' });
		expect([html.status, html.headers['content-type'], html.raw]).toEqual([
			404,
			'text/html',
			'<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>',
		]);
		expect(emulator.store.state.users).toEqual({});
		expect(emulator.requests.map((request) => [request.status, request.fault])).toEqual([
			[404, '404'],
			[404, '404html'],
		]);
	});

	it('paths it does not know answer an empty 404, or an HTML 404 with notFoundHtml', async () => {
		await start();
		const empty = await call(emulator, 'GET', '/modules/whitelistings/active', undefined, { prefix: `/wrong${emulator.contextPath}` });
		expect([empty.status, empty.raw]).toEqual([404, '']);
		emulator.options.notFoundHtml = true;
		const html = await call(emulator, 'GET', '/modules/whitelistings/active', undefined, { prefix: `/wrong${emulator.contextPath}` });
		expect([html.status, html.headers['content-type'], html.raw.startsWith('<!DOCTYPE html><html><head><title>404 Not Found')]).toEqual([404, 'text/html', true]);
		const known = await call(emulator, 'GET', '/modules/whitelistings/active');
		expect([known.status, known.body]).toEqual([200, []]);
	});

	it('redirects with 301 and 307 to redirectTo plus the request path, applying nothing', async () => {
		await start({ redirectTo: 'http://127.0.0.1:9' });
		emulator.planFaults([
			{ fault: '301', phase: 'before' },
			{ fault: '307', phase: 'before' },
		]);
		const moved = await call(emulator, 'POST', '/modules/up/create', { username: 'a', password: 'b' });
		expect([moved.status, moved.headers.location, moved.raw]).toEqual([301, `http://127.0.0.1:9${emulator.contextPath}/modules/up/create`, '']);
		const temporary = await call(emulator, 'GET', '/modules/whitelistings/active');
		expect([temporary.status, temporary.headers.location]).toEqual([307, `http://127.0.0.1:9${emulator.contextPath}/modules/whitelistings/active`]);
		expect(emulator.store.state.users).toEqual({});
	});

	it('echoes the x-auth-token it got in the error body and a header with echo400 to echo500', async () => {
		await start();
		emulator.planFaults(['echo400', 'echo401', 'echo403', 'echo500'].map((fault) => ({ fault: fault as Fault, phase: 'before' as const })));
		const answers = [];
		for (const path of ['/modules/up/create', '/policies/x/emails', '/modules/whitelistings', '/modules/whitelistings']) {
			answers.push(await call(emulator, 'POST', path, { username: 'a', password: 'b' }));
		}
		expect(answers.map((answer) => [answer.status, answer.headers['x-echo-token'], answer.raw.includes(TOKEN)])).toEqual([
			[400, TOKEN, true],
			[401, TOKEN, true],
			[403, TOKEN, true],
			[500, TOKEN, true],
		]);
		expect(answers[0].body).toMatchObject({ error_code: 'ECHO', error_message: `request with x-auth-token ${TOKEN} failed` });
		expect(answers[1].body).toMatchObject({ status: 401, message: `request with x-auth-token ${TOKEN} failed` });
		expect(answers[2].body).toEqual({ message: `request with x-auth-token ${TOKEN} failed`, token: TOKEN });
		expect(emulator.store.state.users).toEqual({});
	});

	it('offers every fault and both new switches on the command line', () => {
		const options = parseOptions(['--fault-404html', '0.5', '--redirect-to', 'http://127.0.0.1:9/', '--not-found-html'], {});
		expect([options.faultRates, options.redirectTo, options.notFoundHtml]).toEqual([{ '404html': 0.5 }, 'http://127.0.0.1:9', true]);
		expect(KNOBS.filter((knob) => knob.flag.startsWith('fault-')).map((knob) => knob.flag)).toEqual(FAULTS.map((fault) => `fault-${fault}`));
	});

	it('answers 429 without any Retry-After with 429bare, and with omitRetryAfter on its rate limit and 429 fault', async () => {
		await start({ rateLimitPerSecond: 2, retryAfterSeconds: 1 });
		const path = '/modules/whitelistings/active';
		emulator.planFaults([{ fault: '429bare', phase: 'before' }]);
		const bare = await call(emulator, 'GET', path);
		expect([bare.status, bare.headers['retry-after'], bare.raw]).toEqual([429, undefined, '']);
		emulator.options.omitRetryAfter = true;
		emulator.planFaults([{ fault: '429', phase: 'before' }]);
		const fault = await call(emulator, 'GET', path);
		const limited = await call(emulator, 'GET', path);
		expect([fault.status, fault.headers['retry-after'], limited.status, limited.headers['retry-after']]).toEqual([429, undefined, 429, undefined]);
		expect(emulator.requests.map((request) => [request.status, request.fault])).toEqual([
			[429, '429bare'],
			[429, '429'],
			[429, '429bare'],
		]);
	});

	it('echoes the x-auth-token in a plain-text body and an HTML page, at character 190, with echo400text and echo502html', async () => {
		await start();
		emulator.planFaults([
			{ fault: 'echo400text', phase: 'before' },
			{ fault: 'echo502html', phase: 'before' },
		]);
		const text = await call(emulator, 'POST', '/modules/up/create', { username: 'a', password: 'b' });
		const html = await call(emulator, 'POST', '/modules/up/create', { username: 'a', password: 'b' });
		const echoed = `${'x'.repeat(183)} token ${TOKEN} was refused; ${'y'.repeat(120)}`;
		expect([text.status, text.headers['content-type'], text.raw, text.raw.indexOf(TOKEN)]).toEqual([400, 'text/plain', echoed, 190]);
		expect([html.status, html.headers['content-type'], html.raw]).toEqual([502, 'text/html', `<!DOCTYPE html><html><body><p>${echoed}</p></body></html>`]);
		expect(emulator.store.state.users).toEqual({});
	});

	it('--no-retry-after is a switch, alone or with a value, or EMULATOR_NO_RETRY_AFTER', () => {
		expect(parseOptions(['--no-retry-after', '--rate-limit', '10'], {})).toMatchObject({ omitRetryAfter: true, rateLimitPerSecond: 10 });
		expect(parseOptions(['--no-retry-after', 'false'], {}).omitRetryAfter).toBe(false);
		expect(parseOptions([], { EMULATOR_NO_RETRY_AFTER: 'true' }).omitRetryAfter).toBe(true);
		expect(parseOptions([], {}).omitRetryAfter).toBeUndefined();
	});

	it('limits the request rate with 429 and Retry-After', async () => {
		await start({ rateLimitPerSecond: 2, retryAfterSeconds: 1 });
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await call(emulator, 'GET', '/modules/whitelistings/active')).status);
		expect(statuses).toEqual([200, 200, 429, 429]);
	});

	it('adds the configured latency', async () => {
		await start({ latencyMs: 150 });
		const started = Date.now();
		await call(emulator, 'GET', '/modules/whitelistings/active');
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	});
});
