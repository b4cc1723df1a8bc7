/**
 * The named slots a credential stores its Contexts in (`context1`..`context50`), never a list:
 * n8n restores the blanked secrets of an edited credential by key, so a list would hand a deleted
 * entry's secret to the entry that moved up. The Sign-In Organization API and the Sign-In Webhook
 * API credentials both use them.
 */

/** How many Contexts one credential's slots hold. */
export const SLOT_COUNT = 50;
export const slotKey = (slot: number) => `context${slot}`;
export const SLOT_KEYS: readonly string[] = Array.from({ length: SLOT_COUNT }, (_, index) => slotKey(index + 1));
export const slotNumber = (slot: string) => Number(slot.replace('context', ''));
/** How messages name a slot, e.g. `Context 3`. */
export const slotLabel = (slot: string) => `Context ${slotNumber(slot)}`;

export interface StoredSlot {
	name?: unknown;
	contextId?: unknown;
	apiToken?: unknown;
	baseUrl?: unknown;
}

/** The slots of an Organization credential that hold something, in slot order. */
export function storedSlots(credentials: Record<string, unknown>): Array<{ slot: string; stored: StoredSlot }> {
	const contexts = credentials.contexts;
	if (typeof contexts !== 'object' || contexts === null) return [];
	const slots: Array<{ slot: string; stored: StoredSlot }> = [];
	for (const slot of SLOT_KEYS) {
		const stored = (contexts as Record<string, unknown>)[slot];
		if (typeof stored === 'object' && stored !== null) slots.push({ slot, stored: stored as StoredSlot });
	}
	return slots;
}
