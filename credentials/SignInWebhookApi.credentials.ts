import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The shared secret that the Sign-In Context sends as a custom header with every webhook delivery.
 * Nothing on the platform can be asked whether it is right, so the Netgraph Sign-In Trigger tests
 * it (`testedBy`) against the rules a working header must meet.
 */
export class SignInWebhookApi implements ICredentialType {
	name = 'signInWebhookApi';

	displayName = 'Sign-In Webhook API';

	icon: Icon = { light: 'file:netgraph.svg', dark: 'file:netgraph.dark.svg' };

	documentationUrl = 'https://github.com/netgraph-sign-in/n8n-nodes-netgraph-sign-in#trigger-credential';

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
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'Value of that header: a random secret of at least 16 characters, e.g. from a password manager. Enter the same value for the header in the Sign-In Context admin. Deliveries without it are answered 401 and start nothing.',
		},
	];
}
