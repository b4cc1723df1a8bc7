import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { generatePassword } from '../../helpers/password';
import { asNodeError, expectJsonObject, failureOf, signInApiRequest, type ApiResponse, type ApiFailure } from '../../transport';
import {
	PASSWORD_LENGTH,
	checkPasswordLength,
	normalizeUsername,
	requireText,
} from '../../validation/rules';
import { readParameter } from '../params';
import { limitAccount, type AccountChange } from '../toolPolicy';

export function usernameField(operation: string, description: string): INodeProperties {
	return {
		displayName: 'Username',
		name: 'username',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. alice.smith',
		description,
		displayOptions: { show: { resource: ['user'], operation: [operation] } },
	};
}

/** The password choice shared by Create and Update: generate one, or use the given one. */
export function passwordFields(operation: string): INodeProperties[] {
	const show = { resource: ['user'], operation: [operation] };
	return [
		{
			displayName: 'Password',
			name: 'passwordMode',
			type: 'options',
			default: 'generate',
			options: [
				{
					name: 'Enter a Password',
					value: 'define',
					description: 'Use the password given in the next field',
				},
				{
					name: 'Generate a Password',
					value: 'generate',
					description: 'Create a random password; the output carries it so the workflow can hand it to the guest',
				},
			],
			displayOptions: { show },
		},
		{
			displayName: 'Password Value',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: "Must satisfy the Sign-In Context's password policy",
			displayOptions: { show: { ...show, passwordMode: ['define'] } },
		},
		{
			displayName: 'Password Length',
			name: 'passwordLength',
			type: 'number',
			typeOptions: { minValue: PASSWORD_LENGTH.min, maxValue: PASSWORD_LENGTH.max },
			default: 16,
			description: 'Number of characters in the generated password',
			displayOptions: { show: { ...show, passwordMode: ['generate'] } },
		},
		{
			displayName: 'Include Symbols',
			name: 'includeSymbols',
			type: 'boolean',
			default: false,
			description: 'Whether the generated password also contains symbols (- _ . ! # % + =); letters and digits are always included, without look-alikes such as 0/O and 1/l.',
			displayOptions: { show: { ...show, passwordMode: ['generate'] } },
		},
	];
}

/** Items for the same account go one after another; the API may compare usernames in any case. */
export function accountKey(input: { username: string }): string {
	return input.username.toLowerCase();
}

export interface Credentials {
	username: string;
	password: string;
	generated: boolean;
}

/** Reads an item's account for `change`; as a tool call, only a username the builder allowed. */
export function credentialsFor(change: AccountChange) {
	return function (this: IExecuteFunctions, itemIndex: number): Credentials {
		const credentials = readCredentials.call(this, itemIndex);
		limitAccount(this, itemIndex, credentials.username, change);
		return credentials;
	};
}

function readCredentials(this: IExecuteFunctions, itemIndex: number): Credentials {
	const username = readParameter(this, itemIndex, 'username', 'Username', normalizeUsername);
	const mode = this.getNodeParameter('passwordMode', itemIndex) as string;
	if (mode === 'define') {
		const password = readParameter(this, itemIndex, 'password', 'Password Value', requireText, {
			secret: true,
		});
		return { username, password, generated: false };
	}
	const length = readParameter(this, itemIndex, 'passwordLength', 'Password Length', checkPasswordLength);
	const symbols = this.getNodeParameter('includeSymbols', itemIndex, false) as boolean;
	return { username, password: generatePassword(length, symbols), generated: true };
}

/**
 * Create and Update send the same body to different endpoints. The output carries the password
 * only when this node generated it: a given password is already known to the workflow, and
 * execution data should not hold more secrets than it must.
 */
export async function sendCredentials(
	this: IExecuteFunctions,
	method: 'POST' | 'PUT',
	path: string,
	input: Credentials,
	itemIndex: number,
): Promise<IDataObject> {
	const body = { username: input.username, password: input.password };
	let response;
	try {
		response = await signInApiRequest.call(this, { method, path, body, itemIndex });
	} catch (error) {
		const failure = failureOf(error);
		// The API has no read endpoint: an account met on a retry may be this run's or an older one,
		// and overwriting an older guest's password is not Create's to decide.
		if (method === 'POST' && failure?.uncertain && isAlreadyExists(failure)) throw existsAfterUncertainCreate(this, input, failure.lost, itemIndex);
		throw asNodeError(this.getNode(), error);
	}
	return credentialsOutput(this, input, response, itemIndex);
}

/**
 * Create and Update answer with the account as JSON (the API documents the echo); anything else,
 * an empty 200 from a proxy say, does not confirm that the password was set.
 */
function credentialsOutput(execution: IExecuteFunctions, input: Credentials, response: ApiResponse, itemIndex: number): IDataObject {
	const echoed = expectJsonObject.call(execution, response, itemIndex, 'the account (username and password)');
	const username = typeof echoed?.username === 'string' ? echoed.username : input.username;
	return input.generated
		? { username, password: input.password, passwordGenerated: true }
		: { username, passwordGenerated: false };
}

function existsAfterUncertainCreate(execution: IExecuteFunctions, input: Credentials, lost: boolean, itemIndex: number): NodeOperationError {
	const first = lost ? "The first create's answer was lost" : 'The first create was answered with a status of 500 or above, which does not say whether the account was made';
	return new NodeOperationError(
		execution.getNode(),
		`The account ${input.username} already exists, and this run cannot tell whether it created it`,
		{
			itemIndex,
			description: `${first}, and the retry found the username taken: the account may be this run's (then its password is the one in this item) or an older one (then its password is unknown to this workflow). No password was changed. To set this item's password anyway, use User > Create or Update; to keep an older account, check it in the Sign-In Context admin first.`,
		},
	);
}

/**
 * Create or Update: create, and on "already exists" set the password with Update. `created` is
 * null when a lost answer leaves open whether the account was made by this run.
 */
export async function upsertCredentials(this: IExecuteFunctions, input: Credentials, itemIndex: number): Promise<IDataObject> {
	const body = { username: input.username, password: input.password };
	try {
		const response = await signInApiRequest.call(this, { method: 'POST', path: CREATE_PATH, body, itemIndex });
		return { ...credentialsOutput(this, input, response, itemIndex), created: true };
	} catch (error) {
		const failure = failureOf(error);
		if (!failure || !isAlreadyExists(failure)) throw asNodeError(this.getNode(), error);
		const response = await signInApiRequest.call(this, { method: 'PUT', path: UPDATE_PATH, body, itemIndex });
		return { ...credentialsOutput(this, input, response, itemIndex), created: failure.uncertain ? null : false };
	}
}

export const CREATE_PATH = '/modules/up/create';
export const UPDATE_PATH = '/modules/up/update';

/** Only the Username & Password family's own error body can say that an account exists. */
function isAlreadyExists(failure: ApiFailure): boolean {
	return failure.status === 400 && failure.bodyShape === 'usernamePassword' && (failure.errorCode === 'USERNAME_ALREADY_EXISTS' || /already exists/i.test(failure.detail ?? ''));
}
