/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev code, never published: n8n Cloud's sandbox rules are for the package */
/**
 * End to end in n8n's queue mode: PostgreSQL, Redis, one main process, two workers and two
 * webhook processors (scripts/queue.ts), each with the package installed from its tarball.
 * Production webhooks reach the webhook processors, executions run on the workers.
 */
import { readFileSync } from 'fs';

import { startQueueStack, type QueueOptions, type QueueStack } from '../../scripts/queue';
import { useStack } from './drive';
import { exampleRuns, scenarioTests } from './scenarios';

// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- the local emulator's token for this test
const TOKEN = 'queue-e2e-emulator-token-8f2b61';
const context = useStack<QueueOptions>('queue-e2e', { emulator: { token: TOKEN, organizationId: 'queue-org', contextId: 'queue-context', webhookRetryScale: 0.0005, webhookTimeoutMs: 5000 } }, startQueueStack);
const queue = () => context.stack as QueueStack;
const logOf = (file: string) => readFileSync(file, 'utf8');

/** For each execution id, the names of the processes whose log says they ran it ("Worker started execution N"). */
function whereRan(ids: string[]): Record<string, string[]> {
	const stack = queue();
	const processes = stack.processes().map((n8n) => ({ name: n8n.logFile.split('/').pop()!.replace('.log', ''), log: logOf(n8n.logFile) }));
	return Object.fromEntries(ids.map((id) => [id, processes.filter(({ log }) => log.includes(`Worker started execution ${id} (job`)).map(({ name }) => name)]));
}

describe('example workflows in queue mode', () => {
	scenarioTests(exampleRuns, context);

	it('every execution ran on exactly one worker, none on main or a webhook processor', async () => {
		const { client } = queue();
		const workflows = (await client.api<{ data: Array<{ id: string }> }>('GET', '/workflows?limit=250')).data;
		const ids = (await Promise.all(workflows.map((workflow) => client.executions(workflow.id)))).flat().map((execution) => String(execution.id));
		expect(ids.length).toBeGreaterThan(3);
		const ran = whereRan(ids);
		for (const id of ids) expect([id, ran[id]]).toEqual([id, [expect.stringMatching(/^worker-\d$/)]]);
	});
});
