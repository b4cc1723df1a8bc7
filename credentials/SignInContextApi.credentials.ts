import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { allowUnencryptedHttpField, organizationFields } from '../nodes/shared/credentialFields';
import { REDIRECT_STATUSES, credentialTestProblem } from '../nodes/shared/credentialTestTexts';
import { destinationProblem } from '../nodes/shared/destination';

export class SignInContextApi implements ICredentialType {
	name = 'signInContextApi';

	displayName = 'Sign-In Context API';

	icon: Icon = { light: 'file:netgraph.svg', dark: 'file:netgraph.dark.svg' };

	documentationUrl = 'https://github.com/netgraph-sign-in/n8n-nodes-netgraph-sign-in#sign-in-context-api';

	properties: INodeProperties[] = [
		...organizationFields,
		{
			displayName: 'Context ID',
			name: 'contextId',
			type: 'string',
			required: true,
			default: '',
			description: 'ID of the Sign-In Context, shown next to the base URL in the dashboard instructions',
		},
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The Context API key, enabled and rotated in the Sign-In Context admin under Administration > Configuration > Common Settings. The IP address of this n8n server must also be on the Organization\'s Administrator portal IP whitelist.',
		},
		allowUnencryptedHttpField('The API token'),
	];

	/**
	 * Adds x-auth-token only to a request for the Base URL's origin, over https (or to this
	 * machine), and turns off redirects for it: the token cannot follow a redirect elsewhere.
	 * The credential test and every request of the node pass through here.
	 */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const target = `${requestOptions.baseURL ?? ''}${requestOptions.url}`;
		const problem = destinationProblem(credentials, target);
		if (problem) throw new UserError(`${problem.message}. ${problem.description}`);
		return {
			...requestOptions,
			disableFollowRedirect: true,
			headers: { ...requestOptions.headers, 'x-auth-token': String(credentials.apiToken ?? '') },
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.baseUrl.trim().replace(/\\/+$/, "")}}/v1/org/{{encodeURIComponent($credentials.organizationId.trim())}}/contexts/sign-in/{{encodeURIComponent($credentials.contextId.trim())}}',
			url: '/modules/whitelistings/active',
			method: 'GET',
			disableFollowRedirect: true,
		},
		rules: [401, 403, 404, ...REDIRECT_STATUSES].map((value) => ({
			type: 'responseCode' as const,
			properties: { value, message: credentialTestProblem(value, 'API Token')! },
		})),
	};
}
