/**
 * When to try a request again, and how long to wait first. Pure, so that the policy is tested
 * on its own; the transport applies it.
 */

export interface RetryPolicy {
	maxAttempts: number;
	initialDelayMs: number;
	timeoutMs: number;
	/** Whether a 429 without Retry-After is waited out on `rateLimitWaitMs`'s schedule (not in the editor). */
	waitOutRateLimits: boolean;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, initialDelayMs: 500, timeoutMs: 30_000, waitOutRateLimits: true };
export const MAX_DELAY_MS = 30_000;
/** A Retry-After longer than this is not waited for: the run fails and says when to try again. */
export const MAX_RETRY_AFTER_MS = 60_000;

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'EAI_AGAIN']);
/** Failures after which the service may already have applied the request. */
const MAYBE_APPLIED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);

export type Failure = { status: number; retryAfter?: string } | { networkCode: string | undefined };

export interface Verdict {
	retry: boolean;
	/** Whether the request may have reached the service and been applied before it failed. */
	mayHaveApplied: boolean;
}

/** Methods that change nothing on the service: whatever happened to them, nothing was applied. */
const READ_METHODS = new Set(['GET', 'HEAD']);

export function isRead(method: string): boolean {
	return READ_METHODS.has(method.toUpperCase());
}

/**
 * 429, 502, 503, 504, resets and timeouts are retried; 400, 401, 403 and every other status
 * never are. A 429 was refused before any work, so it cannot have applied the request; a gateway
 * status, reset or timeout can come after the service did the work, unless the request was a read.
 */
export function classify(failure: Failure, method: string): Verdict {
	const changes = !isRead(method);
	if ('status' in failure) {
		return { retry: RETRYABLE_STATUSES.has(failure.status), mayHaveApplied: changes && failure.status !== 429 && failure.status >= 500 };
	}
	const code = failure.networkCode;
	return {
		retry: code !== undefined && RETRYABLE_CODES.has(code),
		mayHaveApplied: changes && (code === undefined || MAYBE_APPLIED_CODES.has(code)),
	};
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	const date = Date.parse(trimmed);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with jitter: half the step fixed, half random, capped. */
export function backoffMs(attempt: number, initialDelayMs: number, random: () => number = Math.random): number {
	const step = Math.min(MAX_DELAY_MS, initialDelayMs * 2 ** (attempt - 1));
	return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * The schedule for a 429 without Retry-After, which is how the API's documentation leaves it
 * (U-G5: neither the limits nor their windows are documented). Such a 429 was refused before any
 * work, so trying again is always safe; the question is only how long the limit lasts. The waits
 * grow from Initial Retry Delay, doubling per try with jitter (half of each step fixed, half
 * random) and capped at 30 s per wait: with the default 500 ms, about 0.5, 1, 2, 4, 8, 16, 30 s.
 * They go on until at least 65 s have passed since the request's first 429, so that both a
 * per-second and a per-minute window roll over, and never beyond 90 s in all (the last wait is
 * shortened to fit); at most 16 tries, for when Initial Retry Delay is 0. Max Attempts does not
 * count these tries; Max Attempts 1 still means no retry at all.
 */
export const RATE_LIMIT_SCHEDULE = { patienceMs: 65_000, maxTotalMs: 90_000, maxTries: 16 };

/**
 * The wait before the next try after the `tries`-th 429 without Retry-After, `waitedMs` after the
 * first; undefined when the schedule is spent and the request fails.
 */
export function rateLimitWaitMs(tries: number, waitedMs: number, initialDelayMs: number, random: () => number = Math.random): number | undefined {
	const { patienceMs, maxTotalMs, maxTries } = RATE_LIMIT_SCHEDULE;
	if (waitedMs >= patienceMs || tries >= maxTries) return undefined;
	return Math.min(backoffMs(tries, initialDelayMs, random), maxTotalMs - waitedMs);
}
