import { NodeConnectionTypes, type ICredentialDataDecryptedObject, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

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
	it('has the four documented fields, the token masked, and no default host', () => {
		expect(credential.name).toBe('signInContextApi');
		expect(credential.displayName).toBe('Sign-In Context API');
		expect(credential.properties.map((field) => [field.name, field.displayName, field.required, field.default])).toEqual([
			['baseUrl', 'Base URL', true, ''],
			['organizationId', 'Organization ID', true, ''],
			['contextId', 'Context ID', true, ''],
			['apiToken', 'API Token', true, ''],
		]);
		expect(credential.properties[3].typeOptions).toEqual({ password: true });
	});

	it('sends the token only as the x-auth-token header', () => {
		expect(credential.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { 'x-auth-token': '={{$credentials.apiToken}}' } },
		});
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
