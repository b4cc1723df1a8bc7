import { resourceDescription, type OperationTable } from '../types';
import { create } from './create.operation';
import { deleteUser } from './delete.operation';
import { update } from './update.operation';
import { upsert } from './upsert.operation';

export const userOperations = {
	create,
	update,
	upsert,
	delete: deleteUser,
} as const satisfies OperationTable;

export const userDescription = resourceDescription('user', userOperations, 'create');
