import { TOKEN_HELP } from '../../nodes/NetgraphSignIn/transport/errors';
import nock from 'nock';
import { sleep } from 'n8n-workflow';

import { BASE_URL, CONTEXT_PATH, expectCall, expectWire, plain, runNode, type RecordedRequest } from '../support/harness';


const create = (username: string, extra: Record<string, unknown> = {}) => ({
	resource: 'user',
	operation: 'create',
	username,
	passwordMode: 'define',
	password: 'Bx7-qMfeQ9',
	...extra,
});

describe('User > Create', () => {
	it('sends the spec example byte for byte and outputs the username without the given password', async () => {
		const calls = expectCall('POST', '/modules/up/create', 200, { username: 'alice.smith', password: 'Bx7-qMfeQ9' });
		const result = await runNode({ parameters: create('alice.smith') });
		expectWire(calls[0], 'POST', '/modules/up/create', { username: 'alice.smith', password: 'Bx7-qMfeQ9' });
		expect(result.status).toBe('success');
		expect(plain(result.output)).toEqual([
			{ json: { username: 'alice.smith', passwordGenerated: false }, pairedItem: { item: 0 } },
		]);
	});

	it('generates a password of the asked length and hands it on', async () => {
		const calls = expectCall('POST', '/modules/up/create', 200, { username: 'guest-204', password: 'echoed' });
		const result = await runNode({
			parameters: { resource: 'user', operation: 'create', username: 'guest-204', passwordMode: 'generate', passwordLength: 20 },
		});
		const sent = calls[0].body as { username: string; password: string };
		expect(sent.username).toBe('guest-204');
		expect(sent.password).toMatch(/^[A-Za-z2-9]{20}$/);
		expect(plain(result.output)).toEqual([
			{ json: { username: 'guest-204', password: sent.password, passwordGenerated: true }, pairedItem: { item: 0 } },
		]);
	});

	it('runs once per item, in order, each output paired with its item', async () => {
		const calls: RecordedRequest[] = [];
		for (const name of ['room-101', 'room-102', 'room-103']) {
			expectCall('POST', '/modules/up/create', 200, { username: name, password: 'x' }, {}, calls);
		}
		const result = await runNode({
			parameters: create('={{ $json.room }}'),
			items: [{ room: 'room-101' }, { room: 'room-102' }, { room: 'room-103' }],
		});
		expect(calls.map((call) => (call.body as { username: string }).username)).toEqual(['room-101', 'room-102', 'room-103']);
		expect(plain(result.output)).toEqual([
			{ json: { username: 'room-101', passwordGenerated: false }, pairedItem: { item: 0 } },
			{ json: { username: 'room-102', passwordGenerated: false }, pairedItem: { item: 1 } },
			{ json: { username: 'room-103', passwordGenerated: false }, pairedItem: { item: 2 } },
		]);
	});

	it('a duplicate username fails the run with the API message, code and request ID', async () => {
		expectCall('POST', '/modules/up/create', 400, {
			error_code: 'USERNAME_ALREADY_EXISTS',
			error_message: 'username alice.smith already exists',
			request_id: 'req-0001',
		});
		const result = await runNode({ parameters: create('alice.smith') });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('The Sign-In API rejected the request: username alice.smith already exists');
		expect(result.error?.description).toBe(
			'Correct the value it names and run again. Code: USERNAME_ALREADY_EXISTS. Request ID: req-0001 (quote it if you contact Netgraph support).',
		);
		expect(result.error?.httpCode).toBe('400');
	});

	it('with Continue On Fail, a rejected item becomes an error item and the others still run', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', '/modules/up/create', 200, { username: 'a1', password: 'x' }, {}, calls);
		expectCall(
			'POST',
			'/modules/up/create',
			400,
			{ error_code: 'PASSWORD_POLICY_VIOLATION', error_message: 'password too short', request_id: 'req-2' },
			{},
			calls,
		);
		expectCall('POST', '/modules/up/create', 200, { username: 'a3', password: 'x' }, {}, calls);
		const result = await runNode({
			parameters: create('={{ $json.u }}'),
			items: [{ u: 'a1' }, { u: 'a2' }, { u: 'a3' }],
			continueOnFail: true,
		});
		expect(result.status).toBe('success');
		expect(plain(result.output)).toEqual([
			{ json: { username: 'a1', passwordGenerated: false }, pairedItem: { item: 0 } },
			{
				json: {
					error: 'The Sign-In API rejected the request: password too short',
					description:
						'Correct the value it names and run again. Code: PASSWORD_POLICY_VIOLATION. Request ID: req-2 (quote it if you contact Netgraph support).',
				},
				pairedItem: { item: 1 },
			},
			{ json: { username: 'a3', passwordGenerated: false }, pairedItem: { item: 2 } },
		]);
	});

	it('an empty username is refused before any request, naming item, field and rule', async () => {
		const result = await runNode({ parameters: create('={{ $json.u }}'), items: [{ u: 'ok' }, { u: '  ' }] });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('[item 1] Username "  " must not be empty');
		expect(result.error?.description).toBe('Correct the Username of item 1 and run again. Nothing was sent for this item.');
	});

	it('an empty given password is refused without echoing it', async () => {
		const result = await runNode({ parameters: create('alice', { password: '={{ $json.pw }}' }), items: [{ pw: '' }] });
		expect(result.error?.message).toBe('[item 0] Password Value must not be empty');
	});

	it('a password length outside 8–128 is refused', async () => {
		const result = await runNode({
			parameters: { resource: 'user', operation: 'create', username: 'alice', passwordMode: 'generate', passwordLength: 6 },
		});
		expect(result.error?.message).toBe('[item 0] Password Length 6 must be a whole number from 8 to 128');
	});

	it('401 explains where to rotate the token, without leaking it', async () => {
		expectCall('POST', '/modules/up/create', 401, '');
		const result = await runNode({ parameters: create('alice') });
		expect(result.error?.message).toBe('The Sign-In API refused the API token (401 Unauthorized)');
		expect(result.error?.description).toBe(TOKEN_HELP);
	});
});

describe('User > Update', () => {
	it('sends the spec example byte for byte with PUT', async () => {
		const calls = expectCall('PUT', '/modules/up/update', 200, { username: 'alice.smith', password: 'N3w-P@ssw0rd' });
		const result = await runNode({
			parameters: { resource: 'user', operation: 'update', username: 'alice.smith', passwordMode: 'define', password: 'N3w-P@ssw0rd' },
		});
		expectWire(calls[0], 'PUT', '/modules/up/update', { username: 'alice.smith', password: 'N3w-P@ssw0rd' });
		expect(plain(result.output)).toEqual([
			{ json: { username: 'alice.smith', passwordGenerated: false }, pairedItem: { item: 0 } },
		]);
	});

	it('rotates to a generated password and outputs it', async () => {
		const calls = expectCall('PUT', '/modules/up/update', 200, { username: 'alice.smith', password: 'echoed' });
		const result = await runNode({
			parameters: {
				resource: 'user',
				operation: 'update',
				username: 'alice.smith',
				passwordMode: 'generate',
				passwordLength: 12,
				includeSymbols: true,
			},
		});
		const sent = calls[0].body as { password: string };
		expect(sent.password).toHaveLength(12);
		expect(sent.password).toMatch(/[-_.!#%+=]/);
		expect(result.output[0].json).toEqual({ username: 'alice.smith', password: sent.password, passwordGenerated: true });
	});

	it('an unknown user fails with the API message', async () => {
		expectCall('PUT', '/modules/up/update', 400, {
			error_code: 'USER_NOT_FOUND',
			error_message: 'user bob does not exist',
			request_id: 'req-3',
		});
		const result = await runNode({
			parameters: { resource: 'user', operation: 'update', username: 'bob', passwordMode: 'define', password: 'secret-1' },
		});
		expect(result.error?.message).toBe('The Sign-In API rejected the request: user bob does not exist');
	});
});

describe('User > Update: several items for one account (Concurrency Auto)', () => {
	it('sends them one after another in input order, while other accounts go alongside', async () => {
		const events: string[] = [];
		nock(BASE_URL)
			.intercept(`${CONTEXT_PATH}/modules/up/update`, 'PUT')
			.times(4)
			.reply((_uri, body, callback) => {
				const { username, password } = body as { username: string; password: string };
				events.push(`sent ${username} ${password}`);
				// alice's answer takes 300 ms, the others' 30 ms.
				void sleep(username === 'alice' ? 300 : 30).then(() => {
					events.push(`answered ${username} ${password}`);
					callback(null, [200, { username, password }]);
				});
			});
		const items = [
			{ username: 'bob', password: 'first-1' },
			{ username: 'BOB', password: 'second-2' },
			{ username: 'alice', password: 'only-1' },
			{ username: 'carol', password: 'only-2' },
		];
		const result = await runNode({
			parameters: { resource: 'user', operation: 'update', username: '={{ $json.username }}', passwordMode: 'define', password: '={{ $json.password }}' },
			items,
		});
		// Auto starts with four places: bob, alice and carol go at once, while BOB (the same account, in
		// another case) waits for bob's answer without taking a place.
		expect(events.slice(0, 3)).toEqual(['sent bob first-1', 'sent alice only-1', 'sent carol only-2']);
		expect(events.indexOf('sent BOB second-2')).toBeGreaterThan(events.indexOf('answered bob first-1'));
		expect(events.indexOf('answered BOB second-2')).toBeGreaterThan(events.indexOf('sent BOB second-2'));
		expect(events).toHaveLength(8);
		expect(events[7]).toBe('answered alice only-1');
		expect(result.output.map((item) => [item.pairedItem, item.json.username])).toEqual(items.map((item, index) => [{ item: index }, item.username]));
	});
});

describe('User > Delete', () => {
	it('sends DELETE with the JSON body of the spec example and outputs { username, deleted: true }', async () => {
		const calls = expectCall('DELETE', '/modules/up/delete', 204);
		const result = await runNode({ parameters: { resource: 'user', operation: 'delete', username: 'alice.smith' } });
		expectWire(calls[0], 'DELETE', '/modules/up/delete', { username: 'alice.smith' });
		expect(plain(result.output)).toEqual([{ json: { username: 'alice.smith', deleted: true }, pairedItem: { item: 0 } }]);
	});

	it('a user that is not there fails the run by default', async () => {
		expectCall('DELETE', '/modules/up/delete', 400, {
			error_code: 'USER_NOT_FOUND',
			error_message: 'user alice.smith not found',
			request_id: 'req-4',
		});
		const result = await runNode({ parameters: { resource: 'user', operation: 'delete', username: 'alice.smith' } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('The Sign-In API rejected the request: user alice.smith not found');
	});

	it('with Succeed If Not Found, a missing user is reported, not failed', async () => {
		expectCall('DELETE', '/modules/up/delete', 400, {
			error_code: 'USER_NOT_FOUND',
			error_message: 'user alice.smith not found',
			request_id: 'req-5',
		});
		const result = await runNode({
			parameters: { resource: 'user', operation: 'delete', username: 'alice.smith', options: { succeedIfNotFound: true } },
		});
		expect(plain(result.output)).toEqual([
			{ json: { username: 'alice.smith', deleted: false, notFound: true }, pairedItem: { item: 0 } },
		]);
	});

	it('Succeed If Not Found does not hide other rejections', async () => {
		expectCall('DELETE', '/modules/up/delete', 400, {
			error_code: 'MODULE_NOT_ENABLED',
			error_message: 'Username & Password module is not enabled',
			request_id: 'req-6',
		});
		const result = await runNode({
			parameters: { resource: 'user', operation: 'delete', username: 'alice.smith', options: { succeedIfNotFound: true } },
		});
		expect(result.error?.message).toBe('The Sign-In API rejected the request: Username & Password module is not enabled');
	});
});

describe('User > Create: an answer that does not confirm the account', () => {
	it('an empty 200 (a proxy, a glitch) is not reported as created', async () => {
		expectCall('POST', '/modules/up/create', 200, '');
		const result = await runNode({
			parameters: { resource: 'user', operation: 'create', username: 'room-101', passwordMode: 'define', password: 'Pass-1234' },
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('The Sign-In API answered 200 with an empty body instead of the account (username and password)');
	});
});
