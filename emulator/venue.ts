/**
 * Stand-ins for two of a venue's own systems that the approved sync example talks to besides the
 * Sign-In API: its device inventory's export and a chat channel's incoming webhook.
 *
 * - `GET /__emulator/inventory`: `{ devices: [{ mac, name, tags }] }`; `PUT` with the same shape
 *   replaces it (as an export cut short would).
 * - `POST /__emulator/inbox`: a message `{ text }`, as Slack's incoming webhooks take it;
 *   `GET` lists the messages received, oldest first.
 */

export interface InventoryDevice {
	mac: string;
	name: string;
	tags: string[];
}

export interface InboxMessage {
	at: string;
	text: string;
}

/** The demo venue's device inventory: four devices that no seeded entry has. */
export const DEMO_INVENTORY: readonly InventoryDevice[] = [
	{ mac: '00:1B:63:84:46:01', name: 'Printer floor 1', tags: ['printer'] },
	{ mac: '00:1B:63:84:46:02', name: 'Printer floor 2', tags: ['printer'] },
	{ mac: '00:1B:63:84:46:03', name: 'Kiosk lobby', tags: ['kiosk'] },
	{ mac: '00:1B:63:84:46:04', name: 'Signage bar', tags: ['signage'] },
];

export interface VenueAnswer {
	status: number;
	value: unknown;
}

export class VenueSystems {
	inventory: InventoryDevice[] = DEMO_INVENTORY.map((device) => ({ ...device, tags: [...device.tags] }));
	readonly inbox: InboxMessage[] = [];

	/** The answer to a request for one of the stand-ins' routes, or undefined for any other route. */
	route(method: string, path: string, body: Record<string, unknown>): VenueAnswer | undefined {
		switch (`${method} ${path}`) {
			case 'GET /__emulator/inventory':
				return { status: 200, value: { devices: this.inventory } };
			case 'PUT /__emulator/inventory': {
				const devices = body.devices;
				if (!Array.isArray(devices) || !devices.every(isDevice)) {
					return { status: 400, value: { message: 'devices must be a list of { mac, name, tags: [string] }' } };
				}
				this.inventory = devices;
				return { status: 200, value: { devices: this.inventory.length } };
			}
			case 'GET /__emulator/inbox':
				return { status: 200, value: this.inbox };
			case 'POST /__emulator/inbox': {
				if (typeof body.text !== 'string' || body.text === '') return { status: 400, value: { message: 'text must be a non-empty string' } };
				this.inbox.push({ at: new Date().toISOString(), text: body.text });
				return { status: 200, value: { ok: true } };
			}
			default:
				return undefined;
		}
	}

	reset(): void {
		this.inventory = DEMO_INVENTORY.map((device) => ({ ...device, tags: [...device.tags] }));
		this.inbox.length = 0;
	}
}

function isDevice(value: unknown): value is InventoryDevice {
	const device = value as Partial<InventoryDevice> | null;
	return (
		typeof device === 'object' &&
		device !== null &&
		typeof device.mac === 'string' &&
		typeof device.name === 'string' &&
		Array.isArray(device.tags) &&
		device.tags.every((tag) => typeof tag === 'string')
	);
}
