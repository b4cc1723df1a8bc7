import type { IDataObject } from 'n8n-workflow';

/** Whitelisting Sync in Apply, owning the entries tagged n8n-sync, one device per item's `mac` and `name`. */
export function syncParameters(extra: IDataObject = {}): IDataObject {
	return {
		resource: 'whitelisting',
		operation: 'sync',
		scope: 'tag',
		scopeTag: 'n8n-sync',
		mode: 'apply',
		mac: '={{ $json.mac }}',
		name: '={{ $json.name }}',
		...extra,
	};
}

export const syncMac = (n: number) => `AA:BB:CC:00:00:0${n}`;

/** An active entry as the emulator stores it, tagged n8n-sync unless `extra` says otherwise. */
export function taggedEntry(n: number, extra: IDataObject = {}) {
	return {
		id: `b0000000-0000-4000-8000-00000000000${n}`,
		mac: syncMac(n),
		name: `Device ${n}`,
		description: null,
		toDate: null,
		tags: [{ value: 'n8n-sync' }],
		createdBy: null,
		...extra,
	};
}

/** Preview's last item, every count 0 and the valve open unless `counts` says otherwise; any planId and summary unless given. */
export function planItem(counts: IDataObject = {}): IDataObject {
	return {
		status: 'plan',
		creates: 0,
		updates: 0,
		destructiveUpdates: 0,
		adopts: 0,
		unchanged: 0,
		conflicts: 0,
		skipped: 0,
		revokes: 0,
		failed: 0,
		inScope: 0,
		maxShare: 50,
		destructiveShare: 0,
		applyAllowed: true,
		reason: null,
		planId: expect.stringMatching(/^[0-9a-f]{64}$/),
		summary: expect.any(String),
		...counts,
	};
}
