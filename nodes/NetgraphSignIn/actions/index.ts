import type { Operation } from './types';
import { accessPolicyOperations } from './accessPolicy';
import { userOperations } from './user';
import { whitelistingOperations } from './whitelisting';

export { accessPolicyDescription } from './accessPolicy';
export { userDescription } from './user';
export { whitelistingDescription } from './whitelisting';

/** resource -> operation -> handler; adding an operation is one line in its resource's table. */
export const operations = {
	accessPolicy: accessPolicyOperations,
	user: userOperations,
	whitelisting: whitelistingOperations,
} as const;

export type Resource = keyof typeof operations;

/** The handler of a resource and operation as the node's parameters name them, if there is one. */
export function operationFor(resource: string, operation: string): Operation<unknown> | undefined {
	if (!Object.prototype.hasOwnProperty.call(operations, resource)) return undefined;
	const table: { readonly [name: string]: Operation<unknown> } = operations[resource as Resource];
	return Object.prototype.hasOwnProperty.call(table, operation) ? table[operation] : undefined;
}
