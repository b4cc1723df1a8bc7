import { resourceDescription, type OperationTable } from '../types';
import { addEmails } from './addEmails.operation';
import { removeEmails } from './removeEmails.operation';
import { syncEmails } from './syncEmails.operation';

export const accessPolicyOperations = {
	addEmails,
	removeEmails,
	syncEmails,
} as const satisfies OperationTable;

export const accessPolicyDescription = resourceDescription('accessPolicy', accessPolicyOperations, 'addEmails');
