import type { ICredentialDataDecryptedObject, ICredentialTestFunctions, IDataObject, INodeProperties, INodePropertyCollection } from 'n8n-workflow';

import { SignInWebhookApi } from '../../credentials/SignInWebhookApi.credentials';
import { NetgraphSignInTrigger } from '../../nodes/NetgraphSignInTrigger/NetgraphSignInTrigger.node';
import { originOf, readWebhookContexts } from '../../nodes/NetgraphSignInTrigger/webhook/origins';
import { CONTEXT_NAME_FIELD } from '../../nodes/shared/signInContext';
import { SLOT_KEYS } from '../../nodes/shared/slots';
import { redeliveryKey } from '../../nodes/NetgraphSignInTrigger/webhook/events';
import * as secret from '../../nodes/NetgraphSignInTrigger/webhook/secret';
import { BERGEN_SECRET, deliver, groupCredentials, OSLO_SECRET, TEST_HEADER, TEST_SECRET, webhookCredentials, type DeliveryOptions } from '../support/webhook';

const denied = { id: 'evt-0001', event: 'signin.session.denied', timestamp: '2026-11-23T09:15:00Z', data: { mac: 'AA:BB:CC:DD:EE:01' } };
const requested = { id: 'evt-0002', event: 'signin.session.requested', data: { sessionId: 's-2' } };
const anonymous = { event: 'signin.session.created', data: { mac: 'AA:BB:CC:DD:EE:10' } };

const from = (secret: string) => ({ [TEST_HEADER]: secret });
const group = (contexts: IDataObject, main: IDataObject = {}): ICredentialDataDecryptedObject => ({ ...groupCredentials, ...main, contexts });
const MISCONFIGURED = { message: 'The receiving workflow is misconfigured; the delivery was not accepted.' };
const UNAUTHENTICATED = { message: 'Missing or wrong webhook authentication header; nothing was started.' };

/** Delivers in sequence with the group credential, carrying the stored static data along as n8n's database does. */
async function deliverAll(deliveries: DeliveryOptions[], staticData: IDataObject = {}) {
	const results = [];
	for (const options of deliveries) {
		const result = await deliver({ credentials: groupCredentials, ...options, staticData });
		staticData = result.staticData;
		results.push(result);
	}
	return results;
}

describe('Netgraph Sign-In Trigger: several Contexts', () => {
	it.each([
		['the main Context', TEST_SECRET, 'Hotel Stockholm'],
		['a further Context', OSLO_SECRET, 'Hotel Oslo'],
		['another further Context', BERGEN_SECRET, 'Hotel Bergen'],
	])('labels the events of %s with its name under signInContext', async (_case, secret, name) => {
		const result = await deliver({ body: [denied, requested], credentials: groupCredentials, headers: from(secret) });
		expect(result.status).toBe(200);
		expect(result.answer).toEqual({ received: 2, started: 2, redelivered: 0, filteredOut: 0 });
		expect(result.items).toEqual([
			{ ...denied, signInContext: name },
			{ ...requested, signInContext: name },
		]);
	});

	it('names the field in one place', () => {
		expect(CONTEXT_NAME_FIELD).toBe('signInContext');
	});

	it('sets signInContext over a payload field of the same name, so that it cannot be forged', async () => {
		const result = await deliver({ body: { ...denied, signInContext: 'Hotel Bergen' }, credentials: groupCredentials, headers: from(OSLO_SECRET) });
		expect(result.items).toEqual([{ ...denied, signInContext: 'Hotel Oslo' }]);
	});

	it.each([
		['missing', {}],
		['the secret of no Context', from('test-secret-not-real-0002')],
		["a prefix of a further Context's secret", from(OSLO_SECRET.slice(0, -1))],
		['two secrets at once', { [TEST_HEADER]: [OSLO_SECRET, BERGEN_SECRET] }],
	])('answers 401 and starts nothing when the header is %s', async (_case, headers) => {
		const result = await deliver({ body: denied, credentials: groupCredentials, headers });
		expect(result.status).toBe(401);
		expect(result.answer).toEqual(UNAUTHENTICATED);
		expect(result.items).toBeUndefined();
		expect(result.staticData).toEqual({});
	});

	it('compares the received value with every secret, whichever matches', () => {
		const contexts = readWebhookContexts(groupCredentials);
		const compare = jest.spyOn(secret, 'secretMatches');
		try {
			for (const received of [TEST_SECRET, OSLO_SECRET, BERGEN_SECRET, 'test-secret-not-real-0002']) {
				compare.mockClear();
				originOf(contexts, received);
				expect(compare.mock.calls).toEqual([
					[received, TEST_SECRET],
					[received, OSLO_SECRET],
					[received, BERGEN_SECRET],
				]);
			}
		} finally {
			compare.mockRestore();
		}
	});

	it('never puts a secret into the answer, the items, the stored data or the log', async () => {
		for (const headers of [from(OSLO_SECRET), from(BERGEN_SECRET), {}]) {
			const result = await deliver({ body: [denied, requested], credentials: group({ context1: { name: 'Hotel Oslo', secret: OSLO_SECRET }, context2: { name: 'Hotel Bergen', secret: 'short-bergen' } }), headers });
			const seen = JSON.stringify([result.answer, result.items, result.staticData, result.logged]);
			for (const secret of [TEST_SECRET, OSLO_SECRET, 'short-bergen']) expect(seen).not.toContain(secret);
		}
	});
});

describe('Netgraph Sign-In Trigger: redeliveries per Context', () => {
	it('starts the same event ID from two Contexts twice, and drops its redelivery to either', async () => {
		const [oslo, bergen, osloAgain, bergenAgain] = await deliverAll([
			{ body: denied, headers: from(OSLO_SECRET) },
			{ body: denied, headers: from(BERGEN_SECRET) },
			{ body: denied, headers: from(OSLO_SECRET) },
			{ body: [requested, denied], headers: from(BERGEN_SECRET) },
		]);
		expect(oslo.items).toEqual([{ ...denied, signInContext: 'Hotel Oslo' }]);
		expect(bergen.items).toEqual([{ ...denied, signInContext: 'Hotel Bergen' }]);
		expect(osloAgain.answer).toEqual({ received: 1, started: 0, redelivered: 1, filteredOut: 0 });
		expect(osloAgain.items).toBeUndefined();
		expect(bergenAgain.answer).toEqual({ received: 2, started: 1, redelivered: 1, filteredOut: 0 });
		expect(bergenAgain.items).toEqual([{ ...requested, signInContext: 'Hotel Bergen' }]);
	});

	it('tells apart events without an ID from two Contexts by Context and content', async () => {
		const [, bergen, osloAgain] = await deliverAll([
			{ body: anonymous, headers: from(OSLO_SECRET) },
			{ body: anonymous, headers: from(BERGEN_SECRET) },
			{ body: anonymous, headers: from(OSLO_SECRET) },
		]);
		expect(bergen.items).toEqual([{ ...anonymous, signInContext: 'Hotel Bergen' }]);
		expect(osloAgain.items).toBeUndefined();
	});

	it('still knows the events the main Context delivered before further Contexts were added', async () => {
		const [before] = await deliverAll([{ body: [denied, anonymous], credentials: webhookCredentials }]);
		const [after] = await deliverAll([{ body: [denied, anonymous], headers: from(TEST_SECRET) }], before.staticData);
		expect(after.answer).toEqual({ received: 2, started: 0, redelivered: 2, filteredOut: 0 });
	});

	it('keeps the main Context\'s keys exactly as before, and scopes a further Context\'s by its slot', () => {
		expect(redeliveryKey(denied, 'signin.session.denied', 'evt-0001')).toBe('cKVLAIy-yL7ZnBOd8VWDPj');
		expect(redeliveryKey(denied, 'signin.session.denied', 'evt-0001', '')).toBe('cKVLAIy-yL7ZnBOd8VWDPj');
		expect(redeliveryKey({ event: 'x' }, 'x', undefined)).toBe('ftLUPabZWyXnToxU7dZovM');
		expect(redeliveryKey(denied, 'signin.session.denied', 'evt-0001', 'context1')).not.toBe('cKVLAIy-yL7ZnBOd8VWDPj');
		expect(redeliveryKey(denied, 'signin.session.denied', 'evt-0001', 'context1')).not.toBe(redeliveryKey(denied, 'signin.session.denied', 'evt-0001', 'context2'));
	});

	it('remembers a Context\'s events across renaming it, since the memory follows its slot', async () => {
		const renamed = group({ context1: { name: 'Hotel Oslo Sentrum', secret: OSLO_SECRET }, context2: { name: 'Hotel Bergen', secret: BERGEN_SECRET } });
		const [, again] = await deliverAll([{ body: denied, headers: from(OSLO_SECRET) }, { body: denied, headers: from(OSLO_SECRET), credentials: renamed }]);
		expect(again.answer).toEqual({ received: 1, started: 0, redelivered: 1, filteredOut: 0 });
	});
});

describe('Netgraph Sign-In Trigger: a group credential that breaks its rules', () => {
	const shortBergen = group({ context1: { name: 'Hotel Oslo', secret: OSLO_SECRET }, context2: { name: 'Hotel Bergen', secret: 'short-bergen' } });

	it('answers 500 to the deliveries of a broken Context, logs why, and keeps serving the others', async () => {
		const broken = await deliver({ body: denied, credentials: shortBergen, headers: from('short-bergen') });
		expect([broken.status, broken.answer, broken.items]).toEqual([500, MISCONFIGURED, undefined]);
		expect(broken.logged).toEqual([
			'error: Netgraph Sign-In Trigger "Sign-In Trigger": Context 2 (Hotel Bergen): Secret must be at least 16 characters long (it has 12). Fix its credential; deliveries get 500 until then, and the platform retries them.',
		]);
		const oslo = await deliver({ body: denied, credentials: shortBergen, headers: from(OSLO_SECRET) });
		expect(oslo.items).toEqual([{ ...denied, signInContext: 'Hotel Oslo' }]);
		expect(oslo.logged).toEqual([]);
		const stranger = await deliver({ body: denied, credentials: shortBergen, headers: from('test-secret-not-real-0002') });
		expect(stranger.status).toBe(401);
	});

	it('answers 500 to a secret two Contexts share, since its origin is ambiguous, and serves the main Context', async () => {
		const shared = group({ context1: { name: 'Hotel Oslo', secret: OSLO_SECRET }, context2: { name: 'Hotel Bergen', secret: OSLO_SECRET } });
		const ambiguous = await deliver({ body: denied, credentials: shared, headers: from(OSLO_SECRET) });
		expect(ambiguous.status).toBe(500);
		expect(ambiguous.logged[0]).toBe(
			'error: Netgraph Sign-In Trigger "Sign-In Trigger": Context 1 (Hotel Oslo): Secret is the same as the one of Context 2 (Hotel Bergen); every Context needs its own; Context 2 (Hotel Bergen): Secret is the same as the one of Context 1 (Hotel Oslo); every Context needs its own. Fix its credential; deliveries get 500 until then, and the platform retries them.',
		);
		const main = await deliver({ body: denied, credentials: shared, headers: from(TEST_SECRET) });
		expect(main.items).toEqual([{ ...denied, signInContext: 'Hotel Stockholm' }]);
	});

	it('answers 500 to every delivery when the header name is wrong, since none can be read', async () => {
		const result = await deliver({ body: denied, credentials: { ...groupCredentials, headerName: 'X Secret' }, headers: { 'X Secret': OSLO_SECRET } });
		expect(result.status).toBe(500);
	});

	it('answers 500 to every delivery when no Context is usable, as the single-secret credential does', async () => {
		const none = group({ context1: { name: '', secret: OSLO_SECRET } }, { secret: 'short' });
		for (const headers of [from(OSLO_SECRET), from('short'), from('test-secret-not-real-0002'), {}]) {
			expect((await deliver({ body: denied, credentials: none, headers })).status).toBe(500);
		}
	});

	it('answers 500 to the main Context while it has no name beside further Contexts', async () => {
		const unnamed = { ...groupCredentials, contextName: '' };
		expect((await deliver({ body: denied, credentials: unnamed, headers: from(TEST_SECRET) })).status).toBe(500);
		expect((await deliver({ body: denied, credentials: unnamed, headers: from(OSLO_SECRET) })).items).toEqual([{ ...denied, signInContext: 'Hotel Oslo' }]);
	});
});

describe('Netgraph Sign-In Trigger: the single-secret credential', () => {
	it('leaves events untouched without a Context Name, as before', async () => {
		const result = await deliver({ body: denied, credentials: { headerName: TEST_HEADER, secret: TEST_SECRET, contextName: '', contexts: {} } });
		expect(result.items).toEqual([denied]);
	});

	it('labels events with the Context Name when one is given', async () => {
		const result = await deliver({ body: denied, credentials: { ...webhookCredentials, contextName: ' Hotel Stockholm ' } });
		expect(result.items).toEqual([{ ...denied, signInContext: 'Hotel Stockholm' }]);
	});
});

describe('Sign-In Webhook API credential: further Contexts', () => {
	const test = new NetgraphSignInTrigger().methods.credentialTest.signInWebhookHeader;
	const run = async (data: ICredentialDataDecryptedObject) => await test.call({} as ICredentialTestFunctions, { id: 'c', name: 'c', type: 'signInWebhookApi', data });
	const contexts = new SignInWebhookApi().properties.find((property) => property.name === 'contexts') as INodeProperties;

	it('offers 50 named slots, context1 to context50, each with a required name and a required password secret', () => {
		expect(contexts.type).toBe('fixedCollection');
		expect(contexts.typeOptions?.multipleValues).toBeUndefined();
		const options = contexts.options as INodePropertyCollection[];
		expect(options.map((option) => option.name)).toEqual(SLOT_KEYS);
		expect(options.map((option) => option.name)).toEqual(Array.from({ length: 50 }, (_, i) => `context${i + 1}`));
		expect(options[49].displayName).toBe('Context 50');
		for (const option of options) {
			expect(option.values.map(({ name, required, typeOptions }) => ({ name, required, typeOptions }))).toEqual([
				{ name: 'name', required: true, typeOptions: undefined },
				{ name: 'secret', required: true, typeOptions: { password: true } },
			]);
		}
	});

	it('passes a group and names its Contexts', async () => {
		expect(await run(groupCredentials)).toEqual({
			status: 'OK',
			message:
				"Header ready for 3 Contexts (Hotel Stockholm, Hotel Oslo, Hotel Bergen). Add the header X-Webhook-Secret to the webhook in each Context's admin, with that Context's own secret as its value.",
		});
	});

	it('lists every Context that fails, with the rule it breaks', async () => {
		const result = await run(
			group(
				{
					context1: { name: 'Hotel Oslo', secret: 'short-oslo' },
					context2: { name: 'hotel stockholm', secret: BERGEN_SECRET },
					context4: { name: ' ', secret: `${BERGEN_SECRET}4` },
					context7: { name: 'Hotel Bodø', secret: TEST_SECRET },
					context9: { name: 'Hotel Tromsø', secret: `${OSLO_SECRET}\n` },
				},
				{ contextName: 'Hotel Stockholm' },
			),
		);
		expect(result).toEqual({
			status: 'Error',
			message: [
				'Main Context (Hotel Stockholm): Secret is the same as the one of Context 7 (Hotel Bodø); every Context needs its own.',
				'Context 1 (Hotel Oslo): Secret must be at least 16 characters long (it has 10).',
				'Context 2 (hotel stockholm): Name "hotel stockholm" is already used by Main Context (Hotel Stockholm).',
				'Context 4: Name is empty.',
				'Context 7 (Hotel Bodø): Secret is the same as the one of Main Context (Hotel Stockholm); every Context needs its own.',
				'Context 9 (Hotel Tromsø): Secret may hold only visible ASCII characters and inner spaces (no line breaks, no leading or trailing spaces).',
			].join(' '),
		});
		expect(JSON.stringify(result)).not.toMatch(/test-secret|short-oslo/);
	});

	it('asks for the main Context Name once further Contexts are added', async () => {
		expect(await run({ ...groupCredentials, contextName: '' })).toEqual({
			status: 'Error',
			message: 'Main Context: Context Name is empty; it is required once further Contexts are added, so that every event says which Context it came from.',
		});
	});

	it('lists a wrong header name with the Contexts\' problems', async () => {
		expect(await run({ ...groupCredentials, headerName: 'Host', contexts: { context3: { name: 'Hotel Oslo', secret: 'short-oslo' } } })).toEqual({
			status: 'Error',
			message:
				'Header Name "Host" is set by HTTP clients and proxies themselves; choose a header of your own, e.g. X-Webhook-Secret. Context 3 (Hotel Oslo): Secret must be at least 16 characters long (it has 10).',
		});
	});

	it('tests a single-secret credential as before, with or without an empty Further Contexts', async () => {
		for (const data of [webhookCredentials, { ...webhookCredentials, contextName: 'Hotel Stockholm', contexts: {} }]) {
			expect(await run(data)).toEqual({
				status: 'OK',
				message: 'Header ready. Add the header X-Webhook-Secret with this value to the webhook in the Sign-In Context admin.',
			});
		}
	});
});
