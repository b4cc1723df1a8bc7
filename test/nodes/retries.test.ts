import nock from 'nock';

import { BASE_URL, CONTEXT_PATH, defaultCredentials, expectCall, plain, runNode, type RecordedRequest } from '../support/harness';
import { createManyParameters } from '../support/operations';
import { withResettingServer } from '../support/resettingServer';
import { ADDED_UNKNOWN } from '../../nodes/NetgraphSignIn/actions/accessPolicy/shared';

const fast = { maxAttempts: 4, initialDelayMs: 0 };
const ID = '7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7f';
const createUser = { resource: 'user', operation: 'create', username: 'alice', passwordMode: 'define', password: 'Pass-1234', requestOptions: fast };

describe('retries', () => {
	it('waits the Retry-After of a 429, then succeeds with one output item', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', '/modules/up/create', 429, '', { 'Retry-After': '0' }, calls);
		expectCall('POST', '/modules/up/create', 200, { username: 'alice', password: 'Pass-1234' }, {}, calls);
		const result = await runNode({ parameters: createUser });
		expect(calls).toHaveLength(2);
		expect(plain(result.output)).toEqual([{ json: { username: 'alice', passwordGenerated: false }, pairedItem: { item: 0 } }]);
	});

	it('retries 502, 503 and 504 up to Max Attempts, then fails saying how often it tried', async () => {
		const calls: RecordedRequest[] = [];
		for (const status of [502, 503, 504, 503]) expectCall('POST', '/modules/up/create', status, '', {}, calls);
		const result = await runNode({ parameters: createUser });
		expect(calls).toHaveLength(4);
		expect(result.error?.message).toBe('The Sign-In API is unavailable (503 Service Unavailable)');
		expect(result.error?.description).toBe(
			"The Sign-In service could not handle the request. This is on the service's side: try again in a few minutes. Tried 4 times. The request may have been applied: a 503 answer does not say whether the service did the work before it failed.",
		);
	});

	it.each([400, 401, 403, 500])('never retries %p', async (status) => {
		const calls = expectCall('POST', '/modules/up/create', status, '');
		const result = await runNode({ parameters: createUser });
		expect(calls).toHaveLength(1);
		expect(result.status).toBe('error');
	});

	it('does not wait for a Retry-After beyond 60 seconds', async () => {
		const calls = expectCall('POST', '/modules/up/create', 429, '', { 'Retry-After': '3600' });
		const result = await runNode({ parameters: createUser });
		expect(calls).toHaveLength(1);
		expect(result.error?.description).toBe(
			'Too many requests were sent in a short time. Run again later, or send fewer items per run. The service asked to wait longer than 60 seconds before trying again.',
		);
	});
});

describe('a failed read changed nothing', () => {
	const getAll = { resource: 'whitelisting', operation: 'getAll', returnAll: true, requestOptions: { maxAttempts: 3, initialDelayMs: 0 } };

	it('a list read that kept failing with 503 does not say it may have been applied', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 503, '', {}, [], 3);
		const result = await runNode({ parameters: getAll, continueOnFail: true });
		expect(calls).toHaveLength(3);
		expect(plain(result.output)).toEqual([
			{
				json: {
					error: 'The Sign-In API is unavailable (503 Service Unavailable)',
					description: "The Sign-In service could not handle the request. This is on the service's side: try again in a few minutes. Tried 3 times.",
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('a list read whose connection kept being reset does not say it may have been applied', async () => {
		const { result, connections } = await withResettingServer(async (baseUrl, port) => ({
			port,
			run: await runNode({ parameters: getAll, credentials: { ...defaultCredentials, baseUrl } }),
		}));
		expect(connections).toBe(3);
		expect(result.run.error?.message).toBe(`Could not reach the Sign-In API at 127.0.0.1:${result.port}`);
		expect(result.run.error?.description).toBe(
			'The request could not be completed: the connection was reset (ECONNRESET). Check the Base URL in the Sign-In Context API credential and that this n8n server can reach that host. Tried 3 times.',
		);
	});
});

describe('nothing is duplicated by a retry', () => {
	const exists = { error_code: 'USERNAME_ALREADY_EXISTS', error_message: 'username alice already exists', request_id: 'r' };

	it('User Create: an account found after a lost answer fails the item and changes no password', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', '/modules/up/create', 502, '', {}, calls);
		expectCall('POST', '/modules/up/create', 400, exists, {}, calls);
		const result = await runNode({ parameters: createUser, continueOnFail: true });
		expect(calls.map((call) => [call.method, call.body])).toEqual([
			['POST', { username: 'alice', password: 'Pass-1234' }],
			['POST', { username: 'alice', password: 'Pass-1234' }],
		]);
		expect(plain(result.output)).toEqual([
			{
				json: {
					error: 'The account alice already exists, and this run cannot tell whether it created it',
					description:
						"The first create was answered with a status of 500 or above, which does not say whether the account was made, and the retry found the username taken: the account may be this run's (then its password is the one in this item) or an older one (then its password is unknown to this workflow). No password was changed. To set this item's password anyway, use User > Create or Update; to keep an older account, check it in the Sign-In Context admin first.",
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('User Create: an account found after a reset connection says the first answer was lost', async () => {
		nock(BASE_URL)
			.post(`${CONTEXT_PATH}/modules/up/create`)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
		expectCall('POST', '/modules/up/create', 400, exists);
		const result = await runNode({ parameters: createUser, continueOnFail: true });
		expect(result.output[0].json.description).toBe(
			"The first create's answer was lost, and the retry found the username taken: the account may be this run's (then its password is the one in this item) or an older one (then its password is unknown to this workflow). No password was changed. To set this item's password anyway, use User > Create or Update; to keep an older account, check it in the Sign-In Context admin first.",
		);
	});

	it('User Create: after a 429 (nothing applied), "already exists" is a real conflict', async () => {
		expectCall('POST', '/modules/up/create', 429, '', { 'Retry-After': '0' });
		expectCall('POST', '/modules/up/create', 400, exists);
		const result = await runNode({ parameters: createUser });
		expect(result.error?.message).toBe('The Sign-In API rejected the request: username alice already exists');
	});

	it('User Create or Update: a lost create that meets the account sets the password and says created is unknown', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', '/modules/up/create', 502, '', {}, calls);
		expectCall('POST', '/modules/up/create', 400, exists, {}, calls);
		expectCall('PUT', '/modules/up/update', 200, { username: 'alice', password: 'Pass-1234' }, {}, calls);
		const result = await runNode({ parameters: { ...createUser, operation: 'upsert' } });
		expect(calls.map((call) => [call.method, call.path.split('/').pop()])).toEqual([
			['POST', 'create'],
			['POST', 'create'],
			['PUT', 'update'],
		]);
		expect(plain(result.output)).toEqual([{ json: { username: 'alice', passwordGenerated: false, created: null }, pairedItem: { item: 0 } }]);
	});

	it('User Delete: "not found" after a lost answer is not reported as deleted', async () => {
		expectCall('DELETE', '/modules/up/delete', 504, '');
		expectCall('DELETE', '/modules/up/delete', 400, { error_code: 'USER_NOT_FOUND', error_message: 'user alice not found', request_id: 'r' });
		const result = await runNode({
			parameters: { resource: 'user', operation: 'delete', username: 'alice', options: { succeedIfNotFound: true }, requestOptions: fast },
		});
		expect(plain(result.output)).toEqual([
			{ json: { username: 'alice', deleted: null, notFound: true, firstAnswerLost: true }, pairedItem: { item: 0 } },
		]);
	});

	it('User Delete: "not found" after a lost answer fails without Succeed If Not Found', async () => {
		expectCall('DELETE', '/modules/up/delete', 504, '');
		expectCall('DELETE', '/modules/up/delete', 400, { error_code: 'USER_NOT_FOUND', error_message: 'user alice not found', request_id: 'r' });
		const result = await runNode({ parameters: { resource: 'user', operation: 'delete', username: 'alice', requestOptions: fast } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('The Sign-In API rejected the request: user alice not found');
	});

	it('Retry-After on 503 is honoured as on 429', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', '/modules/up/create', 503, '', { 'Retry-After': '0' }, calls);
		expectCall('POST', '/modules/up/create', 200, { username: 'alice', password: 'Pass-1234' }, {}, calls);
		expect((await runNode({ parameters: { ...createUser, requestOptions: { maxAttempts: 2, initialDelayMs: 60000 } } })).status).toBe('success');
		expect(calls).toHaveLength(2);
	});

	it('a 503 asking for more than 60 seconds is not waited for', async () => {
		const calls = expectCall('POST', '/modules/up/create', 503, '', { 'Retry-After': '120' });
		const result = await runNode({ parameters: createUser });
		expect(calls).toHaveLength(1);
		expect(result.error?.description).toContain('The service asked to wait longer than 60 seconds before trying again.');
	});

	it('Whitelisting Create: its own client UUID in the active list confirms the lost create', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', '/modules/whitelistings', 503, '', {}, calls);
		expectCall('POST', '/modules/whitelistings', 400, [{ field: 'id', rejectedValue: ID, message: 'whitelisting id already exists' }], {}, calls);
		expectCall('GET', '/modules/whitelistings/active', 200, [{ id: ID, mac: 'AA:BB:CC:DD:EE:FF', name: 'Printer' }], {}, calls);
		const result = await runNode({
			parameters: { resource: 'whitelisting', operation: 'create', mac: 'AA:BB:CC:DD:EE:FF', name: 'Printer', additionalFields: { id: ID }, requestOptions: fast },
		});
		expect(calls.map((call) => call.method)).toEqual(['POST', 'POST', 'GET']);
		expect(result.output[0].json).toEqual({ id: ID, mac: 'AA:BB:CC:DD:EE:FF', name: 'Printer', firstAnswerLost: true });
	});

	/** The one output item when the read that checks a lost create keeps failing with 503. */
	const checkReadFailed = [
		{
			json: {
				error: 'The Sign-In API is unavailable (503 Service Unavailable)',
				description:
					"The Sign-In service could not handle the request. This is on the service's side: try again in a few minutes. Tried 4 times. This read was to check a create that may have been applied (its answer was lost, or was a status of 500 or above): it may have been.",
			},
			pairedItem: { item: 0 },
		},
	];

	it('Whitelisting Create: when the read that checks a lost create fails, the item says the create may have been applied', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', '/modules/whitelistings', 503, '', {}, calls);
		expectCall('POST', '/modules/whitelistings', 400, [{ field: 'id', rejectedValue: ID, message: 'whitelisting id already exists' }], {}, calls);
		expectCall('GET', '/modules/whitelistings/active', 503, '', {}, calls, 4);
		const result = await runNode({
			parameters: { resource: 'whitelisting', operation: 'create', mac: 'AA:BB:CC:DD:EE:FF', name: 'Printer', additionalFields: { id: ID }, requestOptions: fast },
			continueOnFail: true,
		});
		expect(calls.map((call) => call.method)).toEqual(['POST', 'POST', 'GET', 'GET', 'GET', 'GET']);
		expect(plain(result.output)).toEqual(checkReadFailed);
	});

	it('Create Many: when the read that checks a lost batch fails, the item says the batch may have been applied', async () => {
		expectCall('POST', '/modules/whitelistings/batch/add', 502, '');
		expectCall('POST', '/modules/whitelistings/batch/add', 200, {
			createdWhitelistingMacs: [],
			existingWhitelistingMacs: ['AA:BB:CC:00:00:01'],
			faultyRequests: [],
			updatedLogins: 0,
		});
		expectCall('GET', '/modules/whitelistings/active', 503, '', {}, [], 4);
		const result = await runNode({
			parameters: { ...createManyParameters(500), requestOptions: fast },
			items: [{ id: ID, mac: 'AA:BB:CC:00:00:01' }],
			continueOnFail: true,
		});
		expect(plain(result.output)).toEqual(checkReadFailed);
	});

	it('Whitelisting Create: a MAC someone else whitelisted stays a conflict', async () => {
		expectCall('POST', '/modules/whitelistings', 503, '');
		expectCall('POST', '/modules/whitelistings', 400, [{ field: 'mac', rejectedValue: 'AA:BB:CC:DD:EE:FF', message: 'MAC already whitelisted' }]);
		expectCall('GET', '/modules/whitelistings/active', 200, [{ id: 'someone-else', mac: 'AA:BB:CC:DD:EE:FF', name: 'Other' }]);
		const result = await runNode({
			parameters: { resource: 'whitelisting', operation: 'create', mac: 'AA:BB:CC:DD:EE:FF', name: 'Printer', additionalFields: { id: ID }, requestOptions: fast },
		});
		expect(result.error?.message).toBe('The Sign-In API rejected the request: mac "AA:BB:CC:DD:EE:FF": MAC already whitelisted');
	});

	it('Create Many: entries a lost batch created are reported created, not existing', async () => {
		const other = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
		expectCall('POST', '/modules/whitelistings/batch/add', 502, '');
		expectCall('POST', '/modules/whitelistings/batch/add', 200, {
			createdWhitelistingMacs: [],
			existingWhitelistingMacs: ['AA:BB:CC:00:00:01', 'AA:BB:CC:00:00:02'],
			faultyRequests: [],
			updatedLogins: 0,
		});
		expectCall('GET', '/modules/whitelistings/active', 200, [
			{ id: ID, mac: 'AA:BB:CC:00:00:01', name: 'Ours' },
			{ id: other, mac: 'AA:BB:CC:00:00:02', name: 'Theirs' },
		]);
		const result = await runNode({
			parameters: {
				resource: 'whitelisting',
				operation: 'createMany',
				mac: '={{ $json.mac }}',
				name: '={{ $json.name }}',
				additionalFields: { id: '={{ $json.id }}' },
				requestOptions: fast,
			},
			items: [
				{ id: ID, mac: 'AA:BB:CC:00:00:01', name: 'Ours' },
				{ id: '11111111-2222-4333-8444-555555555555', mac: 'AA:BB:CC:00:00:02', name: 'Theirs' },
			],
		});
		expect(result.output.map((item) => item.json.status)).toEqual(['created', 'existing']);
	});

	it('Add Emails: after a lost answer, what was added is unknown (the retry warns about its own first attempt)', async () => {
		expectCall('POST', '/policies/3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7/emails', 503, '');
		expectCall('POST', '/policies/3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7/emails', 200, {
			policyEmails: ['a@acme.com'],
			warnings: [{ email: 'a@acme.com', reason: 'already in policy' }],
		});
		const result = await runNode({
			parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7', emails: 'a@acme.com', requestOptions: fast },
		});
		expect(result.output[0].json).toEqual({
			policyId: '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7',
			requestedEmails: ['a@acme.com'],
			acceptedEmails: null,
			addedEmails: null,
			addedEmailsUnknown: ADDED_UNKNOWN,
			warnings: null,
			presentEmails: ['a@acme.com'],
			absentEmails: [],
			firstAnswerLost: true,
			policyEmailCount: 1,
			policyEmails: ['a@acme.com'],
		});
	});
});

describe('concurrency', () => {
	it('sends up to Concurrency items at once and keeps the output in input order', async () => {
		const calls: RecordedRequest[] = [];
		for (let i = 0; i < 6; i++) {
			expectCall('POST', '/modules/up/create', 200, { password: 'Pass-1234' }, {}, calls);
		}
		const result = await runNode({
			parameters: { ...createUser, username: '={{ $json.u }}', requestOptions: { concurrency: 3 } },
			items: Array.from({ length: 6 }, (_, i) => ({ u: `guest-${i}` })),
		});
		expect(calls).toHaveLength(6);
		expect(plain(result.output)).toEqual(
			Array.from({ length: 6 }, (_, i) => ({ json: { username: `guest-${i}`, passwordGenerated: false }, pairedItem: { item: i } })),
		);
	});
});
