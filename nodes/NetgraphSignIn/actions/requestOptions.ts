import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

export const DEFAULT_CONCURRENCY = 1;
export const MAX_CONCURRENCY = 10;

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
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
			default: 1,
			description:
				'How many requests are sent at the same time: one per item for User operations and Whitelisting Create and Update, one per batch for Access Policy operations and Whitelisting Create Many and Revoke Many. Output order always follows the input.',
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
				'How many times a request is tried when the service is unavailable (502, 503, 504), resets the connection, times out or limits the rate (429) naming a Retry-After. A 429 without Retry-After changed nothing and is tried again for 65 to 90 seconds, however many attempts that takes, and every request of the run pauses with it. 1 means no retries at all. Rejections (400, 401, 403) are never retried.',
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

export function readConcurrency(context: IExecuteFunctions): number {
	const value = context.getNodeParameter('requestOptions.concurrency', 0, DEFAULT_CONCURRENCY) as number;
	return Number.isInteger(value) ? Math.min(MAX_CONCURRENCY, Math.max(1, value)) : DEFAULT_CONCURRENCY;
}

/**
 * Runs `work` on every task, taking them in order, with up to `concurrency` running at once. A
 * task that throws stops new tasks from starting; once the running ones end, the error of the
 * earliest task that failed is returned.
 */
export async function runInOrder<Task>(
	tasks: Task[],
	concurrency: number,
	work: (task: Task) => Promise<void>,
): Promise<{ task: Task; error: Error } | undefined> {
	let next = 0;
	const halt: { first?: { index: number; task: Task; error: Error } } = {};
	const stop = (index: number, error: Error) => {
		if (!halt.first || index < halt.first.index) halt.first = { index, task: tasks[index], error };
	};
	const worker = async () => {
		while (!halt.first && next < tasks.length) {
			const index = next++;
			try {
				await work(tasks[index]);
			} catch (error) {
				stop(index, error as Error);
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
	return halt.first && { task: halt.first.task, error: halt.first.error };
}
