/**
 * Whitelisting Sync against the real emulator, with one injected fault on each of its requests
 * in turn (the read, the Batch Add, the update, the Batch Remove), Continue On Fail on and off.
 * Every change of the plan is either reported done (and true in the final state) or accounted
 * for: an error item, or a failed run whose error says where Sync stopped.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { SignInEmulator, type Fault } from '../../emulator/server';
import type { State } from '../../emulator/store';
import { runNode } from '../support/harness';
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

describe('Whitelisting Sync under faults', () => {
	it.each(cases)('$fault ($phase) on $method $pathSuffix, Continue On Fail $continueOnFail', async ({ method, pathSuffix, fault, phase, continueOnFail }) => {
		const emulator = new SignInEmulator({
			token: TOKEN,
			retryAfterSeconds: 0,
			seed: { whitelistings: [seeded(1), seeded(2), seeded(3)] },
			redirectTo: redirectTarget.url,
		});
		await emulator.start();
		try {
			emulator.planFaults([{ fault, phase, method, pathSuffix }]);
			const result = await runNode({
				parameters: syncParameters({ requestOptions: { maxAttempts: 3, initialDelayMs: 0, timeoutSeconds: 1 } }),
				items,
				continueOnFail,
				credentials: { baseUrl: emulator.url, organizationId: 'demo-org', contextId: 'demo-context', apiToken: TOKEN },
			});
			const state = emulator.store.state;
			expect(redirectTarget.requests).toEqual([]);
			expect(JSON.stringify(result)).not.toContain(TOKEN);
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
		} finally {
			await emulator.stop();
		}
	});
});
