/**
 * End to end in n8n's queue mode (scripts/queue.ts: PostgreSQL, Redis, main, two workers, two
 * webhook processors): the front desk's tools over MCP (test/e2e/mcpScenarios.ts), the client
 * talking to the first webhook processor only, as a proxy routing /mcp/* to one replica would send
 * it (n8n's docs ask for that with several webhook replicas). Tool calls still run on the workers:
 * the webhook processor enqueues each call and answers the client when the worker's result comes
 * back over Redis. Without that routing, n8n 2.41.1 takes a Streamable HTTP session up on another
 * processor (the session is in Redis), but an SSE session breaks: its stream lives in one process.
 */
import { connectMcp, mcpUrl, toolText } from '../../scripts/mcp';
import { startQueueStack, startedExecutions, type QueueOptions, type QueueStack } from '../../scripts/queue';
import { FRONT_DESK_MCP_TOKEN } from '../../scripts/stack';
import { useStack } from './drive';
import { FRONT_DESK_TOOLS, mcpRuns, setUpMcp } from './mcpScenarios';
import { scenarioTests } from './scenarios';

// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- the local emulator's token for this test
const context = useStack<QueueOptions>('mcp-queue', { emulator: { token: 'mcp-queue-token-2e91aa', organizationId: 'mcp-org', contextId: 'mcp-context' } }, startQueueStack);

beforeAll(async () => await setUpMcp(context), 60_000);

describe('Netgraph Sign-In tools over MCP in queue mode', () => {
	scenarioTests(mcpRuns, context);

	it('ran the tool calls on the workers, none on main or a webhook processor', () => {
		const queue = context.stack as QueueStack;
		expect(queue.workers.flatMap((worker) => startedExecutions(worker)).length).toBeGreaterThan(3);
		for (const n8n of [queue.main, ...queue.webhookProcessors]) expect(startedExecutions(n8n)).toEqual([]);
	});
});

/** A fetch that sends each request to the next of `bases` in turn, as a load balancer without sticky sessions would. */
function roundRobin(bases: string[]): { fetch: typeof fetch; hosts: string[] } {
	const hosts: string[] = [];
	const send = async (input: string | URL | Request, init?: RequestInit) => {
		const url = new URL(String(input instanceof Request ? input.url : input));
		url.host = new URL(bases[hosts.length % bases.length]).host;
		hosts.push(url.host);
		return await fetch(url, init);
	};
	return { fetch: send as typeof fetch, hosts };
}

describe('one MCP session spread over both webhook processors (no sticky routing)', () => {
	it('Streamable HTTP copes: another processor takes the session up from Redis; the tools are listed and a guest account is created', async () => {
		const { stack } = context;
		const spread = roundRobin(stack.client.webhookUrls);
		const client = await connectMcp(mcpUrl(stack.client.webhookUrls[0]), FRONT_DESK_MCP_TOKEN, 'streamableHttp', spread.fetch);
		try {
			const { tools } = await client.listTools();
			expect(tools.map((tool) => tool.name).sort()).toEqual(FRONT_DESK_TOOLS.map((tool) => tool.name));
			const result = await client.callTool({ name: 'Create_or_Update_Guest_Account', arguments: { username: 'room-401' } });
			expect(JSON.parse(toolText(result))).toEqual([{ username: 'room-401', password: stack.emulator.store.state.users['room-401'].password, passwordGenerated: true, created: true }]);
		} finally {
			await client.close();
		}
		expect(new Set(spread.hosts).size).toBe(2);
	});

	it('SSE breaks: the stream lives in the processor that opened it, and the other refuses the session\'s first message', async () => {
		const spread = roundRobin(context.stack.client.webhookUrls);
		await expect(connectMcp(mcpUrl(context.stack.client.webhookUrls[0]), FRONT_DESK_MCP_TOKEN, 'sse', spread.fetch)).rejects.toThrow(
			'Error POSTing to endpoint (HTTP 401): No transport found for sessionId',
		);
		expect(spread.hosts.map((host) => context.stack.client.webhookUrls.findIndex((base) => base.includes(host)))).toEqual([0, 1]);
	});
});
