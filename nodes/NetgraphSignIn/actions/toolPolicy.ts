import type { IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * What one call of the node as a tool (of n8n's AI Agent, or served by the MCP Server Trigger)
 * may do. A model's call is one input item made of the model's arguments, so the workflow run's
 * guards, which look at the share of a whole list, let a single small call through; these rules
 * look at the call itself. The verdicts are pure functions; the operations throw what they return.
 */

/** How many entries one tool call may change unless the workflow's builder sets another limit. */
export const DEFAULT_TOOL_CALL_LIMIT = 10;

export const toolCallLimitDescription: INodeProperties = {
	displayName: 'Max Changes per Tool Call',
	name: 'toolCallLimit',
	type: 'number',
	typeOptions: { minValue: 1 },
	noDataExpression: true,
	default: 10,
	description:
		'The most entries (MAC addresses, e-mails, planned sync changes) one call of this tool may change. A call naming more is refused and changes nothing.',
	displayOptions: { show: { '@tool': [true] } },
};

/** n8n runs a node as a tool under its tool type, the node's name followed by `Tool` (n8n-workflow's `@tool` rule). */
export function isToolType(nodeType: string): boolean {
	return nodeType.endsWith('Tool');
}

/**
 * Whether a parameter's stored value was fixed by the workflow's builder: a plain value, not an
 * expression. An expression may be `$fromAI()` or read the call's arguments some other way, so
 * none counts as the builder's own choice.
 */
export function isFixedValue(raw: unknown): boolean {
	return !(typeof raw === 'string' && raw.startsWith('='));
}

/** A refusal's texts: `message` says what was refused, `description` what the model may do instead. */
export interface Refusal {
	message: string;
	description: string;
}

/**
 * The error of a refusal. Its message carries the advice too: in queue mode n8n hands an MCP
 * client only an error's message, and elsewhere n8n adds the description only when the message
 * does not already hold it.
 */
export function refusalError(node: INode, itemIndex: number, refusal: Refusal): NodeOperationError {
	return new NodeOperationError(node, `${refusal.message}. ${refusal.description}`, { itemIndex, description: refusal.description });
}

/** The limit the builder fixed, or the default; undefined when the stored value is no whole number of at least 1. */
export function toolCallLimit(raw: unknown): number | undefined {
	if (raw === undefined || raw === null || raw === '') return DEFAULT_TOOL_CALL_LIMIT;
	return typeof raw === 'number' && Number.isInteger(raw) && raw >= 1 ? raw : undefined;
}

export interface Noun {
	one: string;
	many: string;
}

export const MAC_ADDRESSES: Noun = { one: 'MAC address', many: 'MAC addresses' };
export const EMAILS: Noun = { one: 'e-mail', many: 'e-mails' };

/** A call that would change `count` entries when `limit` are allowed. */
export function sizeRefusal(count: number, limit: number, verb: string, noun: Noun): Refusal | undefined {
	if (count <= limit) return undefined;
	return {
		message: `One tool call may ${verb} at most ${limit} ${limit === 1 ? noun.one : noun.many}; this call names ${count}`,
		description: `Nothing was sent. Confirm the list with the person you assist, then call again with at most ${limit} at a time.`,
	};
}

/** Whitelisting Sync's Mode as a tool call resolved it: Apply only when the builder fixed it. */
export function syncModeRefusal(mode: unknown, raw: unknown): Refusal | undefined {
	if (mode !== 'apply' || (raw === 'apply' && isFixedValue(raw))) return undefined;
	return {
		message: 'Whitelisting Sync may only preview in a tool call: Apply is not fixed in the Mode of this tool',
		description:
			'Nothing was changed. Call again with Mode Preview to get the plan and show it to the person you assist; a person applies it in n8n. To add or remove single devices, use a tool that whitelists or revokes devices by MAC address.',
	};
}

/** How many entries a planned Whitelisting Sync would create, update and revoke. */
export interface SyncChanges {
	creates: number;
	updates: number;
	revokes: number;
}

/** An applied Whitelisting Sync that would change more entries than one tool call may. */
export function syncSizeRefusal(changes: SyncChanges, limit: number): Refusal | undefined {
	const count = changes.creates + changes.updates + changes.revokes;
	if (count <= limit) return undefined;
	return {
		message: `Sync would change ${count} whitelist entries (${changes.creates} to create, ${changes.updates} to update, ${changes.revokes} to revoke), more than the ${limit} one tool call may change`,
		description:
			'Nothing was changed. Call again with Mode Preview to get the plan and show it to the person you assist; a person applies it in n8n. A sync that revokes what a call leaves out is no tool for partial lists.',
	};
}

/** Sync E-Mails has no Preview and removes what a call leaves out: never one model call. */
export function syncEmailsRefusal(): Refusal {
	return {
		message: 'Sync E-Mails cannot run as a tool: it removes every e-mail in its Scope that the call leaves out, and it has no Preview',
		description:
			'Nothing was changed. To allow or remove e-mails a person names, use tools that add or remove e-mails (a few per call); a person runs Sync E-Mails in a workflow.',
	};
}

/** Characters that make a username read as a pattern; a tool call deletes one account it names exactly. */
const PATTERN = /[*?%]/;

export function deletePatternRefusal(username: string): Refusal | undefined {
	if (!PATTERN.test(username)) return undefined;
	return {
		message: `Username "${username}" looks like a pattern: one tool call deletes only one account it names exactly`,
		description: 'Nothing was deleted. Call again with the exact username of one account; ask the person you assist for it.',
	};
}

// The hooks the operations call: no-ops outside a tool call.

/** Per run: getNode() copies the whole node, and operations ask once per item. */
const toolCalls = new WeakMap<IExecuteFunctions, boolean>();

function isToolCall(context: IExecuteFunctions): boolean {
	let toolCall = toolCalls.get(context);
	if (toolCall === undefined) toolCalls.set(context, (toolCall = isToolType(context.getNode().type)));
	return toolCall;
}

function refuse(context: IExecuteFunctions, itemIndex: number, refusal: Refusal | undefined): void {
	if (refusal) throw refusalError(context.getNode(), itemIndex, refusal);
}

/** The builder's limit of this tool; a stored value that is no whole number of at least 1 is the builder's mistake, named. */
function limitOf(context: IExecuteFunctions, itemIndex: number): number {
	const raw = context.getNode().parameters.toolCallLimit;
	const limit = toolCallLimit(raw);
	if (limit !== undefined) return limit;
	throw new NodeOperationError(context.getNode(), `Max Changes per Tool Call ${JSON.stringify(raw)} must be a fixed whole number of at least 1`, {
		itemIndex,
		description: 'The workflow builder sets it in the tool node. Nothing was sent.',
	});
}

/** Refuses a tool call that names more than the limit of entries to change. */
export function limitToolCall(context: IExecuteFunctions, itemIndex: number, count: number, verb: string, noun: Noun): void {
	if (isToolCall(context)) refuse(context, itemIndex, sizeRefusal(count, limitOf(context, itemIndex), verb, noun));
}

/** Refuses Apply in a tool call unless the builder fixed it. */
export function limitSyncMode(context: IExecuteFunctions, itemIndex: number): void {
	if (!isToolCall(context)) return;
	refuse(context, itemIndex, syncModeRefusal(context.getNodeParameter('mode', itemIndex, 'preview'), context.getNode().parameters.mode));
}

/** The error that stops an applied sync of a tool call changing more than the limit; undefined when allowed or not a tool call. */
export function syncSizeError(context: IExecuteFunctions, itemIndex: number, changes: SyncChanges): NodeOperationError | undefined {
	if (!isToolCall(context)) return undefined;
	const refusal = syncSizeRefusal(changes, limitOf(context, itemIndex));
	return refusal && refusalError(context.getNode(), itemIndex, refusal);
}

export function refuseSyncEmailsAsTool(context: IExecuteFunctions, itemIndex: number): void {
	if (isToolCall(context)) refuse(context, itemIndex, syncEmailsRefusal());
}

export function limitDelete(context: IExecuteFunctions, itemIndex: number, username: string): void {
	if (isToolCall(context)) refuse(context, itemIndex, deletePatternRefusal(username));
}
