/**
 * Many Contexts in one node run, with nock at the HTTP boundary: two Contexts at the same origin,
 * each item's requests on its own Context's path with its own key, batches and syncs per Context,
 * items naming no Context of the credential refused before any request, and the credential test
 * and the Context picker.
 */
import { CredentialTestContext } from 'n8n-core';
import nock from 'nock';
import type { ICredentialDataDecryptedObject, IDataObject, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { testOrganizationContexts } from '../../nodes/NetgraphSignIn/methods/credentialTest';
import { BASE_URL, contextLabel, loadOptionsCaller, plain, runNode, type RecordedRequest } from '../support/harness';
import { planItem, syncMac, syncParameters, taggedEntry } from '../support/sync';

 
const KEYS = { stockholm: 'key-stockholm-not-a-secret-01', oslo: 'key-oslo-not-a-secret-02', bergen: 'key-bergen-not-a-secret-03' };
 
const ORG = 'org-group';
const path = (context: string) => `/v1/org/${ORG}/contexts/sign-in/${context}`;
const group: ICredentialDataDecryptedObject = {
	baseUrl: BASE_URL,
	organizationId: ORG,
	contexts: {
		context1: { name: 'Hotel Stockholm', contextId: 'ctx-sto', apiToken: KEYS.stockholm, baseUrl: '' },
		context2: { name: 'Hotel Oslo', contextId: 'ctx-osl', apiToken: KEYS.oslo, baseUrl: '' },
		context3: { name: 'Hotel Bergen', contextId: 'ctx-brg', apiToken: KEYS.bergen, baseUrl: '' },
	},
};
const STOCKHOLM = { name: 'Hotel Stockholm', id: 'ctx-sto' };
const OSLO = { name: 'Hotel Oslo', id: 'ctx-osl' };
const perItem = { __rl: true, mode: 'id', value: '={{ $json.property }}' };

/** Records every request to any Context of the organisation, answering with `answer`. */
function organisation(method: string, below: string, times: number, answer: (context: string, body: unknown) => [number, unknown]): RecordedRequest[] {
	const recorded: RecordedRequest[] = [];
	nock(BASE_URL)
		.intercept(new RegExp(`^/v1/org/${ORG}/contexts/sign-in/[^/]+${below.replace(/[/]/g, '\\/')}$`), method)
		.times(times)
		.reply(function (uri, body) {
			recorded.push({ method: this.req.method, path: uri, headers: this.req.headers, body });
			const [status, reply] = answer(uri.split('/')[6], body);
			return [status, JSON.stringify(reply ?? ''), { 'Content-Type': 'application/json' }];
		});
	return recorded;
}

/** Batch Add's answer: every MAC sent was created. */
const created = (body: unknown): [number, unknown] => [
	200,
	{ createdWhitelistingMacs: (body as { whitelistings: IDataObject[] }).whitelistings.map((entry) => entry.mac), existingWhitelistingMacs: [], faultyRequests: [], updatedLogins: 0 },
];
const sent = (body: unknown) => (body as { whitelistings: IDataObject[] }).whitelistings.map(({ mac, name, tags }) => ({ mac, name, ...(tags ? { tags } : {}) }));

const keyOfPath = (uri: string) => ({ 'ctx-sto': KEYS.stockholm, 'ctx-osl': KEYS.oslo, 'ctx-brg': KEYS.bergen })[uri.split('/')[6]];

describe('Whitelisting > Create Many for two Contexts at one origin', () => {
	const items = [
		{ mac: 'AA:BB:CC:00:00:01', property: 'Hotel Stockholm' },
		{ mac: 'AA:BB:CC:00:00:02', property: 'ctx-osl' },
		{ mac: 'AA:BB:CC:00:00:03', property: 'hotel stockholm' },
	];
	const parameters = { resource: 'whitelisting', operation: 'createMany', authentication: 'signInOrganizationApi', context: perItem, mac: '={{ $json.mac }}', name: 'Device' };

	it("sends one batch per Context, on that Context's path with that Context's key only, and labels every item", async () => {
		const calls = organisation('POST', '/modules/whitelistings/batch/add', 2, (_, body) => created(body));
		const result = await runNode({ parameters, items, credentials: group });
		expect(calls.map((call) => [call.method, call.path, call.headers['x-auth-token'], sent(call.body)])).toEqual([
			['POST', `${path('ctx-sto')}/modules/whitelistings/batch/add`, KEYS.stockholm, [{ mac: 'AA:BB:CC:00:00:01', name: 'Device' }, { mac: 'AA:BB:CC:00:00:03', name: 'Device' }]],
			['POST', `${path('ctx-osl')}/modules/whitelistings/batch/add`, KEYS.oslo, [{ mac: 'AA:BB:CC:00:00:02', name: 'Device' }]],
		]);
		expect(plain(result.output).map(({ json, pairedItem }) => [pairedItem, json.mac, json.status, contextLabel(json)])).toEqual([
			[{ item: 0 }, 'AA:BB:CC:00:00:01', 'created', STOCKHOLM],
			[{ item: 1 }, 'AA:BB:CC:00:00:02', 'created', OSLO],
			[{ item: 2 }, 'AA:BB:CC:00:00:03', 'created', STOCKHOLM],
		]);
	});

	it.each([
		['picked From List', { __rl: true, mode: 'list', value: 'ctx-osl', cachedResultName: 'Hotel Oslo' }],
		['fixed By Name or ID', { __rl: true, mode: 'id', value: 'HOTEL OSLO' }],
		['an expression that is not a plain field', { __rl: true, mode: 'id', value: "={{ 'Hotel ' + 'Oslo' }}" }],
	])('sends every item to the Context %s', async (_, context) => {
		const calls = organisation('POST', '/modules/whitelistings/batch/add', 1, (_, body) => created(body));
		const result = await runNode({ parameters: { ...parameters, context }, items, credentials: group });
		expect(calls.map((call) => [call.path, call.headers['x-auth-token'], sent(call.body).length])).toEqual([[`${path('ctx-osl')}/modules/whitelistings/batch/add`, KEYS.oslo, 3]]);
		expect(result.output.map((output) => contextLabel(output.json))).toEqual([OSLO, OSLO, OSLO]);
	});

	it('refuses an item naming a Context the credential does not hold before any request, naming the item, the value and the Contexts', async () => {
		const result = await runNode({ parameters, items: [items[0], { mac: 'AA:BB:CC:00:00:09', property: 'Hotel Paris' }], credentials: group });
		expect(result.status).toBe('error');
		expect([result.error?.message, result.error?.description]).toEqual([
			'[item 1] Context "Hotel Paris" is not a Context of the credential, which holds "Hotel Stockholm", "Hotel Oslo" and "Hotel Bergen"',
			'Use one of these names, or its Context ID, in Context. Nothing was sent for this item.',
		]);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('with Continue On Fail, the item naming no Context fails alone and the others go on', async () => {
		const calls = organisation('POST', '/modules/whitelistings/batch/add', 1, (_, body) => created(body));
		const result = await runNode({ parameters, items: [items[0], { mac: 'AA:BB:CC:00:00:09', property: 'Hotel Paris' }, items[2]], credentials: group, continueOnFail: true });
		expect(calls.map((call) => [call.path, call.headers['x-auth-token']])).toEqual([[`${path('ctx-sto')}/modules/whitelistings/batch/add`, KEYS.stockholm]]);
		expect(plain(result.output).map(({ json, pairedItem }) => [pairedItem, json.status ?? json.error, contextLabel(json)])).toEqual([
			[{ item: 0 }, 'created', STOCKHOLM],
			[{ item: 1 }, '[item 1] Context "Hotel Paris" is not a Context of the credential, which holds "Hotel Stockholm", "Hotel Oslo" and "Hotel Bergen"', undefined],
			[{ item: 2 }, 'created', STOCKHOLM],
		]);
	});

	it('without Continue On Fail, a Context that fails says which Contexts finished beside it', async () => {
		const calls = organisation('POST', '/modules/whitelistings/batch/add', 3, (context, body) =>
			context === 'ctx-osl' ? [400, { error_code: 'INVALID', error_message: 'refused' }] : created(body),
		);
		const result = await runNode({
			parameters,
			items: [items[0], items[1], { mac: 'AA:BB:CC:00:00:04', property: 'Hotel Bergen' }],
			credentials: group,
		});
		expect(calls.map((call) => call.path.split('/')[6]).sort()).toEqual(['ctx-brg', 'ctx-osl', 'ctx-sto']);
		expect(result.error?.message).toBe(
			[
				'1 of 3 Contexts failed, 2 finished:',
				'"Hotel Stockholm" finished: 1 output item (1 created).',
				'"Hotel Oslo" failed: The Sign-In API rejected the request: refused.',
				'"Hotel Bergen" finished: 1 output item (1 created).',
			].join('\n'),
		);
		expect(result.error?.description).toBe('"Hotel Oslo": Correct the value it names and run again. Code: INVALID.');
	});
});

describe('Contexts side by side', () => {
	const six: ICredentialDataDecryptedObject = {
		baseUrl: BASE_URL,
		organizationId: ORG,
		contexts: Object.fromEntries(
			Array.from({ length: 6 }, (_, index) => [`context${index + 1}`, { name: `Site ${index + 1}`, contextId: `site-${index + 1}`, apiToken: `key-site-${index + 1}-not-a-secret`, baseUrl: '' }]),
		),
	};
	const parameters = { resource: 'whitelisting', operation: 'createMany', authentication: 'signInOrganizationApi', context: perItem, mac: '={{ $json.mac }}', name: 'Device' };
	const items = Array.from({ length: 6 }, (_, index) => ({ mac: `AA:BB:CC:00:01:0${index + 1}`, property: `Site ${index + 1}` }));

	it('runs up to 4 Contexts at once; when one fails, the rest are not started and the error names them', async () => {
		const sites: string[] = [];
		nock(BASE_URL)
			.post(/\/contexts\/sign-in\/site-[2-6]\/modules\/whitelistings\/batch\/add$/)
			.times(5)
			.delay(300)
			.reply(function (uri, body) {
				sites.push(uri.split('/')[6]);
				return created(body);
			});
		nock(BASE_URL)
			.post(`${path('site-1')}/modules/whitelistings/batch/add`)
			.reply(function () {
				sites.push('site-1');
				return [400, { error_code: 'INVALID', error_message: 'refused' }];
			});
		const result = await runNode({ parameters, items, credentials: six });
		expect(sites.sort()).toEqual(['site-1', 'site-2', 'site-3', 'site-4']);
		expect(result.error?.message).toBe(
			[
				'1 of 6 Contexts failed, 3 finished, 2 were not started:',
				'"Site 1" failed: The Sign-In API rejected the request: refused.',
				'"Site 2" finished: 1 output item (1 created).',
				'"Site 3" finished: 1 output item (1 created).',
				'"Site 4" finished: 1 output item (1 created).',
				'"Site 5" was not started: nothing was changed in it.',
				'"Site 6" was not started: nothing was changed in it.',
			].join('\n'),
		);
		expect(result.error?.description).toBe('"Site 1": Correct the value it names and run again. Code: INVALID.');
		nock.cleanAll();
	});
});

describe('Whitelisting > Sync for two Contexts', () => {
	const items = [
		{ mac: syncMac(1), name: 'Device 1', property: 'Hotel Stockholm' },
		{ mac: syncMac(2), name: 'Device 2', property: 'Hotel Oslo' },
		{ mac: syncMac(3), name: 'Device 3', property: 'Hotel Oslo' },
	];
	const parameters = (extra: IDataObject) => ({ ...syncParameters(extra), authentication: 'signInOrganizationApi', context: perItem });

	it('Preview reads each Context once and plans each on its own, with a plan item per Context', async () => {
		// Stockholm holds devices 1 and 4 (4 is not desired there); Oslo holds device 2 only.
		const reads = organisation('GET', '/modules/whitelistings/active', 2, (context) => [200, context === 'ctx-sto' ? [taggedEntry(1), taggedEntry(4)] : [taggedEntry(2)]]);
		const result = await runNode({ parameters: parameters({ mode: 'preview', options: { maxShare: 100 } }), items, credentials: group });
		expect(reads.map((call) => [call.path, call.headers['x-auth-token']])).toEqual([
			[`${path('ctx-sto')}/modules/whitelistings/active`, KEYS.stockholm],
			[`${path('ctx-osl')}/modules/whitelistings/active`, KEYS.oslo],
		]);
		expect(plain(result.output).map(({ json, pairedItem }) => [pairedItem, json.status, json.mac ?? null, contextLabel(json)])).toEqual([
			[{ item: 0 }, 'unchanged', syncMac(1), STOCKHOLM],
			[{ item: 1 }, 'unchanged', syncMac(2), OSLO],
			[{ item: 2 }, 'create', syncMac(3), OSLO],
			[{ item: 0 }, 'revoke', syncMac(4), STOCKHOLM],
			[{ item: 0 }, 'plan', null, STOCKHOLM],
			[{ item: 1 }, 'plan', null, OSLO],
		]);
		const plans = result.output.filter((output) => output.json.status === 'plan').map((output) => output.json);
		expect(plans).toEqual([
			{ ...planItem({ unchanged: 1, revokes: 1, inScope: 2, maxShare: 100, destructiveShare: 50 }), signInContext: 'Hotel Stockholm', signInContextId: 'ctx-sto' },
			{ ...planItem({ unchanged: 1, creates: 1, inScope: 1, maxShare: 100 }), signInContext: 'Hotel Oslo', signInContextId: 'ctx-osl' },
		]);
	});

	it("each Context has its own safety valve: Stockholm's trips and is not touched, Oslo is applied", async () => {
		organisation('GET', '/modules/whitelistings/active', 2, (context) => [200, context === 'ctx-sto' ? [taggedEntry(1), taggedEntry(4), taggedEntry(5)] : [taggedEntry(2)]]);
		const adds = organisation('POST', '/modules/whitelistings/batch/add', 1, (_, body) => created(body));
		const result = await runNode({ parameters: parameters({}), items, credentials: group, continueOnFail: true });
		expect(adds.map((call) => [call.path, call.headers['x-auth-token'], sent(call.body)])).toEqual([
			[`${path('ctx-osl')}/modules/whitelistings/batch/add`, KEYS.oslo, [{ mac: syncMac(3), name: 'Device 3', tags: [{ value: 'n8n-sync' }] }]],
		]);
		expect(plain(result.output).map(({ json, pairedItem }) => [pairedItem, json.status ?? json.error, contextLabel(json)])).toEqual([
			[{ item: 0 }, 'Sync would revoke 2 of the 3 active entries in the Scope (66.7 %), more than Max Destructive Share allows (50 %); nothing was changed', STOCKHOLM],
			[{ item: 1 }, 'unchanged', OSLO],
			[{ item: 2 }, 'created', OSLO],
		]);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it("each Context's plan is approved on its own: one planId never approves another Context's plan, even of the same changes", async () => {
		// Both Contexts hold devices 1 and 4 alike; keeping device 1 revokes 4 in each (50 %).
		const state = (): [number, unknown] => [200, [taggedEntry(1), taggedEntry(4)]];
		const same = [{ mac: syncMac(1), name: 'Device 1', property: 'Hotel Stockholm' }, { mac: syncMac(1), name: 'Device 1', property: 'Hotel Oslo' }];
		organisation('GET', '/modules/whitelistings/active', 2, state);
		const previewed = await runNode({ parameters: parameters({ mode: 'preview' }), items: same, credentials: group });
		const [stockholm, oslo] = previewed.output.filter((output) => output.json.status === 'plan').map((output) => String(output.json.planId));
		expect(stockholm).not.toBe(oslo);

		const reads = organisation('GET', '/modules/whitelistings/active', 2, state);
		const removes = organisation('POST', '/modules/whitelistings/batch/remove', 1, () => [200, { nrOfWhitelistingsInRevokeRequest: 1, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0 }]);
		const result = await runNode({ parameters: parameters({ options: { approvedPlanId: stockholm } }), items: same, credentials: group, continueOnFail: true });
		expect(reads).toHaveLength(2);
		expect(removes.map((call) => [call.path, call.body])).toEqual([[`${path('ctx-sto')}/modules/whitelistings/batch/remove`, { macs: [{ mac: syncMac(4) }] }]]);
		expect(plain(result.output).map(({ json }) => [json.status ?? String(json.error).split(';')[0], contextLabel(json)])).toEqual([
			['unchanged', STOCKHOLM],
			[`Sync did not apply: its plan now has planId ${oslo}, not the approved ${stockholm}`, OSLO],
			['revoked', STOCKHOLM],
		]);
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('the Sign-In Organization API credential test', () => {
	const test = (data: ICredentialDataDecryptedObject) =>
		// n8n-core's own context for credential tests: its request helper is the one n8n runs.
		testOrganizationContexts.call(new CredentialTestContext({} as IWorkflowExecuteAdditionalData), { id: 'c', name: 'n', type: 'signInOrganizationApi', data });

	it('checks every Context with its own key on its own address and names each one that fails, and why', async () => {
		const calls = organisation('GET', '/modules/whitelistings/active', 3, (context) => [context === 'ctx-sto' ? 200 : context === 'ctx-osl' ? 401 : 404, []]);
		expect(await test(group)).toEqual({
			status: 'Error',
			message:
				"2 of 3 Contexts failed. Hotel Oslo: The API token was refused (401). Check the API Key; if it was rotated, copy the new one from the Sign-In Context admin: Administration > Configuration > Common Settings. Hotel Bergen: Not found (404). Check the Base URL: it is the API base URL from the dashboard instructions, without /v1/....",
		});
		for (const call of calls) expect(call.headers['x-auth-token']).toBe(keyOfPath(call.path));
	});

	it('passes when every Context answers, and never follows a redirect', async () => {
		organisation('GET', '/modules/whitelistings/active', 3, () => [200, []]);
		expect(await test(group)).toEqual({ status: 'OK', message: 'All 3 Contexts answered: "Hotel Stockholm", "Hotel Oslo" and "Hotel Bergen".' });
		nock(BASE_URL).get(`${path('ctx-sto')}/modules/whitelistings/active`).reply(307, '', { Location: 'https://elsewhere.test/' });
		const single = { ...group, contexts: { context1: (group.contexts as IDataObject).context1 } };
		expect(await test(single)).toMatchObject({ status: 'Error', message: expect.stringMatching(/^1 of 1 Context failed\. Hotel Stockholm: The Base URL answered with a redirect \(307\)/) });
	});

	it('refuses a credential whose Contexts are ambiguous before sending anything, also for one Context spelt twice', async () => {
		const twice = { ...group, contexts: { context1: (group.contexts as IDataObject).context1, context9: { name: 'Again', contextId: 'ctx-sto', apiToken: 'k', baseUrl: 'https://API.signin.test:443/' } } };
		expect(await test(twice)).toEqual({
			status: 'Error',
			message:
				'Context 1 (Hotel Stockholm) and Context 9 (Again) of the Sign-In Organization API credential have the same Context ID "ctx-sto". Each Context may appear once, so that one key belongs to it and a Context ID names one slot. Remove one of them.',
		});
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('names each slot that cannot be used and checks the others', async () => {
		const calls = organisation('GET', '/modules/whitelistings/active', 2, () => [200, []]);
		const broken = { ...group, contexts: { ...(group.contexts as IDataObject), context2: { name: 'Hotel Oslo', contextId: 'ctx-osl', apiToken: '' }, context5: { name: '', contextId: 'ctx-5', apiToken: 'k' } } };
		expect(await test(broken)).toEqual({
			status: 'Error',
			message:
				"2 of 4 Contexts failed. Context 2 (Hotel Oslo) of the Sign-In Organization API credential has no API Key. Enter the Context's API key in Context 2 (Hotel Oslo) of the Sign-In Organization API credential; until then only the items for this Context fail. Context 5 of the Sign-In Organization API credential has no Name. Enter the name people know the property by, e.g. Hotel Stockholm, in Context 5 of the Sign-In Organization API credential; until then only the items for this Context fail.",
		});
		expect(calls.map((call) => [call.path, call.headers['x-auth-token']]).sort()).toEqual([
			[`${path('ctx-brg')}/modules/whitelistings/active`, KEYS.bergen],
			[`${path('ctx-sto')}/modules/whitelistings/active`, KEYS.stockholm],
		]);
	});
});

describe('slots that cannot be used', () => {
	const parameters = { resource: 'whitelisting', operation: 'createMany', authentication: 'signInOrganizationApi', context: perItem, mac: '={{ $json.mac }}', name: 'Device' };
	const noKey = { ...group, contexts: { ...(group.contexts as IDataObject), context2: { name: 'Hotel Oslo', contextId: 'ctx-osl', apiToken: '' } } };
	const items = [
		{ mac: 'AA:BB:CC:00:00:01', property: 'Hotel Stockholm' },
		{ mac: 'AA:BB:CC:00:00:02', property: 'Hotel Oslo' },
		{ mac: 'AA:BB:CC:00:00:03', property: 'ctx-brg' },
	];
	const OSLO_FAILS = '[item 1] Context "Hotel Oslo" cannot be used: Context 2 (Hotel Oslo) of the Sign-In Organization API credential has no API Key';

	it('a slot without a key fails only the items that name it; the other Contexts run', async () => {
		const calls = organisation('POST', '/modules/whitelistings/batch/add', 2, (_, body) => created(body));
		const result = await runNode({ parameters, items, credentials: noKey, continueOnFail: true });
		expect(calls.map((call) => [call.path, call.headers['x-auth-token'], sent(call.body)]).sort()).toEqual([
			[`${path('ctx-brg')}/modules/whitelistings/batch/add`, KEYS.bergen, [{ mac: 'AA:BB:CC:00:00:03', name: 'Device' }]],
			[`${path('ctx-sto')}/modules/whitelistings/batch/add`, KEYS.stockholm, [{ mac: 'AA:BB:CC:00:00:01', name: 'Device' }]],
		]);
		expect(plain(result.output).map(({ json, pairedItem }) => [pairedItem, json.status ?? json.error, contextLabel(json)])).toEqual([
			[{ item: 0 }, 'created', STOCKHOLM],
			[{ item: 1 }, OSLO_FAILS, undefined],
			[{ item: 2 }, 'created', { name: 'Hotel Bergen', id: 'ctx-brg' }],
		]);
	});

	it('without Continue On Fail, an item naming it stops the run before anything is sent, with what to fix', async () => {
		const result = await runNode({ parameters, items, credentials: noKey });
		expect([result.status, result.error?.message, result.error?.description]).toEqual([
			'error',
			OSLO_FAILS,
			"Enter the Context's API key in Context 2 (Hotel Oslo) of the Sign-In Organization API credential; until then only the items for this Context fail. Nothing was sent for this item.",
		]);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('an empty Context is refused while the credential holds one usable Context and one that cannot be used', async () => {
		const credentials = { ...group, contexts: { context1: (group.contexts as IDataObject).context1, context2: { name: 'Hotel Oslo', contextId: 'ctx-osl', apiToken: '' } } };
		const result = await runNode({ parameters: { ...parameters, context: { __rl: true, mode: 'list', value: '' } }, items: [items[0]], credentials });
		expect(result.error?.message).toBe('[item 0] Context is empty, and the credential holds 2 Contexts: "Hotel Stockholm" and "Hotel Oslo"');
	});

	it.each([
		['spelt another way (host in capitals, the default port)', 'https://API.signin.test:443'],
		['under another Base URL', 'https://elsewhere.signin.test'],
	])('the same Context ID twice, %s, fails the whole run before anything is sent', async (_, baseUrl) => {
		const twice = { ...group, contexts: { ...(group.contexts as IDataObject), context3: { name: 'Hotel Bergen', contextId: 'ctx-osl', apiToken: KEYS.bergen, baseUrl } } };
		const result = await runNode({ parameters, items: [items[0]], credentials: twice, continueOnFail: true });
		expect([result.status, result.error?.message]).toEqual([
			'error',
			'Context 2 (Hotel Oslo) and Context 3 (Hotel Bergen) of the Sign-In Organization API credential have the same Context ID "ctx-osl"',
		]);
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('the Context picker', () => {
	it("lists the credential's Contexts by name, with their IDs as values, and filters by name or ID", async () => {
		const { nodeType, caller } = loadOptionsCaller(
			{ authentication: 'signInOrganizationApi', resource: 'user', operation: 'create' },
			group,
			'parameters.context',
		);
		expect(await nodeType.methods.listSearch.searchContexts.call(caller)).toEqual({
			results: [
				{ name: 'Hotel Stockholm', value: 'ctx-sto' },
				{ name: 'Hotel Oslo', value: 'ctx-osl' },
				{ name: 'Hotel Bergen', value: 'ctx-brg' },
			],
		});
		expect(await nodeType.methods.listSearch.searchContexts.call(caller, 'OSL')).toEqual({ results: [{ name: 'Hotel Oslo', value: 'ctx-osl' }] });
	});

	const search = (credentials: ICredentialDataDecryptedObject) => {
		const { nodeType, caller } = loadOptionsCaller({ authentication: 'signInOrganizationApi', resource: 'user', operation: 'create' }, credentials, 'parameters.context');
		return nodeType.methods.listSearch.searchContexts.call(caller);
	};

	it('offers no Context whose ID another slot shares, under whatever Base URL: it refuses the credential, naming both', async () => {
		const shared = { ...group, contexts: { ...(group.contexts as IDataObject), context4: { name: 'Hotel Oslo Annex', contextId: 'ctx-osl', apiToken: 'k', baseUrl: 'https://annex.signin.test' } } };
		await expect(search(shared)).rejects.toThrow(
			'Context 2 (Hotel Oslo) and Context 4 (Hotel Oslo Annex) of the Sign-In Organization API credential have the same Context ID "ctx-osl"',
		);
	});

	it('lists only the usable Contexts, each value naming exactly one', async () => {
		const broken = { ...group, contexts: { ...(group.contexts as IDataObject), context2: { name: 'Hotel Oslo', contextId: 'ctx-osl', apiToken: '' } } };
		expect(await search(broken)).toEqual({
			results: [
				{ name: 'Hotel Stockholm', value: 'ctx-sto' },
				{ name: 'Hotel Bergen', value: 'ctx-brg' },
			],
		});
	});
});
