import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { destinationProblem } from '../nodes/NetgraphSignIn/transport/destination';

/** Kept in step with transport/errors.ts, which explains the same statuses during executions. */
const TOKEN_REFUSED =
	'The API token was refused (401). Check the API Token; if it was rotated, copy the new one from the Sign-In Context admin: Administration > Configuration > Common Settings.';
const ACCESS_DENIED =
	"Access denied (403). Either this n8n server's public IP address is not on the Organization's Administrator portal IP whitelist, or the Organization ID or Context ID is wrong (copy both from the dashboard instructions on the Organization's admin home page).";
const NO_SUCH_ENDPOINT =
	'Not found (404). Check the Base URL: it is the API base URL from the dashboard instructions, without /v1/....';
const REDIRECTED = (status: number) =>
	`The Base URL answered with a redirect (${status}). Redirects are never followed, so the API token was not sent to the address it pointed to. Enter the address of the Sign-In API itself in Base URL: the API base URL from the dashboard instructions, as it is, with https://.`;
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

export class SignInContextApi implements ICredentialType {
	name = 'signInContextApi';

	displayName = 'Sign-In Context API';

	icon: Icon = { light: 'file:netgraph.svg', dark: 'file:netgraph.dark.svg' };

	documentationUrl = 'https://github.com/netgraph-sign-in/n8n-nodes-netgraph-sign-in#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. https://api.example-org.netgraph-connect.com',
			description:
				"Your Organization's API base URL, shown in the dashboard instructions on the Organization's admin home page. Every Organization has its own.",
		},
		{
			displayName: 'Organization ID',
			name: 'organizationId',
			type: 'string',
			required: true,
			default: '',
			description: 'Shown next to the base URL in the dashboard instructions',
		},
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
		{
			displayName: 'Allow Unencrypted HTTP',
			name: 'allowUnencryptedHttp',
			type: 'boolean',
			default: false,
			description:
				'Whether an http:// Base URL on another machine may be used. The API token then travels in clear text, readable by anyone on the network path: only for a private network you trust. http://localhost works without this.',
		},
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
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: TOKEN_REFUSED } },
			{ type: 'responseCode', properties: { value: 403, message: ACCESS_DENIED } },
			{ type: 'responseCode', properties: { value: 404, message: NO_SUCH_ENDPOINT } },
			...REDIRECT_STATUSES.map((value) => ({ type: 'responseCode' as const, properties: { value, message: REDIRECTED(value) } })),
		],
	};
}
