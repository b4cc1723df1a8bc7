/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev code, never published: n8n Cloud's sandbox rules are for the package */
/**
 * n8n 2.x evaluates expressions in an isolate, chosen by N8N_EXPRESSION_ENGINE: `vm` (isolated-vm,
 * the default) or `quickjs` (QuickJS in WebAssembly). One n8n per engine runs the node's pickers,
 * both credentials' tests (their requests are built from expressions) and the hotel group example,
 * whose items each name their Context by an expression.
 */
import { readFileSync } from 'fs';

import { CREDENTIAL_NAME, GROUP_CREDENTIAL_NAME, NODE_TYPE, type Stack } from '../../scripts/stack';
import { operationWorkflows, useStack, type E2eContext } from './drive';
import { credentialTests, groupExampleRuns, organizationCredentialTests, scenarioTests } from './scenarios';

/** How each engine's bridge names itself in n8n's debug log. */
const BRIDGES = { vm: '[IsolatedVmBridge]', quickjs: '[QuickJsBridge]' } as const;
type Engine = keyof typeof BRIDGES;

/** What the editor's list search of a resource locator answers: the node asks n8n, n8n runs the node's `searchListMethod`. */
async function listSearch(
	stack: Stack,
	search: { methodName: string; path: string; parameters: Record<string, unknown>; credentials: Record<string, { id: string; name: string }>; filter?: string },
): Promise<unknown> {
	return await stack.client.rest('POST', '/dynamic-node-parameters/resource-locator-results', {
		nodeTypeAndVersion: { name: NODE_TYPE, version: 1.1 },
		path: search.path,
		methodName: search.methodName,
		filter: search.filter,
		currentNodeParameters: search.parameters,
		credentials: search.credentials,
	});
}

const UPDATE_ENTRY = { resource: 'whitelisting', operation: 'update', id: { __rl: true, mode: 'list', value: '' } };

const group = (context: E2eContext) => ({ signInOrganizationApi: { id: context.groupCredentialId, name: GROUP_CREDENTIAL_NAME } });

/** The lines of n8n's log that the engine's bridge wrote, by what they say. */
function bridgeLines(stack: Stack, engine: Engine, what: string): number {
	return readFileSync(stack.n8n.logFile, 'utf8')
		.split('\n')
		.filter((line) => line.includes(`${BRIDGES[engine]} ${what}`)).length;
}

for (const engine of Object.keys(BRIDGES) as Engine[]) {
	describe(`n8n with N8N_EXPRESSION_ENGINE=${engine}`, () => {
		const context = useStack(`engine-${engine}`, { n8nEnv: { N8N_EXPRESSION_ENGINE: engine, N8N_LOG_LEVEL: 'debug' } });
		const other = engine === 'vm' ? 'quickjs' : 'vm';

		it(`starts the ${engine} engine, and not the ${other} one`, () => {
			expect(bridgeLines(context.stack, engine, 'Initialized successfully')).toBeGreaterThan(0);
			expect(bridgeLines(context.stack, other, 'Initialized')).toBe(0);
		});

		describe('pickers', () => {
			it("the Context picker lists the Organization credential's Contexts by name, and filters them", async () => {
				const search = { methodName: 'searchContexts', path: 'parameters.context', credentials: group(context) };
				const parameters = { authentication: 'signInOrganizationApi', context: { __rl: true, mode: 'list', value: '' }, ...UPDATE_ENTRY };
				expect(await listSearch(context.stack, { ...search, parameters })).toEqual({
					results: [
						{ name: 'Hotel Stockholm', value: 'hotel-stockholm' },
						{ name: 'Hotel Oslo', value: 'hotel-oslo' },
						{ name: 'Hotel Bergen', value: 'hotel-bergen' },
					],
				});
				expect(await listSearch(context.stack, { ...search, parameters, filter: 'osl' })).toEqual({ results: [{ name: 'Hotel Oslo', value: 'hotel-oslo' }] });
			});

			it("the Whitelisting picker lists the Context credential's active entries, and finds one by a MAC in another spelling", async () => {
				const search = {
					methodName: 'searchActiveWhitelistings',
					path: 'parameters.id',
					parameters: { authentication: 'signInContextApi', ...UPDATE_ENTRY },
					credentials: { signInContextApi: { id: context.credentialId, name: CREDENTIAL_NAME } },
				};
				expect(await listSearch(context.stack, search)).toEqual({
					results: [
						{ name: 'Old kiosk (00:1B:63:84:45:D1)', value: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0' },
						{ name: 'Printer lobby (00:1B:63:84:45:E6)', value: '3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d' },
					],
				});
				expect(await listSearch(context.stack, { ...search, filter: '84-45-e6' })).toEqual({
					results: [{ name: 'Printer lobby (00:1B:63:84:45:E6)', value: '3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d' }],
				});
			});

			it('the Whitelisting picker with the Organization credential lists the entries of the Context an expression names, read with its own key', async () => {
				const before = context.stack.emulator.requests.length;
				const parameters = { authentication: 'signInOrganizationApi', context: { __rl: true, mode: 'id', value: '={{ "Hotel " + "Oslo" }}' }, ...UPDATE_ENTRY };
				expect(await listSearch(context.stack, { methodName: 'searchActiveWhitelistings', path: 'parameters.id', parameters, credentials: group(context) })).toEqual({
					results: [
						{ name: 'Bar tablet (AA:20:00:00:00:01)', value: '00000000-0000-4000-8000-000000002001' },
						{ name: 'Conference screen (AA:20:00:00:00:02)', value: '00000000-0000-4000-8000-000000002002' },
						{ name: 'Manager laptop (AA:20:00:00:00:99)', value: '00000000-0000-4000-8000-000000002099' },
					],
				});
				const sent = context.stack.emulator.requests.slice(before);
				expect(sent.map(({ method, path, keyOf }) => [method, path, keyOf])).toEqual([
					['GET', `${context.stack.emulator.context('hotel-oslo').path}/modules/whitelistings/active`, 'hotel-oslo'],
				]);
			});
		});

		describe('a Context per item by expression', () => {
			scenarioTests(groupExampleRuns, context);

			it(`computes each item's Context and username in the ${engine} engine, and sends each item to its Context with its key`, async () => {
				const { stack, groupCredentialId } = context;
				const create = await operationWorkflows(stack, groupCredentialId, 'signInOrganizationApi')({
					authentication: 'signInOrganizationApi',
					context: { __rl: true, mode: 'id', value: "={{ $json.room.startsWith('OSL') ? 'Hotel Oslo' : 'hotel-bergen' }}" },
					resource: 'user',
					operation: 'create',
					username: '={{ $json.room.toLowerCase() }}',
					passwordMode: 'define',
					password: '={{ $json.password }}',
				});
				const evaluated = bridgeLines(stack, engine, 'Expression executed successfully');
				const sentBefore = stack.emulator.requests.length;
				const answer = await create.run([
					{ room: 'OSL-101', password: 'Oslo-Guest-1' },
					{ room: 'BRG-7', password: 'Bergen-Guest-1' },
				]);
				expect(answer).toEqual({
					status: 200,
					body: [
						{ username: 'osl-101', passwordGenerated: false, signInContext: 'Hotel Oslo', signInContextId: 'hotel-oslo' },
						{ username: 'brg-7', passwordGenerated: false, signInContext: 'Hotel Bergen', signInContextId: 'hotel-bergen' },
					],
				});
				// Two items, each with an expression for its Context and its username.
				expect(bridgeLines(stack, engine, 'Expression executed successfully') - evaluated).toBeGreaterThanOrEqual(4);
				expect(bridgeLines(stack, other, 'Expression executed successfully')).toBe(0);
				const users = (id: string) => Object.fromEntries(Object.entries(stack.emulator.context(id).store.state.users).map(([name, user]) => [name, user.password]));
				expect(users('hotel-oslo')).toEqual({ 'osl-101': 'Oslo-Guest-1' });
				expect(users('hotel-bergen')).toEqual({ 'brg-7': 'Bergen-Guest-1' });
				const sent = stack.emulator.requests.slice(sentBefore);
				expect(sent.map(({ method, context: sentTo, keyOf, status }) => [method, sentTo, keyOf, status]).sort()).toEqual([
					['POST', 'hotel-bergen', 'hotel-bergen', 200],
					['POST', 'hotel-oslo', 'hotel-oslo', 200],
				]);
			});
		});

		it(`reads a field named like a method every object has (valueOf) as the ${engine} engine does: it refuses it, and nothing is sent`, async () => {
			const { stack, operationWorkflow } = context;
			const create = await operationWorkflow({ resource: 'user', operation: 'create', username: '={{ $json.valueOf }}', passwordMode: 'define', password: 'Guest-Pass-1' }, { continueOnFail: true });
			const sentBefore = stack.emulator.requests.length;
			const answer = await create.run([{ valueOf: 'room-909' }]);
			expect(answer).toMatchObject({ status: 200, body: [{ error: expect.stringMatching(/^Expression evaluation failed: function valueOf\(\) \{\s+\[native code\]\s+\} could not be cloned/) }] });
			expect(stack.emulator.requests.slice(sentBefore)).toEqual([]);
			expect(stack.emulator.store.state.users['room-909']).toBeUndefined();
		});

		// Last: the failing tests send a wrong key, which the group example's checks would count.
		describe('credential tests', () => {
			describe('Sign-In Context API', () => {
				scenarioTests(credentialTests, context);
			});
			describe('Sign-In Organization API', () => {
				scenarioTests(organizationCredentialTests, context);
			});
		});
	});
}
