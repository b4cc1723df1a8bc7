/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev code, never published: n8n Cloud's sandbox rules are for the package */
/**
 * End to end: a real n8n (installed into .cache on first use) with this package loaded, driving
 * the local Sign-In emulator. Both run on free loopback ports and are stopped by process id.
 */
import { readFileSync } from 'fs';

import { SignInEmulator } from '../../emulator/server';
import { emulatorCredential, type Stack } from '../../scripts/stack';
import { operationWorkflows, useStack } from './drive';
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

/** The workflow's one execution once n8n has stored it finished, as the public API and the editor's REST route give it. */
async function finishedExecution(stack: Stack, workflowId: string, count = 1): Promise<{ execution: Record<string, unknown>; whole: string }> {
	for (let waited = 0; ; waited += 250) {
		const executions = await stack.client.executions(workflowId);
		const done = executions.filter((execution) => execution.status !== 'running' && execution.status !== 'new');
		if (done.length >= count || waited > 20_000) {
			const [execution] = done.sort((a, b) => Number(b.id) - Number(a.id));
			const rest = await stack.client.rest<unknown>('GET', `/executions/${String(execution.id)}`);
			return { execution, whole: JSON.stringify(executions) + JSON.stringify(rest) };
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

const errorOf = (execution: Record<string, unknown>) =>
	(execution.data as { resultData: { error: { message: string; description: string } } }).resultData.error;

/** The execution failed with `message`, and neither it (whole, serialised) nor n8n's log holds the token. */
async function expectFailedWithoutToken(stack: Stack, workflowId: string, message: string, count = 1): Promise<{ message: string; description: string }> {
	const { execution, whole } = await finishedExecution(stack, workflowId, count);
	expect(execution.status).toBe('error');
	expect(errorOf(execution).message).toBe(message);
	expect(whole).not.toContain(TOKEN);
	expect(readFileSync(stack.n8n.logFile, 'utf8')).not.toContain(TOKEN);
	return errorOf(execution);
}

describe('hostile endpoints inside n8n', () => {
	it('a Base URL that redirects (307, 301) to a second server: Get Many, User Delete and the credential test fail naming it, and the second server receives nothing', async () => {
		const { stack } = context;
		const { organizationId, contextId } = stack.emulator.options;
		const target = new SignInEmulator({ token: TOKEN, organizationId, contextId, seed: { users: { 'room-303': { password: 'Kept-1', createdAt: '', updatedAt: '' } } } });
		await target.start();
		const redirector = new SignInEmulator({ token: TOKEN, organizationId, contextId, redirectTo: target.url, faultRates: { '307': 1 } });
		await redirector.start();
		try {
			const credentialId = await stack.client.createCredential('redirecting Base URL', emulatorCredential(redirector));
			const workflow = operationWorkflows(stack, credentialId);
			const list = await workflow({ resource: 'whitelisting', operation: 'getAll', returnAll: true });
			const remove = await workflow({ resource: 'user', operation: 'delete', username: 'room-303' });
			for (const [status, label] of [
				[307, 'Temporary Redirect'],
				[301, 'Moved Permanently'],
			] as const) {
				redirector.options.faultRates = { [String(status)]: 1 };
				const runs = status === 307 ? 1 : 2;
				const message = `The Sign-In API at ${redirector.url} answered ${status} ${label}, pointing to ${target.url}`;
				expect((await list.run([{}])).status).toBe(500);
				const listed = await expectFailedWithoutToken(stack, list.id, message, runs);
				expect(listed.description).toContain(`This node never follows redirects: nothing, and not the API token, was sent to ${target.url}.`);
				expect((await remove.run([{}])).status).toBe(500);
				await expectFailedWithoutToken(stack, remove.id, message, runs);
				expect(await stack.client.testCredential(credentialId)).toEqual({
					status: 'Error',
					message: `The Base URL answered with a redirect (${status}). Redirects are never followed, so the API token was not sent to the address it pointed to. Enter the address of the Sign-In API itself in Base URL: the API base URL from the dashboard instructions, as it is, with https://.`,
				});
			}
			expect(target.requests).toEqual([]);
			expect(redirector.requests.map((request) => [request.method, request.status])).toEqual([
				...[['GET', 307], ['DELETE', 307], ['GET', 307]],
				...[['GET', 301], ['DELETE', 301], ['GET', 301]],
			]);
			expect(target.store.state.users['room-303']).toEqual({ password: 'Kept-1', createdAt: '', updatedAt: '' });
		} finally {
			await redirector.stop();
			await target.stop();
		}
	});

	it('Create over an older account after a lost answer fails (an error item with Continue On Fail), changes no password and sends no Update', async () => {
		const { stack, operationWorkflow } = context;
		stack.emulator.store.state.users['room-101'] = { password: 'Older-Guest-1', createdAt: '', updatedAt: '' };
		const message = 'The account room-101 already exists, and this run cannot tell whether it created it';
		const parameters = { resource: 'user', operation: 'create', username: '={{ $json.username }}', passwordMode: 'define', password: 'New-Guest-1', requestOptions: { initialDelayMs: 0 } };
		const before = stack.emulator.requests.length;

		stack.emulator.planFaults([{ fault: '503', phase: 'before', pathSuffix: '/modules/up/create' }]);
		const create = await operationWorkflow(parameters);
		expect((await create.run([{ username: 'room-101' }])).status).toBe(500);
		const error = await expectFailedWithoutToken(stack, create.id, message);
		expect(error.description).toContain('No password was changed. To set this item\'s password anyway, use User > Create or Update');

		// room-102 is sent alongside (Concurrency Auto): the lost answer is room-101's.
		stack.emulator.planFaults([{ fault: 'reset', phase: 'before', pathSuffix: '/modules/up/create', bodyIncludes: '"room-101"' }]);
		const tolerant = await operationWorkflow(parameters, { continueOnFail: true });
		const answer = await tolerant.run([{ username: 'room-101' }, { username: 'room-102' }]);
		expect(answer.body).toEqual([
			{ error: message, description: expect.stringContaining('No password was changed.') },
			{ username: 'room-102', passwordGenerated: false },
		]);
		const { execution, whole } = await finishedExecution(stack, tolerant.id);
		expect(execution.status).toBe('success');
		expect(whole).not.toContain(TOKEN);

		expect(stack.emulator.store.state.users['room-101'].password).toBe('Older-Guest-1');
		// Concurrency Auto sends room-102 alongside room-101's retries: the order per account is fixed.
		const sent = stack.emulator.requests.slice(before).map((request) => [(request.body as { username?: string }).username, request.method, request.path.replace(stack.emulator.contextPath, ''), request.status]);
		expect(sent.filter(([username]) => username === 'room-101')).toEqual([
			['room-101', 'POST', '/modules/up/create', 503],
			['room-101', 'POST', '/modules/up/create', 400],
			['room-101', 'POST', '/modules/up/create', 0],
			['room-101', 'POST', '/modules/up/create', 400],
		]);
		expect(sent.filter(([username]) => username !== 'room-101')).toEqual([['room-102', 'POST', '/modules/up/create', 200]]);
		expect(readFileSync(stack.n8n.logFile, 'utf8')).not.toContain(TOKEN);
	});

	it('Delete with Succeed If Not Found through a wrong Base URL (404, empty and HTML) fails with "check the Base URL" and the user stays', async () => {
		const { stack } = context;
		stack.emulator.store.state.users['room-202'] = { password: 'Staying-1', createdAt: '', updatedAt: '' };
		const credentialId = await stack.client.createCredential('wrong Base URL path', emulatorCredential(stack.emulator, { baseUrl: `${stack.emulator.url}/not-the-api/` }));
		const remove = await operationWorkflows(stack, credentialId)({ resource: 'user', operation: 'delete', username: 'room-202', options: { succeedIfNotFound: true } });
		const before = stack.emulator.requests.length;
		try {
			for (const [html, runs] of [
				[false, 1],
				[true, 2],
			] as const) {
				stack.emulator.options.notFoundHtml = html;
				expect((await remove.run([{}])).status).toBe(500);
				const error = await expectFailedWithoutToken(stack, remove.id, 'The Sign-In API has no such endpoint (404 Not Found)', runs);
				expect(error.description).toContain('Check the Base URL in the Sign-In Context API credential');
				if (html) expect(error.description).toContain('The answer was an HTML page, not JSON');
			}
		} finally {
			stack.emulator.options.notFoundHtml = false;
		}
		expect(stack.emulator.requests.slice(before).map((request) => [request.method, request.path, request.status])).toEqual([
			['DELETE', `/not-the-api${stack.emulator.contextPath}/modules/up/delete`, 404],
			['DELETE', `/not-the-api${stack.emulator.contextPath}/modules/up/delete`, 404],
		]);
		expect(stack.emulator.store.state.users['room-202']).toEqual({ password: 'Staying-1', createdAt: '', updatedAt: '' });
	});
});

describe('secrets', () => {
	scenarioTests(secretRuns, context);
});
