/*
 * The model server's script for examples/front-desk-assistant.json (`npm start` and the example
 * runs of the e2e suites): keywords of the last chat message pick a tool call of that example,
 * then a reply built from the tool's result. A stand-in for a model, not one.
 */
import type { ReplyContext, Turn } from './server';

const MAC = /\b([0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}|[0-9a-f]{12}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})\b/i;
const DATE = /\b(\d{4}-\d{2}-\d{2})\b/;
const EMAIL = /\b([^\s@]+@[^\s@]+\.[a-z]{2,})\b/i;
const ROOM = /\broom\s+(\d+)\b/i;

/** The tool's first output item, or the error n8n handed over. */
function firstResult({ toolResults }: ReplyContext): Record<string, unknown> {
	try {
		const parsed = JSON.parse(toolResults.at(-1) ?? '') as unknown;
		const first = Array.isArray(parsed) ? (parsed[0] as unknown) : parsed;
		return typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : { error: String(toolResults.at(-1)) };
	} catch {
		return { error: toolResults.at(-1) ?? 'no result' };
	}
}

/** The reply: the tool's error in plain words, or `done` of its result. */
function reply(done: (result: Record<string, unknown>) => string): Turn {
	return {
		text: (context) => {
			const result = firstResult(context);
			return typeof result.error === 'string' ? `That did not work: ${result.error}` : done(result);
		},
	};
}

export function frontDeskScript(message: string): Turn[] {
	const mac = MAC.exec(message)?.[1];
	const room = ROOM.exec(message)?.[1];
	const email = EMAIL.exec(message)?.[1];
	if (mac && /\b(revoke|remove|no longer|block)\b/i.test(message)) {
		if (!/\b(yes|confirm(ed)?)\b/i.test(message)) return [{ text: `Please confirm: revoke device ${mac}? It will lose access at once.` }];
		return [{ tool: 'Revoke_Device', arguments: { mac } }, reply((result) => `Device ${mac} is ${String(result.status)}.`)];
	}
	if (mac) {
		const until = DATE.exec(message)?.[1];
		if (!until) return [{ text: `Until which date (YYYY-MM-DD) should device ${mac} be let in?` }];
		const name = /\bprinter\b/i.test(message) ? 'Printer' : 'Guest device';
		return [
			{ tool: 'Whitelist_Device', arguments: { mac, deviceName: name, validUntil: until } },
			reply((result) => `Device ${String(result.mac)} (${String(result.name)}) is let in until ${String(result.toDate)}.`),
		];
	}
	if (email) {
		return [{ tool: 'Allow_Contractor_Email', arguments: { email } }, reply(() => `${email} can now sign in to the Wi-Fi.`)];
	}
	if (room && /\b(wi-?fi|account|internet)\b/i.test(message)) {
		return [
			{ tool: 'Create_Guest_Account', arguments: { username: `room-${room}` } },
			reply((result) => `The Wi-Fi account for room ${room} is ready. Please hand the guest: username ${String(result.username)}, password ${String(result.password)}.`),
		];
	}
	return [{ text: 'I can create a guest Wi-Fi account, let a device in until a date, revoke a device or allow a contractor e-mail. What do you need?' }];
}
