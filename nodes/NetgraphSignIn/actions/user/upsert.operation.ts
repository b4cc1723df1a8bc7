import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { credentialsFor, accountKey, passwordFields, upsertCredentials, usernameField, type Credentials } from './shared';

const description: INodeProperties[] = [
	usernameField('upsert', 'Username of the account to create, or whose password is replaced if it already exists'),
	...passwordFields('upsert'),
];

export const upsert: Operation<Credentials> = {
	option: { name: 'Create or Update', value: 'upsert', description: 'Create a new record, or update the current one if it already exists (upsert)', action: 'Create a user or set its password' },
	description,
	prepare: credentialsFor('upsert'),
	orderKey: accountKey,
	async send(input, itemIndex) {
		return await upsertCredentials.call(this, input, itemIndex);
	},
};
