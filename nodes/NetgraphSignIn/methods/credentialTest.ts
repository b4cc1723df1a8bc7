import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { credentialTestProblem } from '../transport/credentialTest';
import { contextNames, keyOf, readContexts, type GroupContext } from '../transport/contexts';
import { networkCode } from '../transport';

const TEST_TIMEOUT_MS = 15_000;

/** One Context's answer to the read the Context credential's test also sends; undefined when it works. */
async function problemOf(context: ICredentialTestFunctions, target: GroupContext, key: string): Promise<string | undefined> {
	try {
		const response = (await context.helpers.request({
			method: 'GET',
			uri: `${target.url}/modules/whitelistings/active`,
			headers: { Accept: 'application/json', 'x-auth-token': key },
			followRedirect: false,
			followAllRedirects: false,
			resolveWithFullResponse: true,
			simple: false,
			json: false,
			timeout: TEST_TIMEOUT_MS,
		})) as { statusCode: number };
		return credentialTestProblem(response.statusCode, 'API Key');
	} catch (error) {
		// Only the low-level code: the error itself carries the request, key included.
		const code = networkCode(error);
		return `Could not reach ${new URL(target.url).host}${code ? ` (${code})` : ''}. Check its Base URL and that this n8n server can reach that host.`;
	}
}

/**
 * The Sign-In Organization API credential's test: every Context, one after another, each with its
 * own key on its own address only. It names each Context that fails and why.
 */
export async function testOrganizationContexts(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const read = readContexts(data);
	if ('problem' in read) return { status: 'Error', message: `${read.problem.message}. ${read.problem.description}` };
	const failures = read.broken.map(({ problem }) => `${problem.message}. ${problem.description}`);
	for (const target of read.contexts) {
		const problem = await problemOf(this, target, keyOf(data, target));
		if (problem) failures.push(`${target.name}: ${problem}`);
	}
	const count = read.contexts.length + read.broken.length;
	if (failures.length === 0) {
		return { status: 'OK', message: `${count === 1 ? 'The Context answered' : `All ${count} Contexts answered`}: ${contextNames(read.contexts)}.` };
	}
	return { status: 'Error', message: `${failures.length} of ${count} ${count === 1 ? 'Context' : 'Contexts'} failed. ${failures.join(' ')}` };
}
