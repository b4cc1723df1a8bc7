import type { Operation } from './types';
import { accessPolicyOperations } from './accessPolicy';
import { userOperations } from './user';
import { whitelistingOperations } from './whitelisting';

export { accessPolicyDescription } from './accessPolicy';
export { userDescription } from './user';
export { whitelistingDescription } from './whitelisting';

/** resource -> operation -> handler */
export const operations: Record<string, Record<string, Operation<unknown>>> = {
	accessPolicy: accessPolicyOperations,
	user: userOperations,
	whitelisting: whitelistingOperations,
};
