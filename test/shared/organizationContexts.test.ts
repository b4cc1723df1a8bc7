import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions, INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { SignInOrganizationApi } from '../../credentials/SignInOrganizationApi.credentials';
import { keyForRequest, readOrganizationContexts, resolveContext, type UnusableSlot } from '../../nodes/shared/organizationContexts';
import { normalisedAddress, pathSegmentProblem, type SignInContext } from '../../nodes/shared/signInContext';
import { SLOT_COUNT } from '../../nodes/shared/slots';

const BASE = 'https://api.signin.test';
const ORGANIZATION = 'of the Sign-In Organization API credential';
/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- fake keys; the tests assert where each one goes */
const STOCKHOLM_KEY = 'key-stockholm-0001';
const OSLO_KEY = 'key-oslo-0002';
const group: ICredentialDataDecryptedObject = {
	baseUrl: BASE,
	organizationId: 'org-4711',
	contexts: {
		context1: { name: 'Hotel Stockholm', contextId: 'ctx-1', apiToken: STOCKHOLM_KEY, baseUrl: '' },
		context2: { name: 'Hotel Oslo', contextId: 'ctx-10', apiToken: OSLO_KEY, baseUrl: '' },
		context4: { name: 'Hotel Bergen', contextId: 'ctx 4ä', apiToken: 'key-bergen-0004' },
	},
};
/* eslint-enable @n8n/community-nodes/no-hardcoded-secrets */
const withSlots = (contexts: Record<string, IDataObject>, credentials: ICredentialDataDecryptedObject = group): ICredentialDataDecryptedObject => ({
	...credentials,
	contexts: { ...(credentials.contexts as IDataObject), ...contexts },
});

const read = (credentials: ICredentialDataDecryptedObject = group) => readOrganizationContexts(credentials) as { contexts: SignInContext[]; broken: UnusableSlot[] };
const contexts = () => read().contexts;

describe('normalisedAddress', () => {
	it.each([
		['scheme and host case', 'HTTPS://API.Example.com/v1', 'https://api.example.com/v1'],
		['the default port', 'https://api.example.com:443/v1', 'https://api.example.com/v1'],
		['a trailing slash', 'https://api.example.com/v1//', 'https://api.example.com/v1'],
		['dot segments, also percent-encoded', 'https://api.example.com/a/./b/%2e%2E/c', 'https://api.example.com/a/c'],
		['percent-encoded unreserved characters and lower-case escapes', 'https://api.example.com/%63tx%2D1/%c3%a4%2f', 'https://api.example.com/ctx-1/%C3%A4%2F'],
	])('spells %s one way', (_, value, normalised) => {
		expect(normalisedAddress(value)).toBe(normalised);
	});

	it('keeps another port, scheme or host apart', () => {
		expect(new Set(['https://api.example.com:8443', 'http://api.example.com', 'https://api.example.org'].map(normalisedAddress)).size).toBe(3);
	});
});

describe('pathSegmentProblem', () => {
	it.each([
		['.', 'is a dot segment, which the address would resolve away'],
		['..', 'is a dot segment, which the address would resolve away'],
		['a/b', 'contains / or \\, and must be one path segment'],
		['a\\b', 'contains / or \\, and must be one path segment'],
		['a\tb', 'contains a control character (a tab or line break, for example), which the address would drop'],
		['a\nb', 'contains a control character (a tab or line break, for example), which the address would drop'],
	])('refuses %j', (value, problem) => {
		expect(pathSegmentProblem(value)).toBe(problem);
	});

	it.each(['ctx-1', 'ctx 4ä', '...', '%2e%2e', 'a.b'])('takes %j, which stays one segment once encoded', (value) => {
		expect(pathSegmentProblem(value)).toBeUndefined();
	});
});

describe('readOrganizationContexts', () => {
	it('lists the Contexts in slot order, each at its own address under the Base URL, without keys', () => {
		expect(readOrganizationContexts(group)).toEqual({
			contexts: [
				{ slot: 'context1', name: 'Hotel Stockholm', id: 'ctx-1', baseUrl: BASE, url: `${BASE}/v1/org/org-4711/contexts/sign-in/ctx-1` },
				{ slot: 'context2', name: 'Hotel Oslo', id: 'ctx-10', baseUrl: BASE, url: `${BASE}/v1/org/org-4711/contexts/sign-in/ctx-10` },
				{ slot: 'context4', name: 'Hotel Bergen', id: 'ctx 4ä', baseUrl: BASE, url: `${BASE}/v1/org/org-4711/contexts/sign-in/ctx%204%C3%A4` },
			],
			broken: [],
		});
	});

	it('reads the Base URL in its normalised spelling', () => {
		expect(read({ ...group, baseUrl: 'HTTPS://API.signin.test:443/prefix/./' }).contexts[0]).toEqual({
			slot: 'context1',
			name: 'Hotel Stockholm',
			id: 'ctx-1',
			baseUrl: `${BASE}/prefix`,
			url: `${BASE}/prefix/v1/org/org-4711/contexts/sign-in/ctx-1`,
		});
	});

	it.each([
		[
			'two Contexts with one name, in any case',
			{ context1: { name: 'Oslo', contextId: 'a', apiToken: 'k' }, context2: { name: 'OSLO', contextId: 'b', apiToken: 'l' } },
			`Context 1 (Oslo) and Context 2 (OSLO) ${ORGANIZATION} have the same Name "OSLO"`,
		],
		[
			'the same Context twice',
			{ context1: { name: 'A', contextId: 'a', apiToken: 'k' }, context2: { name: 'B', contextId: 'a', apiToken: 'l', baseUrl: `${BASE}/` } },
			`Context 1 (A) and Context 2 (B) ${ORGANIZATION} have the same Context ID "a"`,
		],
		[
			"the same Context twice, once under the Base URL's host in capitals and its default port",
			{ context1: { name: 'A', contextId: 'a', apiToken: 'k' }, context2: { name: 'B', contextId: 'a', apiToken: 'l', baseUrl: 'https://API.signin.test:443' } },
			`Context 1 (A) and Context 2 (B) ${ORGANIZATION} have the same Context ID "a"`,
		],
		[
			'one Context ID under two Base URLs',
			{ context1: { name: 'A', contextId: 'a', apiToken: 'k' }, context2: { name: 'B', contextId: 'a', apiToken: 'l', baseUrl: 'https://other.signin.test' } },
			`Context 1 (A) and Context 2 (B) ${ORGANIZATION} have the same Context ID "a"`,
		],
		[
			"a name that is another Context's ID",
			{ context1: { name: 'A', contextId: 'ctx-9', apiToken: 'k' }, context2: { name: 'CTX-9', contextId: 'b', apiToken: 'l' } },
			`Context 1 (A) and Context 2 (CTX-9) ${ORGANIZATION}: the Name of Context 2 (CTX-9) is the Context ID of Context 1 (A)`,
		],
		['no Context at all', {}, 'the Sign-In Organization API credential holds no Context'],
	])('refuses the whole credential for %s', (_, stored, message) => {
		expect(readOrganizationContexts({ baseUrl: BASE, organizationId: 'o', contexts: stored })).toMatchObject({ problem: { message } });
	});

	it.each([
		['an http:// Base URL elsewhere', { baseUrl: 'http://api.signin.test' }, 'The Base URL uses unencrypted http:// to api.signin.test, which would send the API token in clear text'],
		['an empty Organization ID', { organizationId: ' ' }, `The Organization ID ${ORGANIZATION} is empty`],
		['an Organization ID that is a dot segment', { organizationId: '..' }, `The Organization ID ".." ${ORGANIZATION} is a dot segment, which the address would resolve away`],
		['an Organization ID of two segments', { organizationId: 'org/x' }, `The Organization ID "org/x" ${ORGANIZATION} contains / or \\, and must be one path segment`],
	])('refuses the whole credential for %s, which every Context uses', (_, change, message) => {
		expect(readOrganizationContexts({ ...group, ...change })).toMatchObject({ problem: { message } });
	});

	it.each([
		['without a name', { name: ' ', contextId: 'a', apiToken: 'k' }, `Context 3 ${ORGANIZATION} has no Name`],
		['without an ID', { name: 'A', contextId: '', apiToken: 'k' }, `Context 3 (A) ${ORGANIZATION} has no Context ID`],
		['without a key', { name: 'A', contextId: 'a', apiToken: '' }, `Context 3 (A) ${ORGANIZATION} has no API Key`],
		['whose ID is a dot segment', { name: 'A', contextId: '..', apiToken: 'k' }, `Context 3 (A) ${ORGANIZATION}: its Context ID ".." is a dot segment, which the address would resolve away`],
		['whose ID is two segments', { name: 'A', contextId: 'ctx-1/x', apiToken: 'k' }, `Context 3 (A) ${ORGANIZATION}: its Context ID "ctx-1/x" contains / or \\, and must be one path segment`],
		[
			'whose ID holds a line break',
			{ name: 'A', contextId: 'a\nb', apiToken: 'k' },
			`Context 3 (A) ${ORGANIZATION}: its Context ID "a\\nb" contains a control character (a tab or line break, for example), which the address would drop`,
		],
		[
			'with a Base URL of its own elsewhere',
			{ name: 'A', contextId: 'a', apiToken: 'k', baseUrl: 'https://bergen.signin.test/' },
			`Context 3 (A) ${ORGANIZATION} holds a Base URL of its own (https://bergen.signin.test/) that differs from the organisation's (${BASE}), so its key is not sent; remove the Context and add it again, or give it a credential of its own with that Base URL`,
		],
		[
			'with a Base URL of its own nested in another Context',
			{ name: 'A', contextId: 'a', apiToken: 'k', baseUrl: `${BASE}/v1/org/org-4711/contexts/sign-in/ctx-1/x` },
			`Context 3 (A) ${ORGANIZATION} holds a Base URL of its own (${BASE}/v1/org/org-4711/contexts/sign-in/ctx-1/x) that differs from the organisation's (${BASE}), so its key is not sent; remove the Context and add it again, or give it a credential of its own with that Base URL`,
		],
	])('keeps the other Contexts and sets a slot aside %s, saying why', (_, slot, message) => {
		const { contexts: usable, broken } = read(withSlots({ context3: slot }));
		expect(usable.map((context) => context.name)).toEqual(['Hotel Stockholm', 'Hotel Oslo', 'Hotel Bergen']);
		expect(broken.map(({ slot, problem }) => [slot, problem.message])).toEqual([['context3', message]]);
	});

	it("uses a slot whose own Base URL is the organisation's in another spelling", () => {
		const { contexts: usable, broken } = read(withSlots({ context3: { name: 'A', contextId: 'a', apiToken: 'k', baseUrl: 'HTTPS://api.SIGNIN.test:443/x/../' } }));
		expect([usable.find((context) => context.slot === 'context3')?.url, broken]).toEqual([`${BASE}/v1/org/org-4711/contexts/sign-in/a`, []]);
	});

	it("keeps refusing a slot's Base URL of an earlier version after n8n's own reading of the credential, which drops fields the form does not declare", () => {
		const stored = withSlots({ context3: { name: 'A', contextId: 'a', apiToken: 'k', baseUrl: 'https://bergen.signin.test' } });
		// What n8n's CredentialsHelper.applyDefaultsAndOverwrites does to stored data before every run.
		const asRun = NodeHelpers.getNodeParameters(new SignInOrganizationApi().properties, stored as INodeParameters, true, false, null, null) as ICredentialDataDecryptedObject;
		expect(read(asRun).broken.map(({ slot, problem }) => [slot, problem.message.split(' (https')[0]])).toEqual([['context3', `Context 3 (A) ${ORGANIZATION} holds a Base URL of its own`]]);
	});

	it('says what to do about each slot it sets aside', () => {
		const { broken } = read(withSlots({ context3: { name: 'A', contextId: 'a', apiToken: '' }, context5: { name: 'B', contextId: 'b', apiToken: 'k', baseUrl: 'https://bergen.signin.test' } }));
		expect(broken.map(({ problem }) => problem.description)).toEqual([
			`Enter the Context's API key in Context 3 (A) ${ORGANIZATION}; until then only the items for this Context fail.`,
			`Every Context's key now goes only to the organisation's Base URL, the one base URL the API has per Organization, so that no key reaches an address it was not entered for. If the Context is at ${BASE}, remove Context 5 (B) and add it again with its name, Context ID and API key; if it is at https://bergen.signin.test, put it in a Sign-In Organization API credential whose Base URL is that one.`,
		]);
	});

	it(`reads the ${SLOT_COUNT} named slots and nothing else`, () => {
		const stored = Object.fromEntries(
			Array.from({ length: SLOT_COUNT + 1 }, (_, index) => [`context${index + 1}`, { name: `P${index + 1}`, contextId: `c${index + 1}`, apiToken: 'k' }]),
		);
		expect(read({ baseUrl: BASE, organizationId: 'o', contexts: stored }).contexts.map((context) => context.name)).toEqual(
			Array.from({ length: SLOT_COUNT }, (_, index) => `P${index + 1}`),
		);
	});
});

describe('resolveContext', () => {
	it('finds a Context by its ID first, then by its name in any case, trimmed', () => {
		expect(resolveContext(contexts(), 'ctx-10')).toMatchObject({ name: 'Hotel Oslo' });
		expect(resolveContext(contexts(), '  hotel STOCKHOLM ')).toMatchObject({ id: 'ctx-1' });
		expect(resolveContext(contexts(), 'ctx 4ä')).toMatchObject({ name: 'Hotel Bergen' });
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

	describe('with a slot that cannot be used', () => {
		const oneGood = {
			baseUrl: BASE,
			organizationId: 'org-4711',
			contexts: { context1: { name: 'Hotel Stockholm', contextId: 'ctx-1', apiToken: 'k' }, context2: { name: 'Hotel Oslo', contextId: 'ctx-10', apiToken: '' }, context3: { name: '', contextId: 'ctx-3', apiToken: 'k' } },
		};
		const slots = read(oneGood);

		it('fails an item naming it, by name or by ID, with its own reason', () => {
			const noKey = { message: `Context "hotel oslo" cannot be used: Context 2 (Hotel Oslo) ${ORGANIZATION} has no API Key`, description: `Enter the Context's API key in Context 2 (Hotel Oslo) ${ORGANIZATION}; until then only the items for this Context fail.` };
			expect(resolveContext(slots.contexts, 'hotel oslo', slots.broken)).toEqual(noKey);
			expect(resolveContext(slots.contexts, 'ctx-3', slots.broken)).toMatchObject({ message: `Context "ctx-3" cannot be used: Context 3 ${ORGANIZATION} has no Name` });
		});

		it('still finds the others', () => {
			expect(resolveContext(slots.contexts, 'ctx-1', slots.broken)).toMatchObject({ name: 'Hotel Stockholm' });
		});

		it('does not take the one usable Context for an empty Context: the item may have meant another', () => {
			expect(resolveContext(slots.contexts, '', slots.broken)).toEqual({
				message: 'Context is empty, and the credential holds 3 Contexts: "Hotel Stockholm", "Hotel Oslo" and Context 3',
				description: 'Pick one in Context, or give a name or Context ID per item, e.g. {{ $json.property }}.',
			});
		});
	});
});

describe('the key a request carries', () => {
	const authenticate = (url: string, credentials: ICredentialDataDecryptedObject = group) =>
		(new SignInOrganizationApi().authenticate as (c: ICredentialDataDecryptedObject, o: IHttpRequestOptions) => Promise<IHttpRequestOptions>)(credentials, {
			url,
			headers: { Accept: 'application/json' },
		});

	it.each([
		[`${BASE}/v1/org/org-4711/contexts/sign-in/ctx-1/modules/up/create`, STOCKHOLM_KEY],
		[`${BASE}/v1/org/org-4711/contexts/sign-in/ctx-10/modules/up/create`, OSLO_KEY],
		[`${BASE}/v1/org/org-4711/contexts/sign-in/ctx%204%C3%A4/modules/whitelistings/active`, 'key-bergen-0004'],
	])('%s gets only its own Context key, with redirects off', async (url, key) => {
		expect(await authenticate(url)).toEqual({ url, headers: { Accept: 'application/json', 'x-auth-token': key }, disableFollowRedirect: true });
	});

	it.each([
		['host case and the default port', 'https://API.SIGNIN.test:443/v1/org/org-4711/contexts/sign-in/ctx-10/modules/up/create'],
		['a percent-encoded unreserved character', `${BASE}/v1/org/org-4711/contexts/sign-in/ctx%2D10/modules/up/create`],
		['lower-case escapes', `${BASE}/v1/org/org-4711/contexts/sign-in/ctx%2d10/modules/up/create`],
		['dot segments', `${BASE}/v1/org/org-4711/contexts/sign-in/ctx-10/../ctx-10/modules/up/create`],
	])('compares addresses after normalising %s', async (_, url) => {
		expect(await authenticate(url)).toMatchObject({ headers: { 'x-auth-token': OSLO_KEY } });
	});

	it.each([
		['another Context of the organisation', `${BASE}/v1/org/org-4711/contexts/sign-in/ctx-2/modules/up/create`],
		['a Context whose ID starts with a known one', `${BASE}/v1/org/org-4711/contexts/sign-in/ctx-100/modules/up/create`],
		['another organisation', `${BASE}/v1/org/org-4712/contexts/sign-in/ctx-1/modules/up/create`],
		["a Context's path at another origin", 'https://bergen.signin.test/v1/org/org-4711/contexts/sign-in/ctx-1/modules/up/create'],
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
		expect(await authenticate(url)).toMatchObject({ headers: { 'x-auth-token': OSLO_KEY } });
	});

	it("gives a slot whose Base URL is nested in another Context's address neither key", async () => {
		const nested = withSlots({ context3: { name: 'Annex', contextId: 'annex', apiToken: 'key-annex-0003', baseUrl: `${BASE}/v1/org/org-4711/contexts/sign-in/ctx-1/x` } });
		const url = `${BASE}/v1/org/org-4711/contexts/sign-in/ctx-1/x/v1/org/org-4711/contexts/sign-in/annex/modules/up/create`;
		await expect(authenticate(url, nested)).rejects.toThrow(
			`The address ${url} lies within the addresses of "Hotel Stockholm" and "Annex" in the Sign-In Organization API credential. Which key it may carry is ambiguous, so this request was stopped before it was sent.`,
		);
		expect(await authenticate(`${BASE}/v1/org/org-4711/contexts/sign-in/ctx-1/modules/up/create`, nested)).toMatchObject({ headers: { 'x-auth-token': STOCKHOLM_KEY } });
	});

	it('gives a slot that cannot be used no key, and the other Contexts theirs', async () => {
		const noKey = withSlots({ context3: { name: 'Annex', contextId: 'annex', apiToken: '' } });
		await expect(authenticate(`${BASE}/v1/org/org-4711/contexts/sign-in/annex/modules/up/create`, noKey)).rejects.toThrow(`Context 3 (Annex) ${ORGANIZATION} has no API Key`);
		expect(await authenticate(`${BASE}/v1/org/org-4711/contexts/sign-in/ctx-10/modules/up/create`, noKey)).toMatchObject({ headers: { 'x-auth-token': OSLO_KEY } });
	});

	it('sends no key anywhere while two slots share a Context ID', async () => {
		const twice = withSlots({ context3: { name: 'Again', contextId: 'ctx-1', apiToken: 'key-again-0003', baseUrl: 'https://API.signin.test:443' } });
		await expect(authenticate(`${BASE}/v1/org/org-4711/contexts/sign-in/ctx-10/modules/up/create`, twice)).rejects.toThrow(
			`Context 1 (Hotel Stockholm) and Context 3 (Again) ${ORGANIZATION} have the same Context ID "ctx-1"`,
		);
	});
});
