import nock from 'nock';
import { NodeConnectionTypes, type ICredentialDataDecryptedObject, type IHttpRequestOptions, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { SignInContextApi } from '../../credentials/SignInContextApi.credentials';
import { CONTEXT_PATH, TEST_TOKEN, defaultCredentials, expectCall, expectWire, runNode } from '../support/harness';

const credential = new SignInContextApi();

/**
 * How n8n runs a credential's `test`: the test request becomes the routing of a one-parameter
 * declarative node, executed by the RoutingNode with the credential attached; a failing status
 * is then matched against the test's rules.
 */
class CredentialTestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Credential Test',
		name: 'credentialTest',
		group: ['transform'],
		version: 1,
		description: 'Runs the credential test request',
		defaults: { name: 'Credential Test' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'signInContextApi', required: true }],
		properties: [
			{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: credential.test.request } },
		],
	};
}

async function testCredential(credentials: ICredentialDataDecryptedObject = defaultCredentials) {
	const result = await runNode({ parameters: {}, nodeType: new CredentialTestNode(), credentials, tokenMayAppear: true });
	if (result.status === 'success') return { status: 'OK' };
	const rule = credential.test.rules?.find(
		(candidate) => candidate.type === 'responseCode' && String(candidate.properties.value) === result.error?.httpCode,
	);
	return { status: 'Error', message: rule?.properties.message ?? result.error?.message };
}

describe('Sign-In Context API credential', () => {
	it('has the four documented fields, the token masked, no default host, and plain http off', () => {
		expect(credential.name).toBe('signInContextApi');
		expect(credential.displayName).toBe('Sign-In Context API');
		expect(credential.properties.map((field) => [field.name, field.displayName, field.required, field.default])).toEqual([
			['baseUrl', 'Base URL', true, ''],
			['organizationId', 'Organization ID', true, ''],
			['contextId', 'Context ID', true, ''],
			['apiToken', 'API Token', true, ''],
			['allowUnencryptedHttp', 'Allow Unencrypted HTTP', undefined, false],
		]);
		expect(credential.properties[3].typeOptions).toEqual({ password: true });
	});

	it('adds the token only as x-auth-token, and turns redirects off', async () => {
		const authenticate = credential.authenticate as (c: ICredentialDataDecryptedObject, o: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
		expect(await authenticate(defaultCredentials, { url: `https://api.signin.test${CONTEXT_PATH}/x`, headers: { Accept: 'application/json' } })).toEqual({
			url: `https://api.signin.test${CONTEXT_PATH}/x`,
			headers: { Accept: 'application/json', 'x-auth-token': TEST_TOKEN },
			disableFollowRedirect: true,
		});
	});

	it.each([
		['http://api.signin.test', {}, 'The Base URL uses unencrypted http:// to api.signin.test, which would send the API token in clear text.'],
		['https://user:pw@api.signin.test', {}, 'The Base URL contains a user name or password.'],
		['api.signin.test', {}, 'The Base URL is not an https:// address.'],
		['https://api.signin.test', { url: 'https://elsewhere.test/x' }, "The API token is only sent to https://api.signin.test, the Base URL's origin."],
	])('refuses to add the token for Base URL %s %j', async (baseUrl, request, start) => {
		const authenticate = credential.authenticate as (c: ICredentialDataDecryptedObject, o: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
		const options = { url: `${baseUrl}${CONTEXT_PATH}/x`, ...request };
		await expect(authenticate({ ...defaultCredentials, baseUrl }, options)).rejects.toThrow(start);
	});

	it.each(['http://localhost:5678', 'http://127.0.0.1:1', 'http://[::1]:80'])('lets plain http go to this machine: %s', async (baseUrl) => {
		const authenticate = credential.authenticate as (c: ICredentialDataDecryptedObject, o: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
		const result = await authenticate({ ...defaultCredentials, baseUrl }, { url: `${baseUrl}/v1/x` });
		expect(result.headers).toEqual({ 'x-auth-token': TEST_TOKEN });
	});

	it('lets plain http go to another host only with Allow Unencrypted HTTP on', async () => {
		const authenticate = credential.authenticate as (c: ICredentialDataDecryptedObject, o: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
		const result = await authenticate({ ...defaultCredentials, baseUrl: 'http://10.0.0.5', allowUnencryptedHttp: true }, { url: 'http://10.0.0.5/v1/x' });
		expect(result.headers).toEqual({ 'x-auth-token': TEST_TOKEN });
	});

	it('the credential test refuses an http:// Base URL on another host before sending anything', async () => {
		const outcome = await testCredential({ ...defaultCredentials, baseUrl: 'http://api.signin.test' });
		expect(outcome.status).toBe('Error');
		expect(outcome.message).toContain('The Base URL uses unencrypted http:// to api.signin.test, which would send the API token in clear text.');
	});

	it.each([301, 302, 303, 307, 308])('the credential test does not follow a %p redirect and says so', async (status) => {
		const elsewhere = nock('https://elsewhere.test').get(/.*/).reply(200, []);
		expectCall('GET', '/modules/whitelistings/active', status, '', { Location: 'https://elsewhere.test/v1/list' });
		expect(await testCredential()).toEqual({
			status: 'Error',
			message: `The Base URL answered with a redirect (${status}). Redirects are never followed, so the API token was not sent to the address it pointed to. Enter the address of the Sign-In API itself in Base URL: the API base URL from the dashboard instructions, as it is, with https://.`,
		});
		expect(elsewhere.isDone()).toBe(false);
		nock.cleanAll();
	});

	it('tests by listing active whitelistings, tolerating a trailing slash and spaces', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, []);
		const outcome = await testCredential({
			...defaultCredentials,
			baseUrl: 'https://api.signin.test//',
			organizationId: ' org-4711 ',
		});
		expect(outcome).toEqual({ status: 'OK' });
		expect(calls[0].method).toBe('GET');
		expect(calls[0].path).toBe(`${CONTEXT_PATH}/modules/whitelistings/active`);
		expect(calls[0].headers['x-auth-token']).toBe(TEST_TOKEN);
	});

	it('URL-encodes organization and context IDs', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, []);
		await runNode({
			parameters: { resource: 'whitelisting', operation: 'getAll', returnAll: true },
			credentials: { ...defaultCredentials, baseUrl: 'https://api.signin.test/' },
		});
		expectWire(calls[0], 'GET', '/modules/whitelistings/active');
	});

	it('401 tells the user to check or rotate the token, and where', async () => {
		// n8n's declarative request path retries once after a 401, so the API sees two calls.
		expectCall('GET', '/modules/whitelistings/active', 401, '', {}, [], 2);
		expect(await testCredential()).toEqual({
			status: 'Error',
			message:
				'The API token was refused (401). Check the API Token; if it was rotated, copy the new one from the Sign-In Context admin: Administration > Configuration > Common Settings.',
		});
	});

	it('403 names the IP allow-list and the organization and context IDs', async () => {
		expectCall('GET', '/modules/whitelistings/active', 403, '');
		expect(await testCredential()).toEqual({
			status: 'Error',
			message:
				"Access denied (403). Either this n8n server's public IP address is not on the Organization's Administrator portal IP whitelist, or the Organization ID or Context ID is wrong (copy both from the dashboard instructions on the Organization's admin home page).",
		});
	});

	it('404 points at the Base URL', async () => {
		expectCall('GET', '/modules/whitelistings/active', 404, '');
		expect(await testCredential()).toEqual({
			status: 'Error',
			message: 'Not found (404). Check the Base URL: it is the API base URL from the dashboard instructions, without /v1/....',
		});
	});
});
