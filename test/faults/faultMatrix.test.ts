/**
 * Every operation against the real emulator, with one injected fault on its first request, with
 * Continue On Fail on and off. Every input item must be accounted for, nothing may exist twice,
 * and the emulator's state must be what the success items claim, apart from changes that an
 * error item says may have been applied. Besides outages the faults are hostile answers: a wrong
 * address's 404 (empty and HTML), a redirect to a second emulator (which must receive nothing),
 * error bodies (JSON, plain text and HTML, the token where a cut to 197 characters would fall)
 * and headers that echo the token (no six characters of which may appear in the run), and a
 * 429 without Retry-After.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { SignInEmulator, type Fault } from '../../emulator/server';
import type { State } from '../../emulator/store';
import { CASES, POLICY } from '../support/cases';
import { runNode, type RunResult } from '../support/harness';
import { recordDigest } from '../support/faultDigest';
import { leakedFragments } from '../support/tokenFragments';

/** No word in it, so that any six characters of it found in a run are a leak. */
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a fake token; the tests assert it never leaks
const TOKEN = 'fm7Qz2Kp9Wd4Lx8Vb3Nq';
const FAULTS: Array<{ fault: Fault; phase: 'before' | 'after' }> = [
	{ fault: '429', phase: 'before' },
	{ fault: '429bare', phase: 'before' },
	{ fault: '500', phase: 'before' },
	{ fault: '500', phase: 'after' },
	{ fault: '503', phase: 'before' },
	{ fault: '503', phase: 'after' },
	{ fault: 'reset', phase: 'before' },
	{ fault: 'reset', phase: 'after' },
	{ fault: 'hang', phase: 'after' },
	{ fault: 'html', phase: 'after' },
	{ fault: 'empty200', phase: 'after' },
	{ fault: '404', phase: 'before' },
	{ fault: '404html', phase: 'before' },
	{ fault: '301', phase: 'before' },
	{ fault: '307', phase: 'before' },
	{ fault: 'echo400', phase: 'before' },
	{ fault: 'echo401', phase: 'before' },
	{ fault: 'echo403', phase: 'before' },
	{ fault: 'echo500', phase: 'before' },
	{ fault: 'echo500', phase: 'after' },
	{ fault: 'echo400text', phase: 'before' },
	{ fault: 'echo502html', phase: 'after' },
];

/** Where the redirect faults point: another port, with the same token; it must never be reached. */
const redirectTarget = new SignInEmulator({ token: TOKEN });
beforeAll(async () => {
	nock.enableNetConnect(/127\.0\.0\.1/);
	await redirectTarget.start();
});
afterAll(async () => redirectTarget.stop());

function noDuplicates(state: State): void {
	expect(new Set(state.whitelistings.map((entry) => entry.id)).size).toBe(state.whitelistings.length);
	expect(new Set(state.whitelistings.map((entry) => entry.mac.toUpperCase().replace(/-/g, ':'))).size).toBe(state.whitelistings.length);
	for (const emails of Object.values(state.policies).map((entry) => entry.emails)) expect(new Set(emails).size).toBe(emails.length);
}

/** The message a hostile answer to the first request must fail with, whatever the operation. */
function hostileMessage(fault: Fault, emulator: SignInEmulator): string | undefined {
	if (fault === '404' || fault === '404html') return 'The Sign-In API has no such endpoint (404 Not Found)';
	if (fault === '301') return `The Sign-In API at ${emulator.url} answered 301 Moved Permanently, pointing to ${redirectTarget.url}`;
	if (fault === '307') return `The Sign-In API at ${emulator.url} answered 307 Temporary Redirect, pointing to ${redirectTarget.url}`;
	return undefined;
}

const MAYBE_APPLIED = /may (or may not )?have been applied|may be this run's/;

describe.each(CASES)('$name', (testCase) => {
	const faults = FAULTS.filter((fault) => !testCase.onlyLostAnswers || fault.phase === 'after');
	it.each(faults.flatMap((fault) => [true, false].map((continueOnFail) => ({ ...fault, continueOnFail }))))(
		'$fault ($phase) with Continue On Fail $continueOnFail',
		async ({ fault, phase, continueOnFail }) => {
			const emulator = new SignInEmulator({ token: TOKEN, retryAfterSeconds: 0, seed: testCase.seed, redirectTo: redirectTarget.url, ...testCase.emulator });
			await emulator.start();
			try {
				emulator.planFaults([{ fault, phase }]);
				const result: RunResult = await runNode({
					parameters: { ...testCase.parameters, requestOptions: { maxAttempts: 3, initialDelayMs: 0, timeoutSeconds: 1 } },
					items: testCase.items,
					continueOnFail,
					credentials: { baseUrl: emulator.url, organizationId: 'demo-org', contextId: 'demo-context', apiToken: TOKEN },
				});
				recordDigest(emulator, result, [redirectTarget.url]);
				const state = emulator.store.state;
				expect(redirectTarget.requests).toEqual([]);
				expect(leakedFragments(result, TOKEN)).toEqual([]);
				noDuplicates(state);
				const expectedFailure = hostileMessage(fault, emulator);
				if (expectedFailure) {
					const first = result.status === 'error' ? result.error?.message : result.output.find((output) => 'error' in output.json)?.json.error;
					expect(first).toBe(expectedFailure);
				}
				if (testCase.invariant) expect(testCase.invariant(state)).toBe(true);
				if (result.status === 'error') {
					expect(continueOnFail).toBe(false);
					expect(result.error?.message).toMatch(/^The Sign-In API|^Could not reach the Sign-In API|^The account \S+ already exists, and this run cannot tell/);
					return;
				}
				expect(result.status).toBe('success');
				const byItem = new Map<number, IDataObject[]>();
				for (const output of result.output) {
					const item = (output.pairedItem as { item: number }).item;
					byItem.set(item, [...(byItem.get(item) ?? []), output.json]);
				}
				expect([...byItem.keys()].sort()).toEqual(testCase.items.map((_, i) => i));
				testCase.items.forEach((item, i) => {
					const outputs = byItem.get(i)!;
					const errors = outputs.filter((json) => 'error' in json);
					expect(outputs).toHaveLength(errors.length ? 1 : (testCase.outputsPerItem ?? 1));
					if (errors.length) {
						expect(continueOnFail).toBe(true);
						if (testCase.touched(item, state)) expect(String(errors[0].description)).toMatch(MAYBE_APPLIED);
						return;
					}
					for (const json of outputs) expect([testCase.name, json, testCase.claimHolds(json, state, item)]).toEqual([testCase.name, json, true]);
				});
			} finally {
				await emulator.stop();
			}
		},
	);
});

describe('generated bad input', () => {
	/** A small deterministic generator, so a failure can be reproduced. */
	function random(seed: number) {
		let state = seed;
		return () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
	}
	const next = random(42);
	const pick = <T>(values: T[]) => values[Math.floor(next() * values.length)];
	const junk = (length: number) =>
		Array.from({ length }, () => pick([...'abcdefXYZ0189:-./@*#é—  ,;"\'<>{}'])).join('');

	const bad = {
		mac: () => pick([junk(Math.floor(next() * 20)), 'AA:BB:CC:DD:EE', 'GG:00:00:00:00:00', 'AA:BB-CC:DD:EE:FF', `${junk(3)}aabbccddeeff`, '']),
		name: () => pick(['x', 'y'.repeat(101 + Math.floor(next() * 50)), `Printer ${pick(['#', '—', '@', '!', 'é', '/'])}`]),
		toDate: () => pick(['31.12.2026', '2026-02-30', '2026-13-01', junk(10), '20261231']),
		email: () => pick(['alice', 'alice@', '@acme.com', 'a*b@acme.com', '*@*', `${junk(5)}@@x.com`, 'x@acme']),
		uuid: () => pick(['7f2a-...', junk(36), '7f2a0c6e3b1d4c5e9f102a3b4c5d6e7f', 'g'.repeat(36)]),
	};

	it.each([
		['whitelisting create many: MAC', { resource: 'whitelisting', operation: 'createMany', mac: '={{ $json.v }}', name: 'Device' }, bad.mac, 'MAC Address'],
		['whitelisting create many: name', { resource: 'whitelisting', operation: 'createMany', mac: 'AA:BB:CC:DD:EE:FF', name: '={{ $json.v }}' }, bad.name, 'Name'],
		['whitelisting create: Valid Until', { resource: 'whitelisting', operation: 'create', mac: 'AA:BB:CC:DD:EE:FF', name: 'Device', additionalFields: { toDate: '={{ $json.v }}' } }, bad.toDate, 'Valid Until'],
		['access policy add: e-mail', { resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: '={{ $json.v }}' }, bad.email, 'Emails'],
		['access policy remove: policy ID', { resource: 'accessPolicy', operation: 'removeEmails', policyId: '={{ $json.v }}', emails: 'a@b.com' }, bad.uuid, 'Access Policy ID'],
		['whitelisting update: ID', { resource: 'whitelisting', operation: 'update', id: '={{ $json.v }}', mac: 'AA:BB:CC:DD:EE:FF', name: 'Device' }, bad.uuid, 'Whitelisting ID'],
	] as Array<[string, IDataObject, () => string, string]>)('%s: 500 generated values, no request, each error names item, field and rule', async (_, parameters, generate, field) => {
		const emulator = new SignInEmulator({ token: TOKEN });
		await emulator.start();
		try {
			const values = Array.from({ length: 500 }, generate);
			const result = await runNode({
				parameters,
				items: values.map((v) => ({ v })),
				continueOnFail: true,
				credentials: { baseUrl: emulator.url, organizationId: 'demo-org', contextId: 'demo-context', apiToken: TOKEN },
			});
			expect(result.status).toBe('success');
			expect(emulator.requests).toEqual([]);
			expect(result.output).toHaveLength(values.length);
			result.output.forEach((output, i) => {
				expect(output.pairedItem).toEqual({ item: i });
				expect(String(output.json.error)).toMatch(new RegExp(`^\\[item ${i}\\] ${field} .*(must|may only)`));
			});
		} finally {
			await emulator.stop();
		}
	});
});
