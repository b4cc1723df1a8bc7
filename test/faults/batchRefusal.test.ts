/**
 * Every batched operation against the real emulator, which refuses a whole batch with its
 * family's 400 body: because it holds a value the service rejects although the node's own rules
 * pass it (`refuseValues`), or for a reason that is not about an entry (an unknown policy, a
 * batch limit). With Continue On Fail on and off, every item must be accounted for, everything
 * an output claims must hold in the emulator's final state, nothing may be applied that no
 * output claims, and the final state must be exactly the expected one.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { SignInEmulator, type EmulatorOptions } from '../../emulator/server';
import type { State } from '../../emulator/store';
import { runNode } from '../support/harness';
import { recordDigest } from '../support/faultDigest';
import { createManyParameters } from '../support/operations';

const TOKEN = 'batch-refusal-token';
const POLICY = '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7';
const UNKNOWN_POLICY = '0e0e0e0e-0e0e-4e0e-8e0e-0e0e0e0e0e0e';
const emails = ['a@x.com', 'b@x.com', 'c@x.com', 'd@x.com', 'e@x.com', 'f@x.com'];
const macs = emails.map((_, i) => `AA:BB:CC:00:00:0${i}`);
const ids = macs.map((_, i) => `b0000000-0000-4000-8000-00000000000${i}`);
const seeded = macs.map((mac, i) => ({ id: ids[i], mac, name: `Seeded ${i}`, description: null, toDate: null, tags: [], createdBy: null }));
/** Items of one, three and two e-mails: the first spans two batches of two. */
const emailItems = [{ e: emails.slice(0, 3) }, { e: emails[3] }, { e: emails.slice(4) }];
const without = <T>(list: T[], ...gone: T[]) => list.filter((value) => !gone.includes(value));

interface Case {
	name: string;
	parameters: IDataObject;
	items: IDataObject[];
	emulator: EmulatorOptions;
	/** The entries an item carries. */
	entriesOf: (item: IDataObject) => string[];
	/** Whether the change an entry asks for holds in the final state. */
	applied: (entry: string, state: State) => boolean;
	/** The entries an output (success, or what an error item says was answered) claims were changed. */
	claims: (json: IDataObject) => string[];
	/** The endpoint and the entries of a request, to count what was answered. */
	path: string;
	sent: (body: IDataObject) => string[];
	/** The exact final state of what the case changes, with Continue On Fail on and off. */
	expected: { on: unknown; off: unknown };
	finalState: (state: State) => unknown;
	/** Requests the emulator receives, with Continue On Fail on and off. */
	requests: { on: number; off: number };
}

const policyEmails = (state: State) => state.policies[POLICY].emails;
const macsOf = (state: State) => state.whitelistings.map((entry) => entry.mac);
const fields = (json: IDataObject, ...names: string[]) => names.flatMap((name) => (Array.isArray(json[name]) ? (json[name] as string[]) : []));

/** Create Many of the six MACs, in batches of four. */
const createMany = {
	parameters: createManyParameters(4),
	items: macs.map((mac, i) => ({ mac, id: ids[i] })),
	entriesOf: (item: IDataObject) => [String(item.mac)],
	applied: (mac: string, state: State) => macsOf(state).includes(mac),
	claims: (json: IDataObject) => (json.status === 'created' ? [String(json.mac)] : []),
	path: '/batch/add',
	sent: (body: IDataObject) => (body.whitelistings as IDataObject[]).map((entry) => String(entry.mac)),
	finalState: (state: State) => macsOf(state),
};

const CASES: Case[] = [
	{
		name: 'access policy add: a refused e-mail',
		parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: '={{ $json.e }}', options: { batchSize: 2 } },
		items: emailItems,
		emulator: { refuseValues: ['c@x.com'], seed: { policies: { [POLICY]: { name: 'Staff', emails: [] } } } },
		entriesOf: (item) => [item.e].flat() as string[],
		applied: (email, state) => policyEmails(state).includes(email),
		claims: (json) => fields(json, 'presentEmails'),
		path: '/emails',
		sent: (body) => body.emails as string[],
		expected: { on: without(emails, 'c@x.com'), off: ['a@x.com', 'b@x.com'] },
		finalState: policyEmails,
		// [a,b] ok, [c,d] refused, [c] refused, [d] ok, [e,f] ok; without Continue On Fail it stops at [c,d].
		requests: { on: 5, off: 2 },
	},
	{
		name: 'access policy remove: a refused e-mail',
		parameters: { resource: 'accessPolicy', operation: 'removeEmails', policyId: POLICY, emails: '={{ $json.e }}', options: { batchSize: 2 } },
		items: emailItems,
		emulator: { refuseValues: ['c@x.com'], seed: { policies: { [POLICY]: { name: 'Staff', emails } } } },
		entriesOf: (item) => [item.e].flat() as string[],
		applied: (email, state) => !policyEmails(state).includes(email),
		claims: (json) => fields(json, 'absentEmails'),
		path: '/emails',
		sent: (body) => body.emails as string[],
		expected: { on: ['c@x.com'], off: emails.slice(2) },
		finalState: policyEmails,
		requests: { on: 5, off: 2 },
	},
	{
		name: 'access policy add: an unknown policy (not about an e-mail)',
		parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: UNKNOWN_POLICY, emails: '={{ $json.e }}', options: { batchSize: 2 } },
		items: emailItems,
		emulator: { seed: { policies: { [POLICY]: { name: 'Staff', emails: [] } } } },
		entriesOf: (item) => [item.e].flat() as string[],
		applied: (email, state) => Object.values(state.policies).some((policy) => policy.emails.includes(email)),
		claims: (json) => fields(json, 'presentEmails'),
		path: '/emails',
		sent: (body) => body.emails as string[],
		expected: { on: {}, off: {} },
		finalState: (state) => Object.fromEntries(Object.entries(state.policies).filter(([, policy]) => policy.emails.length > 0)),
		// The first batch and its two halves; the later two batches are not split.
		requests: { on: 5, off: 1 },
	},
	{
		name: 'whitelisting create many: a refused MAC',
		...createMany,
		emulator: { refuseValues: [macs[2]] },
		expected: { on: without(macs, macs[2]), off: [] },
		// [0-3] refused, [0,1] ok, [2,3] refused, [2] refused, [3] ok, [4,5] ok.
		requests: { on: 6, off: 1 },
	},
	{
		name: 'whitelisting create many: a batch limit (not about an entry; the halves pass)',
		...createMany,
		emulator: { batchLimit: 2 },
		expected: { on: macs, off: [] },
		requests: { on: 4, off: 1 },
	},
	{
		name: 'whitelisting revoke many: a refused MAC',
		parameters: { resource: 'whitelisting', operation: 'revokeMany', macs: '={{ $json.mac }}', options: { batchSize: 4 } },
		items: macs.map((mac) => ({ mac })),
		emulator: { refuseValues: [macs[2]], seed: { whitelistings: seeded } },
		entriesOf: (item) => [String(item.mac)],
		applied: (mac, state) => !macsOf(state).includes(mac),
		claims: (json) => fields(json, 'revokedMacs', 'notWhitelistedMacs'),
		path: '/batch/remove',
		sent: (body) => (body.macs as IDataObject[]).map((entry) => String(entry.mac)),
		expected: { on: [macs[2]], off: macs },
		finalState: macsOf,
		// The read of the active list, then as for Create Many.
		requests: { on: 7, off: 2 },
	},
	{
		name: 'whitelisting revoke many: a batch limit (not about an entry; the halves pass)',
		parameters: { resource: 'whitelisting', operation: 'revokeMany', macs: '={{ $json.mac }}', options: { batchSize: 4 } },
		items: macs.map((mac) => ({ mac })),
		emulator: { batchLimit: 2, seed: { whitelistings: seeded } },
		entriesOf: (item) => [String(item.mac)],
		applied: (mac, state) => !macsOf(state).includes(mac),
		claims: (json) => fields(json, 'revokedMacs', 'notWhitelistedMacs'),
		path: '/batch/remove',
		sent: (body) => (body.macs as IDataObject[]).map((entry) => String(entry.mac)),
		expected: { on: [], off: macs },
		finalState: macsOf,
		requests: { on: 5, off: 2 },
	},
];

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1/));

const MAYBE_APPLIED = /may (or may not )?have been applied/;

/**
 * Pinned to one request at a time, the requests and the final state are exact. With Auto (the
 * default), several batches are in flight and which of them starts before a refusal is answered
 * varies: every entry must still be accounted for, and with Continue On Fail the final state
 * holds the same entries.
 */
const RUNS = [
	{ continueOnFail: true, concurrency: 'pinned to 1' },
	{ continueOnFail: false, concurrency: 'pinned to 1' },
	{ continueOnFail: true, concurrency: 'Auto' },
	{ continueOnFail: false, concurrency: 'Auto' },
] as const;

describe.each(CASES)('$name', (testCase) => {
	it.each(RUNS)('with Continue On Fail $continueOnFail, Concurrency $concurrency', async ({ continueOnFail, concurrency }) => {
		const emulator = new SignInEmulator({ token: TOKEN, ...testCase.emulator });
		await emulator.start();
		try {
			const pinned = concurrency === 'pinned to 1';
			const result = await runNode({
				parameters: pinned ? { ...testCase.parameters, requestOptions: { concurrency: 1 } } : testCase.parameters,
				items: testCase.items,
				continueOnFail,
				credentials: { baseUrl: emulator.url, organizationId: 'demo-org', contextId: 'demo-context', apiToken: TOKEN },
			});
			recordDigest(emulator, result);
			const state = emulator.store.state;
			if (pinned) {
				expect(emulator.requests).toHaveLength(continueOnFail ? testCase.requests.on : testCase.requests.off);
				expect(testCase.finalState(state)).toEqual(continueOnFail ? testCase.expected.on : testCase.expected.off);
			} else if (continueOnFail) {
				const sorted = (value: unknown) => (Array.isArray(value) ? [...(value as string[])].sort() : value);
				expect(sorted(testCase.finalState(state))).toEqual(sorted(testCase.expected.on));
			}
			const entries = testCase.items.flatMap(testCase.entriesOf);
			const answered = emulator.requests
				.filter((request) => request.status === 200 && request.path.endsWith(testCase.path))
				.flatMap((request) => testCase.sent(request.body as IDataObject));

			if (!continueOnFail) {
				expect(result.status).toBe('error');
				expect(result.output).toEqual([]);
				expect(result.error?.message).toMatch(/^The Sign-In API rejected the request: /);
				// What the run applied before it stopped is what the error says the service answered for.
				const said = /the service had answered for (\d+)/.exec(String(result.error?.description));
				expect(Number(said?.[1] ?? 0)).toBe(answered.length);
				for (const entry of entries) expect([entry, testCase.applied(entry, state)]).toEqual([entry, answered.includes(entry)]);
				return;
			}

			expect(result.status).toBe('success');
			expect(result.output.map((output) => output.pairedItem)).toEqual(testCase.items.map((_, item) => ({ item })));
			const claimed = new Set<string>();
			result.output.forEach((output, i) => {
				const json = output.json;
				const mine = testCase.entriesOf(testCase.items[i]);
				for (const entry of testCase.claims(json)) {
					expect(mine).toContain(entry);
					expect([entry, testCase.applied(entry, state)]).toEqual([entry, true]);
					claimed.add(entry);
				}
				if (!('error' in json)) return;
				expect(String(json.error)).toMatch(/^The Sign-In API rejected the request: /);
				expect(String(json.description)).not.toMatch(MAYBE_APPLIED);
				// An error item names its entries that were not answered; none of them was applied.
				const failed = Array.isArray(json.failedEntries)
					? (json.failedEntries as IDataObject[]).map((entry) => String(entry.email ?? entry.mac))
					: mine;
				for (const entry of failed) expect([entry, testCase.applied(entry, state)]).toEqual([entry, false]);
				expect([...failed, ...testCase.claims(json)].sort()).toEqual([...mine].sort());
			});
			// Nothing changed that no output claims.
			for (const entry of entries) if (testCase.applied(entry, state)) expect([entry, claimed.has(entry)]).toEqual([entry, true]);
		} finally {
			await emulator.stop();
		}
	});
});
