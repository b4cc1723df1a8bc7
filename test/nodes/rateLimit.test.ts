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

describe('the Contexts of one Organization', () => {
	const ORG = 'org-group';
	const group = {
		baseUrl: BASE_URL,
		organizationId: ORG,
		contexts: {
			context1: { name: 'Hotel Stockholm', contextId: 'ctx-sto', apiToken: 'key-stockholm-not-a-secret', baseUrl: '' },
			context2: { name: 'Hotel Oslo', contextId: 'ctx-osl', apiToken: 'key-oslo-not-a-secret', baseUrl: '' },
			context3: { name: 'Hotel Bergen', contextId: 'ctx-brg', apiToken: 'key-bergen-not-a-secret', baseUrl: '' },
		},
	};
	const createFor = (requestOptions: IDataObject) => ({
		...createUser,
		username: '={{ $json.username }}',
		authentication: 'signInOrganizationApi',
		context: { __rl: true, mode: 'id', value: '={{ $json.property }}' },
		requestOptions,
	});

	/** Answers User Create at any Context of the Organization, recording which Context and when. */
	function serveGroup(answer: (context: string, body: IDataObject) => Promise<number>, times: number) {
		const wire: Array<WireEntry & { context: string }> = [];
		nock(BASE_URL)
			.post(new RegExp(`^/v1/org/${ORG}/contexts/sign-in/[^/]+/modules/up/create$`))
			.times(times)
			.reply(async (uri, body) => {
				const context = uri.split('/')[6];
				wire.push({ at: Date.now(), body: body as IDataObject, context });
				const status = await answer(context, body as IDataObject);
				return [status, status === 200 ? { username: (body as IDataObject).username, password: 'Pass-1234' } : ''];
			});
		return wire;
	}

	it("a 429 from one Context pauses the others: Oslo's next request waits out Stockholm's pause", async () => {
		const wire = serveGroup(async (context) => {
			if (context === 'ctx-sto') return wire.filter((entry) => entry.context === 'ctx-sto').length === 1 ? 429 : 200;
			// Oslo's first answer comes after Stockholm's 429 was read.
			if (wire.filter((entry) => entry.context === 'ctx-osl').length === 1) await holdBack();
			return 200;
		}, 4);
		const result = await runOnClock({
			parameters: createFor({ concurrency: 1, initialDelayMs: 5000 }),
			credentials: group,
			items: [
				{ username: 'sto-1', property: 'Hotel Stockholm' },
				{ username: 'osl-1', property: 'Hotel Oslo' },
				{ username: 'osl-2', property: 'Hotel Oslo' },
			],
		});
		expect(result.output.map((item) => [item.pairedItem, item.json.username])).toEqual([
			[{ item: 0 }, 'sto-1'],
			[{ item: 1 }, 'osl-1'],
			[{ item: 2 }, 'osl-2'],
		]);
		const limited = wire.find((entry) => entry.context === 'ctx-sto')!;
		// The 429's pause: three quarters of Initial Retry Delay, from when it was met.
		const pause = limited.at + 3750;
		const sent = (username: string) => wire.find((entry) => entry.body.username === username)!;
		// Oslo's second request was ready as soon as its first was answered, and waited for Stockholm's pause.
		expect(sent('osl-2').at).toBeGreaterThanOrEqual(pause);
		expect(wire.filter((entry) => entry.body.username === 'sto-1').map((entry) => entry.at >= pause)).toEqual([false, true]);
	});

	it('Contexts at Once bounds how many Contexts have requests in flight', async () => {
		let inFlight = 0;
		let most = 0;
		serveGroup(async () => {
			most = Math.max(most, ++inFlight);
			// Each answer waits a moment of real time for any other Context's request to arrive.
			held++;
			await realDelay(500);
			held--;
			inFlight--;
			return 200;
		}, 3);
		const result = await runOnClock({
			parameters: createFor({ concurrency: 1, contextsAtOnce: 2 }),
			credentials: group,
			items: ['Hotel Stockholm', 'Hotel Oslo', 'Hotel Bergen'].map((property, i) => ({ username: `guest-${i}`, property })),
		});
		expect(result.output).toHaveLength(3);
		expect(most).toBe(2);
	});

	it('refuses a Contexts at Once outside 1 to 10 before sending anything', async () => {
		const result = await runOnClock({
			parameters: createFor({ contextsAtOnce: 0 }),
			credentials: group,
			items: [{ username: 'sto-1', property: 'Hotel Stockholm' }],
		});
		expect([result.error?.message, result.error?.description]).toEqual([
			'Contexts at Once must be a whole number from 1 to 10, not 0',
			'Set Request Options > Contexts at Once to how many Contexts may be worked on side by side, e.g. 4. Nothing was sent.',
		]);
	});
});
