import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { SignInOrganizationApi } from '../../credentials/SignInOrganizationApi.credentials';
import { CONTEXT_SLOTS, keyForRequest, readContexts, resolveContext, type GroupContext } from '../../nodes/NetgraphSignIn/transport/contexts';

const BASE = 'https://api.signin.test';
/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- fake keys; the tests assert where each one goes */
const group: ICredentialDataDecryptedObject = {
	baseUrl: BASE,
	organizationId: 'org-4711',
	contexts: {
		context1: { name: 'Hotel Stockholm', contextId: 'ctx-1', apiToken: 'key-stockholm-0001', baseUrl: '' },
		context2: { name: 'Hotel Oslo', contextId: 'ctx-10', apiToken: 'key-oslo-0002', baseUrl: '' },
		context4: { name: 'Hotel Bergen', contextId: 'ctx 4/ä', apiToken: 'key-bergen-0004', baseUrl: 'https://bergen.signin.test/' },
	},
};
/* eslint-enable @n8n/community-nodes/no-hardcoded-secrets */

const contexts = () => (readContexts(group) as { contexts: GroupContext[] }).contexts;

describe('readContexts', () => {
	it('lists the Contexts in slot order, each at its own address, without keys', () => {
		expect(readContexts(group)).toEqual({
			contexts: [
				{ slot: 'context1', name: 'Hotel Stockholm', id: 'ctx-1', baseUrl: BASE, url: `${BASE}/v1/org/org-4711/contexts/sign-in/ctx-1` },
				{ slot: 'context2', name: 'Hotel Oslo', id: 'ctx-10', baseUrl: BASE, url: `${BASE}/v1/org/org-4711/contexts/sign-in/ctx-10` },
				{
					slot: 'context4',
					name: 'Hotel Bergen',
					id: 'ctx 4/ä',
					baseUrl: 'https://bergen.signin.test/',
					url: 'https://bergen.signin.test/v1/org/org-4711/contexts/sign-in/ctx%204%2F%C3%A4',
				},
			],
		});
	});

	it.each([
		['a Context without a name', { context1: { name: ' ', contextId: 'a', apiToken: 'k' } }, 'Context 1 of the Sign-In Organization API credential has no Name'],
		['a Context without an ID', { context1: { name: 'A', contextId: '', apiToken: 'k' } }, 'Context "A" has no Context ID'],
		['a Context without a key', { context1: { name: 'A', contextId: 'a', apiToken: '' } }, 'Context "A" has no API Key'],
		[
			'two Contexts with one name, in any case',
			{ context1: { name: 'Oslo', contextId: 'a', apiToken: 'k' }, context2: { name: 'OSLO', contextId: 'b', apiToken: 'l' } },
			'Two Contexts are named "OSLO"',
		],
		[
			'the same Context twice',
			{ context1: { name: 'A', contextId: 'a', apiToken: 'k' }, context2: { name: 'B', contextId: 'a', apiToken: 'l', baseUrl: `${BASE}/` } },
			'"A" and "B" are the same Context (a)',
		],
		[
			"a Context's own http:// Base URL elsewhere",
			{ context1: { name: 'A', contextId: 'a', apiToken: 'k', baseUrl: 'http://api.signin.test' } },
			'Context "A": The Base URL uses unencrypted http:// to api.signin.test, which would send the API token in clear text',
		],
		['no Context at all', {}, 'the Sign-In Organization API credential holds no Context'],
	])('refuses %s', (_, stored, message) => {
		expect(readContexts({ baseUrl: BASE, organizationId: 'o', contexts: stored })).toMatchObject({ problem: { message } });
	});

	it(`reads the ${CONTEXT_SLOTS} named slots and nothing else`, () => {
		const stored = Object.fromEntries(
			Array.from({ length: CONTEXT_SLOTS + 1 }, (_, index) => [`context${index + 1}`, { name: `P${index + 1}`, contextId: `c${index + 1}`, apiToken: 'k' }]),
		);
		const read = readContexts({ baseUrl: BASE, organizationId: 'o', contexts: stored }) as { contexts: GroupContext[] };
		expect(read.contexts.map((context) => context.name)).toEqual(Array.from({ length: CONTEXT_SLOTS }, (_, index) => `P${index + 1}`));
	});
});

describe('resolveContext', () => {
	it('finds a Context by its ID first, then by its name in any case, trimmed', () => {
		expect(resolveContext(contexts(), 'ctx-10')).toMatchObject({ name: 'Hotel Oslo' });
		expect(resolveContext(contexts(), '  hotel STOCKHOLM ')).toMatchObject({ id: 'ctx-1' });
		expect(resolveContext(contexts(), 'ctx 4/ä')).toMatchObject({ name: 'Hotel Bergen' });
	});

	it('takes the only Context when none is named', () => {
		expect(resolveContext(contexts().slice(0, 1), '')).toMatchObject({ name: 'Hotel Stockholm' });
	});

	it('names the Contexts it holds, never their IDs, when the value matches none', () => {
		expect(resolveContext(contexts(), 'Hotel Paris')).toEqual({
			message: 'Context "Hotel Paris" is not a Context of the credential, which holds "Hotel Stockholm", "Hotel Oslo" and "Hotel Bergen"',
			description: 'Use one of these names, or its Context ID, in Context.',
		});
		expect(resolveContext(contexts(), '')).toEqual({
			message: 'Context is empty, and the credential holds 3 Contexts: "Hotel Stockholm", "Hotel Oslo" and "Hotel Bergen"',
			description: 'Pick one in Context, or give a name or Context ID per item, e.g. {{ $json.property }}.',
		});
		expect(resolveContext(contexts(), { name: 'x' })).toMatchObject({ message: expect.stringMatching(/^Context \(an object\) is not a Context of the credential, which holds /) });
	});
});

describe('the key a request carries', () => {
	const authenticate = (url: string) =>
		(new SignInOrganizationApi().authenticate as (c: ICredentialDataDecryptedObject, o: IHttpRequestOptions) => Promise<IHttpRequestOptions>)(group, {
			url,
			headers: { Accept: 'application/json' },
		});

	it.each([
		[`${BASE}/v1/org/org-4711/contexts/sign-in/ctx-1/modules/up/create`, 'key-stockholm-0001'],
		[`${BASE}/v1/org/org-4711/contexts/sign-in/ctx-10/modules/up/create`, 'key-oslo-0002'],
		['https://bergen.signin.test/v1/org/org-4711/contexts/sign-in/ctx%204%2F%C3%A4/modules/whitelistings/active', 'key-bergen-0004'],
	])('%s gets only its own Context key, with redirects off', async (url, key) => {
		expect(await authenticate(url)).toEqual({ url, headers: { Accept: 'application/json', 'x-auth-token': key }, disableFollowRedirect: true });
	});

	it.each([
		['another Context of the organisation', `${BASE}/v1/org/org-4711/contexts/sign-in/ctx-2/modules/up/create`],
		['a Context whose ID starts with a known one', `${BASE}/v1/org/org-4711/contexts/sign-in/ctx-100/modules/up/create`],
		['another organisation', `${BASE}/v1/org/org-4712/contexts/sign-in/ctx-1/modules/up/create`],
		["one Context's path at another Context's origin", 'https://bergen.signin.test/v1/org/org-4711/contexts/sign-in/ctx-1/modules/up/create'],
		["Bergen's path at the organisation's origin", `${BASE}/v1/org/org-4711/contexts/sign-in/ctx%204%2F%C3%A4/modules/up/create`],
		['another port', 'https://api.signin.test:8443/v1/org/org-4711/contexts/sign-in/ctx-1/modules/up/create'],
		['plain http', 'http://api.signin.test/v1/org/org-4711/contexts/sign-in/ctx-1/modules/up/create'],
		['dot segments out of every Context', `${BASE}/v1/org/org-4711/contexts/sign-in/ctx-1/%2e%2e/%2e%2e/x/modules/up/create`],
	])('%s gets no key at all', async (_, url) => {
		await expect(authenticate(url)).rejects.toThrow(/^No Context of the Sign-In Organization API credential is at /);
		expect(keyForRequest(group, url)).toMatchObject({ description: expect.stringContaining('stopped before it was sent') });
	});

	it('chooses the key by the address the request really goes to, dot segments resolved', async () => {
		const url = `${BASE}/v1/org/org-4711/contexts/sign-in/ctx-1/%2e%2e/ctx-10/modules/up/create`;
		expect(new URL(url).pathname).toBe('/v1/org/org-4711/contexts/sign-in/ctx-10/modules/up/create');
		expect(await authenticate(url)).toMatchObject({ headers: { 'x-auth-token': 'key-oslo-0002' } });
	});
});
