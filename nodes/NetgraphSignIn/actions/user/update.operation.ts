import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { credentialsFor, UPDATE_PATH, accountKey, passwordFields, sendCredentials, usernameField, type Credentials } from './shared';

const description: INodeProperties[] = [
	usernameField('update', 'Username of the existing account whose password is replaced'),
	...passwordFields('update'),
];

export const update: Operation<Credentials> = {
	option: { name: 'Update', value: 'update', description: "Replace a Wi-Fi account's password", action: 'Set a new password for a user' },
	description,
	prepare: credentialsFor('update'),
	orderKey: accountKey,
	async send(input, itemIndex) {
		return await sendCredentials.call(this, 'PUT', UPDATE_PATH, input, itemIndex);
	},
};
