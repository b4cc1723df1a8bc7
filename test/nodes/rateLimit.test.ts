/**
 * A 429 without Retry-After (all the API documents: no headers at all) through n8n's engine, on
 * a fake clock: the rate-limit schedule, its end, and the one pause that all requests of a run
 * share. Timestamps are the fake clock's when each request reached the wire.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the real timers, beside jest's fake ones */
import nock from 'nock';
import { setTimeout as realDelay } from 'timers/promises';
import type { IDataObject } from 'n8n-workflow';

import { BASE_URL, CONTEXT_PATH, plain, runNode, type RunOptions, type RunResult } from '../support/harness';

const createUser = { resource: 'user', operation: 'create', username: 'alice', passwordMode: 'define', password: 'Pass-1234' };
const POLICY = '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7';

interface WireEntry {
	at: number;
	body: IDataObject;
}

/** Answers held back on purpose: the clock stands still while there are any. */
let held = 0;

/** Holds an answer back for a moment of real time, while the client reads the answers it has. */
async function holdBack(): Promise<void> {
	held++;
	await realDelay(50);
	held--;
}

/** Answers calls to `path` in turn with `answers` (status, body), recording when each arrived. */
function serve(method: 'POST' | 'GET', path: string, answers: (index: number, body: IDataObject) => [number, string | IDataObject | IDataObject[]] | Promise<[number, string | IDataObject | IDataObject[]]>, times: number) {
	const wire: WireEntry[] = [];
	nock(BASE_URL)
		.intercept(`${CONTEXT_PATH}${path}`, method)
		.times(times)
		.reply(async (_uri, body) => {
			wire.push({ at: Date.now(), body: body as IDataObject });
			return await answers(wire.length - 1, body as IDataObject);
		});
	return wire;
}

/** The fake clock moves on by this much after each few real milliseconds. */
const STEP = 100;

/**
 * Runs the node on the fake clock: every 5 real milliseconds, unless an answer is held back, the
 * clock moves on by one STEP. A request whose wait ends goes on the wire within those 5 ms, so
 * its time on the wire is when its wait ended, or (on a busy machine) some steps later; never
 * earlier, as a wait starts only once the answer before it was read.
 */
async function runOnClock(options: RunOptions): Promise<RunResult> {
	let done = false;
	const run = runNode(options).finally(() => (done = true));
	while (!done) {
		await realDelay(5);
		if (held === 0 && !done) await jest.advanceTimersByTimeAsync(STEP);
	}
	return await run;
}

/** Each actual wait is at least the expected one, and late by a few of the clock's steps at most. */
function expectWaits(actual: number[], expected: number[]): void {
	expect(actual).toHaveLength(expected.length);
	actual.forEach((wait, index) => {
		expect(wait).toBeGreaterThanOrEqual(expected[index]);
		expect(wait).toBeLessThanOrEqual(expected[index] + 10 * STEP);
	});
}

// The engine's first run loads much of n8n; done here, on real time, it cannot lag the clock.
beforeAll(async () => {
	serve('GET', '/modules/whitelistings/active', () => [200, []], 1);
	await runNode({ parameters: { resource: 'whitelisting', operation: 'getAll', returnAll: true } });
});

beforeEach(() => {
	jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
	// Jitter in the middle: every wait is three quarters of its step.
	jest.spyOn(Math, 'random').mockReturnValue(0.5);
});
afterEach(() => {
	jest.useRealTimers();
	jest.restoreAllMocks();
});

describe('a 429 without Retry-After', () => {
	it('is waited out, then the request succeeds with one output item', async () => {
		const wire = serve('POST', '/modules/up/create', (index) => (index === 0 ? [429, ''] : [200, { username: 'alice', password: 'Pass-1234' }]), 2);
		const result = await runOnClock({ parameters: createUser });
		expect(plain(result.output)).toEqual([{ json: { username: 'alice', passwordGenerated: false }, pairedItem: { item: 0 } }]);
		expect(wire).toHaveLength(2);
		// Three quarters of Initial Retry Delay (500 ms by default).
		expectWaits([wire[1].at - wire[0].at], [375]);
	});

	it('is tried on the schedule until 65 s have passed, then fails saying how long and how often, with Continue On Fail', async () => {
		const wire = serve('POST', '/modules/up/create', () => [429, ''], 9);
		const result = await runOnClock({ parameters: createUser, continueOnFail: true });
		const gaps = wire.slice(1).map((entry, index) => entry.at - wire[index].at);
		// Steps of 0.5, 1, 2, 4, 8, 16, 30 and 30 s; the eighth wait passes 65 s in all.
		expectWaits(gaps, [375, 750, 1500, 3000, 6000, 12000, 22500, 22500]);
		// 68.6 s on time; a busy machine may add a step here and there.
		const seconds = Number(/for (\d+) s over/.exec(String(result.output[0]?.json.error))?.[1]);
		expect(seconds).toBeGreaterThanOrEqual(69);
		expect(seconds).toBeLessThanOrEqual(Math.round((wire[8].at - wire[0].at) / 1000) + 1);
		expect(plain(result.output)).toEqual([
			{
				json: {
					error: `The Sign-In API kept limiting the request rate for ${seconds} s over 9 tries (429 Too Many Requests)`,
					description:
						'It named no time to wait (no Retry-After), so the node waited longer after each try, and held back the run\'s other requests with it. The service refuses a rate-limited request before doing any work, so none of these tries changed anything. Run again later, send fewer items per run or lower Concurrency.',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('is not tried again with Max Attempts 1', async () => {
		const wire = serve('POST', '/modules/up/create', () => [429, ''], 1);
		const result = await runOnClock({ parameters: { ...createUser, requestOptions: { maxAttempts: 1 } } });
		expect(wire).toHaveLength(1);
		expect(result.error?.message).toBe('The Sign-In API is limiting the request rate (429 Too Many Requests)');
		expect(result.error?.description).toBe('Too many requests were sent in a short time. Run again later, or send fewer items per run.');
	});

	it('pauses every request of the run: with Concurrency 4, no other batch is sent until the pause is over', async () => {
		const emails = Array.from({ length: 8 }, (_, i) => `guest${i}@acme.com`);
		const policy: string[] = [];
		const wire = serve(
			'POST',
			`/policies/${POLICY}/emails`,
			async (index, body) => {
				if (index === 0) return [429, ''];
				// The other first three answer after the 429 was read, so that their workers know of it.
				if (index < 4) await holdBack();
				policy.push(...(body.emails as string[]));
				return [200, { policyEmails: [...policy], warnings: [] }];
			},
			9,
		);
		const result = await runOnClock({
			parameters: {
				resource: 'accessPolicy',
				operation: 'addEmails',
				policyId: POLICY,
				emails: '={{ $json.e }}',
				options: { batchSize: 1 },
				requestOptions: { concurrency: 4, initialDelayMs: 5000 },
			},
			items: emails.map((e) => ({ e })),
		});
		expect(wire).toHaveLength(9);
		const first = wire.slice(0, 4);
		const later = wire.slice(4);
		expect(first.map((entry) => entry.body.emails)).toEqual(emails.slice(0, 4).map((email) => [email]));
		// The retry of the limited batch and the four batches not yet sent all wait out the one pause
		// (three quarters of 5 s) that the 429 started; the fifth waits for a free worker.
		const pause = first[0].at + 3750;
		expect(first.filter((entry) => entry.at >= pause)).toEqual([]);
		expect(later.filter((entry) => entry.at < pause)).toEqual([]);
		expectWaits(
			later.map((entry) => entry.at - first[0].at),
			[3750, 3750, 3750, 3750, 3750],
		);
		expect(later.map((entry) => (entry.body.emails as string[])[0]).sort()).toEqual([emails[0], ...emails.slice(4)].sort());
		expect(result.output.map((item) => [item.pairedItem, item.json.presentEmails, item.json.firstAnswerLost])).toEqual(
			emails.map((email, i) => [{ item: i }, [email], false]),
		);
	});
});
