import type { IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { RuleViolation } from '../validation/rules';
import { readParameter } from './params';

/** The safety valve of the sync operations: the largest share of the owned entries one run may take away. */
export const DEFAULT_MAX_SHARE = 50;

export function shareOption(verb: 'Revoke' | 'Remove', owned: string): INodeProperties {
	return {
		displayName: `Max ${verb} Share (%)`,
		name: 'maxShare',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100 },
		default: DEFAULT_MAX_SHARE,
		description: `The most one run may ${verb.toLowerCase()}, as a share of the ${owned}. A run that would ${verb.toLowerCase()} more stops before it does, with an error giving the counts, so that an empty or partial input cannot wipe them. 100 allows any share.`,
	};
}

function normalizeShare(value: unknown): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
		throw new RuleViolation('must be a number from 0 to 100', value);
	}
	return value;
}

export function readMaxShare(this: IExecuteFunctions, itemIndex: number, verb: 'Revoke' | 'Remove'): number {
	return readParameter(this, itemIndex, 'options.maxShare', `Max ${verb} Share (%)`, normalizeShare, {
		whenEmpty: () => DEFAULT_MAX_SHARE,
	});
}

/**
 * The error that stops a sync taking away `taking` of `owned` entries when that is more than
 * `maxShare` percent of them; undefined when the share is allowed.
 */
export function valveError(
	node: INode,
	options: { maxShare: number; taking: number; owned: number; verb: 'Revoke' | 'Remove'; what: string; untouched: string; plan: string; itemIndex: number },
): NodeOperationError | undefined {
	const { maxShare, taking, owned, verb } = options;
	if (taking === 0 || taking * 100 <= owned * maxShare) return undefined;
	const percent = Math.round((taking * 1000) / owned) / 10;
	return new NodeOperationError(
		node,
		`Sync would ${verb.toLowerCase()} ${taking} of the ${owned} ${options.what} (${percent} %), more than Max ${verb} Share allows (${maxShare} %); ${options.untouched}`,
		{
			itemIndex: options.itemIndex,
			description: `${options.plan} An empty or partial input would ${verb.toLowerCase()} everything it left out: check that the input is complete. If these are meant to go, raise Max ${verb} Share (%) under Options (100 allows any share).`,
		},
	);
}

/** Adds a sentence to an error's description, keeping what it said. */
export function appendDescription(error: Error, note: string): void {
	const described = error as { description?: string | null };
	described.description = [described.description, note].filter(Boolean).join(' ');
}

/**
 * What the items that failed validation still name readably (a MAC address, e-mails): a sync
 * never takes it away, since the item may have meant to keep it.
 */
export function heldByInvalidItems(
	context: IExecuteFunctions,
	prepared: Array<{ itemIndex: number }>,
	read: (itemIndex: number) => string[],
): Set<string> {
	const valid = new Set(prepared.map((item) => item.itemIndex));
	const held = new Set<string>();
	context.getInputData().forEach((_item, itemIndex) => {
		if (valid.has(itemIndex)) return;
		try {
			for (const key of read(itemIndex)) held.add(key);
		} catch {
			// What cannot be read cannot keep anything.
		}
	});
	return held;
}
