import type { INodeProperties } from 'n8n-workflow';

/** The fields both credentials share: where the Organization's API is, and whether plain http may carry keys. */
export const organizationFields: INodeProperties[] = [
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
];

/** `secrets`: what travels, as the form names it ("The API token", "The API keys"). */
export function allowUnencryptedHttpField(secrets: string): INodeProperties {
	return {
		displayName: 'Allow Unencrypted HTTP',
		name: 'allowUnencryptedHttp',
		type: 'boolean',
		default: false,
		description: `Whether an http:// Base URL on another machine may be used. ${secrets} then travel${secrets.endsWith('s') ? '' : 's'} in clear text, readable by anyone on the network path: only for a private network you trust. http://localhost works without this.`,
	};
}
