/**
 * End to end in n8n's queue mode (scripts/queue.ts: PostgreSQL, Redis, main, two workers, two
 * webhook processors): the front desk's tools over MCP (test/e2e/mcpScenarios.ts). n8n wants
 * every request of one MCP session to reach one process, since the session's transport (the SSE
 * stream, the Streamable HTTP session) lives in that process's memory; the client here talks to
 * the first webhook processor only, as a proxy routing /mcp/* to one replica would send it.
 * Tool calls still run on the workers: the webhook processor enqueues each call and answers the
 * client when the worker's result comes back over Redis.
 */
import { startQueueStack, startedExecutions, type QueueOptions, type QueueStack } from '../../scripts/queue';
import { useStack } from './drive';
import { mcpRuns, setUpMcp } from './mcpScenarios';
import { scenarioTests } from './scenarios';

// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- the local emulator's token for this test
const context = useStack<QueueOptions>('mcp-queue', { emulator: { token: 'mcp-queue-token-2e91aa', organizationId: 'mcp-org', contextId: 'mcp-context' } }, startQueueStack);

describe('Netgraph Sign-In tools over MCP in queue mode', () => {
	beforeAll(async () => await setUpMcp(context), 60_000);
	scenarioTests(mcpRuns, context);

	it('ran the tool calls on the workers, none on main or a webhook processor', () => {
		const queue = context.stack as QueueStack;
		expect(queue.workers.flatMap((worker) => startedExecutions(worker)).length).toBeGreaterThan(3);
		for (const n8n of [queue.main, ...queue.webhookProcessors]) expect(startedExecutions(n8n)).toEqual([]);
	});
});
