import { RATE_LIMIT_SCHEDULE, backoffMs, classify, parseRetryAfter, rateLimitWaitMs } from '../../nodes/NetgraphSignIn/transport/retry';

describe('classify', () => {
	it.each([
		[429, true, false],
		[502, true, true],
		[503, true, true],
		[504, true, true],
		[500, false, true],
		[400, false, false],
		[401, false, false],
		[403, false, false],
		[404, false, false],
	])('status %p: retry %p, may have applied %p', (status, retry, mayHaveApplied) => {
		expect(classify({ status }, 'POST')).toEqual({ retry, mayHaveApplied });
	});

	it.each([
		['ECONNRESET', true, true],
		['ETIMEDOUT', true, true],
		['ECONNABORTED', true, true],
		['ECONNREFUSED', true, false],
		['EAI_AGAIN', true, false],
		['ENOTFOUND', false, false],
		['CERT_HAS_EXPIRED', false, false],
		[undefined, false, true],
	])('network %p: retry %p, may have applied %p', (networkCode, retry, mayHaveApplied) => {
		expect(classify({ networkCode }, 'POST')).toEqual({ retry, mayHaveApplied });
	});

	it.each([502, 503, 504, 500])('a GET answered %p changed nothing, and is retried as before', (status) => {
		expect(classify({ status }, 'GET')).toEqual({ retry: status !== 500, mayHaveApplied: false });
	});

	it.each(['ECONNRESET', 'ETIMEDOUT', undefined])('a GET failing with %p changed nothing', (networkCode) => {
		expect(classify({ networkCode }, 'GET')).toEqual({ retry: networkCode !== undefined, mayHaveApplied: false });
	});

	it.each(['PUT', 'DELETE', 'PATCH'])('a %p failing with a reset may have been applied', (method) => {
		expect(classify({ networkCode: 'ECONNRESET' }, method)).toEqual({ retry: true, mayHaveApplied: true });
	});
});

describe('parseRetryAfter', () => {
	it('reads seconds and HTTP dates', () => {
		expect(parseRetryAfter('1')).toBe(1000);
		expect(parseRetryAfter('0')).toBe(0);
		expect(parseRetryAfter('2.5')).toBe(2500);
		expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10000);
		expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:29:00 GMT'))).toBe(0);
	});

	it('ignores what it cannot read', () => {
		expect(parseRetryAfter(undefined)).toBeUndefined();
		expect(parseRetryAfter('')).toBeUndefined();
		expect(parseRetryAfter('soon')).toBeUndefined();
	});
});

describe('backoffMs', () => {
	it('doubles per attempt, between half and all of the step, capped at 30 s', () => {
		expect([1, 2, 3, 4].map((attempt) => backoffMs(attempt, 500, () => 0))).toEqual([250, 500, 1000, 2000]);
		expect([1, 2, 3, 4].map((attempt) => backoffMs(attempt, 500, () => 1))).toEqual([500, 1000, 2000, 4000]);
		expect(backoffMs(20, 500, () => 1)).toBe(30000);
		expect(backoffMs(3, 0, () => 1)).toBe(0);
	});
});

describe('rateLimitWaitMs (a 429 without Retry-After)', () => {
	/** The waits of one request that meets only such 429s, until the schedule is spent. */
	function waits(initialDelayMs: number, random: () => number): number[] {
		const all: number[] = [];
		for (let tries = 1, waited = 0; ; tries++) {
			const wait = rateLimitWaitMs(tries, waited, initialDelayMs, random);
			if (wait === undefined) return all;
			all.push(wait);
			waited += wait;
		}
	}
	const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

	it('with the longest jitter: 0.5 s doubling to 30 s, the last wait cut so that the total is 90 s', () => {
		expect(waits(500, () => 1)).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 28500]);
		expect(sum(waits(500, () => 1))).toBe(90_000);
	});

	it('with the shortest jitter: half of each step, until 65 s have passed', () => {
		expect(waits(500, () => 0)).toEqual([250, 500, 1000, 2000, 4000, 8000, 15000, 15000, 15000, 15000]);
		expect(sum(waits(500, () => 0))).toBe(75_750);
	});

	it('whatever the jitter, waits at least 65 s in all and at most 90 s', () => {
		for (const value of [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]) {
			const total = sum(waits(500, () => value));
			expect(total).toBeGreaterThanOrEqual(RATE_LIMIT_SCHEDULE.patienceMs);
			expect(total).toBeLessThanOrEqual(RATE_LIMIT_SCHEDULE.maxTotalMs);
		}
	});

	it('counts the time the request actually waited, with other requests\' pauses', () => {
		expect(rateLimitWaitMs(2, 64_999, 500, () => 1)).toBe(1000);
		expect(rateLimitWaitMs(2, 65_000, 500, () => 1)).toBeUndefined();
		expect(rateLimitWaitMs(7, 64_000, 500, () => 1)).toBe(26_000);
	});

	it('stops after 16 tries when Initial Retry Delay is 0', () => {
		expect(waits(0, () => 1)).toEqual(Array.from({ length: 15 }, () => 0));
	});
});
