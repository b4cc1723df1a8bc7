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
				'How many items are sent at the same time by operations that send one request per item (User operations, Whitelisting Create and Update). Output order always follows the input.',
		},
		{
			displayName: 'Initial Retry Delay (Ms)',
			name: 'initialDelayMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 500,
			description:
				'Wait before the first retry; it doubles with each further retry (with some randomness). A Retry-After from the service takes precedence.',
		},
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10 },
			default: 4,
			description:
				'How many times a request is tried when the service is rate limiting (429), unavailable (502, 503, 504), resets the connection or times out. 1 means no retries. Rejections (400, 401, 403) are never retried.',
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
