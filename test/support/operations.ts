import type { IDataObject } from 'n8n-workflow';

/** Whitelisting Create Many with each item's MAC and client UUID from `$json.mac` and `$json.id`. */
export function createManyParameters(batchSize: number): IDataObject {
	return {
		resource: 'whitelisting',
		operation: 'createMany',
		mac: '={{ $json.mac }}',
		name: 'Device',
		additionalFields: { id: '={{ $json.id }}' },
		options: { batchSize },
	};
}
