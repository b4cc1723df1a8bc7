/* eslint-disable @n8n/community-nodes/no-restricted-imports -- real local servers stand on both ends of a redirect */
/**
 * Hostile endpoints, through n8n's real engine: a Base URL that redirects, a wrong Base URL whose
 * 404 is empty, HTML or foreign JSON, and error bodies that echo the token. Real local servers
 * stand on both ends of a redirect; the target must receive nothing.
 */
import { createServer, type IncomingMessage, type Server } from 'http';
import type { AddressInfo } from 'net';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { BASE_URL, CONTEXT_PATH, TEST_TOKEN, defaultCredentials, expectCall, plain, runNode } from '../support/harness';

interface Local {
	server: Server;
	url: string;
	requests: IncomingMessage[];
}

async function listen(answer: (request: IncomingMessage) => { status: number; headers?: Record<string, string>; body?: string }): Promise<Local> {
	const requests: IncomingMessage[] = [];
	const server = createServer((request, response) => {
		requests.push(request);
		const { status, headers, body } = answer(request);
		response.writeHead(status, headers);
		response.end(body ?? '');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const close = (local: Local) => new Promise<void>((resolve) => local.server.close(() => resolve()));

const OPERATIONS: Array<[string, IDataObject]> = [
	['user create', { resource: 'user', operation: 'create', username: 'room-101', passwordMode: 'define', password: 'Pass-1234' }],
	['user create or update', { resource: 'user', operation: 'upsert', username: 'room-101', passwordMode: 'define', password: 'Pass-1234' }],
	['user update', { resource: 'user', operation: 'update', username: 'room-101', passwordMode: 'define', password: 'Pass-1234' }],
	['user delete', { resource: 'user', operation: 'delete', username: 'room-101', options: { succeedIfNotFound: true } }],
	['access policy add', { resource: 'accessPolicy', operation: 'addEmails', policyId: '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7', emails: 'a@x.com' }],
	['access policy remove', { resource: 'accessPolicy', operation: 'removeEmails', policyId: '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7', emails: 'a@x.com' }],
	['whitelisting create', { resource: 'whitelisting', operation: 'create', mac: 'AA:BB:CC:00:00:01', name: 'Printer' }],
	['whitelisting create many', { resource: 'whitelisting', operation: 'createMany', mac: 'AA:BB:CC:00:00:01', name: 'Printer' }],
	['whitelisting update', { resource: 'whitelisting', operation: 'update', id: '7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7f', mac: 'AA:BB:CC:00:00:01', name: 'Printer' }],
	['whitelisting revoke many', { resource: 'whitelisting', operation: 'revokeMany', macs: 'AA:BB:CC:00:00:01' }],
	['whitelisting get many', { resource: 'whitelisting', operation: 'getAll', returnAll: true }],
];

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1/));

describe('redirects are never followed', () => {
	let target: Local;
	let other: Local;
	beforeAll(async () => {
		target = await listen(() => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: '[]' }));
	});
	afterAll(async () => close(target));

	describe.each([301, 302, 303, 307, 308])('%p', (status) => {
		it.each(OPERATIONS)('%s: cross-origin, same host other port', async (_, parameters) => {
			other = await listen((request) => ({ status, headers: { Location: `${target.url}${request.url}` } }));
			try {
				const result = await runNode({
					parameters: { ...parameters, requestOptions: { maxAttempts: 3, initialDelayMs: 0 } },
					credentials: { ...defaultCredentials, baseUrl: other.url },
				});
				expect(result.status).toBe('error');
				expect(result.error?.message).toBe(
					`The Sign-In API at ${other.url} answered ${status} ${STATUS[status]}, pointing to ${target.url}`,
				);
				expect(result.error?.description).toContain(`This node never follows redirects: nothing, and not the API token, was sent to ${target.url}.`);
				expect(result.error?.description).toContain('The redirect leads to another port of the same host.');
				expect(target.requests).toHaveLength(0);
				expect(other.requests.length).toBeGreaterThanOrEqual(1);
			} finally {
				await close(other);
			}
		});

		it('https to http: named as a downgrade, nothing sent to the http address', async () => {
			nock(BASE_URL).get(`${CONTEXT_PATH}/modules/whitelistings/active`).reply(status, '', { Location: `${target.url}/v1/list` });
			const result = await runNode({ parameters: { resource: 'whitelisting', operation: 'getAll', returnAll: true } });
			expect(result.error?.message).toBe(`The Sign-In API at ${BASE_URL} answered ${status} ${STATUS[status]}, pointing to ${target.url}`);
			expect(result.error?.description).toContain('The redirect leads from https to unencrypted http.');
			expect(target.requests).toHaveLength(0);
		});
	});
});

const STATUS: Record<number, string> = {
	301: 'Moved Permanently',
	302: 'Found',
	303: 'See Other',
	307: 'Temporary Redirect',
	308: 'Permanent Redirect',
};

describe('a wrong Base URL is never "not found"', () => {
	it.each([
		['empty', '', {}],
		['HTML', '<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>', { 'Content-Type': 'text/html' }],
		['foreign JSON', '{"message":"Not Found","statusCode":404}', { 'Content-Type': 'application/json' }],
	])('404 with an %s body fails User Delete even with Succeed If Not Found', async (_, body, headers) => {
		expectCall('DELETE', '/modules/up/delete', 404, body, headers);
		const result = await runNode({
			parameters: { resource: 'user', operation: 'delete', username: 'room-101', options: { succeedIfNotFound: true } },
			items: [{}],
			continueOnFail: true,
		});
		expect(result.output).toHaveLength(1);
		expect(result.output[0].json.error).toBe('The Sign-In API has no such endpoint (404 Not Found)');
		expect(String(result.output[0].json.description)).toContain('it does not say that a user or entry is missing');
		expect(result.output[0].json.deleted).toBeUndefined();
	});

	it('the API\'s own "not found" answer (Username & Password shape) counts with Succeed If Not Found', async () => {
		expectCall('DELETE', '/modules/up/delete', 400, { error_code: 'USER_NOT_FOUND', error_message: 'user room-101 not found', request_id: 'r' });
		const result = await runNode({ parameters: { resource: 'user', operation: 'delete', username: 'room-101', options: { succeedIfNotFound: true } } });
		expect(plain(result.output)).toEqual([{ json: { username: 'room-101', deleted: false, notFound: true }, pairedItem: { item: 0 } }]);
	});

	it('"not found" in a foreign shape is not trusted', async () => {
		expectCall('DELETE', '/modules/up/delete', 400, { error: 'user not found' });
		const result = await runNode({ parameters: { resource: 'user', operation: 'delete', username: 'room-101', options: { succeedIfNotFound: true } } });
		expect(result.status).toBe('error');
	});
});

describe('plain http to another host', () => {
	it('is refused before any request, naming the field', async () => {
		const result = await runNode({
			parameters: { resource: 'whitelisting', operation: 'getAll', returnAll: true },
			credentials: { ...defaultCredentials, baseUrl: 'http://api.signin.test' },
		});
		expect(result.error?.message).toBe('The Base URL uses unencrypted http:// to api.signin.test, which would send the API token in clear text');
		expect(result.error?.description).toBe(
			'Use the https:// address of the Sign-In API in Base URL of the Sign-In Context API credential. Only if n8n reaches the API over a private network you trust, turn on Allow Unencrypted HTTP in the credential.',
		);
	});

	it('is sent when Allow Unencrypted HTTP is on', async () => {
		nock('http://api.signin.test').get(`${CONTEXT_PATH}/modules/whitelistings/active`).reply(200, []);
		const result = await runNode({
			parameters: { resource: 'whitelisting', operation: 'getAll', returnAll: true },
			credentials: { ...defaultCredentials, baseUrl: 'http://api.signin.test', allowUnencryptedHttp: true },
		});
		expect(result.status).toBe('success');
	});
});

describe('a service that echoes the token', () => {
	const echo = (status: number) => ({
		400: { error_code: 'VALIDATION_ERROR', error_message: `bad token ${TEST_TOKEN}`, request_id: TEST_TOKEN, [TEST_TOKEN]: [TEST_TOKEN] },
		401: { error_code: 'UNAUTHORIZED', error_message: `invalid API key ${TEST_TOKEN}`, request_id: 'r' },
		403: { error_code: 'FORBIDDEN', error_message: `token ${TEST_TOKEN} may not`, request_id: 'r' },
		500: { error_code: 'INTERNAL', error_message: `crash with x-auth-token=${TEST_TOKEN}`, request_id: 'r' },
	})[status as 400 | 401 | 403 | 500];

	it.each([400, 401, 403, 500])('%p: the token is in no message, description, context, cause or execution data', async (status) => {
		expectCall('POST', '/modules/up/create', status, echo(status), { 'X-Echo': TEST_TOKEN });
		// runNode itself fails when the token appears anywhere in the serialised run.
		const result = await runNode({ parameters: OPERATIONS[0][1] });
		expect(result.status).toBe('error');
		expect(JSON.stringify(result.error)).not.toContain(TEST_TOKEN);
		expect(JSON.stringify(result.run.data.resultData)).toContain('[redacted]');
	});

	it('a success body echoing the token is redacted in the output', async () => {
		expectCall('POST', '/modules/up/create', 200, { username: 'room-101', password: 'Pass-1234', note: TEST_TOKEN });
		const result = await runNode({ parameters: OPERATIONS[0][1] });
		expect(result.status).toBe('success');
	});
});

describe('Get Many: Limit', () => {
	it.each([0, -3, 2.5, 'ten', null])('refuses %p before any request', async (limit) => {
		const result = await runNode({
			parameters: { resource: 'whitelisting', operation: 'getAll', returnAll: false, limit: '={{ $json.limit }}' },
			items: [{ limit }],
			continueOnFail: true,
		});
		expect(result.output).toHaveLength(1);
		expect(String(result.output[0].json.error)).toMatch(/^\[item 0\] Limit .*must be a whole number of at least 1$/);
		expect(result.output[0].pairedItem).toEqual({ item: 0 });
	});
});
