import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { CONTEXT_NAME_FIELD } from '../nodes/shared/signInContext';
import { SLOT_KEYS } from '../nodes/shared/slots';

/** A Context's secret: the main one and each further Context's are the same kind of field. */
function secretProperty(description: string): INodeProperties {
	return { displayName: 'Secret', name: 'secret', type: 'string', typeOptions: { password: true }, required: true, default: '', description };
}

/**
 * The shared secret that the Sign-In Context sends as a custom header with every webhook delivery,
 * and optionally further Contexts (a venue group's properties), each with its own secret, all
 * served by one trigger. Nothing on the platform can be asked whether they are right, so the
 * Netgraph Sign-In Trigger tests them (`testedBy`) against the rules a working header must meet.
 */
export class SignInWebhookApi implements ICredentialType {
	name = 'signInWebhookApi';

	displayName = 'Sign-In Webhook API';

	icon: Icon = { light: 'file:netgraph.svg', dark: 'file:netgraph.dark.svg' };

	documentationUrl = 'https://github.com/netgraph-sign-in/n8n-nodes-netgraph-sign-in#sign-in-webhook-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			required: true,
			default: 'X-Webhook-Secret',
			placeholder: 'e.g. X-Webhook-Secret',
			description:
				"Name of the custom HTTP header you add to the webhook in the Sign-In Context admin (Context > Webhooks > your webhook > custom HTTP headers)",
		},
		secretProperty(
			'Value of that header: a random secret of at least 16 characters, e.g. from a password manager. Enter the same value for the header in the Sign-In Context admin. Deliveries without it are answered 401 and start nothing.',
		),
		{
			displayName: 'Context Name',
			name: 'contextName',
			type: 'string',
			default: '',
			placeholder: 'e.g. Hotel Stockholm',
			description: `Name of the Context whose webhook sends the secret above. When set, each of its events carries it in the field ${CONTEXT_NAME_FIELD}. Required once further Contexts are added.`,
		},
		{
			displayName: 'Further Contexts',
			name: 'contexts',
			type: 'fixedCollection',
			default: {},
			placeholder: 'Add Context',
			description: `Other Sign-In Contexts whose webhooks this trigger serves, each with its own secret under the same header name. Each event carries its Context's name in the field ${CONTEXT_NAME_FIELD}.`,
			options: SLOT_KEYS.map((key, index) => ({
				displayName: `Context ${index + 1}`,
				name: key,
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						required: true,
						default: '',
						placeholder: 'e.g. Hotel Oslo',
						description: `Name of the Context, added to each of its events as ${CONTEXT_NAME_FIELD}; unique within this credential`,
					},
					secretProperty(
						"Value of the header in this Context's webhook: a random secret of at least 16 characters, different from every other Context's",
					),
				],
			})),
		},
	];
}
