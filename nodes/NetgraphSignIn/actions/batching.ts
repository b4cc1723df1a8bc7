import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** The API documents no batch limit (U-W7); 500 per request keeps each well below any plausible cap. */
export const DEFAULT_BATCH_SIZE = 500;

export function batchSizeOption(): INodeProperties {
	return {
		displayName: 'Batch Size',
		name: 'batchSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 10000 },
		default: 500,
		description:
			'How many entries go into one request. The API documents no limit; smaller batches mean more requests, larger ones risk being refused by the service.',
	};
}

/**
 * Splits values, in order, into groups whose total weight stays within `size`; a single value
 * heavier than `size` gets a group of its own.
 */
export function chunk<T>(values: T[], size: number, weight: (value: T) => number = () => 1): T[][] {
	const chunks: T[][] = [];
	let current: T[] = [];
	let load = 0;
	for (const value of values) {
		const w = weight(value);
		if (current.length > 0 && load + w > size) {
			chunks.push(current);
			current = [];
			load = 0;
		}
		current.push(value);
		load += w;
	}
	if (current.length > 0) chunks.push(current);
	return chunks;
}

export function readBatchSize(this: IExecuteFunctions, itemIndex: number): number {
	const size = this.getNodeParameter('options.batchSize', itemIndex, DEFAULT_BATCH_SIZE) as number;
	return Number.isInteger(size) && size >= 1 ? size : DEFAULT_BATCH_SIZE;
}
