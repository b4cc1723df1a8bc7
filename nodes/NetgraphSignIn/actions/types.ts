import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

export interface Prepared<Input> {
	itemIndex: number;
	input: Input;
}

/**
 * What happened to one input item of a batched operation. A failed item may carry what the
 * service did answer about it (`json`), when only part of it went through.
 */
export type BatchOutcome = { itemIndex: number; json: IDataObject } | { itemIndex: number; error: Error; json?: IDataObject };

/**
 * One operation. `prepare` reads and validates one item's parameters and sends nothing, so every
 * item is checked before the first request. Then either `send` runs once per item, or
 * `sendBatch` gathers all items into as few requests as Batch Size allows; batched operations
 * hand that to the one driver, `sendInBatches` in batching.ts.
 */
export interface Operation<Input = unknown> {
	description: INodeProperties[];
	prepare(this: IExecuteFunctions, itemIndex: number): Input | Promise<Input>;
	send?(this: IExecuteFunctions, input: Input, itemIndex: number): Promise<IDataObject | IDataObject[]>;
	sendBatch?(
		this: IExecuteFunctions,
		prepared: Array<Prepared<Input>>,
		continueOnFail: boolean,
	): Promise<BatchOutcome[]>;
}
