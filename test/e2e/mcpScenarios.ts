/* eslint-disable @n8n/community-nodes/no-restricted-globals -- dev code, never published: n8n Cloud's sandbox rules are for the package */
/**
 * The front desk over MCP (examples/front-desk-mcp.json), driven by a real MCP client
 * (@modelcontextprotocol/sdk) as an AI client outside n8n would: shared by the single-process
 * and the queue-mode suites. Each suite's client talks to one process: `webhookUrls[0]`.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

import { connectMcp, mcpUrl, toolText, type McpTransport } from '../../scripts/mcp';
import { CREDENTIAL_NAME, FRONT_DESK_MCP_TOKEN, MCP_CREDENTIAL_NAME, MCP_TRIGGER_TYPE, NODE_TYPE, NODE_VERSION, loadWorkflow } from '../../scripts/stack';
import type { E2eContext } from './drive';

const TOOL_TYPE = `${NODE_TYPE}Tool`;
/** A second MCP server in the tests, offering destructive tools as a builder might wire them carelessly: every field from the model. */
const ADMIN_PATH = 'front-desk-admin';

/** Waits until n8n serves the MCP trigger's production URL (before that it answers 404; then the missing token's 401). */
async function untilServing(url: string): Promise<void> {
	for (let waited = 0; waited < 20_000; waited += 250) {
		const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => undefined);
		await response?.text();
		if (response && response.status !== 404) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`${url} was not served within 20 s`);
}

/** The IDs of the two MCP workflows of the suite running. */
const workflowIds: string[] = [];

/** Imports the front desk MCP example and an admin MCP server with destructive tools, publishes both and waits until they serve. */
export async function setUpMcp(context: E2eContext): Promise<void> {
	const { stack, credentialId } = context;
	workflowIds.length = 0;
	const httpBearerAuth = await stack.client.createCredential(MCP_CREDENTIAL_NAME, { token: FRONT_DESK_MCP_TOKEN }, 'httpBearerAuth');
	workflowIds.push(await stack.client.createWorkflow(loadWorkflow('front-desk-mcp.json', { signInContextApi: credentialId, httpBearerAuth }), true));
	const tool = (name: string, parameters: Record<string, unknown>, index: number) => ({
		id: `admin-tool-${index}`,
		name,
		type: TOOL_TYPE,
		typeVersion: NODE_VERSION,
		position: [index * 200, 300],
		parameters,
		credentials: { signInContextApi: { id: credentialId, name: CREDENTIAL_NAME } },
	});
	const tools = [
		tool('Revoke Devices', { resource: 'whitelisting', operation: 'revokeMany', macs: "={{ $fromAI('macs', 'MAC addresses of the devices to revoke', 'json') }}" }, 0),
		tool(
			'Sync Devices',
			{
				resource: 'whitelisting',
				operation: 'sync',
				scope: 'all',
				mode: "={{ $fromAI('mode', 'preview or apply', 'string') }}",
				mac: "={{ $fromAI('mac', 'MAC address of the one device to keep', 'string') }}",
				name: "={{ $fromAI('deviceName', 'Name of that device', 'string') }}",
				options: { maxShare: 100 },
			},
			1,
		),
	];
	const admin = await stack.client.createWorkflow(
		{
			name: 'front desk admin MCP',
			nodes: [
				{ id: 'admin-mcp', name: 'Admin MCP', type: MCP_TRIGGER_TYPE, typeVersion: 2, position: [0, 0], webhookId: 'admin-mcp-hook', parameters: { authentication: 'bearerAuth', path: ADMIN_PATH }, credentials: { httpBearerAuth: { id: httpBearerAuth, name: MCP_CREDENTIAL_NAME } } },
				...tools,
			],
			connections: Object.fromEntries(tools.map((node) => [node.name, { ai_tool: [[{ node: 'Admin MCP', type: 'ai_tool', index: 0 }]] }])),
			settings: { executionOrder: 'v1' },
		},
		true,
	);
	workflowIds.push(admin);
	for (const base of stack.client.webhookUrls) {
		await untilServing(mcpUrl(base));
		await untilServing(mcpUrl(base, ADMIN_PATH));
	}
}

async function withClient<T>(context: E2eContext, run: (client: Client) => Promise<T>, path?: string, transport?: McpTransport): Promise<T> {
	const client = await connectMcp(mcpUrl(context.stack.client.webhookUrls[0], path), FRONT_DESK_MCP_TOKEN, transport);
	try {
		return await run(client);
	} finally {
		await client.close();
	}
}

const schema = (properties: Record<string, string>) => ({
	type: 'object',
	properties: Object.fromEntries(Object.entries(properties).map(([key, description]) => [key, { type: 'string', description }])),
	required: Object.keys(properties),
	// n8n 2.41's MCP Server Trigger lists the $fromAI schema open to more keys (the AI Agent's closes it); n8n drops unknown keys.
	additionalProperties: true,
	$schema: 'https://json-schema.org/draft/2020-12/schema',
});

/** What a model sees of the front desk's tools over MCP: names, the same descriptions as in the AI Agent (test/actions/toolText.test.ts), the $fromAI fields. */
export const FRONT_DESK_TOOLS = [
	{
		name: 'Create_or_Update_Guest_Account',
		description: 'Create a user or set its password in Netgraph Sign-In',
		inputSchema: schema({ username: 'Username of the guest Wi-Fi account: room-<number>, e.g. room-214 (this tool changes only room-* accounts)' }),
	},
	{
		name: 'Look_Up_Device',
		description: 'Get many whitelisted devices in Netgraph Sign-In',
		inputSchema: schema({ mac: 'MAC address of the device to look up, e.g. AA:BB:CC:DD:EE:FF' }),
	},
	{
		name: 'Whitelist_Device_Until_Check-Out',
		description: 'Whitelist a device by MAC address in Netgraph Sign-In',
		inputSchema: schema({
			mac: 'MAC address of the device, e.g. AA:BB:CC:DD:EE:FF',
			deviceName: 'Short name for the device, e.g. Room 214 TV: 2-100 letters, digits, spaces or & , . -',
			validUntil: 'Check-out date (YYYY-MM-DD), at most 30 days ahead: from this day on the device is no longer admitted',
		}),
	},
];

/** The date `days` after today in UTC: the front desk's Whitelist tool allows a Valid Until at most 30 days ahead. */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const parsed = (result: unknown) => JSON.parse(toolText(result)) as unknown;

/**
 * The text n8n 2.41 hands an MCP client for a tool's error. In one process: the error's name and
 * message, and its description after "Details:" unless the message holds it. In queue mode, where
 * a worker runs the tool: only the name and message, as JSON.
 */
function errorText(context: E2eContext, message: string, description: string): string {
	if ('workers' in context.stack) return JSON.stringify({ error: { message, name: 'NodeOperationError' } });
	return `NodeOperationError: ${message}${message.includes(description) ? '' : `\n\nDetails: ${description}`}`;
}

export const mcpRuns: Record<string, (context: E2eContext) => Promise<void>> = {
	'lists the front desk tools with names, descriptions and input schemas as a model sees them (Streamable HTTP and SSE)': async (context) => {
		for (const transport of ['streamableHttp', 'sse'] as const) {
			const { tools } = await withClient(context, async (client) => await client.listTools(), undefined, transport);
			expect([transport, [...tools].sort((a, b) => a.name.localeCompare(b.name))]).toEqual([transport, FRONT_DESK_TOOLS]);
		}
	},

	'Create or Update gives a guest an account and hands out its password; a second call replaces the password': async (context) => {
		const { users } = context.stack.emulator.store.state;
		const first = await withClient(context, async (client) => await client.callTool({ name: 'Create_or_Update_Guest_Account', arguments: { username: 'room-301' } }));
		expect(first.isError).toBeFalsy();
		const password = users['room-301'].password;
		expect(password).toHaveLength(10);
		expect(parsed(first)).toEqual([{ username: 'room-301', password, passwordGenerated: true, created: true }]);
		const second = await withClient(context, async (client) => await client.callTool({ name: 'Create_or_Update_Guest_Account', arguments: { username: 'room-301' } }));
		expect(users['room-301'].password).not.toBe(password);
		expect(parsed(second)).toEqual([{ username: 'room-301', password: users['room-301'].password, passwordGenerated: true, created: false }]);
	},

	'whitelists a device until check-out and looks it up': async (context) => {
		const { emulator } = context.stack;
		const result = await withClient(context, async (client) => {
			const created = await client.callTool({ name: 'Whitelist_Device_Until_Check-Out', arguments: { mac: 'aa-bb-cc-03-01-01', deviceName: 'Room 301 TV', validUntil: inDays(30) } });
			const found = await client.callTool({ name: 'Look_Up_Device', arguments: { mac: 'AA:BB:CC:03:01:01' } });
			return { created, found };
		});
		expect(emulator.activeWhitelistings().find((entry) => entry.mac === 'AA:BB:CC:03:01:01')).toMatchObject({ name: 'Room 301 TV', toDate: inDays(30) });
		expect(parsed(result.created)).toMatchObject([{ mac: 'AA:BB:CC:03:01:01', name: 'Room 301 TV', toDate: inDays(30) }]);
		expect(parsed(result.found)).toMatchObject([{ mac: 'AA:BB:CC:03:01:01', name: 'Room 301 TV', toDate: inDays(30) }]);
	},

	'hands an invalid MAC to the client as a tool error naming field, value and rule; nothing is created': async (context) => {
		const before = context.stack.emulator.store.state.whitelistings.length;
		const result = await withClient(context, async (client) => await client.callTool({ name: 'Whitelist_Device_Until_Check-Out', arguments: { mac: '12345', deviceName: 'Bad', validUntil: inDays(3) } }));
		expect({ isError: result.isError, text: toolText(result) }).toEqual({
			isError: true,
			text: errorText(
				context,
				'[item 0] MAC Address "12345" must be six pairs of hex digits, e.g. AA:BB:CC:DD:EE:FF, AA-BB-CC-DD-EE-FF, aabbccddeeff or aabb.ccdd.eeff',
				'Correct the MAC Address of item 0 and run again. Nothing was sent for this item.',
			),
		});
		expect(context.stack.emulator.store.state.whitelistings.length).toBe(before);
	},

	"cannot touch a staff account nor whitelist a device for good: a password reset for staff-anna and a device with no date are refused with what to do instead; nothing reaches the API": async (context) => {
		const { emulator } = context.stack;
		// The staff account of the emulator's seed (emulator/seed.json), copied: an update would change the stored record.
		const staff = { ...emulator.store.state.users['staff-anna'] };
		expect(Object.keys(staff)).toEqual(['password', 'createdAt', 'updatedAt']);
		const whitelist = JSON.stringify(emulator.store.state.whitelistings);
		const requests = emulator.requests.length;
		const { reset, undated, tooLate } = await withClient(context, async (client) => ({
			reset: await client.callTool({ name: 'Create_or_Update_Guest_Account', arguments: { username: 'staff-anna' } }),
			undated: await client.callTool({ name: 'Whitelist_Device_Until_Check-Out', arguments: { mac: 'AA:BB:CC:03:03:01', deviceName: 'Staff laptop', validUntil: '' } }),
			tooLate: await client.callTool({ name: 'Whitelist_Device_Until_Check-Out', arguments: { mac: 'AA:BB:CC:03:03:01', deviceName: 'Staff laptop', validUntil: '2099-03-02' } }),
		}));
		const outside =
			'Nothing was changed. Call again only with a username matching room-*; any other account, a staff account say, is handled by a person in n8n or the Sign-In admin.';
		expect({ isError: reset.isError, text: toolText(reset) }).toEqual({
			isError: true,
			text: errorText(context, `Username "staff-anna" is outside the accounts this tool may create or set the password of (room-*). ${outside}`, outside),
		});
		const ask = 'ask the person you assist for the check-out date; a person whitelists a device for longer in n8n or the Sign-In admin.';
		const dated = `Nothing was sent. Call again with Valid Until (YYYY-MM-DD) no later than ${inDays(30)}; ${ask}`;
		expect({ isError: undated.isError, text: toolText(undated) }).toEqual({
			isError: true,
			text: errorText(context, `Valid Until is required in a tool call: a tool never whitelists a device permanently. ${dated}`, dated),
		});
		const sooner = `Nothing was sent. Call again with Valid Until no later than ${inDays(30)}; ${ask}`;
		expect({ isError: tooLate.isError, text: toolText(tooLate) }).toEqual({
			isError: true,
			text: errorText(context, `Valid Until 2099-03-02 is more than 30 days ahead: the latest this tool may set is ${inDays(30)}. ${sooner}`, sooner),
		});
		expect(emulator.store.state.users['staff-anna']).toEqual(staff);
		expect(JSON.stringify(emulator.store.state.whitelistings)).toBe(whitelist);
		expect(emulator.requests.slice(requests)).toEqual([]);
	},

	'refuses a missing or wrong token before any MCP exchange': async (context) => {
		const url = mcpUrl(context.stack.client.webhookUrls[0]);
		const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'probe', version: '1' } } };
		const post = async (headers: Record<string, string>) => {
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(initialize) });
			return [response.status, await response.text()];
		};
		// n8n's Bearer Auth answers a missing header as it answers a wrong token.
		expect(await post({})).toEqual([403, 'Authorization data is wrong!']);
		expect(await post({ authorization: 'Bearer wrong-token' })).toEqual([403, 'Authorization data is wrong!']);
		expect(await post({ authorization: FRONT_DESK_MCP_TOKEN })).toEqual([403, 'Authorization data is wrong!']);
		const refused = 'Streamable HTTP error: Error POSTing to endpoint: Authorization data is wrong!';
		await expect(connectMcp(url, 'wrong-token')).rejects.toThrow(refused);
		await expect(connectMcp(url, undefined)).rejects.toThrow(refused);
		await expect(connectMcp(url, 'wrong-token', 'sse')).rejects.toThrow('SSE error: Non-200 status code (403)');
	},

	'a destructive tool cannot do harm by one call: 11 MAC addresses, or Apply chosen by the model, are refused with what to do instead': async (context) => {
		const { emulator } = context.stack;
		const macs = Array.from({ length: 11 }, (_, n) => `AA:BB:CC:03:02:${String(n).padStart(2, '0')}`);
		for (const mac of macs) emulator.store.state.whitelistings.push({ id: `mcp-${mac}`, mac, name: 'Seeded', description: null, toDate: null, tags: [], createdBy: null });
		const active = emulator.activeWhitelistings().length;
		const { revoke, sync, preview } = await withClient(
			context,
			async (client) => ({
				revoke: await client.callTool({ name: 'Revoke_Devices', arguments: { macs } }),
				sync: await client.callTool({ name: 'Sync_Devices', arguments: { mode: 'apply', mac: macs[0], deviceName: 'Kept' } }),
				preview: await client.callTool({ name: 'Sync_Devices', arguments: { mode: 'preview', mac: macs[0], deviceName: 'Kept' } }),
			}),
			ADMIN_PATH,
		);
		const tooMany = 'Nothing was sent. Confirm the list with the person you assist, then call again with at most 10 at a time.';
		expect({ isError: revoke.isError, text: toolText(revoke) }).toEqual({
			isError: true,
			text: errorText(context, `One tool call may revoke at most 10 MAC addresses; this call names 11. ${tooMany}`, tooMany),
		});
		const previewOnly =
			'Nothing was changed. Call again with Mode Preview to get the plan, and show its summary and planId to the person you assist; a person approves it in n8n, and the workflow applies it. To add or remove single entries, use a tool that adds or removes them one by one.';
		expect({ isError: sync.isError, text: toolText(sync) }).toEqual({
			isError: true,
			text: errorText(context, `Whitelisting Sync may only preview in a tool call: Apply is not fixed in the Mode of this tool, and its builder supplies no Approved Plan ID. ${previewOnly}`, previewOnly),
		});
		expect(emulator.activeWhitelistings()).toHaveLength(active);
		const plan = (parsed(preview) as Array<Record<string, unknown>>).at(-1);
		expect(plan).toMatchObject({ status: 'plan', revokes: active - 1 });
	},

	'never lets the MCP token or the API token into the execution data': async (context) => {
		const { stack } = context;
		const executions = (await Promise.all(workflowIds.map(async (id) => await stack.client.executions(id)))).flat();
		expect(executions.length).toBeGreaterThan(5);
		const stored = JSON.stringify(executions);
		expect(stored).not.toContain(FRONT_DESK_MCP_TOKEN);
		expect(stored).not.toContain(stack.emulator.options.token);
	},
};
