/**
 * Every operation with items for several Contexts of one organisation credential, all served by
 * one emulator at the organisation's Base URL that knows each Context's own key and refuses any
 * other (401 for another Context's key, 403 for a Context it does not have). Items for Stockholm
 * and Oslo are mixed in one run; Bergen has none. No request may reach a Context with another
 * Context's key, each item's changes land in its own Context only, and each output item says
 * which Context it belongs to. Then the slots that go wrong: nested addresses, one Context twice
 * in another spelling or under another Base URL, a slot edited without its key, a broken slot.
 */
import nock from 'nock';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { SignInEmulator, type RecordedRequest } from '../../emulator/server';
import type { State, Store } from '../../emulator/store';
import { CASES, POLICY, type Case } from '../support/cases';
import { contextLabel, runNode } from '../support/harness';
import { recordDigest } from '../support/faultDigest';
import { syncMac, syncParameters, taggedEntry } from '../support/sync';
import { leakedFragments } from '../support/tokenFragments';

/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- fake keys; the tests assert where each one goes */
const PROPERTIES = [
	{ name: 'Hotel Stockholm', contextId: 'ctx-stockholm', key: 'kSt7Qz2Kp9Wd4Lx8Vb3Nq' },
	{ name: 'Hotel Oslo', contextId: 'ctx-oslo', key: 'kOs5Rt8Hm2Jc6Ty1Gw4Zp' },
	{ name: 'Hotel Bergen', contextId: 'ctx-bergen', key: 'kBe3Uy7Fn1Xs9Vd5Qa2Lm' },
];
/* eslint-enable @n8n/community-nodes/no-hardcoded-secrets */
/** Item 0 and 2 for Stockholm (by name, in another case), item 1 for Oslo (by Context ID). */
const PROPERTY_OF_ITEM = ['hotel stockholm', 'ctx-oslo', 'Hotel Stockholm'];
const OWNER_OF_ITEM = [0, 1, 0];

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1/));

/** One Context of the group emulator as the tests look at it: its state and the requests on its path. */
interface ContextView {
	store: Store;
	requests: RecordedRequest[];
}

interface Group {
	emulator: SignInEmulator;
	views: ContextView[];
}

async function withGroup(testCase: Case, run: (group: Group) => Promise<void>) {
	const [main, ...others] = PROPERTIES;
	const emulator = new SignInEmulator({
		token: main.key,
		organizationId: 'org-group',
		contextId: main.contextId,
		contexts: others.map((property) => ({ id: property.contextId, name: property.name, token: property.key })),
		retryAfterSeconds: 0,
		seed: testCase.seed,
		...testCase.emulator,
	});
	await emulator.start();
	const views = PROPERTIES.map((property) => ({
		store: emulator.context(property.contextId).store,
		get requests() {
			return emulator.requests.filter((request) => request.context === property.contextId);
		},
	}));
	try {
		await run({ emulator, views });
	} finally {
		await emulator.stop();
	}
}

function groupCredential(emulator: SignInEmulator): ICredentialDataDecryptedObject {
	return {
		baseUrl: emulator.url,
		organizationId: 'org-group',
		contexts: Object.fromEntries(PROPERTIES.map((property, index) => [`context${index + 1}`, { name: property.name, contextId: property.contextId, apiToken: property.key }])),
	};
}

/** The credential with one slot replaced or changed. */
function withSlot(credentials: ICredentialDataDecryptedObject, slot: string, change: IDataObject): ICredentialDataDecryptedObject {
	const contexts = credentials.contexts as Record<string, IDataObject>;
	return { ...credentials, contexts: { ...contexts, [slot]: { ...contexts[slot], ...change } } };
}

/** The Context of each item is its `property`: a name or a Context ID. */
const perProperty = { authentication: 'signInOrganizationApi', context: { __rl: true, mode: 'id', value: '={{ $json.property }}' } };

function groupParameters(testCase: Case): IDataObject {
	return {
		...testCase.parameters,
		...perProperty,
		requestOptions: { maxAttempts: 3, initialDelayMs: 0, timeoutSeconds: 1 },
	};
}

describe.each(CASES)('$name, items for two of three Contexts', (testCase) => {
	const items = testCase.items.map((item, index) => ({ ...item, property: PROPERTY_OF_ITEM[index] }));

	it('sends each item to its own Context with its own key, and labels its output', async () => {
		await withGroup(testCase, async ({ emulator, views }) => {
			// Some cases refuse items on purpose (an account that exists): those items fail on their own.
			const result = await runNode({ parameters: groupParameters(testCase), items, credentials: groupCredential(emulator), continueOnFail: true });
			recordDigest(emulator, result);
			expect(result.status).toBe('success');
			for (const property of PROPERTIES) expect(leakedFragments(result, property.key)).toEqual([]);
			// Every request reached its own Context's path with that Context's key.
			expect(emulator.crossContextKeys).toEqual([]);
			expect(emulator.requests.filter((request) => request.status === 401 || request.status === 403)).toEqual([]);
			expect(emulator.requests.filter((request) => request.keyOf !== request.context)).toEqual([]);
			const owners = new Set(items.map((_, index) => OWNER_OF_ITEM[index]));
			for (const [index, view] of views.entries()) expect(view.requests.length > 0).toBe(owners.has(index));
			for (const output of result.output) {
				const itemIndex = (output.pairedItem as { item: number }).item;
				const owner = OWNER_OF_ITEM[itemIndex];
				const { signInContext, signInContextId, ...json } = output.json;
				expect({ name: signInContext, id: signInContextId }).toEqual({ name: PROPERTIES[owner].name, id: PROPERTIES[owner].contextId });
				if ('error' in json) continue;
				expect([testCase.name, itemIndex, json, testCase.claimHolds(json, views[owner].store.state, items[itemIndex])]).toEqual([
					testCase.name,
					itemIndex,
					json,
					true,
				]);
			}
			items.forEach((item, index) => {
				for (const [other, view] of views.entries()) {
					if (other !== OWNER_OF_ITEM[index]) expect([testCase.name, index, other, testCase.touched(item, view.store.state)]).toEqual([testCase.name, index, other, false]);
				}
			});
		});
	});
});

describe('hostile Contexts', () => {
	const create = CASES.find((testCase) => testCase.name === 'whitelisting create many')!;
	const items = create.items.map((item, index) => ({ ...item, property: PROPERTY_OF_ITEM[index] }));
	const outcomes = (result: Awaited<ReturnType<typeof runNode>>) =>
		result.output.map((output) => [output.pairedItem, contextLabel(output.json), output.json.error ?? output.json.status]);
	const STOCKHOLM = { name: 'Hotel Stockholm', id: 'ctx-stockholm' };
	const OSLO = { name: 'Hotel Oslo', id: 'ctx-oslo' };

	it("a redirect from Stockholm's address to another server is not followed: the other server never sees a key, Oslo goes on", async () => {
		const elsewhere = new SignInEmulator({ token: PROPERTIES[0].key, organizationId: 'org-group', contextId: 'ctx-stockholm' });
		await elsewhere.start();
		try {
			await withGroup({ ...create, emulator: { redirectTo: elsewhere.url } }, async ({ emulator, views }) => {
				emulator.planFaults([{ fault: '307', phase: 'before', bodyIncludes: String(create.items[0].mac) }]);
				const result = await runNode({ parameters: groupParameters(create), items, credentials: groupCredential(emulator), continueOnFail: true });
				expect(outcomes(result)).toEqual([
					[{ item: 0 }, STOCKHOLM, `The Sign-In API at ${emulator.url} answered 307 Temporary Redirect, pointing to ${elsewhere.url}`],
					[{ item: 1 }, OSLO, 'created'],
					[{ item: 2 }, STOCKHOLM, `The Sign-In API at ${emulator.url} answered 307 Temporary Redirect, pointing to ${elsewhere.url}`],
				]);
				expect(views[1].requests.map((request) => [request.method, request.path, request.status])).toEqual([
					['POST', '/v1/org/org-group/contexts/sign-in/ctx-oslo/modules/whitelistings/batch/add', 200],
				]);
				expect(elsewhere.requests).toEqual([]);
			});
		} finally {
			await elsewhere.stop();
		}
	});

	it("a slot whose old Base URL is nested in Stockholm's address fails alone: no key goes there, Stockholm's and Oslo's items run", async () => {
		await withGroup(create, async ({ emulator, views }) => {
			const nested = `${emulator.url}/v1/org/org-group/contexts/sign-in/ctx-stockholm/annex`;
			const credentials = withSlot(groupCredential(emulator), 'context2', { baseUrl: nested });
			const result = await runNode({ parameters: groupParameters(create), items, credentials, continueOnFail: true });
			expect(outcomes(result)).toEqual([
				[{ item: 0 }, STOCKHOLM, 'created'],
				[
					{ item: 1 },
					undefined,
					`[item 1] Context "ctx-oslo" cannot be used: Context 2 (Hotel Oslo) of the Sign-In Organization API credential holds a Base URL of its own (${nested}) that differs from the organisation's (${emulator.url}), so its key is not sent; remove the Context and add it again, or give it a credential of its own with that Base URL`,
				],
				[{ item: 2 }, STOCKHOLM, 'created'],
			]);
			expect(emulator.requests.map((request) => [request.path, request.keyOf, request.status])).toEqual([
				['/v1/org/org-group/contexts/sign-in/ctx-stockholm/modules/whitelistings/batch/add', 'ctx-stockholm', 200],
			]);
			expect(views[1].store.state.whitelistings).toEqual([]);
		});
	});

	it.each([
		['spelt another way (scheme in capitals, a dot segment, a trailing slash)', (url: string) => `${url.replace(/^http:/, 'HTTP:')}/x/../`],
		['under another Base URL', () => 'https://elsewhere.signin.test'],
	])("the same Context twice, the second %s, fails the whole credential before anything is sent", async (_, spell) => {
		await withGroup(create, async ({ emulator }) => {
			const credentials = withSlot(groupCredential(emulator), 'context3', { contextId: 'ctx-stockholm', baseUrl: spell(emulator.url) });
			const result = await runNode({ parameters: groupParameters(create), items, credentials, continueOnFail: true });
			expect([result.status, result.error?.message]).toEqual([
				'error',
				'Context 1 (Hotel Stockholm) and Context 3 (Hotel Bergen) of the Sign-In Organization API credential have the same Context ID "ctx-stockholm"',
			]);
			expect(emulator.requests).toEqual([]);
		});
	});

	it("a slot whose Context ID was changed without its key sends the old key only to the organisation's Base URL, where it is refused", async () => {
		await withGroup(create, async ({ emulator, views }) => {
			// Oslo's slot now names Bergen, but n8n gave it back Oslo's key.
			const credentials = withSlot(groupCredential(emulator), 'context2', { name: 'Hotel Bergen Annex', contextId: 'ctx-bergen' });
			delete (credentials.contexts as IDataObject).context3;
			const result = await runNode({ parameters: groupParameters(create), items: items.map((item) => ({ ...item, property: item.property === 'ctx-oslo' ? 'ctx-bergen' : item.property })), credentials, continueOnFail: true });
			expect(outcomes(result)).toEqual([
				[{ item: 0 }, STOCKHOLM, 'created'],
				[{ item: 1 }, { name: 'Hotel Bergen Annex', id: 'ctx-bergen' }, 'The Sign-In API refused the API key of Context "Hotel Bergen Annex" (401 Unauthorized)'],
				[{ item: 2 }, STOCKHOLM, 'created'],
			]);
			expect(emulator.crossContextKeys.map(({ keyOf, sentTo }) => [keyOf, sentTo])).toEqual([['ctx-oslo', 'ctx-bergen']]);
			expect(views[2].store.state.whitelistings).toEqual([]);
		});
	});

	it("a slot whose Base URL was changed without its key is not used: its old key goes nowhere", async () => {
		const elsewhere = new SignInEmulator({ token: PROPERTIES[1].key, organizationId: 'org-group', contextId: 'ctx-oslo' });
		await elsewhere.start();
		try {
			await withGroup(create, async ({ emulator }) => {
				const credentials = withSlot(groupCredential(emulator), 'context2', { baseUrl: elsewhere.url });
				const result = await runNode({ parameters: groupParameters(create), items, credentials, continueOnFail: true });
				expect(outcomes(result)[1]).toEqual([
					{ item: 1 },
					undefined,
					`[item 1] Context "ctx-oslo" cannot be used: Context 2 (Hotel Oslo) of the Sign-In Organization API credential holds a Base URL of its own (${elsewhere.url}) that differs from the organisation's (${emulator.url}), so its key is not sent; remove the Context and add it again, or give it a credential of its own with that Base URL`,
				]);
				expect(elsewhere.requests).toEqual([]);
				expect(emulator.requests.map((request) => request.context)).toEqual(['ctx-stockholm']);
			});
		} finally {
			await elsewhere.stop();
		}
	});

	it('a slot without a key fails only the items that name it; without Continue On Fail the run stops before anything is sent', async () => {
		await withGroup(create, async ({ emulator, views }) => {
			const credentials = withSlot(groupCredential(emulator), 'context2', { apiToken: '' });
			const failure = '[item 1] Context "ctx-oslo" cannot be used: Context 2 (Hotel Oslo) of the Sign-In Organization API credential has no API Key';
			const result = await runNode({ parameters: groupParameters(create), items, credentials, continueOnFail: true });
			expect(outcomes(result)).toEqual([
				[{ item: 0 }, STOCKHOLM, 'created'],
				[{ item: 1 }, undefined, failure],
				[{ item: 2 }, STOCKHOLM, 'created'],
			]);
			expect([views[0].store.state.whitelistings.length, views[1].requests]).toEqual([2, []]);

			const stopped = await runNode({ parameters: groupParameters(create), items, credentials });
			expect([stopped.status, stopped.error?.message, stopped.error?.description]).toEqual([
				'error',
				failure,
				"Enter the Context's API key in Context 2 (Hotel Oslo) of the Sign-In Organization API credential; until then only the items for this Context fail. Nothing was sent for this item.",
			]);
			expect(emulator.requests).toHaveLength(1);
		});
	});
});

describe('syncs per Context, each in its own Context', () => {
	const seeded = (views: ContextView[], seeds: Array<Partial<State>>) => seeds.forEach((seed, index) => views[index].store.reset(seed));

	it('Sync Emails brings each Context\'s policy to its own items, and leaves a Context without items alone', async () => {
		await withGroup({ ...CASES[0], seed: {} }, async ({ emulator, views }) => {
			seeded(views, [
				{ policies: { [POLICY]: { name: 'Staff', emails: ['a@acme.com', 'stale@acme.com'] } } },
				{ policies: { [POLICY]: { name: 'Staff', emails: ['old@oslo.no'] } } },
				{ policies: { [POLICY]: { name: 'Staff', emails: ['keep@bergen.no'] } } },
			]);
			const result = await runNode({
				parameters: syncEmailsParameters(100),
				items: [
					{ e: 'a@acme.com', property: 'Hotel Stockholm' },
					{ e: 'new@oslo.no', property: 'Hotel Oslo' },
					{ e: 'b@acme.com', property: 'Hotel Stockholm' },
				],
				credentials: groupCredential(emulator),
			});
			expect(result.status).toBe('success');
			expect(views.map((view) => view.store.state.policies[POLICY].emails)).toEqual([['a@acme.com', 'b@acme.com'], ['new@oslo.no'], ['keep@bergen.no']]);
			expect(views[2].requests).toEqual([]);
			expect(result.output.map((output) => [output.pairedItem, output.json.status, output.json.email ?? output.json.requestedEmails, output.json.signInContext])).toEqual([
				[{ item: 0 }, 'alreadyPresent', ['a@acme.com'], 'Hotel Stockholm'],
				[{ item: 1 }, 'accepted', ['new@oslo.no'], 'Hotel Oslo'],
				[{ item: 2 }, 'accepted', ['b@acme.com'], 'Hotel Stockholm'],
				[{ item: 0 }, 'removed', 'stale@acme.com', 'Hotel Stockholm'],
				[{ item: 1 }, 'removed', 'old@oslo.no', 'Hotel Oslo'],
			]);
		});
	});

	it('Whitelisting Sync: a Context whose valve trips is not touched, the other is brought in step', async () => {
		await withGroup({ ...CASES[0], seed: {} }, async ({ emulator, views }) => {
			seeded(views, [{ whitelistings: [taggedEntry(1), taggedEntry(2), taggedEntry(3)] }, { whitelistings: [taggedEntry(4)] }, { whitelistings: [taggedEntry(5)] }]);
			const result = await runNode({
				parameters: { ...syncParameters(), ...perProperty },
				items: [
					// Stockholm would lose 2 of its 3 entries: more than the default 50 %.
					{ mac: 'AA:BB:CC:00:00:01', name: 'Device 1', property: 'Hotel Stockholm' },
					{ mac: 'AA:BB:CC:00:00:04', name: 'Device 4', property: 'Hotel Oslo' },
					{ mac: 'AA:BB:CC:00:00:06', name: 'Device 6', property: 'Hotel Oslo' },
				],
				credentials: groupCredential(emulator),
				continueOnFail: true,
			});
			expect(views.map((view) => view.store.state.whitelistings.map((stored) => stored.mac).sort())).toEqual([
				['AA:BB:CC:00:00:01', 'AA:BB:CC:00:00:02', 'AA:BB:CC:00:00:03'],
				['AA:BB:CC:00:00:04', 'AA:BB:CC:00:00:06'],
				['AA:BB:CC:00:00:05'],
			]);
			expect(views[0].requests.map((request) => request.method)).toEqual(['GET']);
			expect(result.output.map((output) => [output.pairedItem, output.json.status ?? output.json.error, output.json.signInContext])).toEqual([
				[{ item: 0 }, 'Sync would revoke 2 of the 3 active entries in the Scope (66.7 %), more than Max Destructive Share allows (50 %); nothing was changed', 'Hotel Stockholm'],
				[{ item: 1 }, 'unchanged', 'Hotel Oslo'],
				[{ item: 2 }, 'created', 'Hotel Oslo'],
			]);
		});
	});
});

describe('a device that moves between Contexts', () => {
	/** Stockholm holds devices 1 to 3; the input keeps 2 and 3 there and names device 1 for `property`. */
	async function sync(property: string, check: (views: ContextView[], result: Awaited<ReturnType<typeof runNode>>) => void) {
		await withGroup({ ...CASES[0], seed: {} }, async ({ emulator, views }) => {
			views[0].store.reset({ whitelistings: [taggedEntry(1), taggedEntry(2), taggedEntry(3)] });
			const result = await runNode({
				parameters: { ...syncParameters(), ...perProperty },
				items: [
					{ property: 'Hotel Stockholm', mac: syncMac(2), name: 'Device 2' },
					{ property: 'Hotel Stockholm', mac: syncMac(3), name: 'Device 3' },
					{ property, mac: syncMac(1), name: 'Device 1' },
				],
				credentials: groupCredential(emulator),
				continueOnFail: true,
			});
			check(views, result);
		});
	}
	const macsOf = (view: ContextView) => view.store.state.whitelistings.map((entry) => entry.mac).sort();

	it("is revoked from the Context it left and created in the one it joined: another Context's items hold nothing", async () => {
		await sync('Hotel Oslo', (views, result) => {
			expect(result.status).toBe('success');
			expect(views.map(macsOf)).toEqual([[syncMac(2), syncMac(3)], [syncMac(1)], []]);
			expect(result.output.map((output) => [output.pairedItem, output.json.status, output.json.mac, output.json.signInContext])).toEqual([
				[{ item: 0 }, 'unchanged', syncMac(2), 'Hotel Stockholm'],
				[{ item: 1 }, 'unchanged', syncMac(3), 'Hotel Stockholm'],
				[{ item: 2 }, 'created', syncMac(1), 'Hotel Oslo'],
				[{ item: 0 }, 'revoked', syncMac(1), 'Hotel Stockholm'],
			]);
		});
	});

	it('an item naming no Context of the credential keeps its MAC in every Context, since it may have meant any', async () => {
		await sync('Hotel Paris', (views, result) => {
			expect(macsOf(views[0])).toEqual([syncMac(1), syncMac(2), syncMac(3)]);
			expect(result.output.map((output) => [output.pairedItem, output.json.status ?? output.json.error])).toEqual([
				[{ item: 0 }, 'unchanged'],
				[{ item: 1 }, 'unchanged'],
				[{ item: 2 }, '[item 2] Context "Hotel Paris" is not a Context of the credential, which holds "Hotel Stockholm", "Hotel Oslo" and "Hotel Bergen"'],
			]);
		});
	});
});

const seededViews = (views: ContextView[], seeds: Array<Partial<State>>) => seeds.forEach((seed, index) => views[index].store.reset(seed));
/** Each Context's copy of the policy: Stockholm's holds a stale e-mail, Oslo's and Bergen's one of their own. */
const POLICY_SEEDS: Array<Partial<State>> = [
	{ policies: { [POLICY]: { name: 'Staff', emails: ['a@acme.com', 'stale@acme.com'] } } },
	{ policies: { [POLICY]: { name: 'Staff', emails: ['old@oslo.no'] } } },
	{ policies: { [POLICY]: { name: 'Staff', emails: ['keep@bergen.no'] } } },
];
const syncEmailsParameters = (maxShare: unknown): IDataObject => ({
	resource: 'accessPolicy',
	operation: 'syncEmails',
	mode: 'apply',
	policyId: POLICY,
	emails: '={{ $json.e }}',
	...perProperty,
	options: { maxShare },
});

describe('several Contexts failing in one run', () => {
	const macsOf = (view: ContextView) => view.store.state.whitelistings.map((entry) => `${entry.mac} ${entry.name}`).sort();

	it("without Continue On Fail, the message reports each Context: each failed one's reason and progress, what a finished one did", async () => {
		await withGroup({ ...CASES[0], seed: {} }, async ({ emulator, views }) => {
			seededViews(views, [
				{ whitelistings: [taggedEntry(1), taggedEntry(2), taggedEntry(3)] },
				{ whitelistings: [taggedEntry(5), taggedEntry(6), taggedEntry(7)] },
				{ whitelistings: [taggedEntry(8)] },
			]);
			// Stockholm's second update is refused with a 500 before it is applied.
			emulator.planFaults([{ fault: '500', phase: 'before', method: 'PUT', bodyIncludes: syncMac(2) }]);
			const result = await runNode({
				parameters: { ...syncParameters(), ...perProperty },
				items: [
					{ property: 'Hotel Stockholm', mac: syncMac(1), name: 'Device 1 renamed' },
					{ property: 'Hotel Stockholm', mac: syncMac(2), name: 'Device 2 renamed' },
					{ property: 'Hotel Stockholm', mac: syncMac(3), name: 'Device 3' },
					{ property: 'Hotel Stockholm', mac: syncMac(4), name: 'Device 4' },
					// Oslo would lose 2 of its 3 entries: more than the default 50 %.
					{ property: 'Hotel Oslo', mac: syncMac(5), name: 'Device 5' },
					{ property: 'Hotel Bergen', mac: syncMac(8), name: 'Device 8' },
					{ property: 'Hotel Bergen', mac: syncMac(9), name: 'Device 9' },
				],
				credentials: groupCredential(emulator),
			});
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe(
				[
					'2 of 3 Contexts failed, 1 finished:',
					'"Hotel Stockholm" failed: The Sign-In API is unavailable (500 Internal Server Error). Sync stopped while updating: 1 entries were created before, 1 of the 2 updates were done and the others not sent; none of the 0 revokes was sent.',
					'"Hotel Oslo" failed: Sync would revoke 2 of the 3 active entries in the Scope (66.7 %), more than Max Destructive Share allows (50 %); nothing was changed.',
					'"Hotel Bergen" finished: 2 output items (1 unchanged, 1 created).',
				].join('\n'),
			);
			expect(result.error?.description).toBe(
				[
					"\"Hotel Stockholm\": The Sign-In service could not handle the request. This is on the service's side: try again in a few minutes. The request may have been applied: a 500 answer does not say whether the service did the work before it failed. Sync stopped while updating: 1 entries were created before, 1 of the 2 updates were done and the others not sent; none of the 0 revokes was sent. The plan: 1 to create, 2 to update, 1 unchanged, 0 conflicts, 0 to revoke. Run it again: the next run reads the whitelist and plans what is still to do.",
					'"Hotel Oslo": The plan: 0 to create, 0 to update, 1 unchanged, 0 conflicts, 2 to revoke. An empty or partial input would revoke everything it left out: check that the input is complete. If these are meant to go, raise Max Destructive Share (%) under Options (100 allows any share).',
				].join('\n'),
			);
			expect(macsOf(views[0])).toEqual([`${syncMac(1)} Device 1 renamed`, `${syncMac(2)} Device 2`, `${syncMac(3)} Device 3`, `${syncMac(4)} Device 4`]);
			expect(macsOf(views[1])).toEqual([`${syncMac(5)} Device 5`, `${syncMac(6)} Device 6`, `${syncMac(7)} Device 7`]);
			expect(macsOf(views[2])).toEqual([`${syncMac(8)} Device 8`, `${syncMac(9)} Device 9`]);
			for (const property of PROPERTIES) expect(leakedFragments(result, property.key)).toEqual([]);
		});
	});

	it("with Continue On Fail, a finished Context's output items are kept and each failed Context's items are error items", async () => {
		await withGroup({ ...CASES[0], seed: {} }, async ({ emulator, views }) => {
			seededViews(views, POLICY_SEEDS);
			const result = await runNode({
				// Read per Context, from its first item: Oslo's and Bergen's are out of range.
				parameters: syncEmailsParameters('={{ $json.share }}'),
				items: [
					{ e: 'a@acme.com', property: 'Hotel Stockholm', share: 100 },
					{ e: 'new@oslo.no', property: 'Hotel Oslo', share: 150 },
					{ e: 'b@acme.com', property: 'Hotel Stockholm', share: 100 },
					{ e: 'new@bergen.no', property: 'Hotel Bergen', share: -1 },
				],
				credentials: groupCredential(emulator),
				continueOnFail: true,
			});
			expect(result.status).toBe('success');
			expect(views.map((view) => view.store.state.policies[POLICY].emails)).toEqual([['a@acme.com', 'b@acme.com'], ['old@oslo.no'], ['keep@bergen.no']]);
			expect(result.output.map((output) => [output.pairedItem, output.json.status ?? output.json.error, output.json.signInContext])).toEqual([
				[{ item: 0 }, 'alreadyPresent', 'Hotel Stockholm'],
				[{ item: 1 }, '[item 1] Max Remove Share (%) 150 must be a number from 0 to 100', 'Hotel Oslo'],
				[{ item: 2 }, 'accepted', 'Hotel Stockholm'],
				[{ item: 3 }, '[item 3] Max Remove Share (%) -1 must be a number from 0 to 100', 'Hotel Bergen'],
				[{ item: 0 }, 'removed', 'Hotel Stockholm'],
			]);
		});
	});
});
