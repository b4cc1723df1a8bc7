/**
 * End to end: the front desk's Netgraph Sign-In tools served by n8n's MCP Server Trigger to a
 * real MCP client, in one n8n process against the emulator (test/e2e/mcpScenarios.ts).
 */
import { useStack } from './drive';
import { mcpRuns, setUpMcp } from './mcpScenarios';
import { scenarioTests } from './scenarios';

// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- the local emulator's token for this test
const context = useStack('mcp', { emulator: { token: 'mcp-e2e-token-51c7d0', organizationId: 'mcp-org', contextId: 'mcp-context' } });

describe('Netgraph Sign-In tools over MCP', () => {
	beforeAll(async () => await setUpMcp(context), 60_000);
	scenarioTests(mcpRuns, context);
});
