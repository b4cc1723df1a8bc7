import type { INodeProperties } from 'n8n-workflow';

import { asNodeError, failureOf, signInApiRequest, type ApiFailure } from '../../transport';
import { normalizeUsername } from '../../validation/rules';
import { readParameter } from '../params';
import { limitAccount, limitDelete } from '../toolPolicy';
import type { Operation } from '../types';
import { accountKey, usernameField } from './shared';

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
					"Whether a user that does not exist (already deleted, or never created) counts as done instead of stopping the workflow; the output then has deleted: false and notFound: true (deleted: null when a lost answer leaves open whether this run deleted it). Only the API's own 'not found' answer counts: a 404 from a wrong Base URL always fails.",
			},
		],
	},
];

export interface DeleteInput {
	username: string;
	succeedIfNotFound: boolean;
}

/**
 * Only the Username & Password family's own error body can say "not found" (the API documents no
 * code for it): a 404 with an empty, HTML or foreign body is a wrong address, never a missing user.
 */
function saysNotFound(failure: ApiFailure): boolean {
	if (failure.bodyShape !== 'usernamePassword' || (failure.status !== 400 && failure.status !== 404)) return false;
	return failure.errorCode === 'USER_NOT_FOUND' || /not[\s_-]?found|does not exist|unknown user|no such user/i.test(failure.detail ?? '');
}

export const deleteUser: Operation<DeleteInput> = {
	option: { name: 'Delete', value: 'delete', description: 'Delete a Wi-Fi account and end its active sessions', action: 'Delete a user and end its sessions' },
	description,
	orderKey: accountKey,
	prepare(itemIndex) {
		const username = readParameter(this, itemIndex, 'username', 'Username', normalizeUsername);
		limitDelete(this, itemIndex, username);
		limitAccount(this, itemIndex, username, 'delete');
		return {
			username,
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
			if (!failure || !saysNotFound(failure) || !input.succeedIfNotFound) throw asNodeError(this.getNode(), error);
			// After a lost answer the account may have been deleted by the first attempt or never
			// have existed: it is gone either way, but who removed it is unknown (null).
			if (failure.uncertain) return { username: input.username, deleted: null, notFound: true, firstAnswerLost: true };
			return { username: input.username, deleted: false, notFound: true };
		}
		return { username: input.username, deleted: true };
	},
};
