/**
 * End to end: n8n's AI Agent with the OpenAI Chat Model pointed at the local model server
 * (emulator/model/) and Netgraph Sign-In as its tools, in a real n8n against the emulator. The
 * model server answers from a script: first a call of one offered tool, then a text quoting the
 * tool's result; it records what n8n sent.
 */
import { ModelServer, MODEL_ID, type ChatRequest, type Turn } from '../../emulator/model/server';
import { CREDENTIAL_NAME, MODEL_CREDENTIAL_NAME, NODE_VERSION, modelCredential } from '../../scripts/stack';
import { useStack } from './drive';

// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- the local emulator's token for this test
const TOKEN = 'agent-e2e-token-7f3b2c';
const POLICY = '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7';
const TOOL_TYPE = 'n8n-nodes-netgraph-sign-in.netgraphSignInTool';
const context = useStack('agent', { emulator: { token: TOKEN, organizationId: 'agent-org', contextId: 'agent-context' } });
const model = new ModelServer();
/** A Valid Until the tools allow: within their Max Days Valid (30 by default) from today in UTC. */
const VALID_UNTIL = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
let webhookPath = '';
let workflowId = '';

/** The tools, as a user would set them up: each field an agent fills is a $fromAI() with a name, a description and a type. */
const TOOLS: Array<{ name: string; parameters: Record<string, unknown> }> = [
	{
		name: 'Create Guest Account',
		parameters: {
			resource: 'user',
			operation: 'create',
			username: "={{ $fromAI('username', 'Username for the new Wi-Fi account: room-<number>, e.g. room-214', 'string') }}",
			passwordMode: 'generate',
			passwordLength: 10,
			toolUsernames: 'room-*',
		},
	},
	{
		name: 'Whitelist Device',
		parameters: {
			resource: 'whitelisting',
			operation: 'create',
			mac: "={{ $fromAI('mac', 'MAC address of the device, e.g. AA:BB:CC:DD:EE:FF', 'string') }}",
			name: "={{ $fromAI('deviceName', 'Short name for the device, 2-100 letters, digits, spaces or & , . -', 'string') }}",
			additionalFields: { toDate: "={{ $fromAI('validUntil', 'Last day plus one: the date (YYYY-MM-DD) the device stops being admitted', 'string') }}" },
		},
	},
	{
		name: 'Revoke Device',
		// In brackets, the list field gets a list of exactly what the model wrote: one value, never a comma-separated many.
		parameters: { resource: 'whitelisting', operation: 'revokeMany', macs: "={{ [$fromAI('mac', 'MAC address of the device, e.g. AA:BB:CC:DD:EE:FF', 'string')] }}" },
	},
	{
		name: 'Allow Email',
		parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: "={{ [$fromAI('email', 'E-mail address to allow, e.g. alice@example.com', 'string')] }}" },
	},
];

/** Webhook → AI Agent (the local model) → the tools; the webhook answers the agent's output. */
function agentWorkflow(
	name: string,
	path: string,
	openAi: string,
	tools: Array<{ name: string; parameters: Record<string, unknown>; credentials: Record<string, { id: string; name: string }> }>,
) {
	const nodes: Array<Record<string, unknown>> = [
		{ id: 'hook', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `${path}-hook`, parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} } },
		{
			id: 'agent',
			name: 'AI Agent',
			type: '@n8n/n8n-nodes-langchain.agent',
			typeVersion: 3.1,
			position: [300, 0],
			parameters: { promptType: 'define', text: '={{ $json.body.message }}', options: { systemMessage: 'You are a hotel front desk assistant.', enableStreaming: false } },
		},
		{
			id: 'model',
			name: 'OpenAI Chat Model',
			type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
			typeVersion: 1.3,
			position: [200, 300],
			parameters: { model: { __rl: true, mode: 'id', value: MODEL_ID }, responsesApiEnabled: false, options: {} },
			credentials: { openAiApi: { id: openAi, name: MODEL_CREDENTIAL_NAME } },
		},
		...tools.map((tool, index) => ({ id: `tool-${index}`, name: tool.name, type: TOOL_TYPE, typeVersion: NODE_VERSION, position: [400 + index * 150, 300], parameters: tool.parameters, credentials: tool.credentials })),
	];
	const connections: Record<string, unknown> = {
		Webhook: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
		'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
		...Object.fromEntries(tools.map((tool) => [tool.name, { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] }])),
	};
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

let openAiCredential = '';

beforeAll(async () => {
	await model.start();
	const { stack } = context;
	const openAi = await stack.client.createCredential(MODEL_CREDENTIAL_NAME, modelCredential(model.url), 'openAiApi');
	openAiCredential = openAi;
	webhookPath = 'front-desk-agent';
	workflowId = await stack.client.createWorkflow(
		agentWorkflow('agent e2e', webhookPath, openAi, TOOLS.map((tool) => ({ ...tool, credentials: { signInContextApi: { id: context.credentialId, name: CREDENTIAL_NAME } } }))),
		true,
	);
}, 60_000);
afterAll(async () => await model.stop());

/** Sends a chat message through the workflow with the model scripted to `turns`; answers the agent's output and the chat requests of this run. */
async function ask(message: string, turns: Turn[], path = webhookPath): Promise<{ status: number; output: unknown; requests: ChatRequest[] }> {
	model.setScript(turns);
	const before = model.chatRequests().length;
	const answer = await context.stack.client.webhook(path, { message });
	return { status: answer.status, output: (answer.body as { output?: unknown }).output, requests: model.chatRequests().slice(before) };
}

const toolMessages = (request: ChatRequest) => (request.messages ?? []).filter((message) => message.role === 'tool').map((message) => message.content);
const quoteResult: Turn = { text: ({ toolResults }) => `Done. Tool said: ${toolResults.at(-1) ?? ''}` };

describe('Netgraph Sign-In as tools of the AI Agent', () => {
	it('offers each tool with a name, a description and the $fromAI fields as its parameter schema', async () => {
		const { requests } = await ask('hello', [{ text: 'Hello, how can I help?' }]);
		expect(requests).toHaveLength(1);
		const tools = requests[0].tools ?? [];
		expect(tools.map((tool) => tool.function.name).sort()).toEqual(['Allow_Email', 'Create_Guest_Account', 'Revoke_Device', 'Whitelist_Device']);
		const schema = (properties: Record<string, string>) => ({
			type: 'object',
			properties: Object.fromEntries(Object.entries(properties).map(([key, description]) => [key, { type: 'string', description }])),
			required: Object.keys(properties),
			additionalProperties: false,
			$schema: 'http://json-schema.org/draft-07/schema#',
		});
		const tool = (name: string, description: string, properties: Record<string, string>) => ({ type: 'function', function: { name, description, parameters: schema(properties), strict: false } });
		// With the tool's Description left on "Set Automatically", n8n describes it as "<the operation's action> in <the node's name>".
		expect([...tools].sort((a, b) => a.function.name.localeCompare(b.function.name))).toEqual([
			tool('Allow_Email', 'Add emails or patterns to an access policy in Netgraph Sign-In', { email: 'E-mail address to allow, e.g. alice@example.com' }),
			tool('Create_Guest_Account', 'Create a user with a password in Netgraph Sign-In', { username: 'Username for the new Wi-Fi account: room-<number>, e.g. room-214' }),
			tool('Revoke_Device', 'Revoke whitelisted devices by MAC address in Netgraph Sign-In', { mac: 'MAC address of the device, e.g. AA:BB:CC:DD:EE:FF' }),
			tool('Whitelist_Device', 'Whitelist a device by MAC address in Netgraph Sign-In', {
				mac: 'MAC address of the device, e.g. AA:BB:CC:DD:EE:FF',
				deviceName: 'Short name for the device, 2-100 letters, digits, spaces or & , . -',
				validUntil: 'Last day plus one: the date (YYYY-MM-DD) the device stops being admitted',
			}),
		]);
	});

	it('creates a guest account: the answer carries the generated password and the emulator has it', async () => {
		const { status, output, requests } = await ask('Give the guest in room 214 a Wi-Fi account', [{ tool: 'Create_Guest_Account', arguments: { username: 'room-214' } }, quoteResult]);
		expect(status).toBe(200);
		expect(requests).toHaveLength(2);
		const stored = context.stack.emulator.store.state.users['room-214'];
		expect(stored.password).toHaveLength(10);
		expect(output).toContain(stored.password);
		expect(JSON.parse(String(toolMessages(requests[1])[0]))).toEqual([{ username: 'room-214', password: stored.password, passwordGenerated: true }]);
	});

	it('whitelists a device until a date', async () => {
		const { status, output, requests } = await ask(`Let the printer AA:BB:CC:00:11:22 in until ${VALID_UNTIL}`, [
			{ tool: 'Whitelist_Device', arguments: { mac: 'aa-bb-cc-00-11-22', deviceName: 'Lobby printer', validUntil: VALID_UNTIL } },
			quoteResult,
		]);
		expect(status).toBe(200);
		expect(context.stack.emulator.activeWhitelistings().find((entry) => entry.mac === 'AA:BB:CC:00:11:22')).toMatchObject({ name: 'Lobby printer', toDate: VALID_UNTIL });
		expect(JSON.parse(String(toolMessages(requests[1])[0]))).toMatchObject([{ mac: 'AA:BB:CC:00:11:22', name: 'Lobby printer', toDate: VALID_UNTIL }]);
		expect(output).toContain('AA:BB:CC:00:11:22');
	});

	it('revokes a device', async () => {
		const { output, requests } = await ask('The printer AA:BB:CC:00:11:22 must no longer get in', [{ tool: 'Revoke_Device', arguments: { mac: 'AA:BB:CC:00:11:22' } }, quoteResult]);
		expect(context.stack.emulator.activeWhitelistings().some((entry) => entry.mac === 'AA:BB:CC:00:11:22')).toBe(false);
		expect(JSON.parse(String(toolMessages(requests[1])[0]))).toMatchObject([{ macs: ['AA:BB:CC:00:11:22'], status: 'revoked', revokedMacs: ['AA:BB:CC:00:11:22'], notWhitelistedMacs: [] }]);
		expect(output).toContain('revoked');
	});

	it('adds an e-mail to the access policy', async () => {
		const { output, requests } = await ask('Allow dana@example.org', [{ tool: 'Allow_Email', arguments: { email: 'dana@example.org' } }, quoteResult]);
		expect(context.stack.emulator.store.state.policies[POLICY].emails).toContain('dana@example.org');
		expect(JSON.parse(String(toolMessages(requests[1])[0]))).toMatchObject([{ acceptedEmails: ['dana@example.org'], addedEmails: null, warnings: [] }]);
		expect(output).toContain('dana@example.org');
	});

	it('hands an invalid MAC to the model as a readable tool error, and the run goes on to the final answer', async () => {
		const before = context.stack.emulator.store.state.whitelistings.length;
		const { status, output, requests } = await ask('Let device 12345 in', [
			{ tool: 'Whitelist_Device', arguments: { mac: '12345', deviceName: 'Bad device', validUntil: VALID_UNTIL } },
			{ text: ({ toolResults }) => `I could not do that: ${toolResults.at(-1) ?? ''}` },
		]);
		expect(status).toBe(200);
		const [toolMessage] = toolMessages(requests[1]);
		// n8n hands a tool node's error to the model as {error: <message>}: the message names the field, the value and the rule.
		expect(JSON.parse(String(toolMessage))).toEqual([
			{ error: '[item 0] MAC Address "12345" must be six pairs of hex digits, e.g. AA:BB:CC:DD:EE:FF, AA-BB-CC-DD-EE-FF, aabbccddeeff or aabb.ccdd.eeff' },
		]);
		expect(output).toContain('12345');
		expect(context.stack.emulator.store.state.whitelistings.length).toBe(before);
	});

	it("cannot touch a staff account nor whitelist a device for good: the model gets each refusal's message, and nothing reaches the API", async () => {
		const { emulator } = context.stack;
		const staff = { ...emulator.store.state.users['staff-anna'] };
		expect(Object.keys(staff)).toEqual(['password', 'createdAt', 'updatedAt']);
		const whitelist = JSON.stringify(emulator.store.state.whitelistings);
		const before = emulator.requests.length;
		const account = await ask('Give staff-anna a Wi-Fi account', [{ tool: 'Create_Guest_Account', arguments: { username: 'staff-anna' } }, quoteResult]);
		expect(JSON.parse(String(toolMessages(account.requests[1])[0]))).toEqual([
			{
				error:
					'Username "staff-anna" is outside the accounts this tool may create (room-*). Nothing was changed. Call again only with a username matching room-*; any other account, a staff account say, is handled by a person in n8n or the Sign-In admin.',
			},
		]);
		const device = await ask('Let the printer AA:BB:CC:00:11:40 in', [{ tool: 'Whitelist_Device', arguments: { mac: 'AA:BB:CC:00:11:40', deviceName: 'Lobby printer', validUntil: '' } }, quoteResult]);
		const latest = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
		expect(JSON.parse(String(toolMessages(device.requests[1])[0]))).toEqual([
			{
				error: `Valid Until is required in a tool call: a tool never whitelists a device permanently. Nothing was sent. Call again with Valid Until (YYYY-MM-DD) no later than ${latest}; ask the person you assist for the check-out date; a person whitelists a device for longer in n8n or the Sign-In admin.`,
			},
		]);
		expect(emulator.store.state.users['staff-anna']).toEqual(staff);
		expect(JSON.stringify(emulator.store.state.whitelistings)).toBe(whitelist);
		expect(emulator.requests.slice(before)).toEqual([]);
	});

	it('refuses two MAC addresses or two e-mails in one call of a bracketed field, and changes nothing', async () => {
		const { emulator } = context.stack;
		emulator.store.state.whitelistings.push({ id: 'agent-two-1', mac: 'AA:BB:CC:00:11:31', name: 'Kiosk', description: null, toDate: null, tags: [], createdBy: null });
		const emails = [...emulator.store.state.policies[POLICY].emails];
		const revoke = await ask('Revoke AA:BB:CC:00:11:31 and AA:BB:CC:00:11:32', [{ tool: 'Revoke_Device', arguments: { mac: 'AA:BB:CC:00:11:31, AA:BB:CC:00:11:32' } }, quoteResult]);
		expect(JSON.parse(String(toolMessages(revoke.requests[1])[0]))).toEqual([
			{ error: '[item 0] MAC Addresses "AA:BB:CC:00:11:31, AA:BB:CC:00:11:32" must be six pairs of hex digits, e.g. AA:BB:CC:DD:EE:FF, AA-BB-CC-DD-EE-FF, aabbccddeeff or aabb.ccdd.eeff' },
		]);
		const allow = await ask('Allow eve@example.org and fay@example.org', [{ tool: 'Allow_Email', arguments: { email: 'eve@example.org, fay@example.org' } }, quoteResult]);
		expect(JSON.parse(String(toolMessages(allow.requests[1])[0]))).toEqual([
			{ error: '[item 0] Emails "eve@example.org, fay@example.org" must be an e-mail address (alice@acme.com), a domain wildcard (*@acme.com) or a subdomain wildcard (*@*.acme.com)' },
		]);
		expect(emulator.activeWhitelistings().some((entry) => entry.mac === 'AA:BB:CC:00:11:31')).toBe(true);
		expect(emulator.store.state.policies[POLICY].emails).toEqual(emails);
	});

	it('never lets the API token reach the model server or the execution data', async () => {
		expect(model.requests.length).toBeGreaterThan(5);
		for (const request of model.requests) {
			expect(request.raw).not.toContain(TOKEN);
			expect(JSON.stringify(request.headers)).not.toContain(TOKEN);
		}
		const executions = await context.stack.client.executions(workflowId);
		expect(executions.length).toBeGreaterThan(5);
		expect(JSON.stringify(executions)).not.toContain(TOKEN);
	});
});

describe('a tool for a venue group: the model names the property in words', () => {
	// The hotel group's Oslo, a second Context of the same Organization at the same Base URL with its own key.
	const osloOf = () => context.stack.emulator.context('hotel-oslo');
	const path = 'group-front-desk-agent';

	beforeAll(async () => {
		const { stack } = context;
		const oslo = osloOf();
		const group = await stack.client.createCredential(
			'Hotel group',
			{
				baseUrl: stack.emulator.url,
				organizationId: 'agent-org',
				contexts: {
					context1: { name: 'Hotel Stockholm', contextId: 'agent-context', apiToken: TOKEN },
					context2: { name: 'Hotel Oslo', contextId: oslo.id, apiToken: oslo.token },
				},
				allowUnencryptedHttp: false,
			},
			'signInOrganizationApi',
		);
		await stack.client.createWorkflow(
			agentWorkflow('group agent e2e', path, openAiCredential, [
				{
					name: 'Whitelist Device',
					parameters: {
						authentication: 'signInOrganizationApi',
						context: { __rl: true, mode: 'id', value: "={{ $fromAI('property', 'The property: Hotel Stockholm or Hotel Oslo', 'string') }}" },
						resource: 'whitelisting',
						operation: 'create',
						mac: "={{ $fromAI('mac', 'MAC address of the device, e.g. AA:BB:CC:DD:EE:FF', 'string') }}",
						name: "={{ $fromAI('deviceName', 'Short name for the device', 'string') }}",
						additionalFields: { toDate: "={{ $fromAI('validUntil', 'Date (YYYY-MM-DD) from which the device is no longer admitted', 'string') }}" },
					},
					credentials: { signInOrganizationApi: { id: group, name: 'Hotel group' } },
				},
			]),
			true,
		);
	}, 60_000);

	it("gets a tool error listing the group's property names for a name it made up, then whitelists at the property it names", async () => {
		const { status, requests } = await ask(
			'Let the Oslo lobby printer AA:BB:CC:00:51:01 in',
			[
				{ tool: 'Whitelist_Device', arguments: { property: 'Hotel Paris', mac: 'AA:BB:CC:00:51:01', deviceName: 'Lobby printer', validUntil: VALID_UNTIL } },
				{ tool: 'Whitelist_Device', arguments: { property: 'hotel oslo', mac: 'AA:BB:CC:00:51:01', deviceName: 'Lobby printer', validUntil: VALID_UNTIL } },
				quoteResult,
			],
			path,
		);
		expect(status).toBe(200);
		expect(requests).toHaveLength(3);
		expect(requests[0].tools?.map((tool) => tool.function.parameters)).toEqual([
			expect.objectContaining({ properties: expect.objectContaining({ property: { type: 'string', description: 'The property: Hotel Stockholm or Hotel Oslo' } }) }),
		]);
		expect(JSON.parse(String(toolMessages(requests[1])[0]))).toEqual([
			{ error: '[item 0] Context "Hotel Paris" is not a Context of the credential, which holds "Hotel Stockholm" and "Hotel Oslo"' },
		]);
		const oslo = osloOf();
		expect(JSON.parse(String(toolMessages(requests[2])[1]))).toMatchObject([{ mac: 'AA:BB:CC:00:51:01', name: 'Lobby printer', signInContext: 'Hotel Oslo', signInContextId: oslo.id }]);
		expect(oslo.activeWhitelistings().filter((entry) => entry.mac === 'AA:BB:CC:00:51:01').map((entry) => entry.name)).toEqual(['Lobby printer']);
		expect(context.stack.emulator.activeWhitelistings().some((entry) => entry.mac === 'AA:BB:CC:00:51:01')).toBe(false);
		expect(context.stack.emulator.crossContextKeys).toEqual([]);
		for (const request of model.requests) expect(request.raw.toLowerCase()).not.toContain(oslo.token.toLowerCase());
	});
});
