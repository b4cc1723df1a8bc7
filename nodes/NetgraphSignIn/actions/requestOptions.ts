import type { INodeProperties } from 'n8n-workflow';

import { Limiter } from '../transport/limiter';

/**
 * Retries, timeout and concurrency, shared by every operation; read by the transport and the item
 * loop. The defaults are literals, as n8n's lint wants; a test keeps them equal to the constants.
 */
export const requestOptionsDescription: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'options',
			options: [
				{ name: '1 (One at a Time)', value: 1 },
				{ name: '2', value: 2 },
				{ name: '3', value: 3 },
				{ name: '4', value: 4 },
				{ name: '5', value: 5 },
				{ name: '6', value: 6 },
				{ name: '7', value: 7 },
				{ name: '8', value: 8 },
				{ name: '9', value: 9 },
				{ name: '10', value: 10 },
				{ name: 'Auto', value: 0, description: 'Adapts to the service: starts with 4 at a time, grows while answers come back fast, slows down at once on a rate limit or slow answers' },
			],
			default: 0,
			description:
				'How many requests to one Sign-In Context are in flight at once: one per item for User operations and Whitelisting Create, Update and Get Many, one per batch for the batched operations. Auto (the default) finds the pace the service takes; a number pins it. A node saved at version 1 sends one at a time unless this is set. With several Contexts, each has its own, and Contexts at Once sets how many run side by side. Items for the same account or MAC address always go one after another, and output order always follows the input.',
		},
		{
			displayName: 'Contexts at Once',
			name: 'contextsAtOnce',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10 },
			default: 4,
			displayOptions: { show: { '/authentication': ['signInOrganizationApi'] } },
			description:
				"How many of the credential's Contexts are worked on side by side. Concurrency bounds the requests to each of them, so up to Contexts at Once times Concurrency requests are in flight at the Organization (40 at the defaults, at Auto's most). A rate limit (429) from any Context pauses and slows all Contexts of the Organization.",
		},
		{
			displayName: 'Initial Retry Delay (Ms)',
			name: 'initialDelayMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 500,
			description:
				'Wait before the first retry; it doubles with each further retry (with some randomness), up to 30 seconds. A Retry-After from the service takes precedence.',
		},
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10 },
			default: 4,
			description:
				'How many times a request is tried when the service is unavailable (502, 503, 504), resets the connection, times out or limits the rate (429) naming a Retry-After. A 429 without Retry-After changed nothing and is tried again for 65 to 90 seconds, however many attempts that takes, and every request of the run pauses with it. 1 means no retries at all, and is what a node saved at version 1 does unless this is set. Rejections (400, 401, 403) are never retried.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 30,
			description: 'How long to wait for each answer before giving up on that attempt',
		},
	],
};

/**
 * Runs `work` on every task, taking them in order, as many at once as `window` admits (a Context's
 * limiter, or a fixed number). Tasks with the same `keyOf` (one account, one MAC address) run one
 * after another in input order, whatever the window. A task that throws stops new tasks from
 * starting; once the running ones end, the error of the earliest task that failed is returned.
 */
export async function runInOrder<Task>(
	tasks: Task[],
	window: Limiter | number,
	work: (task: Task) => Promise<void>,
	keyOf?: (task: Task) => string | undefined,
): Promise<{ task: Task; error: Error } | undefined> {
	const limiter = typeof window === 'number' ? new Limiter(window) : window;
	let next = 0;
	const halt: { first?: { index: number; task: Task; error: Error } } = {};
	const stop = (index: number, error: Error) => {
		if (!halt.first || index < halt.first.index) halt.first = { index, task: tasks[index], error };
	};
	/** The last task taken for each key, so that the next one with that key waits for it. */
	const lastOfKey = new Map<string, Promise<void>>();
	// A task waiting for an earlier one with its key holds no place in the window.
	const run = async (index: number, after: Promise<void> | undefined) => {
		if (after) await after;
		await limiter.acquire();
		try {
			// Taken before another task failed, but not started: it stays unsent.
			if (halt.first) return;
			await work(tasks[index]);
		} catch (error) {
			stop(index, error as Error);
		} finally {
			limiter.release();
		}
	};
	const worker = async () => {
		while (!halt.first && next < tasks.length) {
			const index = next++;
			const key = keyOf?.(tasks[index]);
			const running = run(index, key === undefined ? undefined : lastOfKey.get(key));
			if (key !== undefined) lastOfKey.set(key, running);
			await running;
		}
	};
	await Promise.all(Array.from({ length: Math.min(limiter.ceiling, tasks.length) }, worker));
	return halt.first && { task: halt.first.task, error: halt.first.error };
}
