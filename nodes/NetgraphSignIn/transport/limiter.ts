import { sleep } from 'n8n-workflow';

/** Concurrency's value for Auto, the default. */
export const AUTO = 0;
/** The most requests one Context has in flight, pinned or Auto. */
export const MAX_CONCURRENCY = 10;
/** Auto's first window: a few requests, not one, since most services take them gladly (n8n's HTTP Request node sends all its items at once). */
export const AUTO_START = 4;
/** An answer slower than this many times the fastest one of its kind says the service is queueing. */
export const SLOW_FACTOR = 3;
/** An answer within this many times the fastest one of its kind lets the window grow. */
export const FAST_FACTOR = 2;
/** After a 429, the request rate is this share of what the service accepted in the second before. */
export const RATE_BACKOFF = 0.9;
/** How much the rate after a 429 may grow per second without another. */
export const RATE_STEP = 1;

export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

const realClock: Clock = { now: () => Date.now(), sleep: async (ms) => await sleep(ms) };

/** What an answer said about the service's load. */
export type Signal = 'clean' | 'limited' | 'overloaded';

/**
 * What the Contexts of one Organization share in a node run: a 429's pause and, in Auto, the
 * request rate after it. The API does not say whether its rate limit is per key or per
 * Organization, so a 429 from one Context slows every Context of its Organization: the cautious
 * reading, which costs a little speed if the limit is per key, where the other reading would
 * meet a limit per Organization with a 429 per Context.
 */
export class SharedPace {
	/** Until when no request is sent: a 429's wait. */
	pauseUntil = 0;
	/** Requests per second to the Organization, once a 429 has been met in Auto. */
	rate: number | undefined;
	nextStart = 0;
	rateCutAt = -Infinity;
	rateGrewAt = 0;
	/** When the answers the service took in the last second came. */
	readonly accepted: number[] = [];
}

/**
 * How many requests one Context has in flight, and how fast they start. Pinned, the window is
 * the number and only a 429's pause applies. Auto, it works like TCP's congestion control: the
 * window starts at AUTO_START and grows by one per fast, clean answer until the first sign of
 * trouble (slow start), then by one per window of such answers; a 429, a 502, 503 or 504, a
 * timeout or a reset halves it, and an answer SLOW_FACTOR times slower than the fastest of its kind takes one
 * off, at most once per window of requests sent before it. A 429 also caps the rate (requests per
 * second) below what the service took in the second before, as the AWS SDKs' adaptive retry mode
 * does, since at low latency even one request at a time can exceed a limit per second; at most
 * once a second, since the 429s that follow one are mostly the same window of the limit, and not
 * while the service has taken nothing from the run. The cap grows by RATE_STEP per second without
 * another 429. The pause and the rate are `shared` by the Contexts of one Organization (see
 * SharedPace); the window is the Context's own.
 */
export class Limiter {
	readonly auto: boolean;
	/** Tasks (items, batches) that may run at once. */
	limit: number;
	private active = 0;
	private readonly waiting: Array<() => void> = [];
	private threshold = MAX_CONCURRENCY;
	private cleanInWindow = 0;
	private shrunkAt = -Infinity;
	private readonly fastest = new Map<string, number>();

	constructor(
		concurrency: number,
		private readonly clock: Clock = realClock,
		readonly shared: SharedPace = new SharedPace(),
	) {
		this.auto = concurrency === AUTO;
		this.limit = this.auto ? AUTO_START : Math.min(MAX_CONCURRENCY, Math.max(1, concurrency));
	}

	/** Until when no request is sent: a 429's wait, for all requests to the Organization. */
	get pauseUntil(): number {
		return this.shared.pauseUntil;
	}

	/** Requests per second to the Organization, once a 429 has been met in Auto. */
	get rate(): number | undefined {
		return this.shared.rate;
	}

	/** The most tasks that can ever run at once: how many workers a scheduler needs. */
	get ceiling(): number {
		return this.auto ? MAX_CONCURRENCY : this.limit;
	}

	/** Waits for a free place in the window. */
	async acquire(): Promise<void> {
		if (this.active < this.limit) {
			this.active++;
			return;
		}
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	release(): void {
		this.active--;
		this.admit();
	}

	/** Waits until a request may be sent: after any 429's pause, and at the rate once one was met. */
	async pace(): Promise<void> {
		for (;;) {
			await this.waitOutPause();
			const shared = this.shared;
			if (shared.rate === undefined) return;
			const now = this.clock.now();
			const start = Math.max(now, shared.nextStart);
			shared.nextStart = start + 1000 / shared.rate;
			if (start > now) await this.clock.sleep(start - now);
			// A pause that began while this request waited for its turn: after it, a turn anew.
			if (shared.pauseUntil <= this.clock.now()) return;
		}
	}

	/** Every request to the Organization waits until `until`. */
	pause(until: number): void {
		this.shared.pauseUntil = Math.max(this.shared.pauseUntil, until);
	}

	/**
	 * What an answer to a request of `kind` sent at `sentAt` said. Only Auto adapts; a signal
	 * about a request sent before the window last shrank was already answered by that shrink.
	 */
	answered(kind: string, sentAt: number, signal: Signal): void {
		if (!this.auto) return;
		const now = this.clock.now();
		const shared = this.shared;
		if (signal === 'limited') this.limitRate(sentAt, now);
		else shared.accepted.push(now);
		while (shared.accepted[0] <= now - 1000) shared.accepted.shift();
		if (signal !== 'clean') return this.shrink(sentAt, now, 'halve');
		const latency = now - sentAt;
		const fastest = Math.min(this.fastest.get(kind) ?? latency, latency);
		this.fastest.set(kind, fastest);
		if (latency > SLOW_FACTOR * Math.max(fastest, 1)) return this.shrink(sentAt, now, 'step');
		if (shared.rate !== undefined && now - shared.rateGrewAt >= 1000) {
			shared.rate += RATE_STEP;
			shared.rateGrewAt = now;
		}
		if (latency > FAST_FACTOR * Math.max(fastest, 1) || this.limit >= MAX_CONCURRENCY) return;
		if (this.limit < this.threshold || ++this.cleanInWindow >= this.limit) {
			this.limit++;
			this.cleanInWindow = 0;
			this.admit();
		}
	}

	private shrink(sentAt: number, now: number, how: 'halve' | 'step'): void {
		if (sentAt < this.shrunkAt) return;
		this.limit = Math.max(1, how === 'halve' ? Math.floor(this.limit / 2) : this.limit - 1);
		this.threshold = this.limit;
		this.cleanInWindow = 0;
		this.shrunkAt = now;
	}

	private limitRate(sentAt: number, now: number): void {
		const shared = this.shared;
		// Within a second of the last cut, a 429 is most likely the same window of the limit.
		if (sentAt < shared.rateCutAt || now - shared.rateCutAt < 1000) return;
		while (shared.accepted[0] <= now - 1000) shared.accepted.shift();
		// Nothing taken yet (another run may have spent the limit): the 429's pause is the answer.
		if (shared.accepted.length === 0) return;
		// What the service took from this run's Contexts of the Organization in the second before:
		// with a limit shared by other runs (other workflows), this run's share of it.
		shared.rate = Math.max(1, RATE_BACKOFF * Math.min(shared.rate ?? Infinity, shared.accepted.length));
		shared.rateCutAt = shared.rateGrewAt = now;
	}

	private admit(): void {
		while (this.waiting.length && this.active < this.limit) {
			this.active++;
			this.waiting.shift()!();
		}
	}

	private async waitOutPause(): Promise<void> {
		const shared = this.shared;
		for (let left = shared.pauseUntil - this.clock.now(); left > 0; left = shared.pauseUntil - this.clock.now()) await this.clock.sleep(left);
	}
}
