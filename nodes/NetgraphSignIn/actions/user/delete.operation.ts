import type { INodeProperties } from 'n8n-workflow';

import { asNodeError, failureOf, signInApiRequest, type FailureContext } from '../../transport';
import { normalizeUsername } from '../../validation/rules';
import { readParameter } from '../params';
import type { Operation } from '../types';
import { usernameField } from './shared';

const description: INodeProperties[] = [
	usernameField('delete', 'Username of the account to delete; its active sessions end too'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { resource: ['user'], operation: ['delete'] } },
		options: [
			{
				displayName: 'Succeed If Not Found',
				name: 'succeedIfNotFound',
				type: 'boolean',
				default: false,
				description:
					'Whether a user that does not exist (already deleted, or never created) counts as done instead of stopping the workflow; the output then has deleted: false and notFound: true',
			},
		],
	},
];

interface DeleteInput {
	username: string;
	succeedIfNotFound: boolean;
}

/** The API documents no "not found" code; these are the answers that can only mean it. */
function saysNotFound(failure: FailureContext): boolean {
	if (failure.status === 404) return true;
	if (failure.status !== 400) return false;
	return failure.errorCode === 'USER_NOT_FOUND' || /not[\s_-]?found|does not exist|unknown user|no such user/i.test(failure.detail ?? '');
}

export const deleteUser: Operation<DeleteInput> = {
	description,
	prepare(itemIndex) {
		return {
			username: readParameter(this, itemIndex, 'username', 'Username', normalizeUsername),
			succeedIfNotFound: this.getNodeParameter('options.succeedIfNotFound', itemIndex, false) as boolean,
		};
	},
	async send(input, itemIndex) {
		try {
			await signInApiRequest.call(this, {
				method: 'DELETE',
				path: '/modules/up/delete',
				body: { username: input.username },
				itemIndex,
			});
		} catch (error) {
			const failure = failureOf(error);
			if (!failure || !saysNotFound(failure)) throw asNodeError(this.getNode(), error);
			// After a lost answer, "not found" means the first attempt deleted the user.
			if (failure.uncertain) return { username: input.username, deleted: true };
			if (input.succeedIfNotFound) return { username: input.username, deleted: false, notFound: true };
			throw asNodeError(this.getNode(), error);
		}
		return { username: input.username, deleted: true };
	},
};
