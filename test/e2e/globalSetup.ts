/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev code, never published: n8n Cloud's sandbox rules are for the package */
/**
 * Before the first end-to-end suite: what the chosen suites install on first use (n8n 2.41.1
 * and 1.123.81 with their Node, Chromium, PostgreSQL and Redis) is installed here, outside every
 * test's and hook's time limit. On a busy machine the n8n installs alone once took 19 minutes,
 * more than the 20 minutes the first suite's setup may take with its n8n start.
 */
import type { Config } from '@jest/types';

import { ensureChromium } from '../../scripts/chromium';
import { N8N_1X_VERSION, N8N_VERSION, ensureN8n } from '../../scripts/n8n';
import { ensureQueueServices } from '../../scripts/queue';

export default async function globalSetup(globalConfig: Config.GlobalConfig): Promise<void> {
	const log = (line: string) => process.stdout.write(`${line}\n`);
	const pattern = globalConfig.testPathPattern ? new RegExp(globalConfig.testPathPattern, 'i') : undefined;
	/** Whether one of `suites` (file names in test/e2e) runs: all do when no path was given. */
	const runs = (...suites: string[]) => !pattern || suites.some((suite) => pattern.test(`test/e2e/${suite}.e2e.test.ts`));
	if (runs('agent', 'dev', 'editor', 'mcp', 'mcpQueue', 'n8n', 'queue', 'trigger', 'engines', 'upgrade')) await ensureN8n(log, N8N_VERSION);
	if (runs('compat', 'upgrade')) await ensureN8n(log, N8N_1X_VERSION);
	if (runs('editor')) ensureChromium(log);
	if (runs('queue', 'mcpQueue')) await ensureQueueServices(log);
}
