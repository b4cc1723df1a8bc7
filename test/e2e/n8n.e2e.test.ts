/**
 * End to end: a real n8n (installed into .cache on first use) with this package loaded, driving
 * the local Sign-In emulator. Both run on free loopback ports and are stopped by process id.
 */
import { useStack } from './drive';
import { credentialTests, exampleRuns, failureRuns, operationRuns, scenarioTests, secretRuns } from './scenarios';

// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- the local emulator's token for this test
const TOKEN = 'e2e-emulator-token-5c1d9a';
const context = useStack('e2e', { emulator: { token: TOKEN, organizationId: 'e2e-org', contextId: 'e2e-context' } });

describe('credential test through n8n', () => {
	scenarioTests(credentialTests, context);
});

describe('every operation inside n8n', () => {
	scenarioTests(operationRuns, context);
});

describe('failures inside n8n', () => {
	scenarioTests(failureRuns, context);
});

describe('example workflows', () => {
	scenarioTests(exampleRuns, context);
});

describe('secrets', () => {
	scenarioTests(secretRuns, context);
});
