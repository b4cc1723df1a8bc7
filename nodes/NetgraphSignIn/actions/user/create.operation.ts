import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { credentialsFor, CREATE_PATH, accountKey, passwordFields, sendCredentials, usernameField, type Credentials } from './shared';

const description: INodeProperties[] = [
	usernameField('create', 'Username for the new Wi-Fi account; must be unique in the Sign-In Context'),
	...passwordFields('create'),
];

export const create: Operation<Credentials> = {
	option: { name: 'Create', value: 'create', description: 'Create a Wi-Fi account with a username and password', action: 'Create a user with a password' },
	description,
	prepare: credentialsFor('create'),
	orderKey: accountKey,
	async send(input, itemIndex) {
		return await sendCredentials.call(this, 'POST', CREATE_PATH, input, itemIndex);
	},
};
