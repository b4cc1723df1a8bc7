import type { IDataObject } from 'n8n-workflow';

import { planSync, type DesiredEntry, type PlanSettings } from '../../nodes/NetgraphSignIn/actions/whitelisting/syncPlan';
import { planItem, syncMac as mac, taggedEntry as stored } from '../support/sync';

const tagScope: PlanSettings = { scope: { kind: 'tag', tag: 'n8n-sync' }, adopt: false, maxShare: 50 };
const want = (n: number, extra: Partial<DesiredEntry> = {}): DesiredEntry => ({ mac: mac(n), name: `Device ${n}`, tags: [], ...extra });

function plan(active: IDataObject[], desired: DesiredEntry[], settings: PlanSettings = tagScope, held: string[] = []) {
	let next = 0;
	return planSync({
		settings,
		prepared: desired.map((input, itemIndex) => ({ itemIndex, input })),
		active,
		held: new Set(held),
		newId: () => `new-${++next}`,
	});
}

describe('Whitelisting Sync plan', () => {
	it('plans creates with the scope tag and a new id, updates with their changes, unchanged entries and revokes, without any request', () => {
		const result = plan([stored(1), stored(2), stored(3)], [want(1), want(2, { name: 'Renamed 2' }), want(6)]);
		expect(result.steps.map((step) => step.kind)).toEqual(['keep', 'update', 'create']);
		expect(result.steps[2]).toMatchObject({ entry: { id: 'new-1', mac: mac(6), name: 'Device 6', tags: [{ value: 'n8n-sync' }] } });
		expect(result.steps[1]).toMatchObject({ changes: { name: { from: 'Device 2', to: 'Renamed 2' } }, adopted: false, destructiveChanges: [] });
		expect(result.revokes).toEqual([{ mac: mac(3), entry: stored(3) }]);
		expect(result.text).toBe('The plan: 1 to create, 1 to update, 1 unchanged, 0 conflicts, 1 to revoke.');
		expect(result.verdict).toEqual({ allowed: true, share: 33.3 });
	});

	it.each([
		['a cleared description', { description: 'Lobby' }, {}, ['descriptionCleared']],
		['a removed tag', { tags: [{ value: 'n8n-sync' }, { value: 'printer' }] }, {}, ['tagsRemoved']],
		['Valid Until moved later', { toDate: '2030-01-31' }, { toDate: '2030-02-01' }, ['validUntilLater']],
		['Valid Until removed (permanent)', { toDate: '2030-01-31' }, {}, ['validUntilPermanent']],
		['Valid Until moved earlier', { toDate: '2030-01-31' }, { toDate: '2029-12-31' }, ['validUntilEarlier']],
		['an end date for a permanent entry', {}, { toDate: '2030-01-31' }, ['validUntilEarlier']],
		['a rename', {}, { name: 'Renamed' }, []],
		['a first description', {}, { description: 'New' }, []],
		['a changed description', { description: 'Old' }, { description: 'New' }, []],
		['an added tag', {}, { tags: [{ value: 'printer' }] }, []],
	])('%s', (_name, storedFields, desiredFields, expected) => {
		const result = plan([stored(1, storedFields as IDataObject)], [want(1, desiredFields as Partial<DesiredEntry>)], { ...tagScope, maxShare: 0 });
		expect(result.steps[0]).toMatchObject({ kind: 'update', destructiveChanges: expected });
		expect(result.summary.destructiveUpdates).toBe(expected.length ? 1 : 0);
		expect(result.verdict.allowed).toBe(expected.length === 0);
	});

	it('counts revokes and destructive updates against one share of the entries in Scope', () => {
		const active = [1, 2, 3, 4].map((n) => stored(n, { description: `Floor ${n}` }));
		const result = plan(active, [want(1, { description: 'Floor 1' }), want(2), want(3)]);
		expect(result.summary).toEqual(
			planItem({
				updates: 2,
				destructiveUpdates: 2,
				unchanged: 1,
				revokes: 1,
				inScope: 4,
				destructiveShare: 75,
				applyAllowed: false,
				reason:
					'Sync would revoke 1 and destructively update 2 of the 4 active entries in the Scope (75 %), more than Max Destructive Share allows (50 %); nothing was changed',
			}),
		);
	});

	it('a plan of only creates and harmless updates is never held, even with a share of 0', () => {
		const result = plan([stored(1)], [want(1, { name: 'Renamed' }), want(2), want(3)], { ...tagScope, maxShare: 0 });
		expect(result.summary).toMatchObject({ creates: 2, updates: 1, destructiveUpdates: 0, destructiveShare: 0, applyAllowed: true, reason: null });
	});

	it('an adopted entry joins the base, and counts when its update is destructive', () => {
		const result = plan([stored(1), stored(4, { tags: [{ value: 'manual' }] })], [want(1), want(4)], { ...tagScope, adopt: true });
		expect(result.steps[1]).toMatchObject({ kind: 'update', adopted: true, destructiveChanges: ['tagsRemoved'] });
		expect(result.summary).toMatchObject({ adopts: 1, inScope: 1, destructiveUpdates: 1, destructiveShare: 50, applyAllowed: true });
	});

	it('without Adopt, an out-of-scope entry is a conflict and not counted', () => {
		const result = plan([stored(1), stored(4, { tags: [{ value: 'manual' }] })], [want(1), want(4)]);
		expect(result.steps[1]).toMatchObject({ kind: 'keep', json: { status: 'conflict' } });
		expect(result.summary).toMatchObject({ conflicts: 1, adopts: 0, destructiveShare: 0 });
	});

	it('All Active Entries owns every entry, Entries Created By those with its value', () => {
		const active = [stored(1), stored(2, { tags: [], createdBy: 'admin' })];
		expect(plan(active, [want(1, { tags: [{ value: 'n8n-sync' }] })], { ...tagScope, scope: { kind: 'all' } }).revokes.map((revoke) => revoke.mac)).toEqual([mac(2)]);
		const byCreator = plan(active, [want(3)], { ...tagScope, scope: { kind: 'createdBy', createdBy: 'admin' } });
		expect(byCreator.revokes.map((revoke) => revoke.mac)).toEqual([mac(2)]);
		expect(byCreator.steps[0]).toMatchObject({ kind: 'create', entry: { createdBy: 'admin' } });
	});

	it('keeps what invalid items name, skips later items of a MAC, and fails an entry listed without id', () => {
		const result = plan([stored(1, { id: '' }), stored(2)], [want(1, { name: 'Renamed' }), want(1)], tagScope, [mac(2)]);
		expect(result.revokes).toEqual([]);
		expect(result.skipped).toEqual([{ itemIndex: 1, json: { ...want(1), status: 'skipped', reason: 'Same MAC address as item 0, which is synced instead.' } }]);
		expect(result.steps[0]).toEqual({
			kind: 'fail',
			item: { itemIndex: 0, input: want(1, { name: 'Renamed' }) },
			message: `[item 0] The active entry of MAC address ${mac(1)} differs but has no ID, so Sync cannot update it`,
			description: 'The service listed the entry without an ID. Update it in the Sign-In admin.',
		});
		expect(result.summary).toMatchObject({ failed: 1, skipped: 1 });
	});
});
