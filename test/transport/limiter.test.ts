import { sleep } from 'n8n-workflow';

import type { IExecuteFunctions } from 'n8n-workflow';

import { limiterOf, rememberItemContexts } from '../../nodes/NetgraphSignIn/transport';
import type { SignInContext } from '../../nodes/shared/signInContext';
import { AUTO, AUTO_START, Limiter, MAX_CONCURRENCY, SharedPace, type Clock } from '../../nodes/NetgraphSignIn/transport/limiter';

/** A clock that only moves when told to, or when something sleeps on it. */
function fakeClock(): Clock & { at: number; slept: number[] } {
	const clock = {
		at: 1_000_000,
		slept: [] as number[],
		now: () => clock.at,
		sleep: async (ms: number) => {
			clock.slept.push(ms);
			clock.at += ms;
		},
	};
	return clock;
}

/** Sends one request of `kind` that takes `ms` and is answered with `signal`. */
function answer(limiter: Limiter, clock: ReturnType<typeof fakeClock>, ms: number, signal: 'clean' | 'limited' | 'overloaded' = 'clean', kind = 'POST /x') {
	const sentAt = clock.at;
	clock.at += ms;
	limiter.answered(kind, sentAt, signal);
}

/** How many of `count` acquires are admitted at once. */
async function admitted(limiter: Limiter, count: number): Promise<number> {
	let admittedCount = 0;
	for (let index = 0; index < count; index++) void limiter.acquire().then(() => admittedCount++);
	await sleep(0);
	return admittedCount;
}

describe('Limiter, pinned', () => {
	it('admits exactly the pinned number at once and the next one when one is released', async () => {
		const limiter = new Limiter(3, fakeClock());
		let admittedCount = 0;
		for (let index = 0; index < 5; index++) void limiter.acquire().then(() => admittedCount++);
		await sleep(0);
		expect(admittedCount).toBe(3);
		limiter.release();
		await sleep(0);
		expect(admittedCount).toBe(4);
		expect(limiter.ceiling).toBe(3);
	});

	it('does not adapt: 429s, slow and fast answers leave the window and set no rate', () => {
		const clock = fakeClock();
		const limiter = new Limiter(1, clock);
		for (let index = 0; index < 20; index++) answer(limiter, clock, 20);
		answer(limiter, clock, 20, 'limited');
		answer(limiter, clock, 500);
		expect(limiter.limit).toBe(1);
		expect(limiter.rate).toBeUndefined();
	});

	it('keeps a number above the most within it', () => {
		expect(new Limiter(50, fakeClock()).limit).toBe(MAX_CONCURRENCY);
	});
});

describe('Limiter, Auto', () => {
	it(`starts with ${AUTO_START} in flight and may grow to ${MAX_CONCURRENCY} workers`, async () => {
		const limiter = new Limiter(AUTO, fakeClock());
		expect(limiter.limit).toBe(AUTO_START);
		expect(limiter.ceiling).toBe(MAX_CONCURRENCY);
		expect(await admitted(limiter, 5)).toBe(AUTO_START);
	});

	it('grows by one per fast, clean answer until the first sign of trouble, up to the most', () => {
		const clock = fakeClock();
		const limiter = new Limiter(AUTO, clock);
		const seen: number[] = [];
		for (let index = 0; index < 10; index++) {
			answer(limiter, clock, 20);
			seen.push(limiter.limit);
		}
		expect(seen).toEqual([5, 6, 7, 8, 9, 10, 10, 10, 10, 10]);
	});

	it('halves at once on a 429 and caps the rate at 0.9 times what the service took in the second before', () => {
		const clock = fakeClock();
		const limiter = new Limiter(AUTO, clock);
		clock.at += 1000;
		for (let index = 0; index < 10; index++) answer(limiter, clock, 20);
		expect(limiter.limit).toBe(10);
		answer(limiter, clock, 20, 'limited');
		expect(limiter.limit).toBe(5);
		// 10 answers of 20 ms each, all in the last 220 ms.
		expect(limiter.rate).toBeCloseTo(9, 5);
	});

	it('counts a burst of 429s for requests sent before the shrink once', () => {
		const clock = fakeClock();
		const limiter = new Limiter(AUTO, clock);
		clock.at += 1000;
		for (let index = 0; index < 10; index++) answer(limiter, clock, 20);
		const sentAt = clock.at;
		clock.at += 20;
		for (let index = 0; index < 6; index++) limiter.answered('POST /x', sentAt, 'limited');
		expect(limiter.limit).toBe(5);
		expect(limiter.rate).toBeCloseTo(9, 5);
		// A request sent after the shrink and limited again halves it again.
		answer(limiter, clock, 20, 'limited');
		expect(limiter.limit).toBe(2);
	});

	it('halves on a 503, timeout or reset without capping the rate', () => {
		const clock = fakeClock();
		const limiter = new Limiter(AUTO, clock);
		for (let index = 0; index < 4; index++) answer(limiter, clock, 20);
		expect(limiter.limit).toBe(8);
		answer(limiter, clock, 20, 'overloaded');
		expect(limiter.limit).toBe(4);
		expect(limiter.rate).toBeUndefined();
	});

	it('takes one off when answers get three times slower than the fastest of their kind, and then grows by one per window', () => {
		const clock = fakeClock();
		const limiter = new Limiter(AUTO, clock);
		for (let index = 0; index < 2; index++) answer(limiter, clock, 20);
		expect(limiter.limit).toBe(6);
		answer(limiter, clock, 61);
		expect(limiter.limit).toBe(5);
		// Another kind of request has its own fastest answer: 61 ms for a list is not slow.
		answer(limiter, clock, 61, 'clean', 'GET /list');
		expect(limiter.limit).toBe(5);
		// After a shrink, five clean answers (one window, the list's included) grow it by one.
		const seen: number[] = [];
		for (let index = 0; index < 6; index++) {
			answer(limiter, clock, 20);
			seen.push(limiter.limit);
		}
		expect(seen).toEqual([5, 5, 5, 6, 6, 6]);
	});

	it('neither grows nor shrinks on an answer between two and three times the fastest', () => {
		const clock = fakeClock();
		const limiter = new Limiter(AUTO, clock);
		answer(limiter, clock, 20);
		answer(limiter, clock, 50);
		expect(limiter.limit).toBe(AUTO_START + 1);
	});

	it('never goes below one in flight', () => {
		const clock = fakeClock();
		const limiter = new Limiter(AUTO, clock);
		for (let index = 0; index < 5; index++) answer(limiter, clock, 20, 'overloaded');
		expect(limiter.limit).toBe(1);
	});

	it('a 429 before the service took anything sets no rate: its pause is the answer', () => {
		const clock = fakeClock();
		const limiter = new Limiter(AUTO, clock);
		answer(limiter, clock, 20, 'limited');
		expect(limiter.rate).toBeUndefined();
		expect(limiter.limit).toBe(AUTO_START / 2);
	});

	it('spaces requests at the capped rate and lets the rate grow by one per second without a 429', async () => {
		const clock = fakeClock();
		const limiter = new Limiter(AUTO, clock);
		clock.at += 1000;
		answer(limiter, clock, 20);
		answer(limiter, clock, 20);
		answer(limiter, clock, 20, 'limited');
		// Two answers taken in the second before: 0.9 x 2.
		expect(limiter.rate).toBeCloseTo(1.8, 5);
		await limiter.pace();
		await limiter.pace();
		await limiter.pace();
		expect(clock.slept.map(Math.round)).toEqual([556, 556]);
		clock.at += 1000;
		answer(limiter, clock, 20);
		expect(limiter.rate).toBeCloseTo(2.8, 5);
	});

	it('waits out a pause before any request, pinned or Auto', async () => {
		for (const concurrency of [1, AUTO]) {
			const clock = fakeClock();
			const limiter = new Limiter(concurrency, clock);
			limiter.pause(clock.at + 1500);
			limiter.pause(clock.at + 700);
			await limiter.pace();
			expect(clock.slept).toEqual([1500]);
		}
	});
});

describe('Limiters of one Organization', () => {
	it("share a 429's pause and the rate after it, and keep their own windows", async () => {
		const clock = fakeClock();
		const shared = new SharedPace();
		const [stockholm, oslo] = [new Limiter(AUTO, clock, shared), new Limiter(AUTO, clock, shared)];
		for (let index = 0; index < 10; index++) answer(oslo, clock, 20);
		answer(stockholm, clock, 20, 'limited');
		// The rate is what the Organization took in the second before (10 answers, all Oslo's), less 10 %.
		expect([stockholm.rate, oslo.rate]).toEqual([9, 9]);
		expect([stockholm.limit, oslo.limit]).toEqual([AUTO_START / 2, MAX_CONCURRENCY]);
		stockholm.pause(clock.at + 2000);
		const before = clock.at;
		await oslo.pace();
		expect(clock.at - before).toBeGreaterThanOrEqual(2000);
	});
});

describe('one limiter per node run and Context', () => {
	/** A node run as the transport sees it: its parameters and version, and nothing else. */
	const run = (parameters: Record<string, unknown>) =>
		({
			getNode: () => ({ typeVersion: 1.1 }),
			getInputData: () => [],
			getNodeParameter: (name: string, _itemIndex: number, fallback: unknown) => parameters[name] ?? fallback,
		}) as unknown as IExecuteFunctions;
	const at = (url: string): SignInContext => ({ slot: 'context1', name: url, id: url, baseUrl: 'https://api.test', url });

	it('with one Context, every item and batch of a run shares one; another run has its own', () => {
		const first = run({});
		expect(limiterOf(first, 0)).toBe(limiterOf(first, 7));
		expect(limiterOf(first, 0)).not.toBe(limiterOf(run({}), 0));
		expect(limiterOf(first, 0).auto).toBe(true);
	});

	it('with several Contexts, items of one Context share one, and each Context has its own', () => {
		const group = run({ authentication: 'signInOrganizationApi' });
		rememberItemContexts(group, [at('https://api.test/a'), at('https://api.test/b'), at('https://api.test/a')]);
		expect(limiterOf(group, 0)).toBe(limiterOf(group, 2));
		expect(limiterOf(group, 0)).not.toBe(limiterOf(group, 1));
	});

	it("gives the Contexts of one Organization (origin and Organization ID) one pause and rate, and another Organization's its own", () => {
		const group = run({ authentication: 'signInOrganizationApi' });
		const address = (origin: string, organization: string, id: string) => `${origin}/v1/org/${organization}/contexts/sign-in/${id}`;
		rememberItemContexts(group, [
			at(address('https://api.test', 'org-1', 'a')),
			at(address('https://api.test', 'org-1', 'b')),
			at(address('https://api.test', 'org-2', 'a')),
			at(address('https://other.test', 'org-1', 'a')),
		]);
		const shared = [0, 1, 2, 3].map((itemIndex) => limiterOf(group, itemIndex).shared);
		expect(shared[0]).toBe(shared[1]);
		expect(new Set(shared).size).toBe(3);
	});

	it('takes a pinned Concurrency from Request Options, and Auto when it is not set', () => {
		const pinned = limiterOf(run({ 'requestOptions.concurrency': 3 }), 0);
		expect([pinned.auto, pinned.limit, pinned.ceiling]).toEqual([false, 3, 3]);
		const auto = limiterOf(run({}), 0);
		expect([auto.auto, auto.limit, auto.ceiling]).toEqual([true, AUTO_START, MAX_CONCURRENCY]);
	});
});
