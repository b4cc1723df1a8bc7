import { backoffMs, classify, parseRetryAfter } from '../../nodes/NetgraphSignIn/transport/retry';

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
		expect(classify({ status })).toEqual({ retry, mayHaveApplied });
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
		expect(classify({ networkCode })).toEqual({ retry, mayHaveApplied });
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
