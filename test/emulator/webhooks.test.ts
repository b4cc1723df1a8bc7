/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';
import nock from 'nock';

import { SignInEmulator } from '../../emulator/server';
import { RETRY_SCHEDULE_MINUTES, type Delivery } from '../../emulator/webhooks';

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1/));

interface Received {
	headers: IncomingHttpHeaders;
	body: unknown;
	at: number;
}

/** A webhook receiver that records every POST and answers with the next planned status (200 when none is left). */
class Receiver {
	readonly received: Received[] = [];
	readonly plan: Array<number | 'hang'> = [];
	private readonly server: Server;
	url = '';

	constructor() {
		this.server = createServer((request, response) => {
			const chunks: Buffer[] = [];
			request.on('data', (chunk: Buffer) => chunks.push(chunk));
			request.on('end', () => {
				this.received.push({ headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), at: Date.now() });
				const status = this.plan.shift() ?? 200;
				if (status === 'hang') return;
				response.writeHead(status, { 'Content-Type': 'text/plain' });
				response.end(status === 200 ? 'ok' : `failed with ${status}`);
			});
		});
	}

	async start(): Promise<this> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
		return this;
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

let emulator: SignInEmulator;
let receiver: Receiver;

beforeEach(async () => {
	emulator = new SignInEmulator({ webhookRetryScale: 0.0001, webhookTimeoutMs: 300 });
	await emulator.start();
	receiver = await new Receiver().start();
});

afterEach(async () => {
	await emulator.stop();
	await receiver.stop();
});

/** A control route's answer; `T` is the shape a test reads from it. */
async function control<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
	const response = await fetch(`${emulator.url}/__emulator${path}`, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json()) as T };
}

const subscribe = (subscription: Record<string, unknown>) =>
	control<{ id: string }>('POST', '/webhooks', { name: 'frontDesk', url: receiver.url, headers: { 'X-Webhook-Secret': 'emulator-webhook-secret' }, ...subscription });

async function until(condition: () => boolean, what: string): Promise<void> {
	for (let waited = 0; !condition(); waited += 10) {
		if (waited > 10_000) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

describe('emulator webhooks: subscriptions', () => {
	it('registers a subscription like the admin form and lists it', async () => {
		const created = await subscribe({ type: 'batch', events: ['signin.session.denied'] });
		expect(created.status).toBe(201);
		expect(created.body).toEqual({
			id: expect.stringMatching(/^[0-9a-f-]{36}$/),
			name: 'frontDesk',
			url: receiver.url,
			headers: { 'X-Webhook-Secret': 'emulator-webhook-secret' },
			type: 'batch',
			events: ['signin.session.denied'],
			envelope: 'events',
			enabled: true,
		});
		expect((await control('GET', '/webhooks')).body).toEqual([created.body]);
	});

	it.each([
		[{ name: 'ab' }, 'name must be 3 to 125 letters or digits'],
		[{ name: 'front desk' }, 'name must be 3 to 125 letters or digits'],
		[{ url: 'ftp://example.com/x' }, 'url must be an absolute http(s) URL'],
		[{ url: '/relative' }, 'url must be an absolute http(s) URL'],
		[{ type: 'hourly' }, 'type must be "instant" or "batch"'],
		[{ envelope: 'xml' }, 'envelope must be "array" or "events"'],
		[{ events: [] }, 'events must be a non-empty list of event names, or ["*"]'],
		[{ headers: { 'X-Count': 3 } }, 'headers must be an object of string values'],
		[{ contextId: '' }, 'contextId must be a non-empty string'],
		[{ contextId: 7 }, 'contextId must be a non-empty string'],
	])('refuses %j with 400', async (input, message) => {
		expect(await subscribe(input)).toEqual({ status: 400, body: { message } });
	});

	it('deletes a subscription, which then receives nothing', async () => {
		const { body } = await subscribe({});
		expect((await control('DELETE', `/webhooks/${body.id}`)).body).toEqual({ deleted: true });
		expect((await control('DELETE', `/webhooks/${body.id}`)).status).toBe(404);
		expect((await control('POST', '/webhooks/simulate', { events: ['signin.session.denied'] })).body).toEqual({ deliveries: [] });
		expect(receiver.received).toHaveLength(0);
	});

	it('sends nothing to a disabled subscription', async () => {
		await subscribe({ enabled: false });
		await control('POST', '/webhooks/simulate', { events: ['signin.session.denied'] });
		expect(receiver.received).toHaveLength(0);
	});
});

describe('emulator webhooks: deliveries', () => {
	it('posts one event per request, in order, with the custom headers, to an Instant subscription', async () => {
		await subscribe({ type: 'instant' });
		const { body } = await control<{ deliveries: Delivery[] }>('POST', '/webhooks/simulate', {
			events: ['signin.session.created', { event: 'signin.session.denied', id: 'evt-2', timestamp: '2026-11-23T10:00:00Z', data: { mac: 'AA:BB:CC:DD:EE:01' } }],
		});
		expect(receiver.received.map((request) => request.body)).toEqual([
			{ id: expect.any(String), event: 'signin.session.created', timestamp: expect.any(String), organizationId: 'demo-org', contextId: 'demo-context', data: {} },
			{ id: 'evt-2', event: 'signin.session.denied', timestamp: '2026-11-23T10:00:00Z', organizationId: 'demo-org', contextId: 'demo-context', data: { mac: 'AA:BB:CC:DD:EE:01' } },
		]);
		expect(receiver.received[0].headers['x-webhook-secret']).toBe('emulator-webhook-secret');
		expect(receiver.received[0].headers['content-type']).toBe('application/json');
		expect(body.deliveries.map((delivery) => [delivery.type, delivery.state, delivery.attempts.length, delivery.attempts[0].status])).toEqual([
			['instant', 'delivered', 1, 200],
			['instant', 'delivered', 1, 200],
		]);
	});

	it('posts the events of one simulation together to a Batch subscription, under "events" or as an array', async () => {
		await subscribe({ type: 'batch' });
		await subscribe({ type: 'batch', envelope: 'array' });
		await control('POST', '/webhooks/simulate', { events: [{ event: 'signin.dhcp.granted', id: 'a' }, { event: 'signin.session.denied', id: 'b' }] });
		type Event = { id: string };
		const bodies = receiver.received.map((request) => request.body as { events: Event[] } | Event[]);
		const wrapped = bodies.find((body) => !Array.isArray(body)) as { events: Event[] };
		const array = bodies.find((body) => Array.isArray(body)) as Event[];
		expect(wrapped.events.map((event) => event.id)).toEqual(['a', 'b']);
		expect(array.map((event) => event.id)).toEqual(['a', 'b']);
	});

	it("sends each Context's subscription the same events with that Context's ID and its own header; raw payloads as given", async () => {
		await subscribe({ name: 'oslo', contextId: 'hotel-oslo', headers: { 'X-Webhook-Secret': 'oslo-secret' } });
		await subscribe({ name: 'bergen', type: 'batch', contextId: 'hotel-bergen', headers: { 'X-Webhook-Secret': 'bergen-secret' } });
		await control('POST', '/webhooks/simulate', { events: [{ event: 'signin.session.denied', id: 'evt-1' }, { payload: { event: 'custom.event', contextId: 'raw' } }] });
		const sent = receiver.received.map((request) => [request.headers['x-webhook-secret'], request.body]);
		expect(sent).toEqual(
			expect.arrayContaining([
				['oslo-secret', expect.objectContaining({ id: 'evt-1', contextId: 'hotel-oslo', organizationId: 'demo-org' })],
				['oslo-secret', { event: 'custom.event', contextId: 'raw' }],
				['bergen-secret', { events: [expect.objectContaining({ id: 'evt-1', contextId: 'hotel-bergen' }), { event: 'custom.event', contextId: 'raw' }] }],
			]),
		);
		expect(sent).toHaveLength(3);
	});

	it('splits a Batch delivery at the batch size knob', async () => {
		emulator.options.webhookMaxBatchSize = 2;
		await subscribe({ type: 'batch' });
		await control('POST', '/webhooks/simulate', { events: ['a.b', 'a.b', 'a.b', 'a.b', 'a.b'] });
		expect(receiver.received.map((request) => (request.body as { events: unknown[] }).events.length)).toEqual([2, 2, 1]);
	});

	it('sends only the subscribed events, and a raw payload exactly as given', async () => {
		await subscribe({ events: ['signin.session.denied', 'custom.event'] });
		await control('POST', '/webhooks/simulate', {
			events: ['signin.session.created', { payload: { event: 'custom.event', eventId: 'raw-1', extra: [1, 2] } }, 'signin.session.denied'],
		});
		expect(receiver.received.map((request) => request.body)).toEqual([
			{ event: 'custom.event', eventId: 'raw-1', extra: [1, 2] },
			expect.objectContaining({ event: 'signin.session.denied' }),
		]);
	});

	it('retries a non-200 answer on the documented schedule, scaled, until it gets 200', async () => {
		receiver.plan.push(500, 401, 503);
		await subscribe({});
		const { body } = await control<{ deliveries: Delivery[] }>('POST', '/webhooks/simulate', { events: [{ event: 'signin.session.denied', id: 'evt-r' }] });
		const id = body.deliveries[0].id;
		expect(body.deliveries[0]).toMatchObject({ state: 'pending', attempts: [{ attempt: 1, status: 500, response: 'failed with 500' }] });
		await until(() => receiver.received.length === 4, 'four attempts');
		const deliveries = (await control('GET', '/webhooks/deliveries')).body as Delivery[];
		const delivery = deliveries.find((candidate) => candidate.id === id)!;
		expect(delivery.state).toBe('delivered');
		expect(delivery.attempts.map((attempt) => attempt.status)).toEqual([500, 401, 503, 200]);
		const gaps = receiver.received.slice(1).map((request, i) => request.at - receiver.received[i].at);
		gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(Math.floor(RETRY_SCHEDULE_MINUTES[i] * 60_000 * 0.0001)));
		expect(receiver.received.every((request) => JSON.stringify(request.body) === JSON.stringify(receiver.received[0].body))).toBe(true);
	});

	it('marks a delivery failed after the fifth retry', async () => {
		receiver.plan.push(500, 500, 500, 500, 500, 500, 500);
		await subscribe({});
		await control('POST', '/webhooks/simulate', { events: ['signin.session.denied'] });
		await until(() => emulator.webhooks.deliveries[0]?.state === 'failed', 'the delivery to fail');
		expect(emulator.webhooks.deliveries[0].attempts.map((attempt) => attempt.status)).toEqual([500, 500, 500, 500, 500, 500]);
		expect(emulator.webhooks.deliveries[0].nextAttemptAt).toBeUndefined();
	});

	it('records a receiver that does not answer in time or cannot be reached', async () => {
		receiver.plan.push('hang');
		await subscribe({});
		const closed = await new Receiver().start();
		await closed.stop();
		await subscribe({ url: closed.url });
		await control('POST', '/webhooks/simulate', { events: ['signin.session.denied'] });
		const [slow, unreachable] = emulator.webhooks.deliveries;
		expect(slow.attempts[0]).toMatchObject({ status: null, error: 'no answer within 300 ms' });
		expect(unreachable.attempts[0]).toMatchObject({ status: null, error: expect.stringContaining('ECONNREFUSED') });
	});

	it('redelivers a delivery with the same body on request', async () => {
		await subscribe({});
		const { body } = await control<{ deliveries: Delivery[] }>('POST', '/webhooks/simulate', { events: ['signin.session.denied'] });
		const again = await control<Delivery>('POST', `/webhooks/deliveries/${body.deliveries[0].id}/redeliver`);
		expect(again.body.attempts.map((attempt) => attempt.status)).toEqual([200, 200]);
		expect(receiver.received[1].body).toEqual(receiver.received[0].body);
		expect((await control('POST', '/webhooks/deliveries/nope/redeliver')).status).toBe(404);
	});

	it('forgets subscriptions, deliveries and pending retries on reset', async () => {
		// A retry 600 ms out, so that the reset surely comes before it on a busy machine (at this file's scale it is 12 ms out).
		await emulator.stop();
		emulator = new SignInEmulator({ webhookRetryScale: 0.005, webhookTimeoutMs: 300 });
		await emulator.start();
		receiver.plan.push(500);
		await subscribe({});
		await control('POST', '/webhooks/simulate', { events: ['signin.session.denied'] });
		const [delivery] = emulator.webhooks.deliveries;
		expect(delivery.state).toBe('pending');
		const retryAt = Date.parse(delivery.nextAttemptAt ?? '');
		await control('POST', '/reset');
		expect((await control('GET', '/webhooks')).body).toEqual([]);
		expect((await control('GET', '/webhooks/deliveries')).body).toEqual([]);
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, retryAt - Date.now()) + 100));
		expect(receiver.received).toHaveLength(1);
	});

	it('answers 400 to a simulation without an events list', async () => {
		expect(await control('POST', '/webhooks/simulate', { event: 'signin.session.denied' })).toEqual({
			status: 400,
			body: { message: 'events must be a list of event names or event objects' },
		});
	});
});
