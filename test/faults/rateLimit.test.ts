/**
 * The real emulator limiting the rate as the API documents a 429: no Retry-After, no headers at
 * all. With Concurrency 4 against 3 requests per second, the node waits the limit out and every
 * entry is delivered exactly once. The node's first 4 requests go out together, so the 4th meets
 * the limit however slow a busy machine makes them (at 10 per second, a slow machine never
 * reached the limit).
 */
import nock from 'nock';

import { SignInEmulator } from '../../emulator/server';
import { runNode } from '../support/harness';
import { createManyParameters } from '../support/operations';

const TOKEN = 'rate-limit-token';

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1/));

/**
 * Concurrency 4 pinned (the run-wide pause only), and Auto, the default, with and without
 * Retry-After: Auto halves its window and caps its rate at the first 429.
 */
const RUNS = [
	{ name: 'Concurrency 4, no Retry-After', requestOptions: { concurrency: 4, initialDelayMs: 100 }, omitRetryAfter: true, fault: '429bare' },
	{ name: 'Concurrency Auto, no Retry-After', requestOptions: { initialDelayMs: 100 }, omitRetryAfter: true, fault: '429bare' },
	{ name: 'Concurrency Auto, Retry-After: 1', requestOptions: {}, omitRetryAfter: false, fault: '429' },
];

describe('a per-second rate limit', () => {
	it.each(RUNS)('Create Many, one entry per request, $name: every entry created once, every item a success', async ({ requestOptions, omitRetryAfter, fault }) => {
		const emulator = new SignInEmulator({ token: TOKEN, rateLimitPerSecond: 3, omitRetryAfter });
		await emulator.start();
		try {
			const entries = Array.from({ length: 12 }, (_, i) => ({
				id: `b0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
				mac: `AA:BB:CC:00:01:${i.toString(16).toUpperCase().padStart(2, '0')}`,
			}));
			const result = await runNode({
				parameters: { ...createManyParameters(1), requestOptions },
				items: entries,
				credentials: { baseUrl: emulator.url, organizationId: 'demo-org', contextId: 'demo-context', apiToken: TOKEN },
			});
			expect(result.status).toBe('success');
			expect(result.output.map((item) => [item.pairedItem, item.json.id, item.json.status])).toEqual(
				entries.map((entry, i) => [{ item: i }, entry.id, 'created']),
			);
			const stored = emulator.store.state.whitelistings.map((entry) => [entry.id, entry.mac]).sort();
			expect(stored).toEqual(entries.map((entry) => [entry.id, entry.mac]).sort());
			const created = emulator.requests.filter((request) => request.method === 'POST' && request.status === 200);
			expect(created).toHaveLength(entries.length);
			// The limit did bite, and was answered as asked.
			const limited = emulator.requests.filter((request) => request.status === 429);
			expect(limited.length).toBeGreaterThan(0);
			expect(limited.every((request) => request.fault === fault)).toBe(true);
		} finally {
			await emulator.stop();
		}
	});
});
