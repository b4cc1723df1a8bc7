import { resourceDescription, type OperationTable } from '../types';
import { create } from './create.operation';
import { createMany } from './createMany.operation';
import { getAll } from './getAll.operation';
import { revokeMany } from './revokeMany.operation';
import { sync } from './sync.operation';
import { update } from './update.operation';

export const whitelistingOperations = {
	create,
	createMany,
	getAll,
	revokeMany,
	sync,
	update,
} as const satisfies OperationTable;

export const whitelistingDescription = resourceDescription('whitelisting', whitelistingOperations, 'create');
