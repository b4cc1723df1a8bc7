/**
 * One case per operation for the tests that run every operation against the real emulator (the
 * fault matrix, the many-Contexts tests): its parameters and three input items, the emulator's
 * seed, and what must hold of the emulator's state for each output the node claims.
 */
import type { IDataObject } from 'n8n-workflow';

import type { EmulatorOptions } from '../../emulator/server';
import type { State } from '../../emulator/store';

export const POLICY = '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7';
export const ids = ['a0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000002', 'a0000000-0000-4000-8000-000000000003'];
export const macs = ['AA:BB:CC:00:00:01', 'AA:BB:CC:00:00:02', 'AA:BB:CC:00:00:03'];
const seedEntries = macs.map((mac, i) => ({ id: ids[i], mac, name: `Seeded ${i}`, description: null, toDate: null, tags: [], createdBy: null }));

export interface Case {
	name: string;
	parameters: IDataObject;
	items: IDataObject[];
	seed: Partial<State>;
	/** What a success item claims, checked against the final state. */
	claimHolds: (json: IDataObject, state: State, item: IDataObject) => boolean;
	/** The things this item may change, for the "nothing unclaimed" check. */
	touched: (item: IDataObject, state: State) => boolean;
	/** What must hold after every run, whatever happened (hostile state the node must not change). */
	invariant?: (state: State) => boolean;
	/** Output items of an item that succeeded (Get Many: one per entry). */
	outputsPerItem?: number;
	/** How the emulator answers besides the defaults: a paged list. */
	emulator?: EmulatorOptions;
	/** Only the faults that lose an answer: the case is about what the node does after one. */
	onlyLostAnswers?: true;
}

const users = (names: string[]) => Object.fromEntries(names.map((name) => [name, { password: 'Old-Pass-1', createdAt: '', updatedAt: '' }]));
const policy = (emails: string[]) => ({ [POLICY]: { name: 'Staff', emails } });

export const CASES: Case[] = [
	{
		name: 'user create',
		parameters: { resource: 'user', operation: 'create', username: '={{ $json.u }}', passwordMode: 'define', password: 'New-Pass-1' },
		items: [{ u: 'u1' }, { u: 'u2' }, { u: 'u3' }],
		seed: {},
		claimHolds: (json, state) => state.users[String(json.username)]?.password === 'New-Pass-1',
		touched: (item, state) => state.users[String(item.u)] !== undefined,
	},
	{
		name: 'user create over older accounts',
		parameters: { resource: 'user', operation: 'create', username: '={{ $json.u }}', passwordMode: 'define', password: 'New-Pass-1' },
		items: [{ u: 'u1' }, { u: 'u2' }, { u: 'u3' }],
		seed: { users: users(['u1', 'u2', 'u3']) },
		claimHolds: () => false,
		touched: () => false,
		invariant: (state) => ['u1', 'u2', 'u3'].every((name) => state.users[name]?.password === 'Old-Pass-1'),
	},
	{
		name: 'user create among an older account',
		parameters: { resource: 'user', operation: 'create', username: '={{ $json.u }}', passwordMode: 'define', password: 'New-Pass-1' },
		items: [{ u: 'u1' }, { u: 'u2' }, { u: 'u3' }],
		seed: { users: users(['u2']) },
		claimHolds: (json, state) => json.username !== 'u2' && state.users[String(json.username)]?.password === 'New-Pass-1',
		touched: (item, state) => (item.u === 'u2' ? state.users.u2.password !== 'Old-Pass-1' : state.users[String(item.u)] !== undefined),
		invariant: (state) => state.users.u2?.password === 'Old-Pass-1',
	},
	{
		name: 'user create or update',
		parameters: { resource: 'user', operation: 'upsert', username: '={{ $json.u }}', passwordMode: 'define', password: 'New-Pass-1' },
		items: [{ u: 'u1' }, { u: 'u2' }, { u: 'u3' }],
		seed: { users: users(['u1']) },
		claimHolds: (json, state) =>
			state.users[String(json.username)]?.password === 'New-Pass-1' && (json.created !== false || json.username === 'u1') && (json.created !== true || json.username !== 'u1'),
		touched: (item, state) => state.users[String(item.u)]?.password === 'New-Pass-1',
	},
	{
		name: 'user update',
		parameters: { resource: 'user', operation: 'update', username: '={{ $json.u }}', passwordMode: 'define', password: 'New-Pass-1' },
		items: [{ u: 'u1' }, { u: 'u2' }, { u: 'u3' }],
		seed: { users: users(['u1', 'u2', 'u3']) },
		claimHolds: (json, state) => state.users[String(json.username)]?.password === 'New-Pass-1',
		touched: (item, state) => state.users[String(item.u)]?.password === 'New-Pass-1',
	},
	{
		name: 'user update of a missing account among older ones',
		parameters: { resource: 'user', operation: 'update', username: '={{ $json.u }}', passwordMode: 'define', password: 'New-Pass-1' },
		items: [{ u: 'u1' }, { u: 'u2' }, { u: 'u3' }],
		seed: { users: users(['u1', 'u3']) },
		claimHolds: (json, state) => json.username !== 'u2' && state.users[String(json.username)]?.password === 'New-Pass-1',
		touched: (item, state) => state.users[String(item.u)]?.password === 'New-Pass-1',
		invariant: (state) => state.users.u2 === undefined,
	},
	{
		name: 'user delete, succeed if not found, one account never existed',
		parameters: { resource: 'user', operation: 'delete', username: '={{ $json.u }}', options: { succeedIfNotFound: true } },
		items: [{ u: 'u1' }, { u: 'u2' }, { u: 'u3' }],
		seed: { users: users(['u1', 'u3']) },
		claimHolds: (json, state) =>
			state.users[String(json.username)] === undefined &&
			(json.deleted === true ? json.username !== 'u2' : json.notFound === true && (json.deleted === null || json.username === 'u2')),
		touched: (item, state) => item.u !== 'u2' && state.users[String(item.u)] === undefined,
	},
	{
		name: 'user delete',
		parameters: { resource: 'user', operation: 'delete', username: '={{ $json.u }}' },
		items: [{ u: 'u1' }, { u: 'u2' }, { u: 'u3' }],
		seed: { users: users(['u1', 'u2', 'u3']) },
		claimHolds: (json, state) => json.deleted === true && state.users[String(json.username)] === undefined,
		touched: (item, state) => state.users[String(item.u)] === undefined,
	},
	{
		name: 'access policy add',
		parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: '={{ $json.e }}' },
		items: [{ e: 'a@x.com' }, { e: 'b@x.com' }, { e: 'c@x.com' }],
		seed: { policies: policy([]) },
		claimHolds: (json, state) => (json.presentEmails as string[]).every((email) => state.policies[POLICY].emails.includes(email)),
		touched: (item, state) => state.policies[POLICY].emails.includes(String(item.e)),
	},
	{
		name: 'access policy remove',
		parameters: { resource: 'accessPolicy', operation: 'removeEmails', policyId: POLICY, emails: '={{ $json.e }}' },
		items: [{ e: 'a@x.com' }, { e: 'b@x.com' }, { e: 'c@x.com' }],
		seed: { policies: policy(['a@x.com', 'b@x.com', 'c@x.com']) },
		claimHolds: (json, state) => (json.requestedEmails as string[]).every((email) => !state.policies[POLICY].emails.includes(email)),
		touched: (item, state) => !state.policies[POLICY].emails.includes(String(item.e)),
	},
	{
		name: 'whitelisting create',
		parameters: { resource: 'whitelisting', operation: 'create', mac: '={{ $json.mac }}', name: 'Device', additionalFields: { id: '={{ $json.id }}' } },
		items: macs.map((mac, i) => ({ mac, id: ids[i] })),
		seed: {},
		claimHolds: (json, state) => state.whitelistings.some((entry) => entry.id === json.id && entry.mac === json.mac),
		touched: (item, state) => state.whitelistings.some((entry) => entry.mac === item.mac),
	},
	{
		name: 'whitelisting update',
		parameters: { resource: 'whitelisting', operation: 'update', id: '={{ $json.id }}', mac: '={{ $json.mac }}', name: 'Renamed' },
		items: macs.map((mac, i) => ({ mac, id: ids[i] })),
		seed: { whitelistings: seedEntries },
		claimHolds: (json, state) => state.whitelistings.some((entry) => entry.id === json.id && entry.name === 'Renamed'),
		touched: (item, state) => state.whitelistings.some((entry) => entry.id === item.id && entry.name === 'Renamed'),
	},
	{
		name: 'whitelisting create many',
		parameters: { resource: 'whitelisting', operation: 'createMany', mac: '={{ $json.mac }}', name: 'Device', additionalFields: { id: '={{ $json.id }}' }, options: { batchSize: 2 } },
		items: macs.map((mac, i) => ({ mac, id: ids[i] })),
		seed: {},
		claimHolds: (json, state) =>
			json.status === 'created' ? state.whitelistings.some((entry) => entry.id === json.id && entry.mac === json.mac) : json.status === 'existing',
		touched: (item, state) => state.whitelistings.some((entry) => entry.mac === item.mac),
	},
	{
		name: 'whitelisting revoke many',
		parameters: { resource: 'whitelisting', operation: 'revokeMany', macs: '={{ $json.mac }}', options: { batchSize: 2 } },
		items: macs.map((mac) => ({ mac })),
		seed: { whitelistings: seedEntries },
		claimHolds: (json, state) => (json.macs as string[]).every((mac) => !state.whitelistings.some((entry) => entry.mac === mac)),
		touched: (item, state) => !state.whitelistings.some((entry) => entry.mac === item.mac),
	},
	{
		name: 'whitelisting get many',
		parameters: { resource: 'whitelisting', operation: 'getAll', returnAll: true },
		items: [{}],
		seed: { whitelistings: seedEntries },
		claimHolds: (json, state) => state.whitelistings.some((entry) => entry.id === json.id),
		touched: () => false,
		outputsPerItem: 3,
	},
];

/** An operation of CASES against the emulator's paged list (U-G6): it must read every page. */
function paged(name: string, variant: Partial<Case> & { name: string; emulator: EmulatorOptions }): Case {
	return { ...CASES.find((testCase) => testCase.name === name)!, ...variant };
}
CASES.push(
	paged('whitelisting create many', {
		// After a lost answer, Create Many reads the list to tell its own entries from older ones.
		name: 'whitelisting create many, list in Spring pages of 1',
		claimHolds: (json, state) => json.status === 'created' && state.whitelistings.some((entry) => entry.id === json.id && entry.mac === json.mac),
		emulator: { pageSize: 1, pageStyle: 'spring' },
		onlyLostAnswers: true,
	}),
	paged('whitelisting revoke many', {
		name: 'whitelisting revoke many, list in pages of 2 with next links',
		// Every MAC was whitelisted, the third on page 2 of the check.
		claimHolds: (json, state) => json.status === 'revoked' && (json.macs as string[]).every((mac) => !state.whitelistings.some((entry) => entry.mac === mac)),
		emulator: { pageSize: 2, pageStyle: 'next' },
	}),
	paged('whitelisting get many', { name: 'whitelisting get many, list in Spring pages of 2', emulator: { pageSize: 2, pageStyle: 'spring' } }),
);

