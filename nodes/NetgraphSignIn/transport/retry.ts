/**
 * When to try a request again, and how long to wait first. Pure, so that the policy is tested
 * on its own; the transport applies it.
 */

export interface RetryPolicy {
	maxAttempts: number;
	initialDelayMs: number;
	timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, initialDelayMs: 500, timeoutMs: 30_000 };
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

/**
 * 429, 502, 503, 504, resets and timeouts are retried; 400, 401, 403 and every other status
 * never are. A 429 was refused before any work, so it cannot have applied the request; a gateway
 * status, reset or timeout can come after the service did the work.
 */
export function classify(failure: Failure): Verdict {
	if ('status' in failure) {
		return { retry: RETRYABLE_STATUSES.has(failure.status), mayHaveApplied: failure.status !== 429 && failure.status >= 500 };
	}
	const code = failure.networkCode;
	return { retry: code !== undefined && RETRYABLE_CODES.has(code), mayHaveApplied: code === undefined || MAYBE_APPLIED_CODES.has(code) };
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
