import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { isSafeObjectProperty, NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../transport';
import { RuleViolation, describeValue } from '../validation/rules';

interface ReadOptions<Empty> {
	/** Never echo the value (passwords). */
	secret?: boolean;
	/** Returned when the parameter is absent or empty, instead of calling `normalize`. */
	whenEmpty?: () => Empty;
}

/**
 * Reads one parameter of one item and passes it through a rule from `validation/rules`. A broken
 * rule becomes an error that names the item, the field, the rule and the value.
 */
export function readParameter<T, Empty = never>(
	execution: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	normalize: (value: unknown) => T,
	options: ReadOptions<Empty> = {},
): T | Empty {
	const value = readValue(execution, itemIndex, name);
	if (options.whenEmpty && (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))) {
		return options.whenEmpty();
	}
	try {
		return normalize(value);
	} catch (cause) {
		if (!(cause instanceof RuleViolation)) throw asNodeError(execution.getNode(), cause);
		throw invalidInput(execution, itemIndex, label, cause, options.secret ? undefined : describeValue(cause.value));
	}
}

export function invalidInput(
	execution: IExecuteFunctions,
	itemIndex: number,
	label: string,
	violation: RuleViolation,
	shownValue: string | undefined,
): NodeOperationError {
	const value = shownValue === undefined ? '' : ` ${shownValue}`;
	return new NodeOperationError(execution.getNode(), `[item ${itemIndex}] ${label}${value} ${violation.rule}`, {
		itemIndex,
		description: `Correct the ${label} of item ${itemIndex} and run again. Nothing was sent for this item.`,
	});
}

/**
 * Keys n8n's expression sandbox refuses to read (n8n-workflow 2.41's list); an expression naming
 * one fails in n8n, so it is never read here. The running n8n's own list is asked as well, as it
 * may be longer.
 */
const UNSAFE_KEYS = new Set([
	'__proto__',
	'prototype',
	'constructor',
	'getPrototypeOf',
	'setPrototypeOf',
	'getOwnPropertyDescriptor',
	'getOwnPropertyDescriptors',
	'defineProperty',
	'defineProperties',
	'mainModule',
	'binding',
	'_linkedBinding',
	'_load',
	'prepareStackTrace',
	'__lookupGetter__',
	'__lookupSetter__',
	'__defineGetter__',
	'__defineSetter__',
	'caller',
	'callee',
	'arguments',
	'getBuiltinModule',
	'dlopen',
	'execve',
	'loadEnvFile',
]);

function isReadableKey(key: string): boolean {
	// n8n-workflow 1.x builds do not all export isSafeObjectProperty.
	const runtimeCheck = isSafeObjectProperty as ((key: string) => boolean) | undefined;
	// n8n refuses a bare `$` in some positions (`$json.$[...]`): never read it here.
	return key !== '$' && !UNSAFE_KEYS.has(key) && (typeof runtimeCheck !== 'function' || runtimeCheck(key));
}

/**
 * `={{ $json<path> }}` with only ASCII spaces, tabs and line breaks around the path. Anything
 * else n8n's engine may read differently: unicode spaces, escapes, braces or line breaks inside a
 * quoted key (n8n's template parser splits on `}}`), integers JavaScript would not spell the same
 * way (`[01]`, `[1e3]`, beyond 2^53).
 */
const FIELD_REFERENCE = /^=\{\{[ \t\n\r]*\$json(.+?)[ \t\n\r]*\}\}$/s;
const PATH_PART =
	/\.([A-Za-z_$][\w$]*)|\[(?:"([^"'\\{}\p{Cc}\u2028\u2029]*)"|'([^"'\\{}\p{Cc}\u2028\u2029]*)'|(0|[1-9]\d{0,14}))\]/uy;
const referenceCache = new Map<string, string[] | null>();

function parseFieldReference(raw: string): string[] | null {
	// n8n refuses any expression with `.constructor` in it, whatever it reads.
	if (raw.includes('constructor')) return null;
	const match = FIELD_REFERENCE.exec(raw);
	if (!match) return null;
	const text = match[1];
	const path: string[] = [];
	PATH_PART.lastIndex = 0;
	while (PATH_PART.lastIndex < text.length) {
		const part = PATH_PART.exec(text);
		if (!part) return null;
		const key = part[1] ?? part[2] ?? part[3] ?? part[4];
		if (!isReadableKey(key)) return null;
		path.push(key);
	}
	return path;
}

/** The path of an expression that only reads a field of the item (`{{ $json.mac }}`), else null. */
export function fieldReference(raw: unknown): string[] | null {
	if (typeof raw !== 'string' || !raw.startsWith('=')) return null;
	let path = referenceCache.get(raw);
	if (path === undefined) {
		path = parseFieldReference(raw);
		if (referenceCache.size < 1000) referenceCache.set(raw, path);
	}
	return path;
}

const NOT_READ = Symbol('not read here');

function hasOwn(value: object, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(value, key);
}

function isPlainContainer(value: object): boolean {
	return Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype;
}

/** Whether `value` is made only of JSON-like data, which n8n returns as it is. */
function isPlainData(value: unknown, depth = 0): boolean {
	if (value === null || value === undefined) return true;
	const type = typeof value;
	if (type === 'string' || type === 'number' || type === 'boolean') return true;
	if (type !== 'object' || depth > 32 || !isPlainContainer(value as object)) return false;
	return Object.values(value as object).every((entry) => isPlainData(entry, depth + 1));
}

/**
 * The field at `path` in an item, as n8n's engine reads it: an own property of plain data; a
 * field missing, or read through a missing or null one, is undefined. Anything else (inherited
 * keys, fields of strings or class instances, results that are not plain data) is NOT_READ, and
 * so is an own field named like a method every object has (`toString`, `valueOf`): n8n's `vm`
 * and `quickjs` engines refuse to read one, its legacy engine returns it.
 */
function readField(json: unknown, path: string[]): unknown {
	let value = json;
	for (const key of path) {
		if (value === null || value === undefined) return undefined;
		if (typeof value !== 'object' || !isPlainContainer(value) || key in Object.prototype) return NOT_READ;
		if (hasOwn(value, key)) value = (value as Record<string, unknown>)[key];
		else if (key in value) return NOT_READ;
		else return undefined;
	}
	return isPlainData(value) ? value : NOT_READ;
}

/**
 * `readValue` for a resource locator parameter whose modes have no `extractValue` regex: its
 * value for one item, as `getNodeParameter(name, itemIndex, null, { extractValue: true })`.
 */
export function readLocatorValue(execution: IExecuteFunctions, itemIndex: number, name: string): unknown {
	return readValue(execution, itemIndex, name, true);
}

function isLocator(value: unknown): value is { __rl: true; value: unknown } {
	return typeof value === 'object' && value !== null && (value as { __rl?: unknown }).__rl === true;
}

function containsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (value === null || typeof value !== 'object') return false;
	return Object.values(value).some(containsExpression);
}

/** How a parameter is read for every item of a run, worked out once from its stored value. */
type ReadPlan =
	/** An expression that only reads this field of the item. */
	| { field: string[] }
	/** Any other expression: n8n evaluates it for each item. */
	| { expression: true }
	/** No expression: every item gets n8n's one answer, kept when it is a primitive. */
	| { fixed: { known: boolean; value?: unknown } };

interface RunParameters {
	parameters: unknown;
	/** The plans by parameter name: as a value, and as a resource locator's value. */
	plans: Map<string, ReadPlan>;
	locatorPlans: Map<string, ReadPlan>;
	/** The run's input items, as getInputData() returns them; read when a field is first read. */
	items?: INodeExecutionData[];
}

const runParameters = new WeakMap<IExecuteFunctions, RunParameters>();

function planOf(run: RunParameters, name: string, locator: boolean): ReadPlan {
	let raw = run.parameters;
	for (const key of name.split('.')) {
		raw = raw !== null && typeof raw === 'object' && hasOwn(raw, key) ? (raw as Record<string, unknown>)[key] : undefined;
	}
	// Of a resource locator whose modes have no regex, `extractValue` returns the value as it is.
	const field = fieldReference(locator && isLocator(raw) ? raw.value : raw);
	if (field) return { field };
	if (containsExpression(raw)) return { expression: true };
	return { fixed: { known: false } };
}

function askN8n(execution: IExecuteFunctions, itemIndex: number, name: string): unknown {
	return execution.getNodeParameter(name, itemIndex, null, { extractValue: true }) as unknown;
}

/**
 * A parameter's value for one item, exactly as `getNodeParameter(name, itemIndex, null,
 * { extractValue: true })` returns it, at a fraction of the cost when thousands of items go
 * into one batch:
 * - a parameter without an expression gives every item the same answer, so n8n is asked once
 *   per run and a primitive answer is reused;
 * - the commonest mapping, an expression that only reads a field of the item, is read from the
 *   item when that is provably what n8n would return (see `fieldReference` and `readField`);
 * - everything else goes through n8n's engine.
 * Which of these applies follows from the stored parameters alone, so it is decided once per run
 * and parameter. This holds for parameters n8n does not convert after evaluating them (no
 * `extractValue` or `validateType` in their description); test/actions/params.agreement.test.ts
 * checks the node's.
 */
export function readValue(execution: IExecuteFunctions, itemIndex: number, name: string, locator = false): unknown {
	let run = runParameters.get(execution);
	if (run === undefined) {
		// getNode() returns a deep copy of the node on every call: read the parameters once per run.
		run = { parameters: execution.getNode().parameters, plans: new Map(), locatorPlans: new Map() };
		runParameters.set(execution, run);
	}
	const plans = locator ? run.locatorPlans : run.plans;
	let plan = plans.get(name);
	if (plan === undefined) plans.set(name, (plan = planOf(run, name, locator)));
	if ('field' in plan) {
		const item = (run.items ??= execution.getInputData())[itemIndex];
		const value = item ? readField(item.json, plan.field) : NOT_READ;
		return value === NOT_READ ? askN8n(execution, itemIndex, name) : value;
	}
	if ('expression' in plan) return askN8n(execution, itemIndex, name);
	if (plan.fixed.known) return plan.fixed.value;
	const value = askN8n(execution, itemIndex, name);
	if (value === null || typeof value !== 'object') plan.fixed = { known: true, value };
	return value;
}
