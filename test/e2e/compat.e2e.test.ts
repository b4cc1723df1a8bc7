/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * Compatibility: the same package in the last n8n 1.x (installed into .cache on first use, like
 * 2.41.1), loaded from its `npm pack` tarball as a community package. It loads, both credentials
 * test, every operation runs once against the emulator (with and without Continue On Fail), the
 * trigger starts a workflow from an emulator webhook, the examples run, and the API token stays
 * out of execution data and the log. The checks are the 2.x suites' own (test/e2e/scenarios.ts).
 */
import { readFileSync } from 'fs';

import { N8N_1X_VERSION } from '../../scripts/n8n';
import { NODE_TYPE, TRIGGER_TYPE, emulatorCredential } from '../../scripts/stack';
import { useStack } from './drive';
import { contextRuns, credentialTests, exampleRuns, failureRuns, operationRuns, scenarioTests, secretRuns, triggerRuns } from './scenarios';

const context = useStack('compat-1x', {
	n8nVersion: N8N_1X_VERSION,
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- the local emulator's token for this test
	emulator: { token: 'compat-emulator-token-7e21b4', webhookRetryScale: 0.0005, webhookTimeoutMs: 5000 },
});

/** Each operation a scenario ran, as `resource.operation`. */
const ran = new Set<string>();
beforeAll(() => {
	const build = context.operationWorkflow;
	context.operationWorkflow = async (parameters, options) => {
		ran.add(`${String(parameters.resource)}.${String(parameters.operation)}`);
		return await build(parameters, options);
	};
});

type NodeType = { name: string; properties: Array<{ name: string; displayOptions?: { show?: { resource?: string[] } }; options?: Array<{ value: string }> }> };

/** Every `resource.operation` of the node as n8n's editor offers it, less the Custom API Call n8n adds to each resource. */
function offeredOperations(nodeType: NodeType): string[] {
	return nodeType.properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) => (property.options ?? []).map((option) => `${property.displayOptions?.show?.resource?.[0]}.${option.value}`))
		.filter((operation) => !operation.endsWith('.__CUSTOM_API_CALL__'))
		.sort();
}

describe(`n8n ${N8N_1X_VERSION}`, () => {
	it('is the n8n 1.x this suite is for', async () => {
		const settings = await context.stack.client.rest<{ versionCli: string }>('GET', '/settings');
		expect(settings.versionCli).toBe(N8N_1X_VERSION);
	});

	it('loads both nodes and the three credentials of the community package', async () => {
		const nodes = await context.stack.client.types<NodeType[]>('nodes.json');
		// n8n adds an AI-tool variant of each node with usableAsTool.
		expect(nodes.map((node) => node.name).filter((name) => name.startsWith('n8n-nodes-netgraph-sign-in.')).sort()).toEqual([NODE_TYPE, `${NODE_TYPE}Tool`, TRIGGER_TYPE]);
		const credentials = await context.stack.client.types<Array<{ name: string }>>('credentials.json');
		expect(credentials.map((credential) => credential.name).filter((name) => name.startsWith('signIn')).sort()).toEqual(['signInContextApi', 'signInOrganizationApi', 'signInWebhookApi']);
		expect(readFileSync(context.stack.n8n.logFile, 'utf8')).not.toMatch(/n8n-nodes-netgraph-sign-in.*(error|fail)/i);
	});

	describe('credential test', () => {
		scenarioTests(credentialTests, context);

		it("is reached through n8n 1.x's public API too, once the credential sets allowedHttpRequestDomains", async () => {
			const { client, emulator } = context.stack;
			// n8n 1.x adds Allowed HTTP Request Domains to every credential type with `authenticate`; its public API then demands that field (or allowedDomains).
			await expect(client.api('POST', '/credentials', { name: 'public API', type: 'signInContextApi', data: emulatorCredential(emulator) })).rejects.toThrow(
				/answered 400: .*requires property \\"allowedDomains\\"/,
			);
			const { id } = await client.api<{ id: string }>('POST', '/credentials', {
				name: 'public API',
				type: 'signInContextApi',
				data: { ...emulatorCredential(emulator), allowedHttpRequestDomains: 'all' },
			});
			expect(await client.testCredential(id)).toEqual({ status: 'OK', message: 'Connection successful!' });
		});
	});

	describe('every operation', () => {
		scenarioTests(operationRuns, context);

		it('has run every operation the node offers', async () => {
			const nodes = await context.stack.client.types<NodeType[]>('nodes.json');
			expect([...ran].sort()).toEqual(offeredOperations(nodes.find((node) => node.name === NODE_TYPE)!));
		});
	});

	describe('failures', () => scenarioTests(failureRuns, context));

	describe('trigger', () => scenarioTests(triggerRuns, context));
	describe('trigger for several Contexts', () => scenarioTests(contextRuns, context));

	describe('example workflows', () => scenarioTests(exampleRuns, context));

	describe('secrets', () => scenarioTests(secretRuns, context));
});
