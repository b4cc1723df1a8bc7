/**
 * The sync operations against the real emulator, with one injected fault on each of their
 * requests in turn, Continue On Fail on and off: Whitelisting Sync (the read, the Batch Add, the
 * update, the Batch Remove) and Access Policy Sync E-Mails (the add, the remove). Every change is
 * either reported done (and true in the final state) or accounted for: an error item, or a failed
 * run whose error says where Sync stopped. An input that would clear every entry's fields is held
 * by the safety valve whatever fails: nothing is changed.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { SignInEmulator, type Fault } from '../../emulator/server';
import type { State } from '../../emulator/store';
import { runNode, type RunResult } from '../support/harness';
import { recordDigest } from '../support/faultDigest';
import { syncMac, syncParameters, taggedEntry } from '../support/sync';

const TOKEN = 'sync-fault-token';
const mac = syncMac;
const seeded = (n: number) => taggedEntry(n);
// 1 unchanged, 2 renamed, 3 revoked, 6 and 7 created.
const items = [
	{ mac: mac(1), name: 'Device 1' },
	{ mac: mac(2), name: 'Renamed 2' },
	{ mac: mac(6), name: 'Device 6' },
	{ mac: mac(7), name: 'Device 7' },
];

/** The fault matrix's faults, each in the phase it can happen in (a 429, 4xx or redirect is never sent after applying). */
const FAULTS: Array<{ fault: Fault; phase: 'before' | 'after' }> = [
	...(['429', '500', '503', 'reset', '404', '404html', '301', '307', 'echo400', 'echo401', 'echo403', 'echo500'] as Fault[]).map((fault) => ({ fault, phase: 'before' as const })),
	...(['500', '503', 'reset', 'hang', 'html', 'empty200', 'echo500'] as Fault[]).map((fault) => ({ fault, phase: 'after' as const })),
];
const STEPS: Array<{ method: string; pathSuffix: string }> = [
	{ method: 'GET', pathSuffix: '/whitelistings/active' },
	{ method: 'POST', pathSuffix: '/batch/add' },
	{ method: 'PUT', pathSuffix: '/modules/whitelistings' },
	{ method: 'POST', pathSuffix: '/batch/remove' },
];
const cases = STEPS.flatMap((step) =>
	FAULTS.flatMap(({ fault, phase }) => [true, false].map((continueOnFail) => ({ ...step, fault, phase, continueOnFail }))),
);

const redirectTarget = new SignInEmulator({ token: TOKEN });
beforeAll(async () => {
	nock.enableNetConnect(/127\.0\.0\.1/);
	await redirectTarget.start();
});
afterAll(async () => redirectTarget.stop());

function entryOf(state: State, n: number) {
	return state.whitelistings.find((entry) => entry.mac === mac(n));
}

/** Whether what an output item claims is true in the final state. */
function claimHolds(json: IDataObject, state: State): boolean {
	const entry = state.whitelistings.find((stored) => stored.mac === json.mac);
	switch (json.status) {
		case 'unchanged':
			return entry?.name === json.name;
		case 'updated':
			return entry !== undefined && entry.id === json.id && entry.name === json.name;
		case 'created':
			return entry !== undefined && entry.id === json.id && entry.tags.some((tag) => tag.value === 'n8n-sync');
		case 'revoked':
			return entry === undefined;
		default:
			return false;
	}
}

/**
 * One run on a fresh emulator with one planned fault; `check` gets the run and the final state.
 * Whatever happened, the redirect target got nothing and the token is nowhere in the run.
 */
async function underFault(
	run: { seed: Partial<State>; parameters: IDataObject; items: IDataObject[]; continueOnFail: boolean },
	planned: { fault: Fault; phase: 'before' | 'after'; method: string; pathSuffix: string },
	check: (result: RunResult, state: State) => void,
): Promise<void> {
	const emulator = new SignInEmulator({ token: TOKEN, retryAfterSeconds: 0, seed: run.seed, redirectTo: redirectTarget.url });
	await emulator.start();
	try {
		emulator.planFaults([planned]);
		const result = await runNode({
			parameters: { ...run.parameters, requestOptions: { maxAttempts: 3, initialDelayMs: 0, timeoutSeconds: 1 } },
			items: run.items,
			continueOnFail: run.continueOnFail,
			credentials: { baseUrl: emulator.url, organizationId: 'demo-org', contextId: 'demo-context', apiToken: TOKEN },
		});
		recordDigest(emulator, result, [redirectTarget.url]);
		expect(redirectTarget.requests).toEqual([]);
		expect(JSON.stringify(result)).not.toContain(TOKEN);
		check(result, emulator.store.state);
	} finally {
		await emulator.stop();
	}
}

describe('Whitelisting Sync under faults', () => {
	it.each(cases)('$fault ($phase) on $method $pathSuffix, Continue On Fail $continueOnFail', async ({ method, pathSuffix, fault, phase, continueOnFail }) => {
		const run = { seed: { whitelistings: [seeded(1), seeded(2), seeded(3)] }, parameters: syncParameters(), items, continueOnFail };
		await underFault(run, { fault, phase, method, pathSuffix }, (result, state) => {
			expect(new Set(state.whitelistings.map((entry) => entry.mac)).size).toBe(state.whitelistings.length);
			// Nothing outside the plan is ever touched.
			expect(entryOf(state, 1)).toEqual(seeded(1));
			if (result.status === 'error') {
				expect(continueOnFail).toBe(false);
				expect(result.error?.message).toMatch(/^The Sign-In API|^Could not reach the Sign-In API/);
				if (method !== 'GET') expect(result.error?.description).toMatch(/Sync stopped while (creating|updating|revoking)/);
				else expect(result.error?.description).toMatch(/Nothing was changed/);
				return;
			}
			expect(result.status).toBe('success');
			const paired = result.output.map((output) => (output.pairedItem as { item: number }).item);
			// One output per input item, plus the revoked entry paired with item 0 (or an error item in its place).
			expect(paired.slice(0, items.length)).toEqual([0, 1, 2, 3]);
			expect(result.output.length).toBeLessThanOrEqual(items.length + 1);
			for (const output of result.output) {
				if ('error' in output.json) {
					expect(continueOnFail).toBe(true);
					continue;
				}
				expect([output.json, claimHolds(output.json, state)]).toEqual([output.json, true]);
			}
			// A revoke that went through is reported: either as revoked, or by an error that says it may have been applied.
			if (!entryOf(state, 3)) {
				const revoke = result.output[items.length];
				expect(revoke).toBeDefined();
				if ('error' in revoke.json) expect(String(revoke.json.description)).toMatch(/may (or may not )?have been applied/);
			}
		});
	});
});

/** Three printers with descriptions and end dates, and an export whose Description and Valid Until columns came through empty. */
const printers = [1, 2, 3].map((n) => taggedEntry(n, { description: `Floor ${n}`, toDate: '2030-01-31' }));
const driftCases = STEPS.filter((step) => step.method === 'GET' || step.method === 'PUT').flatMap((step) =>
	FAULTS.flatMap(({ fault, phase }) => [true, false].map((continueOnFail) => ({ ...step, fault, phase, continueOnFail }))),
);
const DRIFT_HELD = /^Sync would destructively update 3 of the 3 active entries in the Scope \(100 %\), more than Max Destructive Share allows \(50 %\); nothing was changed$/;
// A retried read goes on to the valve; a read that fails for good stops the run before it.
const HELD_OR_READ_FAILED = new RegExp(`${DRIFT_HELD.source}|^The Sign-In API|^Could not reach the Sign-In API`);

describe('Whitelisting Sync of an input that would clear every entry, under faults', () => {
	it.each(driftCases)('$fault ($phase) on $method $pathSuffix, Continue On Fail $continueOnFail: nothing is changed', async ({ method, pathSuffix, fault, phase, continueOnFail }) => {
		const run = {
			seed: { whitelistings: printers },
			parameters: syncParameters({ additionalFields: { description: '={{ $json.description }}', toDate: '={{ $json.validUntil }}' } }),
			items: [1, 2, 3].map((n) => ({ mac: mac(n), name: `Device ${n}` })),
			continueOnFail,
		};
		await underFault(run, { fault, phase, method, pathSuffix }, (result, state) => {
			expect(state.whitelistings).toEqual(printers);
			if (result.status === 'error') {
				expect(continueOnFail).toBe(false);
				expect(result.error?.message).toMatch(method === 'PUT' ? DRIFT_HELD : HELD_OR_READ_FAILED);
				return;
			}
			expect(continueOnFail).toBe(true);
			expect(result.output.map((output) => output.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			for (const { json } of result.output) expect(String(json.error)).toMatch(method === 'PUT' ? DRIFT_HELD : HELD_OR_READ_FAILED);
		});
	});
});

const POLICY = '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7';
/** keep@ stays, new@ and new2@ are added (two adds of 2 and 1), old1@ and old2@ removed in one request, the wildcard is out of Scope. */
const policySeed = ['keep@x.com', 'old1@x.com', 'old2@x.com', '*@wild.x'];
const desired = [{ e: 'keep@x.com' }, { e: 'new@x.com' }, { e: 'new2@x.com' }];
const emailCases = [
	{ method: 'POST', pathSuffix: '/emails' },
	{ method: 'DELETE', pathSuffix: '/emails' },
].flatMap((step) => FAULTS.flatMap(({ fault, phase }) => [true, false].map((continueOnFail) => ({ ...step, fault, phase, continueOnFail }))));
const MAY_HAVE_APPLIED = /may (or may not )?have been applied/;

describe('Access Policy Sync E-Mails under faults', () => {
	it.each(emailCases)('$fault ($phase) on $method, Continue On Fail $continueOnFail', async ({ method, pathSuffix, fault, phase, continueOnFail }) => {
		const run = {
			seed: { policies: { [POLICY]: { name: 'Attendees', emails: policySeed } } },
			parameters: { resource: 'accessPolicy', operation: 'syncEmails', mode: 'apply', policyId: POLICY, emails: '={{ $json.e }}', options: { batchSize: 2, maxShare: 100 } },
			items: desired,
			continueOnFail,
		};
		await underFault(run, { fault, phase, method, pathSuffix }, (result, state) => {
			const emails = state.policies[POLICY].emails;
			expect(new Set(emails).size).toBe(emails.length);
			// Nothing out of the sync's reach is ever touched.
			expect(emails).toEqual(expect.arrayContaining(['keep@x.com', '*@wild.x']));
			if (result.status === 'error') {
				expect(continueOnFail).toBe(false);
				expect(result.error?.message).toMatch(/^The Sign-In API|^Could not reach the Sign-In API/);
				if (method === 'POST') {
					expect(result.error?.description).toMatch(/Sync stopped while adding e-mails: no e-mail was removed/);
					expect(emails).toEqual(expect.arrayContaining(['old1@x.com', 'old2@x.com']));
				} else {
					expect(result.error?.description).toMatch(/Sync stopped while removing e-mails, after the adds \(policy \S+: the policy accepted/);
				}
				return;
			}
			expect(result.status).toBe('success');
			expect(result.output.slice(0, 3).map((output) => output.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			for (const [index, output] of result.output.slice(0, 3).entries()) {
				const email = String(desired[index].e);
				if ('error' in output.json) {
					expect(continueOnFail).toBe(true);
					// An add that did go through is accounted for by its error.
					if (email !== 'keep@x.com' && emails.includes(email)) expect(String(output.json.description)).toMatch(MAY_HAVE_APPLIED);
					continue;
				}
				// After a lost answer an item is only known to be in the policy ('present').
				const status = email === 'keep@x.com' ? /^(alreadyPresent|present)$/ : /^(accepted|present)$/;
				expect([email, output.json.status, emails.includes(email)]).toEqual([email, expect.stringMatching(status), true]);
			}
			const extras = result.output.slice(3);
			expect(extras.every((output) => (output.pairedItem as { item: number }).item === 0)).toBe(true);
			if (extras.some((output) => output.json.status === 'removesNotSent')) {
				expect(extras).toHaveLength(1);
				expect(emails).toEqual(expect.arrayContaining(['old1@x.com', 'old2@x.com']));
				return;
			}
			// Each e-mail to remove has its item: removed (and gone), or an error that accounts for it.
			expect(extras.map((output) => output.json.email)).toEqual(['old1@x.com', 'old2@x.com']);
			for (const { json } of extras) {
				const gone = !emails.includes(String(json.email));
				if ('error' in json) {
					expect(continueOnFail).toBe(true);
					if (gone) expect(String(json.description)).toMatch(MAY_HAVE_APPLIED);
				} else {
					expect([json.email, json.status, gone]).toEqual([json.email, expect.stringMatching(/^(removed|absent)$/), true]);
				}
			}
		});
	});
});
