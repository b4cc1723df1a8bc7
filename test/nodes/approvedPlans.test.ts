/**
 * Approved plans, through n8n's engine: a Preview's plan item carries a planId and a summary; an
 * Apply given that planId reads again and changes exactly that plan, or sends nothing but its
 * read when anything differs.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { expectCall, expectWire, runNode, type RecordedRequest } from '../support/harness';
import { syncMac as mac, syncParameters, taggedEntry as stored } from '../support/sync';

const GET = 'GET /modules/whitelistings/active';
const wire = (calls: RecordedRequest[]) => calls.map((call) => `${call.method} ${call.path.split('/contexts/sign-in/ctx-42')[1]}`);

/** Runs Whitelisting Sync in Preview against `active` and returns its plan item. */
async function preview(active: IDataObject[], items: IDataObject[], extra: IDataObject = {}): Promise<IDataObject> {
	const calls = expectCall('GET', '/modules/whitelistings/active', 200, active);
	const result = await runNode({ parameters: syncParameters({ mode: 'preview', ...extra }), items });
	expect(wire(calls)).toEqual([GET]);
	const plan = result.output.at(-1)!.json;
	expect(plan.status).toBe('plan');
	return plan;
}

describe('Whitelisting Sync > planId and summary', () => {
	const active = [stored(1), stored(2), stored(3), stored(4, { tags: [] })];
	const items = [
		{ mac: mac(1), name: 'Device 1' },
		{ mac: mac(2), name: 'Renamed 2' },
		{ mac: mac(6), name: 'Device 6' },
	];

	it('the same input against the same state gives the same planId, whatever the order of the items or of the listed entries', async () => {
		const first = await preview(active, items);
		expect(first.planId).toMatch(/^[0-9a-f]{64}$/);
		const reordered = await preview([...active].reverse(), [...items].reverse());
		expect(reordered.planId).toBe(first.planId);
		expect(reordered.summary).toBe(first.summary);
	});

	it('the summary gives the counts, then the destructive changes first', async () => {
		const plan = await preview(active, [...items, { mac: mac(4), name: 'Device 4' }], { options: { adoptOutOfScope: true } });
		expect(plan.summary).toBe(
			'Whitelisting Sync: 1 to create, 2 to update (0 destructively), 1 to revoke, 1 unchanged, 0 conflicts: ' +
				'revoke AA:BB:CC:00:00:03 "Device 3"; update AA:BB:CC:00:00:02 "Renamed 2": name; adopt AA:BB:CC:00:00:04 "Device 4": tags; create AA:BB:CC:00:00:06 "Device 6"',
		);
	});

	it('cuts the summary after five changes with "and N more"', async () => {
		const many = [1, 2, 3, 4, 5, 6, 7].map((n) => ({ mac: `AA:BB:CC:00:01:0${n}`, name: `New ${n}` }));
		const plan = await preview([stored(1, { description: 'Front desk' })], [{ mac: mac(1), name: 'Device 1' }, ...many]);
		expect(plan.summary).toBe(
			'Whitelisting Sync: 7 to create, 1 to update (1 destructively), 0 to revoke, 0 unchanged, 0 conflicts: ' +
				'update AA:BB:CC:00:00:01 "Device 1": description destructively (descriptionCleared); create AA:BB:CC:00:01:01 "New 1"; create AA:BB:CC:00:01:02 "New 2"; ' +
				'create AA:BB:CC:00:01:03 "New 3"; create AA:BB:CC:00:01:04 "New 4"; and 3 more',
		);
	});

	it('a plan with nothing to do says so', async () => {
		const plan = await preview([stored(1)], [{ mac: mac(1), name: 'Device 1' }]);
		expect(plan.summary).toBe('Whitelisting Sync: 0 to create, 0 to update (0 destructively), 0 to revoke, 1 unchanged, 0 conflicts: nothing to change');
	});
});

describe('Whitelisting Sync > Apply with an Approved Plan ID', () => {
	// Keeping only device 1 revokes 2 and 3: 66.7 % of the Scope, above the default Max Destructive Share (50 %).
	const active = [stored(1), stored(2), stored(3)];
	const items = [{ mac: mac(1), name: 'Device 1' }];

	it('applies exactly the approved plan, even above Max Destructive Share: the read, then one Batch Remove', async () => {
		const plan = await preview(active, items);
		expect(plan).toMatchObject({ revokes: 2, applyAllowed: false });
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, active);
		expectCall('POST', '/modules/whitelistings/batch/remove', 200, { nrOfWhitelistingsInRevokeRequest: 2, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0 }, {}, calls);
		const result = await runNode({ parameters: syncParameters({ options: { approvedPlanId: plan.planId } }), items });
		expect(result.status).toBe('success');
		expect(wire(calls)).toEqual([GET, 'POST /modules/whitelistings/batch/remove']);
		expectWire(calls[1], 'POST', '/modules/whitelistings/batch/remove', { macs: [{ mac: mac(2) }, { mac: mac(3) }] });
		expect(result.output.map((item) => [item.json.status, item.json.mac])).toEqual([
			['unchanged', mac(1)],
			['revoked', mac(2)],
			['revoked', mac(3)],
		]);
	});

	it('the approval is for that plan only: without it, the same Apply is held by the valve', async () => {
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, active);
		const result = await runNode({ parameters: syncParameters(), items });
		expect(wire(calls)).toEqual([GET]);
		expect(result.error?.message).toBe(
			'Sync would revoke 2 of the 3 active entries in the Scope (66.7 %), more than Max Destructive Share allows (50 %); nothing was changed',
		);
	});

	const staleCases: Array<[string, IDataObject[], IDataObject[], IDataObject, string]> = [
		[
			'an entry in the Scope added by someone else',
			[...active, stored(5)],
			items,
			{},
			'Whitelisting Sync: 0 to create, 0 to update (0 destructively), 3 to revoke, 1 unchanged, 0 conflicts: revoke AA:BB:CC:00:00:02 "Device 2"; revoke AA:BB:CC:00:00:03 "Device 3"; revoke AA:BB:CC:00:00:05 "Device 5"',
		],
		[
			'an entry revoked by someone else',
			[stored(1), stored(2)],
			items,
			{},
			'Whitelisting Sync: 0 to create, 0 to update (0 destructively), 1 to revoke, 1 unchanged, 0 conflicts: revoke AA:BB:CC:00:00:02 "Device 2"',
		],
		[
			'an entry edited by someone else',
			[stored(1, { name: 'Edited 1' }), stored(2), stored(3)],
			items,
			{},
			'Whitelisting Sync: 0 to create, 1 to update (0 destructively), 2 to revoke, 0 unchanged, 0 conflicts: revoke AA:BB:CC:00:00:02 "Device 2"; revoke AA:BB:CC:00:00:03 "Device 3"; update AA:BB:CC:00:00:01 "Device 1": name',
		],
		[
			'another input',
			active,
			[...items, { mac: mac(2), name: 'Device 2' }],
			{},
			'Whitelisting Sync: 0 to create, 0 to update (0 destructively), 1 to revoke, 2 unchanged, 0 conflicts: revoke AA:BB:CC:00:00:03 "Device 3"',
		],
		[
			'another Scope',
			[...active.map((entry) => ({ ...entry, tags: [{ value: 'other' }] }))],
			items,
			{ scopeTag: 'other' },
			'Whitelisting Sync: 0 to create, 0 to update (0 destructively), 2 to revoke, 1 unchanged, 0 conflicts: revoke AA:BB:CC:00:00:02 "Device 2"; revoke AA:BB:CC:00:00:03 "Device 3"',
		],
	];

	it.each(staleCases)('refuses a plan that changed since its approval (%s): only the read is sent', async (_case, activeNow, itemsNow, extra, summary) => {
		const approved = (await preview(active, items)).planId as string;
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, activeNow);
		const result = await runNode({ parameters: syncParameters({ ...extra, options: { approvedPlanId: approved } }), items: itemsNow });
		expect(wire(calls)).toEqual([GET]);
		expect(nock.pendingMocks()).toEqual([]);
		const now = await preview(activeNow, itemsNow, extra);
		expect(now.planId).not.toBe(approved);
		expect(now.summary).toBe(summary);
		expect(result.error?.message).toBe(
			`Sync did not apply: its plan now has planId ${now.planId}, not the approved ${approved}; nothing was changed. The plan now: ${summary}. Review it again: run Sync in Preview and approve its planId`,
		);
		expect(result.error?.description).toBe(
			'Between the Preview a person approved and this Apply, the state or what Sync was given changed (an entry added, removed or edited by someone else, another input, another option or Context), so this is not the plan that was approved.',
		);
	});

	it('a changed option that changes no entry (Adopt Out-of-Scope Entries) still gives another plan', async () => {
		const approved = (await preview(active, items)).planId;
		const adopting = await preview(active, items, { options: { adoptOutOfScope: true } });
		expect(adopting.planId).not.toBe(approved);
	});

	it('refuses an Approved Plan ID that is no planId before any request, naming the item and the value', async () => {
		const result = await runNode({ parameters: syncParameters({ options: { approvedPlanId: 'yes' } }), items });
		expect(result.error?.message).toBe("[item 0] Approved Plan ID \"yes\" must be the planId of a Preview's plan item (64 hex digits), several separated by commas");
	});

	it('accepts the planIds of several Contexts separated by commas: each Context applies when its own plan is among them', async () => {
		const plan = await preview(active, items);
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, active);
		expectCall('POST', '/modules/whitelistings/batch/remove', 200, { nrOfWhitelistingsInRevokeRequest: 2, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0 }, {}, calls);
		const result = await runNode({ parameters: syncParameters({ options: { approvedPlanId: `${'0'.repeat(64)}, ${String(plan.planId).toUpperCase()}` } }), items });
		expect(result.status).toBe('success');
		expect(wire(calls)).toEqual([GET, 'POST /modules/whitelistings/batch/remove']);
	});

	it('Preview ignores the option', async () => {
		const plan = await preview(active, items, { options: { approvedPlanId: 'f'.repeat(64) } });
		expect(plan.revokes).toBe(2);
	});
});

describe('As a tool > Whitelisting Sync with approved plans', () => {
	const active = [stored(1), stored(2), stored(3)];
	const fromModel = { mode: "={{ $fromAI('mode', 'preview or apply', 'string') }}", mac: "={{ $fromAI('mac') }}", name: "={{ $fromAI('name') }}" };

	it('a Preview returns the planId and summary for the person to approve', async () => {
		expectCall('GET', '/modules/whitelistings/active', 200, active);
		const result = await runNode({ asTool: true, parameters: syncParameters(fromModel), items: [{ mode: 'preview', mac: mac(1), name: 'Device 1' }] });
		expect(result.output.at(-1)!.json).toMatchObject({
			status: 'plan',
			planId: (await preview(active, [{ mac: mac(1), name: 'Device 1' }])).planId,
			summary: 'Whitelisting Sync: 0 to create, 0 to update (0 destructively), 2 to revoke, 1 unchanged, 0 conflicts: revoke AA:BB:CC:00:00:02 "Device 2"; revoke AA:BB:CC:00:00:03 "Device 3"',
		});
	});

	it("applies the model's Apply when the builder's workflow supplies the approved planId, beyond Max Changes per Tool Call", async () => {
		const { planId } = await preview(active, [{ mac: mac(1), name: 'Device 1' }]);
		const calls = expectCall('GET', '/modules/whitelistings/active', 200, active);
		expectCall('POST', '/modules/whitelistings/batch/remove', 200, { nrOfWhitelistingsInRevokeRequest: 2, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0 }, {}, calls);
		const result = await runNode({
			asTool: true,
			parameters: syncParameters({ ...fromModel, toolCallLimit: 1, options: { approvedPlanId: planId } }),
			items: [{ mode: 'apply', mac: mac(1), name: 'Device 1' }],
		});
		expect(result.status).toBe('success');
		expect(wire(calls)).toEqual([GET, 'POST /modules/whitelistings/batch/remove']);
	});

	it("refuses the model's Apply when the builder's Approved Plan ID is empty in this call, sending nothing", async () => {
		const result = await runNode({
			asTool: true,
			parameters: syncParameters({ ...fromModel, options: { approvedPlanId: "={{ '' }}" } }),
			items: [{ mode: 'apply', mac: mac(1), name: 'Device 1' }],
		});
		expect(result.error?.message).toMatch(/^Whitelisting Sync may only preview in a tool call: Apply is not fixed in the Mode of this tool, and its builder supplies no Approved Plan ID\. /);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('refuses an Approved Plan ID the model supplies, sending nothing', async () => {
		const { planId } = await preview(active, [{ mac: mac(1), name: 'Device 1' }]);
		const result = await runNode({
			asTool: true,
			parameters: syncParameters({ ...fromModel, options: { approvedPlanId: "={{ $fromAI('planId', 'The approved plan', 'string') }}" } }),
			items: [{ mode: 'apply', mac: mac(1), name: 'Device 1', planId }],
		});
		const advice =
			"Nothing was changed. Call again with Mode Preview and show the plan's summary and planId to the person you assist; a person approves it in n8n, and the workflow applies it.";
		expect(result.error?.message).toBe(
			`Whitelisting Sync may not take an Approved Plan ID from a tool call: only the workflow's builder supplies it, from a person's approval. ${advice}`,
		);
		expect(nock.pendingMocks()).toEqual([]);
	});
});
