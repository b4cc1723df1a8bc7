import type { IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isEmailWildcard } from '../validation/rules';

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

/** Shown only in a tool node: `noDataExpression`, and read from the stored parameters, so a model's value never widens them. */
const asTool = (resource: string, operations: string[]) => ({ show: { '@tool': [true], resource: [resource], operation: operations } });

/** The account operations a tool call may run only on the usernames its builder fixed. */
export const ACCOUNT_CHANGES = { create: 'create', upsert: 'create or set the password of', update: 'set the password of', delete: 'delete' } as const;
export type AccountChange = keyof typeof ACCOUNT_CHANGES;

/** How many days after today (UTC) a tool call may set Valid Until unless the builder sets another limit. */
export const DEFAULT_TOOL_VALID_DAYS = 30;

export const toolRuleDescriptions: INodeProperties[] = [
	{
		displayName: 'Allowed Usernames',
		name: 'toolUsernames',
		type: 'string',
		noDataExpression: true,
		default: '',
		placeholder: 'e.g. room-*, guest-*',
		description:
			'The accounts a call of this tool may change: usernames or patterns, separated by commas, where * stands for any characters; case is ignored. Left empty, every call is refused, so that no model can set the password of a staff account. * alone allows every account.',
		displayOptions: asTool('user', Object.keys(ACCOUNT_CHANGES)),
	},
	{
		displayName: 'Allow Patterns',
		name: 'toolAllowPatterns',
		type: 'boolean',
		noDataExpression: true,
		default: false,
		description:
			'Whether a call of this tool may name a domain pattern (*@acme.com, *@*.acme.com), which covers everyone at the domain. Remove with a pattern also needs Revoke Active Sign-Ins off: one call never ends the sign-ins of a whole domain.',
		displayOptions: asTool('accessPolicy', ['addEmails', 'removeEmails']),
	},
	{
		displayName: 'Max Days Valid',
		name: 'toolMaxValidDays',
		type: 'number',
		typeOptions: { minValue: 1 },
		noDataExpression: true,
		default: DEFAULT_TOOL_VALID_DAYS,
		description:
			'The furthest Valid Until a call of this tool may set, in days after today (UTC). A call must give Valid Until: a tool never whitelists a device permanently, and its Update never clears Description or Tags.',
		displayOptions: asTool('whitelisting', ['create', 'createMany', 'update']),
	},
];

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

/** A number the builder fixed, or `fallback` when none is stored; undefined when the stored value is no whole number of at least 1. */
function fixedCount(raw: unknown, fallback: number): number | undefined {
	if (raw === undefined || raw === null || raw === '') return fallback;
	return typeof raw === 'number' && Number.isInteger(raw) && raw >= 1 ? raw : undefined;
}

/** The limit the builder fixed, or the default; undefined when the stored value is no whole number of at least 1. */
export function toolCallLimit(raw: unknown): number | undefined {
	return fixedCount(raw, DEFAULT_TOOL_CALL_LIMIT);
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

/**
 * What in an expression reads what a tool call's model supplies: `$fromAI()` (in any spelling n8n
 * accepts), or the call's arguments, which are the tool's input item (`$json`, `$input`,
 * `$binary`, `$item`).
 */
const MODEL_SUPPLIED = /fromai|\$json|\$input|\$binary|\$item\b/i;

/**
 * Whether the stored Approved Plan ID of a tool comes from the builder's workflow: a fixed value,
 * or an expression that reads nothing a model supplies (e.g. `{{ $('Approval').last().json.planId }}`).
 */
export function isBuilderSupplied(raw: unknown): boolean {
	if (typeof raw !== 'string' || raw.trim() === '' || raw.trim() === '=') return false;
	return isFixedValue(raw) || !MODEL_SUPPLIED.test(raw);
}

/**
 * A sync's Mode as a tool call resolved it: Preview always; Apply when the builder fixed it (where
 * `fixedApplyAllowed`: Whitelisting Sync, as before approved plans), or when the builder's workflow
 * supplies the Approved Plan ID (Apply then runs only that plan) and it is not empty in this call
 * (`approvedValue`, what the stored value resolved to); an Approved Plan ID from the model is
 * refused whatever the Mode.
 */
export function syncModeRefusal(
	sync: string,
	mode: unknown,
	raw: unknown,
	approvedRaw: unknown,
	fixedApplyAllowed = true,
	approvedValue: unknown = approvedRaw,
): Refusal | undefined {
	const stored = !(approvedRaw === undefined || approvedRaw === null || approvedRaw === '');
	if (stored && !isBuilderSupplied(approvedRaw)) {
		return {
			message: `${sync} may not take an Approved Plan ID from a tool call: only the workflow's builder supplies it, from a person's approval`,
			description:
				'Nothing was changed. Call again with Mode Preview and show the plan\'s summary and planId to the person you assist; a person approves it in n8n, and the workflow applies it.',
		};
	}
	const approvalGiven = stored && typeof approvedValue === 'string' && approvedValue.trim() !== '';
	if (mode !== 'apply' || (fixedApplyAllowed && raw === 'apply' && isFixedValue(raw)) || approvalGiven) return undefined;
	return {
		message: fixedApplyAllowed
			? `${sync} may only preview in a tool call: Apply is not fixed in the Mode of this tool, and its builder supplies no Approved Plan ID`
			: `${sync} may only preview in a tool call: its builder supplies no Approved Plan ID`,
		description:
			'Nothing was changed. Call again with Mode Preview to get the plan, and show its summary and planId to the person you assist; a person approves it in n8n, and the workflow applies it. To add or remove single entries, use a tool that adds or removes them one by one.',
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

/** Characters that make a username read as a pattern; a tool call deletes one account it names exactly. */
const PATTERN = /[*?%]/;

export function deletePatternRefusal(username: string): Refusal | undefined {
	if (!PATTERN.test(username)) return undefined;
	return {
		message: `Username "${username}" looks like a pattern: one tool call deletes only one account it names exactly`,
		description: 'Nothing was deleted. Call again with the exact username of one account; ask the person you assist for it.',
	};
}

/** The usernames the builder fixed: comma-separated, `*` for any characters; none when empty or not a fixed value. */
export function usernamePatterns(raw: unknown): string[] {
	if (typeof raw !== 'string' || !isFixedValue(raw)) return [];
	return raw
		.split(',')
		.map((pattern) => pattern.trim())
		.filter((pattern) => pattern !== '');
}

/** Whether `username` matches one of the patterns, ignoring case: the API may compare usernames in any case. */
export function matchesUsername(username: string, patterns: string[]): boolean {
	return patterns.some((pattern) => {
		const literal = pattern.split('*').map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, '\\$&'));
		return new RegExp(`^${literal.join('.*')}$`, 'is').test(username);
	});
}

/** An account change as a tool call: only on usernames the builder fixed; none fixed refuses every call. */
export function usernameRefusal(username: string, raw: unknown, change: AccountChange): Refusal | undefined {
	const patterns = usernamePatterns(raw);
	const verb = ACCOUNT_CHANGES[change];
	if (patterns.length === 0) {
		const why = typeof raw === 'string' && !isFixedValue(raw) ? 'its Allowed Usernames is an expression, and only a fixed value counts' : 'no Allowed Usernames is fixed in it';
		return {
			message: `This tool may not ${verb} any account (refused "${username}"): ${why}`,
			description:
				"Nothing was changed. Tell the person you assist that a person handles this account in n8n or the Sign-In admin. The workflow's builder sets Allowed Usernames (e.g. room-*) in this tool node to let it change guest accounts.",
		};
	}
	if (matchesUsername(username, patterns)) return undefined;
	const allowed = patterns.join(', ');
	return {
		message: `Username "${username}" is outside the accounts this tool may ${verb} (${allowed})`,
		description: `Nothing was changed. Call again only with a username matching ${allowed}; any other account, a staff account say, is handled by a person in n8n or the Sign-In admin.`,
	};
}

/**
 * Domain patterns in Add or Remove E-Mails as a tool call: refused unless the builder fixed Allow
 * Patterns; a Remove also ends the sign-ins of everyone a pattern covers unless Revoke Active
 * Sign-Ins is off, which no single call may do.
 */
export function emailPatternRefusal(emails: string[], allowRaw: unknown, verb: 'add' | 'remove', revokesSignIns = false): Refusal | undefined {
	const patterns = emails.filter(isEmailWildcard);
	if (patterns.length === 0) return undefined;
	const named = patterns.join(', ');
	const instead = 'Call again with the full e-mail addresses (alice@acme.com) the person you assist names; a person changes domain patterns in n8n or the Sign-In admin.';
	if (allowRaw !== true) {
		return {
			message: `This tool may not ${verb} a domain pattern (${named}): a pattern covers everyone at the domain, and Allow Patterns is not on in this tool`,
			description: `Nothing was sent. ${instead}`,
		};
	}
	if (!revokesSignIns) return undefined;
	return {
		message: `Removing ${named} would end the active sign-ins of everyone at the domain: this tool removes a pattern only with Revoke Active Sign-Ins off`,
		description: `Nothing was sent. ${instead}`,
	};
}

/** The days the builder fixed, or the default; undefined when the stored value is no whole number of at least 1. */
export function toolValidDays(raw: unknown): number | undefined {
	return fixedCount(raw, DEFAULT_TOOL_VALID_DAYS);
}

const DAY = 86_400_000;

/** The date `days` after `today`'s date in UTC, as YYYY-MM-DD. */
export function daysAfter(today: Date, days: number): string {
	const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
	return new Date(midnight + days * DAY).toISOString().slice(0, 10);
}

/**
 * A whitelist entry a tool call creates or updates: Valid Until (YYYY-MM-DD, or none) must be
 * given and at most `days` after today in UTC; an entry without one would be permanent.
 */
export function validUntilRefusal(toDate: string | null | undefined, days: number, today: Date): Refusal | undefined {
	const latest = daysAfter(today, days);
	if (toDate && toDate <= latest) return undefined;
	const ask = 'ask the person you assist for the check-out date; a person whitelists a device for longer in n8n or the Sign-In admin.';
	if (!toDate) {
		return {
			message: 'Valid Until is required in a tool call: a tool never whitelists a device permanently',
			description: `Nothing was sent. Call again with Valid Until (YYYY-MM-DD) no later than ${latest}; ${ask}`,
		};
	}
	return {
		message: `Valid Until ${toDate} is more than ${days} ${days === 1 ? 'day' : 'days'} ahead: the latest this tool may set is ${latest}`,
		description: `Nothing was sent. Call again with Valid Until no later than ${latest}; ${ask}`,
	};
}

/** Update replaces the entry: as a tool call, an empty Description or Tags would clear it, which no call may do. */
export function clearingRefusal(entry: { description?: string; tags?: unknown[] }): Refusal | undefined {
	const cleared = [!entry.description && 'Description', !entry.tags?.length && 'Tags'].filter((field): field is string => Boolean(field));
	if (cleared.length === 0) return undefined;
	return {
		message: `Update in a tool call may not clear ${cleared.join(' and ')}: this call gives ${cleared.length === 1 ? 'it' : 'them'} empty, and Update replaces the whole entry`,
		description: `Nothing was sent. Look the entry up first, then call again with its ${cleared.join(' and ')} (the current ones, to keep them); a person clears fields in n8n or the Sign-In admin.`,
	};
}

// The hooks the operations call: no-ops outside a tool call.

/** Per run: getNode() copies the whole node, and operations ask once per item. */
const toolCalls = new WeakMap<IExecuteFunctions, boolean>();

function isToolCall(execution: IExecuteFunctions): boolean {
	let toolCall = toolCalls.get(execution);
	if (toolCall === undefined) toolCalls.set(execution, (toolCall = isToolType(execution.getNode().type)));
	return toolCall;
}

function refuse(execution: IExecuteFunctions, itemIndex: number, refusal: Refusal | undefined): void {
	if (refusal) throw refusalError(execution.getNode(), itemIndex, refusal);
}

/** A number the builder fixed in this tool; a stored value that is no whole number of at least 1 is the builder's mistake, named. */
function builderCount(execution: IExecuteFunctions, itemIndex: number, name: string, label: string, read: (raw: unknown) => number | undefined): number {
	const raw = execution.getNode().parameters[name];
	const count = read(raw);
	if (count !== undefined) return count;
	throw new NodeOperationError(execution.getNode(), `${label} ${JSON.stringify(raw)} must be a fixed whole number of at least 1`, {
		itemIndex,
		description: 'The workflow builder sets it in the tool node. Nothing was sent.',
	});
}

function limitOf(execution: IExecuteFunctions, itemIndex: number): number {
	return builderCount(execution, itemIndex, 'toolCallLimit', 'Max Changes per Tool Call', toolCallLimit);
}

/** Refuses a tool call that names more than the limit of entries to change. */
export function limitToolCall(execution: IExecuteFunctions, itemIndex: number, count: number, verb: string, noun: Noun): void {
	if (isToolCall(execution)) refuse(execution, itemIndex, sizeRefusal(count, limitOf(execution, itemIndex), verb, noun));
}

/** Refuses Apply in a tool call unless the builder fixed it or supplies the Approved Plan ID; refuses an Approved Plan ID from the model. */
export function limitSyncMode(execution: IExecuteFunctions, itemIndex: number, sync: string, defaultMode = 'preview', fixedApplyAllowed = true): void {
	if (!isToolCall(execution)) return;
	const { mode, options } = execution.getNode().parameters;
	const approvedRaw = (options as { approvedPlanId?: unknown } | undefined)?.approvedPlanId;
	const approvedValue = execution.getNodeParameter('options.approvedPlanId', itemIndex, '');
	refuse(execution, itemIndex, syncModeRefusal(sync, execution.getNodeParameter('mode', itemIndex, defaultMode), mode, approvedRaw, fixedApplyAllowed, approvedValue));
}

/** The error that stops an applied sync of a tool call changing more than the limit; undefined when allowed or not a tool call. */
export function syncSizeError(execution: IExecuteFunctions, itemIndex: number, changes: SyncChanges): NodeOperationError | undefined {
	if (!isToolCall(execution)) return undefined;
	const refusal = syncSizeRefusal(changes, limitOf(execution, itemIndex));
	return refusal && refusalError(execution.getNode(), itemIndex, refusal);
}

export function limitDelete(execution: IExecuteFunctions, itemIndex: number, username: string): void {
	if (isToolCall(execution)) refuse(execution, itemIndex, deletePatternRefusal(username));
}

export function limitAccount(execution: IExecuteFunctions, itemIndex: number, username: string, change: AccountChange): void {
	if (isToolCall(execution)) refuse(execution, itemIndex, usernameRefusal(username, execution.getNode().parameters.toolUsernames, change));
}

export function limitEmailPatterns(execution: IExecuteFunctions, itemIndex: number, emails: string[], verb: 'add' | 'remove', revokesSignIns?: boolean): void {
	if (isToolCall(execution)) refuse(execution, itemIndex, emailPatternRefusal(emails, execution.getNode().parameters.toolAllowPatterns, verb, revokesSignIns));
}

/** Valid Until of an entry a tool call creates or updates, and, for Update, no field cleared. */
export function limitEntry(execution: IExecuteFunctions, itemIndex: number, entry: { toDate?: string | null; description?: string; tags?: unknown[] }, replaces: boolean): void {
	if (!isToolCall(execution)) return;
	const days = builderCount(execution, itemIndex, 'toolMaxValidDays', 'Max Days Valid', toolValidDays);
	refuse(execution, itemIndex, validUntilRefusal(entry.toDate, days, new Date()));
	if (replaces) refuse(execution, itemIndex, clearingRefusal(entry));
}
