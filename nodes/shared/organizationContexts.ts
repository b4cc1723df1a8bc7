/**
 * The Sign-In Contexts of a Sign-In Organization API credential, as pure functions: which
 * Contexts it holds, which slots cannot be used and why, which one an item names, and which key a
 * request may carry. The credential's `authenticate`, its test, the node's Context picker and the
 * transport all ask these, so that the rules live in one place.
 */
import { baseUrlProblem, type DestinationProblem } from './destination';
import { contextAddress, contextNames, normalisedAddress, pathSegmentProblem, type SignInContext } from './signInContext';
import { slotLabel, slotNumber, storedSlots } from './slots';

export const CONTEXT_CREDENTIAL = 'signInContextApi';
export const ORGANIZATION_CREDENTIAL = 'signInOrganizationApi';
export type CredentialName = typeof CONTEXT_CREDENTIAL | typeof ORGANIZATION_CREDENTIAL;

const ORGANIZATION = 'the Sign-In Organization API credential';

/** A slot that cannot be used: its key goes nowhere, and only the items that name it fail. */
export interface UnusableSlot {
	slot: string;
	/** How messages name the slot, e.g. `Context 3 (Hotel Bergen)`. */
	label: string;
	/** Its name and Context ID as entered, '' when empty: items may still name it by them. */
	name: string;
	id: string;
	problem: DestinationProblem;
	/** The address its requests would go to, when it has one: no key is sent there, not even another Context's. */
	address?: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** A value as a message quotes it: control characters escaped, so that the message shows what is there. */
const quoted = (value: string) => JSON.stringify(value);

export type OrganizationContextsRead = { contexts: SignInContext[]; broken: UnusableSlot[] } | { problem: DestinationProblem };

interface ReadSlot {
	slot: string;
	label: string;
	name: string;
	id: string;
	key: string;
	ownBase: string;
}

/** Two slots that would make the choice of a Context, and so of its key, ambiguous. */
function clash(slots: ReadSlot[]): DestinationProblem | undefined {
	for (const [index, slot] of slots.entries()) {
		for (const earlier of slots.slice(0, index)) {
			const of = `${earlier.label} and ${slot.label} of ${ORGANIZATION}`;
			if (slot.name && slot.name.toLowerCase() === earlier.name.toLowerCase()) {
				return { message: `${of} have the same Name "${slot.name}"`, description: `Names pick a Context per item, so each must be unique (in any case). Rename one of them.` };
			}
			if (slot.id && slot.id === earlier.id) {
				return {
					message: `${of} have the same Context ID "${slot.id}"`,
					description: 'Each Context may appear once, so that one key belongs to it and a Context ID names one slot. Remove one of them.',
				};
			}
			const pairs: Array<[ReadSlot, ReadSlot]> = [
				[slot, earlier],
				[earlier, slot],
			];
			const [named, identified] = pairs.find(([one, other]) => one.name !== '' && one.name.toLowerCase() === other.id.toLowerCase()) ?? [];
			if (named && identified) {
				return {
					message: `${of}: the Name of ${named.label} is the Context ID of ${identified.label}`,
					description: 'Items pick a Context by name or by Context ID, so a name may not be another Context\'s ID. Rename the Context.',
				};
			}
		}
	}
	return undefined;
}

/**
 * What is wrong with one slot, or undefined. Every key goes only to the organisation's Base URL
 * (the API has one base URL per Organization): a slot that still holds a Base URL of its own
 * from an earlier version is not used where that would change where its key goes.
 */
function slotProblem(slot: ReadSlot, base: string): DestinationProblem | undefined {
	const fixIn = `in ${slot.label} of ${ORGANIZATION}; until then only the items for this Context fail`;
	if (!slot.name) return { message: `${slot.label} of ${ORGANIZATION} has no Name`, description: `Enter the name people know the property by, e.g. Hotel Stockholm, ${fixIn}.` };
	if (!slot.id) return { message: `${slot.label} of ${ORGANIZATION} has no Context ID`, description: `Enter its Context ID, shown next to the base URL in the dashboard instructions, ${fixIn}.` };
	const idProblem = pathSegmentProblem(slot.id);
	if (idProblem) {
		return {
			message: `${slot.label} of ${ORGANIZATION}: its Context ID ${quoted(slot.id)} ${idProblem}`,
			description: `Enter the Context ID exactly as the dashboard instructions show it ${fixIn}.`,
		};
	}
	if (!slot.key) return { message: `${slot.label} of ${ORGANIZATION} has no API Key`, description: `Enter the Context's API key ${fixIn}.` };
	if (slot.ownBase && normalisedAddress(slot.ownBase) !== base) {
		return {
			message: `${slot.label} of ${ORGANIZATION} holds a Base URL of its own (${slot.ownBase}) that differs from the organisation's (${base}), so its key is not sent; remove the Context and add it again, or give it a credential of its own with that Base URL`,
			description: `Every Context's key now goes only to the organisation's Base URL, the one base URL the API has per Organization, so that no key reaches an address it was not entered for. If the Context is at ${base}, remove ${slot.label} and add it again with its name, Context ID and API key; if it is at ${slot.ownBase}, put it in a Sign-In Organization API credential whose Base URL is that one.`,
		};
	}
	return undefined;
}

/**
 * The Contexts an organisation credential holds, in slot order, and the slots that cannot be used
 * (no name, no or a bad Context ID, no key, a Base URL of their own): those fail only the items
 * that name them. The whole credential is refused when its Base URL or Organization ID is wrong
 * (every Context uses them), when it holds no Context, and when two slots share a name or a
 * Context ID, or a name is another slot's ID (which of their keys would go?).
 */
export function readOrganizationContexts(credentials: Record<string, unknown>): OrganizationContextsRead {
	const fix = (message: string, description: string): OrganizationContextsRead => ({ problem: { message, description } });
	const organizationProblem = baseUrlProblem(credentials.baseUrl, credentials.allowUnencryptedHttp === true, ORGANIZATION);
	if (organizationProblem) return { problem: organizationProblem };
	const base = normalisedAddress(String(credentials.baseUrl)) ?? '';
	const organizationId = text(credentials.organizationId);
	const organizationIdProblem = organizationId ? pathSegmentProblem(organizationId) : 'is empty';
	if (organizationIdProblem) {
		return fix(
			`The Organization ID${organizationId ? ` ${quoted(organizationId)}` : ''} of ${ORGANIZATION} ${organizationIdProblem}`,
			'Copy the Organization ID from the dashboard instructions on the Organization\'s admin home page into Organization ID.',
		);
	}
	const slots: ReadSlot[] = storedSlots(credentials).map(({ slot, stored }) => {
		const name = text(stored.name);
		return {
			slot,
			label: `${slotLabel(slot)}${name ? ` (${name})` : ''}`,
			name,
			id: text(stored.contextId),
			key: text(stored.apiToken),
			ownBase: text(stored.baseUrl),
		};
	});
	if (slots.length === 0) return fix(`${ORGANIZATION} holds no Context`, 'Add a Context (its name, Context ID and API key) to the credential.');
	const clashing = clash(slots);
	if (clashing) return { problem: clashing };
	const contexts: SignInContext[] = [];
	const broken: UnusableSlot[] = [];
	for (const slot of slots) {
		const problem = slotProblem(slot, base);
		if (problem) {
			// Where its requests would go: no key is sent there, not even another Context's.
			const address = slot.id && !pathSegmentProblem(slot.id) ? normalisedAddress(contextAddress(slot.ownBase || base, organizationId, slot.id)) : undefined;
			broken.push({ slot: slot.slot, label: slot.label, name: slot.name, id: slot.id, problem, ...(address ? { address } : {}) });
		} else {
			contexts.push({ slot: slot.slot, name: slot.name, id: slot.id, baseUrl: base, url: contextAddress(base, organizationId, slot.id) });
		}
	}
	return { contexts, broken };
}

/**
 * The Context an item names: by Context ID, else by name (any case). Empty names the only
 * Context, when the credential holds one and no slot that cannot be used (the item may have
 * meant that one). A slot that cannot be used fails the item with its own reason. Anything else is
 * a problem that lists the names it could be.
 */
export function resolveContext(contexts: SignInContext[], value: unknown, broken: UnusableSlot[] = []): SignInContext | DestinationProblem {
	const isText = typeof value === 'string' || typeof value === 'number';
	const wanted = isText ? String(value).trim() : '';
	const all = [...contexts, ...broken].sort((one, other) => slotNumber(one.slot) - slotNumber(other.slot));
	if (value === undefined || value === null || (isText && wanted === '')) {
		if (contexts.length === 1 && broken.length === 0) return contexts[0];
		return {
			message: `Context is empty, and the credential holds ${all.length} Contexts: ${contextNames(all)}`,
			description: 'Pick one in Context, or give a name or Context ID per item, e.g. {{ $json.property }}.',
		};
	}
	const byId = (slot: { id: string }) => slot.id === wanted;
	const byName = (slot: { name: string }) => slot.name !== '' && slot.name.toLowerCase() === wanted.toLowerCase();
	const found = contexts.find(byId) ?? broken.find(byId) ?? contexts.find(byName) ?? broken.find(byName);
	if (found && 'problem' in found) {
		return { message: `Context "${wanted}" cannot be used: ${found.problem.message}`, description: found.problem.description };
	}
	if (found) return found;
	const kind = Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
	const shown = isText ? `"${wanted}"` : `(${kind})`;
	// The names are in the message itself: an AI agent's tool call gets only the message back.
	return {
		message: `Context ${shown} is not a Context of the credential, which holds ${contextNames(all)}`,
		description: 'Use one of these names, or its Context ID, in Context.',
	};
}

/**
 * The key a request may carry: the key of the one Context whose address (the organisation's
 * Base URL and the Context's path, compared after `normalisedAddress`) the request is for. A
 * request for any other address, or for an address that also lies within a slot that cannot be
 * used, gets no key at all, so no Context's key can reach another Context's requests, whatever
 * the node asked for.
 */
export function keyForRequest(credentials: Record<string, unknown>, target: string): { key: string; context: SignInContext } | DestinationProblem {
	const read = readOrganizationContexts(credentials);
	if ('problem' in read) return read.problem;
	const address = normalisedAddress(target);
	if (!address) return { message: 'The request has no valid address', description: 'It was stopped before it was sent.' };
	const within = (own: string | undefined) => own !== undefined && (address === own || address.startsWith(`${own}/`));
	const contexts = read.contexts.filter((context) => within(normalisedAddress(context.url)));
	const broken = read.broken.filter((slot) => within(slot.address));
	if (contexts.length === 1 && broken.length === 0) return { key: keyOf(credentials, contexts[0]), context: contexts[0] };
	if (contexts.length + broken.length > 1) {
		return {
			message: `The address ${address} lies within the addresses of ${contextNames([...contexts, ...broken])} in ${ORGANIZATION}`,
			description: 'Which key it may carry is ambiguous, so this request was stopped before it was sent.',
		};
	}
	if (broken.length === 1) return broken[0].problem;
	return {
		message: `No Context of ${ORGANIZATION} is at ${address}`,
		description: "A Context's API key is only sent to that Context's own address, so this request was stopped before it was sent.",
	};
}

/** The stored key of one Context, for the credential test and for redaction; never output. */
export function keyOf(credentials: Record<string, unknown>, context: SignInContext): string {
	return text(storedSlots(credentials).find(({ slot }) => slot === context.slot)?.stored.apiToken);
}
