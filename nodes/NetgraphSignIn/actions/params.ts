import type { IExecuteFunctions } from 'n8n-workflow';
import { isResourceLocatorValue, NodeOperationError } from 'n8n-workflow';

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
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	normalize: (value: unknown) => T,
	options: ReadOptions<Empty> = {},
): T | Empty {
	const value = readValue(context, itemIndex, name);
	const empty = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
	if (empty && options.whenEmpty) return options.whenEmpty();
	try {
		return normalize(value);
	} catch (cause) {
		if (!(cause instanceof RuleViolation)) throw asNodeError(context.getNode(), cause);
		throw invalidInput(context, itemIndex, label, cause, options.secret ? undefined : describeValue(cause.value));
	}
}

export function invalidInput(
	context: IExecuteFunctions,
	itemIndex: number,
	label: string,
	violation: RuleViolation,
	shownValue: string | undefined,
): NodeOperationError {
	const value = shownValue === undefined ? '' : ` ${shownValue}`;
	return new NodeOperationError(context.getNode(), `[item ${itemIndex}] ${label}${value} ${violation.rule}`, {
		itemIndex,
		description: `Correct the ${label} of item ${itemIndex} and run again. Nothing was sent for this item.`,
	});
}

const FIELD_REFERENCE = /^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*|\[(?:"[^"\\]*"|'[^'\\]*'|\d+)\])+)\s*\}\}$/;
const PATH_PART = /\.([A-Za-z_$][\w$]*)|\[(?:"([^"]*)"|'([^']*)'|(\d+))\]/g;
const referenceCache = new Map<string, string[] | null>();

/** The path of an expression that only reads a field of the item (`{{ $json.mac }}`), else null. */
export function fieldReference(raw: unknown): string[] | null {
	if (typeof raw !== 'string' || !raw.startsWith('=')) return null;
	let path = referenceCache.get(raw);
	if (path === undefined) {
		const match = FIELD_REFERENCE.exec(raw);
		path = match ? [...match[1].matchAll(PATH_PART)].map((part) => part[1] ?? part[2] ?? part[3] ?? part[4]) : null;
		if (referenceCache.size < 1000) referenceCache.set(raw, path);
	}
	return path;
}

/**
 * A parameter's value for one item. Fixed values, and the commonest mapping, an expression that
 * only reads a field of the item, are read directly: the same value n8n's expression engine
 * returns, at a fraction of the cost, which matters when thousands of items go into one batch.
 * Everything else goes through the engine.
 */
const rawParameters = new WeakMap<IExecuteFunctions, unknown>();

function readValue(context: IExecuteFunctions, itemIndex: number, name: string): unknown {
	// getNode() returns a deep copy of the node on every call: read the parameters once per run.
	let raw = rawParameters.get(context);
	if (raw === undefined) {
		raw = context.getNode().parameters;
		rawParameters.set(context, raw);
	}
	for (const key of name.split('.')) raw = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[key] : undefined;
	// A resource locator holds its value with the mode it was picked in; an expression in it goes
	// through the engine.
	if (isResourceLocatorValue(raw)) {
		const value = raw.value;
		if (!(typeof value === 'string' && value.startsWith('='))) return value;
		return context.getNodeParameter(name, itemIndex, null, { extractValue: true }) as unknown;
	}
	// A fixed value is the value; n8n would only copy it. An option absent from a collection is
	// absent; an absent top-level parameter takes its default, which n8n knows.
	if (raw !== undefined && !(typeof raw === 'string' && raw.startsWith('='))) return raw;
	if (raw === undefined && name.includes('.')) return null;
	const path = fieldReference(raw);
	if (path) {
		let value: unknown = context.getInputData()[itemIndex]?.json;
		for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
		return value ?? null;
	}
	return context.getNodeParameter(name, itemIndex, null, { extractValue: true }) as unknown;
}
