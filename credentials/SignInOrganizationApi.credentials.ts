import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	INodePropertyCollection,
} from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { allowUnencryptedHttpField, organizationFields } from '../nodes/shared/credentialFields';
import { keyForRequest } from '../nodes/shared/organizationContexts';
import { SLOT_COUNT, slotKey } from '../nodes/shared/slots';

/**
 * One Context's fields. The slots are named (`context1`..`context50`) rather than a list: n8n
 * gives an edited credential its hidden keys back by position in a list, so removing the first
 * of three Contexts would hand the second one the first one's key. A named slot keeps its key.
 */
function slotFields(slot: number): INodePropertyCollection {
	return {
		name: slotKey(slot),
		displayName: `Context ${slot}`,
		values: [
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. Hotel Stockholm',
				description: 'The name people know the property by. Nodes pick the Context by this name or by its ID; each name is unique.',
			},
			{
				displayName: 'Context ID',
				name: 'contextId',
				type: 'string',
				required: true,
				default: '',
				description: "ID of the Sign-In Context, shown next to the base URL in the Context's dashboard instructions",
			},
			{
				displayName: 'API Key',
				name: 'apiToken',
				type: 'string',
				typeOptions: { password: true },
				required: true,
				default: '',
				description:
					"This Context's API key, enabled and rotated in its Sign-In Context admin under Administration > Configuration > Common Settings. It is only ever sent to the Base URL above, on requests for this Context. n8n keeps a saved key in its slot whatever else changes there: when you change the Context ID, enter the new Context's key.",
			},
			{
				// Earlier versions had a Base URL per Context. It stays in the form, hidden, so that the
				// editor saves it back unchanged: a slot whose Base URL differs from the organisation's
				// stays refused rather than silently sending its key to the organisation's Base URL.
				// Removing the slot and adding it again clears it.
				displayName: 'Base URL of an Earlier Version',
				name: 'baseUrl',
				type: 'hidden',
				default: '',
			},
		],
	};
}

export class SignInOrganizationApi implements ICredentialType {
	name = 'signInOrganizationApi';

	displayName = 'Sign-In Organization API';

	icon: Icon = { light: 'file:netgraph.svg', dark: 'file:netgraph.dark.svg' };

	documentationUrl = 'https://github.com/netgraph-sign-in/n8n-nodes-netgraph-sign-in#sign-in-organization-api';

	properties: INodeProperties[] = [
		...organizationFields,
		{
			displayName: 'Contexts',
			name: 'contexts',
			type: 'fixedCollection',
			placeholder: 'Add Context',
			default: {},
			description:
				"The organisation's Sign-In Contexts (properties, campuses, sites), up to 50, each with its own API key. The IP address of this n8n server must be on the Organization's Administrator portal IP whitelist.",
			options: Array.from({ length: SLOT_COUNT }, (_, index) => slotFields(index + 1)),
		},
		allowUnencryptedHttpField('The API keys'),
	];

	/**
	 * Adds x-auth-token only to a request for one of the Contexts' own addresses (the Base URL
	 * and its Context path), with that Context's key, and turns off redirects: a key can neither
	 * follow a redirect nor reach another Context's requests. A slot that cannot be used gives no
	 * key, and refuses only its own requests. Every request of the node passes through here.
	 */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const found = keyForRequest(credentials, `${requestOptions.baseURL ?? ''}${requestOptions.url}`);
		if ('message' in found) throw new UserError(`${found.message}. ${found.description}`);
		return {
			...requestOptions,
			disableFollowRedirect: true,
			headers: { ...requestOptions.headers, 'x-auth-token': found.key },
		};
	}
}
