import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

export interface Prepared<Input> {
	itemIndex: number;
	input: Input;
}

/**
 * What happened to one input item of a batched operation. A failed item may carry what the
 * service did answer about it (`json`), when only part of it went through. An `extra` outcome is
 * not an item's own output but one more item (a revoked entry of a sync), paired with
 * `itemIndex` and output after the items' own.
 */
export type BatchOutcome =
	| { itemIndex: number; json: IDataObject; extra?: true }
	| { itemIndex: number; error: Error; json?: IDataObject; extra?: true };

/**
 * One operation. `prepare` reads and validates one item's parameters and sends nothing, so every
 * item is checked before the first request. Then either `send` runs once per item, or
 * `sendBatch` gathers all items into as few requests as Batch Size allows; batched operations
 * hand that to the one driver, `sendInBatches` in batching.ts.
 */
export interface Operation<Input = unknown> {
	/** The operation's entry in its resource's Operation picker; `value` is its key in the table. */
	option: INodePropertyOptions & { action: string };
	description: INodeProperties[];
	prepare(this: IExecuteFunctions, itemIndex: number): Input | Promise<Input>;
	send?(this: IExecuteFunctions, input: Input, itemIndex: number): Promise<IDataObject | IDataObject[]>;
	/** What `send` changes (an account, a device): items with the same key are sent one after another, in input order. */
	orderKey?(input: Input): string;
	sendBatch?(
		this: IExecuteFunctions,
		prepared: Array<Prepared<Input>>,
		continueOnFail: boolean,
	): Promise<BatchOutcome[]>;
}

/**
 * A resource's operations by the `operation` value that selects them. Only a constraint
 * (`satisfies`): each resource's table keeps its exact type, handler by handler, so the
 * `operations` table in index.ts is typed resource by resource and operation by operation.
 */
export type OperationTable = { readonly [operation: string]: Operation<unknown> };

/** A resource's Operation picker, built from its table, followed by every operation's own fields. */
export function resourceDescription(resource: string, table: OperationTable, defaultOperation: string): INodeProperties[] {
	const handlers = Object.values(table);
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: handlers.map((handler) => handler.option).sort((a, b) => a.name.localeCompare(b.name)),
			default: defaultOperation,
		},
		...handlers.flatMap((handler) => handler.description),
	];
}
