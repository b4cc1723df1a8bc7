/*
 * The device-inventory load: many webhook-started executions at once, each whitelisting devices
 * of its own with Create Many. Shared by the queue-mode suite and the benchmark.
 */
import type { SignInEmulator } from '../emulator/server';
import type { N8nClient } from './n8n';
import { CREDENTIAL_NAME, NODE_TYPE, NODE_VERSION, type Workflow } from './stack';

/** Inventory export (webhook, answers with the last node's items) -> one item per device -> Create Many. */
export function inventoryWorkflow(credentialId: string, path: string, batchSize = 100): Workflow {
	return {
		name: `inventory load ${path}`,
		nodes: [
			{ id: `${path}-1`, name: 'Inventory export', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `${path}-hook`, parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} } },
			{ id: `${path}-2`, name: 'One item per device', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [240, 0], parameters: { fieldToSplitOut: 'body.devices', options: {} } },
			{
				id: `${path}-3`,
				name: 'Whitelist devices',
				type: NODE_TYPE,
				typeVersion: NODE_VERSION,
				position: [480, 0],
				parameters: { resource: 'whitelisting', operation: 'createMany', mac: '={{ $json.mac }}', name: '={{ $json.name }}', additionalFields: { createdBy: 'inventory-sync' }, options: { batchSize } },
				credentials: { signInContextApi: { id: credentialId, name: CREDENTIAL_NAME } },
			},
		],
		connections: {
			'Inventory export': { main: [[{ node: 'One item per device', type: 'main', index: 0 }]] },
			'One item per device': { main: [[{ node: 'Whitelist devices', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');

/** The devices of inventory `batch` (0-255): MACs 02:4C:<batch>:<device>, which no other batch shares. */
export function inventoryDevices(batch: number, count: number): Array<{ mac: string; name: string }> {
	return Array.from({ length: count }, (_, device) => ({ mac: `02:4C:${hex(batch)}:00:${hex(device >> 8)}:${hex(device & 255)}`, name: `Device ${batch}-${device}` }));
}

export interface LoadResult {
	wallMs: number;
	/** Requests the emulator received during the load. */
	requests: number;
	answers: Array<{ status: number; body: unknown }>;
	/** The devices each batch sent, by batch number. */
	devices: Array<Array<{ mac: string; name: string }>>;
}

/** Calls the inventory webhook `executions` times at once, batch `first + i` carrying `devices` devices of its own. */
export async function runInventoryLoad(client: N8nClient, emulator: SignInEmulator, path: string, executions: number, devices: number, first = 0): Promise<LoadResult> {
	const batches = Array.from({ length: executions }, (_, i) => inventoryDevices(first + i, devices));
	const before = emulator.requests.length;
	const started = Date.now();
	const answers = await Promise.all(batches.map((batch, i) => client.webhook(path, { batch: first + i, devices: batch })));
	return { wallMs: Date.now() - started, requests: emulator.requests.length - before, answers, devices: batches };
}
