import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { generatePassword } from '../../helpers/password';
import { asNodeError, failureOf, signInApiRequest, type FailureContext } from '../../transport';
import {
	PASSWORD_LENGTH,
	checkPasswordLength,
	normalizeUsername,
	requireText,
} from '../../validation/rules';
import { readParameter } from '../params';

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
					name: 'Generate a Password',
					value: 'generate',
					description: 'Create a random password; the output carries it so the workflow can hand it to the guest',
				},
				{
					name: 'Enter a Password',
					value: 'define',
					description: 'Use the password given in the next field',
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

export interface Credentials {
	username: string;
	password: string;
	generated: boolean;
}

export function readCredentials(this: IExecuteFunctions, itemIndex: number): Credentials {
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
	let recovery: string | undefined;
	try {
		response = await signInApiRequest.call(this, { method, path, body, itemIndex });
	} catch (error) {
		// A create retried after a lost answer finds the account it made itself. The password the
		// workflow will hand out must be the one set, so it is set again with Update.
		const failure = failureOf(error);
		if (method !== 'POST' || !failure?.uncertain || !isAlreadyExists(failure)) throw asNodeError(this.getNode(), error);
		response = await signInApiRequest.call(this, { method: 'PUT', path: UPDATE_PATH, body, itemIndex });
		recovery = 'The answer to the first create was lost and the account existed on retry, so its password was set with Update.';
	}
	const echoed = response.body as IDataObject | undefined;
	const username = typeof echoed?.username === 'string' ? echoed.username : input.username;
	const output: IDataObject = input.generated
		? { username, password: input.password, passwordGenerated: true }
		: { username, passwordGenerated: false };
	if (recovery) output.recovery = recovery;
	return output;
}

export const CREATE_PATH = '/modules/up/create';
export const UPDATE_PATH = '/modules/up/update';

function isAlreadyExists(failure: FailureContext): boolean {
	return failure.status === 400 && (failure.errorCode === 'USERNAME_ALREADY_EXISTS' || /already exists/i.test(failure.detail ?? ''));
}
