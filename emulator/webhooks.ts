/* eslint-disable @n8n/community-nodes/no-restricted-globals -- dev code, never published: n8n Cloud's sandbox rules are for the package */
import { randomUUID } from 'crypto';

/**
 * The Context's webhooks as the vendor documents them (section 6): subscriptions made in the admin
 * (here: a control route), Instant (one POST per event) or Batch (many per POST) delivery, custom
 * headers, and retries after 2, 4, 8, 16 and 32 minutes whenever the receiver does not answer 200.
 */
export type WebhookType = 'instant' | 'batch';
/** U-WH2: the batch envelope is undocumented; the emulator can send either obvious shape. */
export type BatchEnvelope = 'array' | 'events';
export const RETRY_SCHEDULE_MINUTES = [2, 4, 8, 16, 32];

export interface Subscription {
	id: string;
	name: string;
	url: string;
	headers: Record<string, string>;
	type: WebhookType;
	/** Subscribed event names; `*` is every event. */
	events: string[];
	envelope: BatchEnvelope;
	enabled: boolean;
	/**
	 * The Context whose webhook this is, when not the emulator's own: a venue group's Contexts
	 * each send their events with their own contextId (and, in `headers`, their own secret).
	 */
	contextId?: string;
}

export interface DeliveryAttempt {
	attempt: number;
	at: string;
	/** null when no HTTP answer came (refused, reset, timed out). */
	status: number | null;
	error?: string;
	/** The first 2,000 characters of the answer. */
	response: string;
}

export interface Delivery {
	id: string;
	subscriptionId: string;
	type: WebhookType;
	eventIds: string[];
	body: unknown;
	state: 'pending' | 'delivered' | 'failed';
	attempts: DeliveryAttempt[];
	nextAttemptAt?: string;
}

/** What a caller of the simulate route asks for: a name, an event with optional parts, or a raw payload. */
export type SimulatedEvent = string | { event?: string; id?: string; timestamp?: string; data?: unknown; payload?: Record<string, unknown> };

export interface WebhookOptions {
	organizationId: string;
	contextId: string;
	/** Multiplies the documented retry delays: 1 is real minutes, 0.001 turns 2 minutes into 120 ms. */
	webhookRetryScale: number;
	webhookTimeoutMs: number;
	/** Largest number of events in one Batch POST (the older docs' example: 20,000). */
	webhookMaxBatchSize: number;
	log?: (line: string) => void;
}

const NAME = /^[A-Za-z0-9]{3,125}$/;

export class WebhookSender {
	readonly subscriptions: Subscription[] = [];
	readonly deliveries: Delivery[] = [];
	private readonly timers = new Set<NodeJS.Timeout>();

	constructor(private readonly options: WebhookOptions) {}

	/** Validates like the admin form: a name of 3 to 125 letters and digits, an http(s) URL, a type, events. */
	subscribe(input: Record<string, unknown>): Subscription | { error: string } {
		const name = String(input.name ?? 'emulatorWebhook');
		if (!NAME.test(name)) return { error: 'name must be 3 to 125 letters or digits' };
		let url: URL;
		try {
			url = new URL(String(input.url ?? ''));
		} catch {
			return { error: 'url must be an absolute http(s) URL' };
		}
		if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: 'url must be an absolute http(s) URL' };
		const type = input.type ?? 'instant';
		if (type !== 'instant' && type !== 'batch') return { error: 'type must be "instant" or "batch"' };
		const envelope = input.envelope ?? 'events';
		if (envelope !== 'array' && envelope !== 'events') return { error: 'envelope must be "array" or "events"' };
		const events = input.events ?? ['*'];
		if (!Array.isArray(events) || events.length === 0 || !events.every((event) => typeof event === 'string' && event !== '')) {
			return { error: 'events must be a non-empty list of event names, or ["*"]' };
		}
		if (input.contextId !== undefined && (typeof input.contextId !== 'string' || input.contextId === '')) return { error: 'contextId must be a non-empty string' };
		const headers = input.headers ?? {};
		if (typeof headers !== 'object' || headers === null || !Object.values(headers).every((value) => typeof value === 'string')) {
			return { error: 'headers must be an object of string values' };
		}
		const subscription: Subscription = {
			id: randomUUID(),
			name,
			url: url.toString(),
			headers: headers as Record<string, string>,
			type,
			events: events as string[],
			envelope,
			enabled: input.enabled !== false,
			...(input.contextId === undefined ? {} : { contextId: input.contextId as string }),
		};
		this.subscriptions.push(subscription);
		return subscription;
	}

	unsubscribe(id: string): boolean {
		const index = this.subscriptions.findIndex((subscription) => subscription.id === id);
		if (index >= 0) this.subscriptions.splice(index, 1);
		return index >= 0;
	}

	/** The event as the emulator sends it; its field names are the emulator's choice (U-WH2). */
	payloadOf(input: SimulatedEvent): Record<string, unknown> {
		if (typeof input === 'string') input = { event: input };
		if (input.payload !== undefined) return input.payload;
		return {
			id: input.id ?? randomUUID(),
			event: input.event ?? 'signin.session.created',
			timestamp: input.timestamp ?? new Date().toISOString(),
			organizationId: this.options.organizationId,
			contextId: this.options.contextId,
			data: input.data ?? {},
		};
	}

	/**
	 * Delivers the events to every enabled subscription that wants them and waits for the first
	 * attempts; retries go on in the background on the (scaled) documented schedule.
	 */
	async simulate(inputs: SimulatedEvent[]): Promise<Delivery[]> {
		const payloads = inputs.map((input) => this.payloadOf(input));
		const created: Delivery[] = [];
		await Promise.all(
			this.subscriptions
				.filter((subscription) => subscription.enabled)
				.map(async (subscription) => {
					// The same events (same IDs) as the other subscriptions get, from this subscription's Context; raw payloads go as given.
					const own = payloads.map((payload, index) => (subscription.contextId === undefined || isRaw(inputs[index]) ? payload : { ...payload, contextId: subscription.contextId }));
					const wanted = own.filter((payload) => subscription.events.includes('*') || subscription.events.includes(String(payload.event)));
					const groups =
						subscription.type === 'instant'
							? wanted.map((payload) => [payload])
							: chunks(wanted, Math.max(1, this.options.webhookMaxBatchSize));
					for (const group of groups) {
						const delivery: Delivery = {
							id: randomUUID(),
							subscriptionId: subscription.id,
							type: subscription.type,
							eventIds: group.map((payload) => String(payload.id ?? '')),
							body: subscription.type === 'instant' ? group[0] : subscription.envelope === 'array' ? group : { events: group },
							state: 'pending',
							attempts: [],
						};
						this.deliveries.push(delivery);
						created.push(delivery);
						// In order, one after the other, as a receiver would see them from one subscription.
						await this.attempt(delivery, subscription);
					}
				}),
		);
		return created;
	}

	/** Sends a delivery's exact body again, as if the platform had not seen the receiver's 200. */
	async redeliver(id: string): Promise<Delivery | undefined> {
		const delivery = this.deliveries.find((candidate) => candidate.id === id);
		const subscription = this.subscriptions.find((candidate) => candidate.id === delivery?.subscriptionId);
		if (!delivery || !subscription) return undefined;
		await this.attempt(delivery, subscription);
		return delivery;
	}

	stop(): void {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}

	reset(): void {
		this.stop();
		this.subscriptions.length = 0;
		this.deliveries.length = 0;
	}

	private async attempt(delivery: Delivery, subscription: Subscription): Promise<void> {
		const attempt: DeliveryAttempt = { attempt: delivery.attempts.length + 1, at: new Date().toISOString(), status: null, response: '' };
		try {
			const response = await fetch(subscription.url, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'User-Agent': 'Netgraph-Sign-In-Emulator-Webhooks', ...subscription.headers },
				body: JSON.stringify(delivery.body),
				signal: AbortSignal.timeout(this.options.webhookTimeoutMs),
			});
			attempt.status = response.status;
			attempt.response = (await response.text()).slice(0, 2000);
		} catch (error) {
			const { name, message, cause } = error as Error & { cause?: unknown };
			attempt.error = name === 'TimeoutError' ? `no answer within ${this.options.webhookTimeoutMs} ms` : String(cause ?? message);
		}
		delivery.attempts.push(attempt);
		this.options.log?.(`webhook ${subscription.name} ${delivery.type} delivery ${delivery.id} attempt ${attempt.attempt} -> ${attempt.status ?? attempt.error}`);
		if (attempt.status === 200) {
			delivery.state = 'delivered';
			delete delivery.nextAttemptAt;
			return;
		}
		const retriesDone = delivery.attempts.length - 1;
		if (retriesDone >= RETRY_SCHEDULE_MINUTES.length) {
			delivery.state = 'failed';
			delete delivery.nextAttemptAt;
			return;
		}
		const waitMs = RETRY_SCHEDULE_MINUTES[retriesDone] * 60_000 * this.options.webhookRetryScale;
		delivery.state = 'pending';
		delivery.nextAttemptAt = new Date(Date.now() + waitMs).toISOString();
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			void this.attempt(delivery, subscription);
		}, waitMs);
		this.timers.add(timer);
	}
}

function isRaw(input: SimulatedEvent): boolean {
	return typeof input !== 'string' && input.payload !== undefined;
}

function chunks<T>(items: T[], size: number): T[][] {
	const groups: T[][] = [];
	for (let start = 0; start < items.length; start += size) groups.push(items.slice(start, start + size));
	return groups;
}
