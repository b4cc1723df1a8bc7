import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

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
	const value = context.getNodeParameter(name, itemIndex, null) as unknown;
	const empty = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
	if (empty && options.whenEmpty) return options.whenEmpty();
	try {
		return normalize(value);
	} catch (cause) {
		if (!(cause instanceof RuleViolation)) throw cause;
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
