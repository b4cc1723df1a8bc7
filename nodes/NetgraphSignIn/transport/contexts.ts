/**
 * The Sign-In Contexts of a Sign-In Organization API credential, as pure functions: which
 * Contexts it holds, which one an item names, and which key a request may carry. The credential's
 * `authenticate`, its test, the node's Context picker and the transport all ask these, so that
 * the rules live in one place.
 */
import { baseUrlProblem, type DestinationProblem } from './destination';

export const CONTEXT_CREDENTIAL = 'signInContextApi';
export const ORGANIZATION_CREDENTIAL = 'signInOrganizationApi';
export type CredentialName = typeof CONTEXT_CREDENTIAL | typeof ORGANIZATION_CREDENTIAL;

/** How many Contexts one organisation credential holds: its named slots `context1`..`context50`. */
export const CONTEXT_SLOTS = 50;
export const slotName = (slot: number) => `context${slot}`;

const ORGANIZATION = 'the Sign-In Organization API credential';

/** One Context of an organisation credential, without its key. */
export interface GroupContext {
	/** The slot it is stored in, e.g. `context3`. */
	slot: string;
	name: string;
	id: string;
	/** Its own Base URL, or the organisation's. */
	baseUrl: string;
	/** `{baseUrl}/v1/org/{org}/contexts/sign-in/{context}`. */
	url: string;
}

interface StoredContext {
	name?: unknown;
	contextId?: unknown;
	apiToken?: unknown;
	baseUrl?: unknown;
}

/** `{baseUrl}/v1/org/{org}/contexts/sign-in/{context}`, with a trailing slash on the base tolerated. */
export function contextAddress(baseUrl: unknown, organizationId: unknown, contextId: unknown): string {
	const base = String(baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	const org = encodeURIComponent(String(organizationId ?? '').trim());
	const context = encodeURIComponent(String(contextId ?? '').trim());
	return `${base}/v1/org/${org}/contexts/sign-in/${context}`;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

function storedSlots(credentials: Record<string, unknown>): Array<{ slot: string; stored: StoredContext }> {
	const contexts = credentials.contexts;
	if (typeof contexts !== 'object' || contexts === null) return [];
	const slots: Array<{ slot: string; stored: StoredContext }> = [];
	for (let slot = 1; slot <= CONTEXT_SLOTS; slot++) {
		const stored = (contexts as Record<string, unknown>)[slotName(slot)];
		if (typeof stored === 'object' && stored !== null) slots.push({ slot: slotName(slot), stored: stored as StoredContext });
	}
	return slots;
}

export type ContextsRead = { contexts: GroupContext[] } | { problem: DestinationProblem };

/**
 * The Contexts an organisation credential holds, in slot order, or what is wrong with it: a
 * Context without a name, ID or key, a Base URL the key may not go to, two Contexts with the same
 * name, or the same Context twice (which of its two keys would go?).
 */
export function readContexts(credentials: Record<string, unknown>): ContextsRead {
	const allowHttp = credentials.allowUnencryptedHttp === true;
	const organizationProblem = baseUrlProblem(credentials.baseUrl, allowHttp, ORGANIZATION);
	const contexts: GroupContext[] = [];
	const fix = (message: string, description: string): ContextsRead => ({ problem: { message, description } });
	for (const { slot, stored } of storedSlots(credentials)) {
		const label = `${slot.replace('context', 'Context ')} of ${ORGANIZATION}`;
		const name = text(stored.name);
		const id = text(stored.contextId);
		if (!name) return fix(`${label} has no Name`, `Enter the name people know the property by, e.g. Hotel Stockholm, in ${label}.`);
		if (!id) return fix(`Context "${name}" has no Context ID`, `Enter its Context ID, shown next to the base URL in the dashboard instructions, in ${label}.`);
		if (text(stored.apiToken) === '') return fix(`Context "${name}" has no API Key`, `Enter the Context's API key in ${label}.`);
		const ownBase = text(stored.baseUrl);
		const baseUrl = ownBase || text(credentials.baseUrl);
		const problem = ownBase ? baseUrlProblem(ownBase, allowHttp, ORGANIZATION) : organizationProblem;
		if (problem) return fix(`Context "${name}": ${problem.message}`, problem.description);
		const context: GroupContext = { slot, name, id, baseUrl, url: contextAddress(baseUrl, credentials.organizationId, id) };
		const sameName = contexts.find((other) => other.name.toLowerCase() === name.toLowerCase());
		if (sameName) {
			return fix(`Two Contexts are named "${name}"`, `Names pick a Context per item, so each must be unique. Rename one of them in ${ORGANIZATION}.`);
		}
		const same = contexts.find((other) => other.url === context.url);
		if (same) {
			return fix(
				`"${same.name}" and "${name}" are the same Context (${id})`,
				`Each Context may appear once, so that one key belongs to it. Remove one of them from ${ORGANIZATION}.`,
			);
		}
		contexts.push(context);
	}
	if (contexts.length === 0) {
		if (organizationProblem) return { problem: organizationProblem };
		return fix(`${ORGANIZATION} holds no Context`, 'Add a Context (its name, Context ID and API key) to the credential.');
	}
	return { contexts };
}

/** The names, for messages: "Hotel Stockholm, Hotel Oslo and Hotel Bergen". */
export function contextNames(contexts: GroupContext[]): string {
	const names = contexts.map((context) => `"${context.name}"`);
	return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * The Context an item names: by Context ID, else by name (any case). Empty names the only
 * Context, when there is one. Anything else is a problem that lists the names it could be.
 */
export function resolveContext(contexts: GroupContext[], value: unknown): GroupContext | DestinationProblem {
	const isText = typeof value === 'string' || typeof value === 'number';
	const wanted = isText ? String(value).trim() : '';
	if (value === undefined || value === null || (isText && wanted === '')) {
		if (contexts.length === 1) return contexts[0];
		return {
			message: `Context is empty, and the credential holds ${contexts.length} Contexts: ${contextNames(contexts)}`,
			description: 'Pick one in Context, or give a name or Context ID per item, e.g. {{ $json.property }}.',
		};
	}
	const found =
		contexts.find((context) => context.id === wanted) ?? contexts.find((context) => context.name.toLowerCase() === wanted.toLowerCase());
	if (found) return found;
	const kind = Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
	const shown = isText ? `"${wanted}"` : `(${kind})`;
	// The names are in the message itself: an AI agent's tool call gets only the message back.
	return {
		message: `Context ${shown} is not a Context of the credential, which holds ${contextNames(contexts)}`,
		description: 'Use one of these names, or its Context ID, in Context.',
	};
}

/**
 * The key a request may carry: the key of the one Context whose address (Base URL origin and
 * Context path) the request is for. A request for any other address gets no key at all, so no
 * Context's key can reach another Context's requests, whatever the node asked for.
 */
export function keyForRequest(credentials: Record<string, unknown>, target: string): { key: string; context: GroupContext } | DestinationProblem {
	const read = readContexts(credentials);
	if ('problem' in read) return read.problem;
	let url: URL;
	try {
		url = new URL(target);
	} catch {
		return { message: 'The request has no valid address', description: 'It was stopped before it was sent.' };
	}
	for (const context of read.contexts) {
		const own = new URL(context.url);
		if (url.origin === own.origin && (url.pathname === own.pathname || url.pathname.startsWith(`${own.pathname}/`))) {
			return { key: keyOf(credentials, context), context };
		}
	}
	return {
		message: `No Context of ${ORGANIZATION} is at ${url.origin}${url.pathname}`,
		description: "A Context's API key is only sent to that Context's own address, so this request was stopped before it was sent.",
	};
}

/** The stored key of one Context, for the credential test and for redaction; never output. */
export function keyOf(credentials: Record<string, unknown>, context: GroupContext): string {
	return text(storedSlots(credentials).find(({ slot }) => slot === context.slot)?.stored.apiToken);
}
