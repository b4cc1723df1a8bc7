/**
 * Which Context of a Sign-In Webhook API credential a delivery came from: the credential's main
 * Context and its further ones (in the named slots of `nodes/shared/slots.ts`), each with what is
 * wrong with it, and the one whose secret a delivery carries.
 */
import { SLOT_KEYS, slotLabel } from '../../shared/slots';
import { headerNameProblem, secretMatches, secretProblem } from './secret';

export interface WebhookContext {
	/**
	 * What the redelivery memory tells Contexts apart by: '' for the main Context (so that the
	 * events a credential remembered before it had further Contexts stay remembered), else the
	 * slot's key, which survives renaming the Context.
	 */
	key: string;
	/** How messages name it; '' for the main Context of a credential without further Contexts. */
	label: string;
	/** Added to its events under CONTEXT_NAME_FIELD (`signInContext`); undefined leaves them untouched. */
	name?: string;
	secret: string;
	/** What makes this Context unusable, without ever quoting its secret. */
	problem?: string;
}

export interface WebhookContexts {
	headerName: string;
	headerProblem?: string;
	contexts: WebhookContext[];
}

function text(value: unknown): string {
	return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function labelled(label: string, name: string | undefined): string {
	return name === undefined ? label : `${label} (${name})`;
}

/**
 * The credential's Contexts, each with what is wrong with it: its own fields first, then clashes
 * with the others (a name or a secret two Contexts share makes an event's origin ambiguous).
 * Checked by the credential test and again on every delivery.
 */
export function readWebhookContexts(data: Record<string, unknown>): WebhookContexts {
	const slots = isRecord(data.contexts) ? data.contexts : {};
	const further: WebhookContext[] = [];
	SLOT_KEYS.forEach((key) => {
		const slot = slots[key];
		if (!isRecord(slot)) return;
		const name = text(slot.name).trim() || undefined;
		const secret = text(slot.secret);
		further.push({
			key,
			label: labelled(slotLabel(key), name),
			name,
			secret,
			problem: name === undefined ? 'Name is empty' : secretProblem(secret),
		});
	});

	const mainName = text(data.contextName).trim() || undefined;
	const mainSecret = text(data.secret);
	const main: WebhookContext = {
		key: '',
		label: further.length === 0 ? '' : labelled('Main Context', mainName),
		name: mainName,
		secret: mainSecret,
		problem:
			secretProblem(mainSecret) ??
			(further.length > 0 && mainName === undefined
				? 'Context Name is empty; it is required once further Contexts are added, so that every event says which Context it came from'
				: undefined),
	};

	const contexts = [main, ...further];
	contexts.forEach((context, index) => {
		const name = context.name?.toLowerCase();
		const sameName = name === undefined ? undefined : contexts.slice(0, index).find((other) => other.name?.toLowerCase() === name);
		if (sameName) context.problem ??= `Name "${context.name}" is already used by ${sameName.label}`;
		const sameSecret = contexts.find((other) => other !== context && other.secret === context.secret);
		if (sameSecret) context.problem ??= `Secret is the same as the one of ${sameSecret.label}; every Context needs its own`;
	});
	const headerName = text(data.headerName);
	return { headerName, headerProblem: headerNameProblem(headerName), contexts };
}

/** A Context's problem as a sentence part that says which Context it is. */
export function contextProblem(context: WebhookContext): string | undefined {
	if (context.problem === undefined) return undefined;
	return context.label === '' ? context.problem : `${context.label}: ${context.problem}`;
}

/** Everything wrong with the credential, in form order. */
export function credentialProblems(contexts: WebhookContexts): string[] {
	const problems = contexts.contexts.map(contextProblem).filter((problem): problem is string => problem !== undefined);
	return contexts.headerProblem === undefined ? problems : [contexts.headerProblem, ...problems];
}

export type DeliveryOrigin =
	| { kind: 'context'; context: WebhookContext }
	/** No Context's secret came with the delivery: 401. */
	| { kind: 'unknown' }
	/** The credential cannot tell whether, or from where, the delivery came: 500, so that the platform retries it. */
	| { kind: 'misconfigured'; problem: string };

/**
 * The Context whose secret the delivery carries. Every secret is compared, each in constant time,
 * so the answer's timing says nothing about which one matched, or how many there are before it.
 */
export function originOf(contexts: WebhookContexts, received: string | undefined): DeliveryOrigin {
	if (contexts.headerProblem !== undefined) return { kind: 'misconfigured', problem: contexts.headerProblem };
	const matching = contexts.contexts.filter((context) => secretMatches(received, context.secret));
	const problems = (matching.length > 0 ? matching : contexts.contexts).map(contextProblem);
	if (matching.length === 1 && problems[0] === undefined) return { kind: 'context', context: matching[0] };
	// A matching Context that is broken, or no match while no Context at all could have matched.
	if (matching.length > 0 || problems.every((problem) => problem !== undefined)) {
		return { kind: 'misconfigured', problem: problems.filter((problem) => problem !== undefined).join('; ') };
	}
	return { kind: 'unknown' };
}
