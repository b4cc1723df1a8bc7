import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { credentialTestProblem } from '../../shared/credentialTestTexts';
import { keyOf, readOrganizationContexts } from '../../shared/organizationContexts';
import { contextNames, type SignInContext } from '../../shared/signInContext';
import { TIMEOUT_CODES, networkCode } from '../transport';

/**
 * How the organisation credential's test checks its Contexts. n8n sets no time limit on the
 * editor's credential-test request (the editor's REST client sets no timeout, n8n's
 * CredentialsTester none, its HTTP server none), but the user waits on it and a reverse proxy in
 * front of n8n usually cuts a request off (nginx's proxy_read_timeout defaults to 60 seconds):
 * the whole test stays at half of that. Contexts are checked a few at a time, not all 50 at once,
 * so that the test itself stays far below any limit the Organization's API may have.
 */
export interface CheckBounds {
	/** Contexts checked side by side. */
	atOnce: number;
	/** The longest one Context's answer is awaited. */
	perContextMs: number;
	/** The longest the whole test takes; what has not answered by then is named as such. */
	overallMs: number;
}

export const CHECK_BOUNDS: CheckBounds = { atOnce: 10, perContextMs: 15_000, overallMs: 30_000 };

/** What one Context's check found: working, a problem to name, or no answer in time. */
type Outcome = { problem?: string } | 'no answer';

/** One Context's answer to the read the Context credential's test also sends. */
async function check(tester: ICredentialTestFunctions, target: SignInContext, key: string, timeout: number): Promise<Outcome> {
	try {
		const response = (await tester.helpers.request({
			method: 'GET',
			uri: `${target.url}/modules/whitelistings/active`,
			headers: { Accept: 'application/json', 'x-auth-token': key },
			followRedirect: false,
			followAllRedirects: false,
			resolveWithFullResponse: true,
			simple: false,
			json: false,
			timeout,
		})) as { statusCode: number };
		return { problem: credentialTestProblem(response.statusCode, 'API Key') };
	} catch (error) {
		// Only the low-level code: the error itself carries the request, key included.
		const code = networkCode(error);
		if (code !== undefined && TIMEOUT_CODES.has(code)) return 'no answer';
		return { problem: `Could not reach ${new URL(target.url).host}${code ? ` (${code})` : ''}. Check its Base URL and that this n8n server can reach that host.` };
	}
}

/**
 * Checks the Contexts side by side, `bounds.atOnce` at a time, each with its own key on its own
 * address only, and returns when all have answered or `bounds.overallMs` has passed, whichever
 * comes first. A Context missing from the result was not checked (or not answered) in time.
 */
async function checkWithin(
	tester: ICredentialTestFunctions,
	data: Record<string, unknown>,
	contexts: SignInContext[],
	bounds: CheckBounds,
): Promise<{ outcomes: Map<SignInContext, Outcome>; started: Set<SignInContext> }> {
	const deadline = Date.now() + bounds.overallMs;
	const outcomes = new Map<SignInContext, Outcome>();
	const started = new Set<SignInContext>();
	let next = 0;
	const worker = async () => {
		while (next < contexts.length && Date.now() < deadline) {
			const target = contexts[next++];
			started.add(target);
			outcomes.set(target, await check(tester, target, keyOf(data, target), bounds.perContextMs));
		}
	};
	// An unreferenced timer: it ends the wait at the bound, and never keeps n8n's process waiting.
	const timeUp = AbortSignal.timeout(bounds.overallMs);
	await Promise.race([
		Promise.all(Array.from({ length: Math.min(bounds.atOnce, contexts.length) }, worker)),
		new Promise((resolve) => timeUp.addEventListener('abort', resolve, { once: true })),
	]);
	// Answers that come after the bound are not waited for, and not reported.
	return { outcomes: new Map(outcomes), started: new Set(started) };
}

function seconds(ms: number): string {
	const value = Math.round(ms / 100) / 10;
	return `${value} second${value === 1 ? '' : 's'}`;
}

/**
 * The Sign-In Organization API credential's test with explicit bounds (see CHECK_BOUNDS). It names
 * each Context that fails and why, each one that did not answer in time, and each one the time
 * ran out before.
 */
export async function testContextsWithin(this: ICredentialTestFunctions, credential: ICredentialsDecrypted, bounds: CheckBounds): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const read = readOrganizationContexts(data);
	if ('problem' in read) return { status: 'Error', message: `${read.problem.message}. ${read.problem.description}` };
	const { outcomes, started } = await checkWithin(this, data, read.contexts, bounds);
	const failures = read.broken.map(({ problem }) => `${problem.message}. ${problem.description}`);
	const silent: SignInContext[] = [];
	const notChecked: SignInContext[] = [];
	for (const target of read.contexts) {
		const outcome = outcomes.get(target);
		if (outcome === undefined) (started.has(target) ? silent : notChecked).push(target);
		else if (outcome === 'no answer') silent.push(target);
		else if (outcome.problem) failures.push(`${target.name}: ${outcome.problem}`);
	}
	const count = read.contexts.length + read.broken.length;
	const bad = failures.length + silent.length + notChecked.length;
	if (bad === 0) {
		return { status: 'OK', message: `${count === 1 ? 'The Context answered' : `All ${count} Contexts answered`}: ${contextNames(read.contexts)}.` };
	}
	const notes = [...failures];
	if (silent.length) {
		notes.push(
			`No answer in time (the test waits ${seconds(bounds.perContextMs)} for each Context and ${seconds(bounds.overallMs)} in all) from ${contextNames(silent)}: check that this n8n server can reach their Base URL, then test again.`,
		);
	}
	if (notChecked.length) notes.push(`Not checked, as the test's ${seconds(bounds.overallMs)} ran out first: ${contextNames(notChecked)}.`);
	const what = silent.length + notChecked.length ? 'failed or did not answer in time' : 'failed';
	return { status: 'Error', message: `${bad} of ${count} ${count === 1 ? 'Context' : 'Contexts'} ${what}. ${notes.join(' ')}` };
}

/** The Sign-In Organization API credential's test, as n8n runs it from the editor. */
export async function testOrganizationContexts(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	return await testContextsWithin.call(this, credential, CHECK_BOUNDS);
}
