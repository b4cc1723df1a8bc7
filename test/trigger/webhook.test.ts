import type { ICredentialDataDecryptedObject, ICredentialTestFunctions, IDataObject, IHookFunctions } from 'n8n-workflow';

import { SignInWebhookApi } from '../../credentials/SignInWebhookApi.credentials';
import { NetgraphSignInTrigger } from '../../nodes/NetgraphSignInTrigger/NetgraphSignInTrigger.node';
import { DEFAULT_REMEMBERED_EVENTS } from '../../nodes/NetgraphSignInTrigger/webhook/events';
import { DEFAULT_HEADER_NAME } from '../../nodes/NetgraphSignInTrigger/webhook/secret';
import { deliver, TEST_HEADER, TEST_SECRET, type DeliveryOptions } from '../support/webhook';

const denied = {
	id: 'evt-0001',
	event: 'signin.session.denied',
	timestamp: '2026-11-23T09:15:00Z',
	contextId: 'demo-context',
	data: { sessionId: 's-1', mac: 'AA:BB:CC:DD:EE:01', reason: 'policy' },
};
const requested = { id: 'evt-0002', event: 'signin.session.requested', timestamp: '2026-11-23T09:16:00Z', data: { sessionId: 's-2' } };
const granted = { id: 'evt-0003', event: 'signin.dhcp.granted', timestamp: '2026-11-23T09:17:00Z', data: { ip: '10.0.0.7' } };

/**
 * Delivers in sequence, carrying the stored static data from one delivery to the next as n8n's
 * database does; by default each delivery is as if n8n had been restarted in between.
 */
async function deliverAll(deliveries: DeliveryOptions[], staticData: IDataObject = {}) {
	const results = [];
	for (const options of deliveries) {
		const result = await deliver({ ...options, staticData });
		staticData = result.staticData;
		results.push(result);
	}
	return results;
}

describe('Netgraph Sign-In Trigger: authentication', () => {
	it('starts the workflow with the event, untouched, when the header carries the secret', async () => {
		const result = await deliver({ body: denied });
		expect(result.status).toBe(200);
		expect(result.answer).toEqual({ received: 1, started: 1, redelivered: 0, filteredOut: 0 });
		expect(result.items).toEqual([denied]);
	});

	it('matches the header name whatever its case', async () => {
		const result = await deliver({ body: denied, headers: { 'x-webhook-secret': TEST_SECRET } });
		expect(result.items).toEqual([denied]);
	});

	it.each([
		['missing', {}],
		['wrong', { [TEST_HEADER]: 'test-secret-not-real-0002' }],
		['a prefix of the secret', { [TEST_HEADER]: TEST_SECRET.slice(0, -1) }],
		['the secret with a trailing space', { [TEST_HEADER]: `${TEST_SECRET} ` }],
		['sent twice', { [TEST_HEADER]: [TEST_SECRET, TEST_SECRET] }],
		['under another name', { Authorization: TEST_SECRET }],
	])('answers 401 and starts nothing when the header is %s', async (_case, headers) => {
		const result = await deliver({ body: denied, headers });
		expect(result.status).toBe(401);
		expect(result.answer).toEqual({ message: 'Missing or wrong webhook authentication header; nothing was started.' });
		expect(result.result).toEqual({ noWebhookResponse: true });
		expect(result.items).toBeUndefined();
		expect(result.staticData).toEqual({});
	});

	it('answers 500 and starts nothing while the credential breaks its rules, so the platform retries later', async () => {
		const result = await deliver({ body: denied, credentials: { headerName: TEST_HEADER, secret: 'short' }, headers: { [TEST_HEADER]: 'short' } });
		expect(result.status).toBe(500);
		expect(result.answer).toEqual({ message: 'The receiving workflow is misconfigured; the delivery was not accepted.' });
		expect(result.items).toBeUndefined();
		expect(result.logged).toEqual([
			'error: Netgraph Sign-In Trigger "Sign-In Trigger": Secret must be at least 16 characters long (it has 5). Fix its credential; deliveries get 500 until then, and the platform retries them.',
		]);
	});

	it('never puts the secret into the answer, the items or the stored data', async () => {
		for (const headers of [undefined, {}]) {
			const result = await deliver({ body: [denied, requested], headers });
			expect(JSON.stringify([result.answer, result.items, result.staticData])).not.toContain(TEST_SECRET);
		}
	});
});

describe('Netgraph Sign-In Trigger: delivery types', () => {
	it('makes one item per event of a Batch delivery sent as a top-level array, in delivery order', async () => {
		const result = await deliver({ body: [granted, denied, requested] });
		expect(result.items).toEqual([granted, denied, requested]);
		expect(result.answer).toEqual({ received: 3, started: 3, redelivered: 0, filteredOut: 0 });
	});

	it.each(['events', 'items', 'data', 'records', 'batch', 'payload', 'results', 'entries'])(
		'reads a Batch delivery wrapped under "%s"',
		async (key) => {
			const result = await deliver({ body: { [key]: [denied, requested], batchId: 'b-1', count: 2 } });
			expect(result.items).toEqual([denied, requested]);
		},
	);

	it('takes an object that names its event as one event, even when it holds an array', async () => {
		const event = { id: 'evt-9', event: 'signin.dhcp.granted', data: [{ ip: '10.0.0.8' }, { ip: '10.0.0.9' }] };
		const result = await deliver({ body: event });
		expect(result.items).toEqual([event]);
	});

	it('takes an object with two candidate arrays and no event name as one unnamed event', async () => {
		const body = { events: [denied], items: [requested] };
		const result = await deliver({ body });
		expect(result.items).toEqual([body]);
	});

	it('keeps a batch entry that is not an object, under "value"', async () => {
		const result = await deliver({ body: [denied, 'signin.session.denied', 42] });
		expect(result.items).toEqual([denied, { value: 'signin.session.denied' }, { value: 42 }]);
	});

	it('answers 200 and starts nothing for an empty batch', async () => {
		const result = await deliver({ body: [] });
		expect(result.status).toBe(200);
		expect(result.answer).toEqual({ received: 0, started: 0, redelivered: 0, filteredOut: 0 });
		expect(result.result.workflowData).toBeUndefined();
	});

	it('reads JSON sent with another content type from the raw body', async () => {
		for (const contentType of ['text/plain', 'application/octet-stream', 'application/cloudevents+json']) {
			const result = await deliver({ body: JSON.stringify(denied), contentType });
			expect(result.items).toEqual([denied]);
		}
	});
});

describe('Netgraph Sign-In Trigger: malformed deliveries', () => {
	it.each([
		['an empty body', '', 'application/json', 'The delivery has an empty body; nothing was started.'],
		['white space only', '  \n', 'text/plain', 'The delivery has an empty body; nothing was started.'],
		['text that is not JSON', 'signin.session.denied for AA:BB', 'text/plain', 'The delivery body is not JSON; nothing was started.'],
		['form data', 'event=signin.session.denied', 'application/x-www-form-urlencoded', 'The delivery body is not JSON; nothing was started.'],
		['a JSON string', '"signin.session.denied"', 'application/json', 'The delivery body is neither a JSON object nor a JSON array; nothing was started.'],
		['a JSON number', '42', 'application/json', 'The delivery body is neither a JSON object nor a JSON array; nothing was started.'],
		['JSON null', 'null', 'application/json', 'The delivery body is neither a JSON object nor a JSON array; nothing was started.'],
	])('answers 400 to %s', async (_case, body, contentType, message) => {
		const result = await deliver({ body, contentType });
		expect(result.status).toBe(400);
		expect(result.answer).toEqual({ message });
		expect(result.items).toBeUndefined();
	});

	it('checks the header before reading the body', async () => {
		const result = await deliver({ body: 'not json', contentType: 'text/plain', headers: {} });
		expect(result.status).toBe(401);
	});

	it('takes a 20,000-event batch as 20,000 items in order', async () => {
		const events = Array.from({ length: 20_000 }, (_, i) => ({ id: `evt-${i}`, event: 'signin.dhcp.granted', data: { n: i } }));
		const result = await deliver({ body: { events } });
		expect(result.items).toHaveLength(20_000);
		expect(result.items![0]).toEqual(events[0]);
		expect(result.items![19_999]).toEqual(events[19_999]);
		expect((result.staticData['node:Sign-In Trigger'] as IDataObject).recentEvents).toHaveLength(DEFAULT_REMEMBERED_EVENTS);
	});

	it('remembers a whole 20,000-event batch by default: redelivered, it starts nothing', async () => {
		expect(DEFAULT_REMEMBERED_EVENTS).toBe(20_000);
		const events = Array.from({ length: 20_000 }, (_, i) => ({ id: `evt-${i}`, event: 'signin.dhcp.granted' }));
		const [first, again] = await deliverAll([{ body: { events } }, { body: { events } }]);
		expect(first.items).toHaveLength(20_000);
		expect(again.items).toBeUndefined();
		expect(again.answer).toEqual({ received: 20_000, started: 0, redelivered: 20_000, filteredOut: 0 });
	});
});

describe('Netgraph Sign-In Trigger: event filter', () => {
	it('starts the workflow only with the selected events and counts the rest', async () => {
		const result = await deliver({ body: [denied, requested, granted], parameters: { events: ['signin.session.denied', 'signin.dhcp.granted'] } });
		expect(result.items).toEqual([denied, granted]);
		expect(result.answer).toEqual({ received: 3, started: 2, redelivered: 0, filteredOut: 1 });
	});

	it('adds the names typed under Other Event Names, in any case and separated by commas or lines', async () => {
		const expired = { id: 'evt-7', event: 'signin.dhcp.expired' };
		const audit = { id: 'evt-8', event: 'signin.configuration.audit' };
		const result = await deliver({
			body: [expired, denied, audit],
			parameters: { events: ['signin.session.requested'], otherEvents: 'SIGNIN.DHCP.EXPIRED,\n signin.configuration.audit' },
		});
		expect(result.items).toEqual([expired, audit]);
	});

	it('compares names without regard to case and finds a name nested under event', async () => {
		const upper = { eventId: 'e-1', eventType: 'SignIn.Session.Denied' };
		const nested = { event: { id: 'e-2', name: 'signin.session.denied' } };
		const result = await deliver({ body: [upper, nested], parameters: { events: ['signin.session.denied'] } });
		expect(result.items).toEqual([upper, nested]);
	});

	it('passes events without a name by default and drops them when Keep Events Without a Name is off', async () => {
		const unnamed = { id: 'evt-5', data: { mac: 'AA:BB:CC:DD:EE:05' } };
		const kept = await deliver({ body: [unnamed, requested], parameters: { events: ['signin.session.denied'] } });
		expect(kept.items).toEqual([unnamed]);
		const dropped = await deliver({ body: [unnamed, requested], parameters: { events: ['signin.session.denied'], options: { keepUnnamedEvents: false } } });
		expect(dropped.items).toBeUndefined();
		expect(dropped.answer).toEqual({ received: 2, started: 0, redelivered: 0, filteredOut: 2 });
	});

	it('answers 200 and starts nothing when every event is filtered out', async () => {
		const result = await deliver({ body: requested, parameters: { events: ['signin.session.denied'] } });
		expect(result.status).toBe(200);
		expect(result.result.workflowData).toBeUndefined();
	});
});

describe('Netgraph Sign-In Trigger: redeliveries', () => {
	it('starts nothing for a redelivered event, also after n8n reloads the workflow from its database', async () => {
		const [first, again] = await deliverAll([{ body: denied }, { body: denied }]);
		expect(first.items).toEqual([denied]);
		expect(first.staticDataChanged).toBe(true);
		expect(again.status).toBe(200);
		expect(again.answer).toEqual({ received: 1, started: 0, redelivered: 1, filteredOut: 0 });
		expect(again.result.workflowData).toBeUndefined();
	});

	it('recognises an event delivered twice at once, before either delivery stored its data', async () => {
		const [first, second] = await Promise.all([
			deliver({ body: [denied, requested], workflowId: 'wf-concurrent' }),
			deliver({ body: { events: [requested, denied, granted] }, workflowId: 'wf-concurrent' }),
		]);
		expect(first.items).toEqual([denied, requested]);
		expect(second.items).toEqual([granted]);
		expect((second.staticData['node:Sign-In Trigger'] as IDataObject).recentEvents).toHaveLength(3);
	});

	it('recognises a redelivered batch and passes only its new events', async () => {
		const [, second] = await deliverAll([{ body: [denied, requested] }, { body: { events: [denied, granted, requested] } }]);
		expect(second.items).toEqual([granted]);
		expect(second.answer).toEqual({ received: 3, started: 1, redelivered: 2, filteredOut: 0 });
	});

	it('drops a repeat inside one delivery', async () => {
		const result = await deliver({ body: [denied, denied] });
		expect(result.items).toEqual([denied]);
	});

	it('tells apart events that share an ID but not a name', async () => {
		const approved = { ...requested, event: 'signin.session.approved' };
		const [, second] = await deliverAll([{ body: requested }, { body: approved }]);
		expect(second.items).toEqual([approved]);
	});

	it('recognises events without an ID by their whole content', async () => {
		const anonymous = { event: 'signin.session.created', data: { mac: 'AA:BB:CC:DD:EE:10' } };
		const other = { event: 'signin.session.created', data: { mac: 'AA:BB:CC:DD:EE:11' } };
		const [, second] = await deliverAll([{ body: anonymous }, { body: [anonymous, other] }]);
		expect(second.items).toEqual([other]);
	});

	it('does not remember filtered-out events, so a later filter change still receives them', async () => {
		const [, second] = await deliverAll([
			{ body: requested, parameters: { events: ['signin.session.denied'] } },
			{ body: requested, parameters: { events: ['*'] } },
		]);
		expect(second.items).toEqual([requested]);
	});

	it('starts every delivery when Drop Redeliveries is off, and stores nothing', async () => {
		const [first, second] = await deliverAll([
			{ body: denied, parameters: { options: { dropRedeliveries: false } } },
			{ body: denied, parameters: { options: { dropRedeliveries: false } } },
		]);
		expect(second.items).toEqual([denied]);
		expect(first.staticData).toEqual({});
		expect(first.staticDataChanged).toBe(false);
	});

	it('does not drop or remember anything while listening for a test event', async () => {
		const [first, second] = await deliverAll([{ body: denied, mode: 'manual' }, { body: denied, mode: 'manual' }]);
		expect(first.items).toEqual([denied]);
		expect(second.items).toEqual([denied]);
	});

	it('remembers at most Remembered Events keys, forgetting the oldest first', async () => {
		const events = Array.from({ length: 150 }, (_, i) => ({ id: `evt-${i}`, event: 'signin.session.created' }));
		const parameters = { options: { rememberedEvents: 100 } };
		const [first, oldest, newest] = await deliverAll([
			{ body: events, parameters },
			{ body: events[0], parameters },
			{ body: events[149], parameters },
		]);
		expect((first.staticData['node:Sign-In Trigger'] as IDataObject).recentEvents).toHaveLength(100);
		expect(oldest.items).toEqual([events[0]]);
		expect(newest.items).toBeUndefined();
	});

	it('takes the default for a Remembered Events value that is not a number, and keeps the newest', async () => {
		const events = Array.from({ length: 20_050 }, (_, i) => ({ id: `evt-${i}`, event: 'signin.session.created' }));
		const parameters = { options: { rememberedEvents: 'plenty' } };
		const [first, oldest, kept] = await deliverAll([
			{ body: events, parameters },
			{ body: events[49], parameters },
			{ body: events[20_049], parameters },
		]);
		expect((first.staticData['node:Sign-In Trigger'] as IDataObject).recentEvents).toHaveLength(20_000);
		expect(oldest.items).toEqual([events[49]]);
		expect(kept.items).toBeUndefined();
	});

	it('does not write the stored data back when nothing new was remembered', async () => {
		const [first] = await deliverAll([{ body: denied }]);
		const again = await deliver({ body: denied, staticData: first.staticData });
		expect(again.staticDataChanged).toBe(false);
	});
});

describe('Sign-In Webhook API credential', () => {
	const test = new NetgraphSignInTrigger().methods.credentialTest.signInWebhookHeader;
	const run = async (data: ICredentialDataDecryptedObject) =>
		await test.call({} as ICredentialTestFunctions, { id: 'c', name: 'c', type: 'signInWebhookApi', data });

	it('offers the header name the trigger documents', () => {
		const headerName = new SignInWebhookApi().properties.find((property) => property.name === 'headerName');
		expect(headerName?.default).toBe(DEFAULT_HEADER_NAME);
	});

	it('is tested by the trigger, which uses it', () => {
		expect(new NetgraphSignInTrigger().description.credentials).toEqual([
			{ name: 'signInWebhookApi', required: true, testedBy: 'signInWebhookHeader' },
		]);
	});

	it('passes a well-formed header and says what to do with it', async () => {
		expect(await run({ headerName: TEST_HEADER, secret: TEST_SECRET })).toEqual({
			status: 'OK',
			message: 'Header ready. Add the header X-Webhook-Secret with this value to the webhook in the Sign-In Context admin.',
		});
	});

	it.each([
		[{ headerName: '', secret: TEST_SECRET }, 'Header Name is empty.'],
		[
			{ headerName: 'X Webhook Secret', secret: TEST_SECRET },
			'Header Name "X Webhook Secret" is not a valid HTTP header name (letters, digits and !#$%&\'*+-.^_`|~ only, no spaces).',
		],
		[
			{ headerName: 'Content-Type', secret: TEST_SECRET },
			'Header Name "Content-Type" is set by HTTP clients and proxies themselves; choose a header of your own, e.g. X-Webhook-Secret.',
		],
		[{ headerName: TEST_HEADER, secret: 'fifteen-chars-x' }, 'Secret must be at least 16 characters long (it has 15).'],
		[
			{ headerName: TEST_HEADER, secret: `${TEST_SECRET} ` },
			'Secret may hold only visible ASCII characters and inner spaces (no line breaks, no leading or trailing spaces).',
		],
		[
			{ headerName: TEST_HEADER, secret: `${TEST_SECRET}\nX-Other: 1` },
			'Secret may hold only visible ASCII characters and inner spaces (no line breaks, no leading or trailing spaces).',
		],
	])('refuses %j with the rule it breaks', async (data, message) => {
		const result = await run(data);
		expect(result).toEqual({ status: 'Error', message });
		expect(JSON.stringify(result)).not.toContain(TEST_SECRET);
	});
});

describe('Netgraph Sign-In Trigger: activation', () => {
	const lifecycle = new NetgraphSignInTrigger().webhookMethods.default;
	const logged: string[] = [];
	const hook = {
		logger: { info: (line: string) => logged.push(line) },
		getNode: () => ({ name: 'Sign-In Trigger' }),
		getNodeWebhookUrl: () => 'https://n8n.example.com/webhook/abc/webhook',
	} as unknown as IHookFunctions;

	it('registers nothing remotely and tells in the log where the subscription is set up and removed', async () => {
		expect(await lifecycle.checkExists.call(hook)).toBe(false);
		expect(await lifecycle.create.call(hook)).toBe(true);
		expect(await lifecycle.delete.call(hook)).toBe(true);
		expect(logged).toEqual([
			'Netgraph Sign-In Trigger "Sign-In Trigger" is listening at https://n8n.example.com/webhook/abc/webhook: it starts the workflow only for deliveries from a webhook set up with this URL and the credential\'s header in the Sign-In Context admin (Context > Webhooks).',
			'Netgraph Sign-In Trigger "Sign-In Trigger" stopped listening: disable its webhook in the Sign-In Context admin (Context > Webhooks), or the platform keeps retrying deliveries that now get 404.',
		]);
	});
});
