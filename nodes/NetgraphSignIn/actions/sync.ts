import type { IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { RuleViolation } from '../validation/rules';
import { mayShareContext } from './contexts';
import { readParameter } from './params';

/** The safety valve of the sync operations: the largest share of the owned entries one run may take away. */
export const DEFAULT_MAX_SHARE = 50;

/** What a sync's valve limits: Sync E-Mails removes, Whitelisting Sync revokes and updates destructively. */
export type ShareVerb = 'Revoke' | 'Remove' | 'Destructive';

/** The valve's option; `description` replaces the text written for a plain verb. */
export function shareOption(verb: ShareVerb, owned: string, description?: string): INodeProperties {
	return {
		displayName: `Max ${verb} Share (%)`,
		name: 'maxShare',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100 },
		default: DEFAULT_MAX_SHARE,
		description:
			description ??
			`The most one run may ${verb.toLowerCase()}, as a share of the ${owned}. A run that would ${verb.toLowerCase()} more stops before it does, with an error giving the counts, so that an empty or partial input cannot wipe them. 100 allows any share.`,
	};
}

function normalizeShare(value: unknown): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
		throw new RuleViolation('must be a number from 0 to 100', value);
	}
	return value;
}

export function readMaxShare(this: IExecuteFunctions, itemIndex: number, verb: ShareVerb): number {
	return readParameter(this, itemIndex, 'options.maxShare', `Max ${verb} Share (%)`, normalizeShare, {
		whenEmpty: () => DEFAULT_MAX_SHARE,
	});
}

export interface ValveOptions {
	maxShare: number;
	/** How many of the owned entries the run would take away (or, for Whitelisting Sync, change destructively). */
	taking: number;
	owned: number;
	verb: ShareVerb;
	what: string;
	untouched: string;
	plan: string;
	/** What the run would do, e.g. `revoke 3 and destructively update 5`; by default the verb and `taking`. */
	doing?: string;
	/** Why such a share is suspect and what to check; by default the empty or partial input. */
	risk?: string;
	/** The advice's opening, by default `If these are meant to go`. */
	meant?: string;
}

/** The valve's decision, with the share in percent (one decimal) and, when held, the error's texts. */
export type ValveVerdict =
	| { allowed: true; share: number }
	| { allowed: false; share: number; message: string; description: string };

/** Whether a sync may take `taking` of `owned` entries when at most `maxShare` percent of them may go. */
export function valveVerdict(options: ValveOptions): ValveVerdict {
	const { maxShare, taking, owned } = options;
	const share = owned > 0 ? Math.round((taking * 1000) / owned) / 10 : taking > 0 ? 100 : 0;
	if (taking === 0 || taking * 100 <= owned * maxShare) return { allowed: true, share };
	const verb = options.verb.toLowerCase();
	const option = `Max ${options.verb} Share`;
	return {
		allowed: false,
		share,
		message: `Sync would ${options.doing ?? `${verb} ${taking}`} of the ${owned} ${options.what} (${share} %), more than ${option} allows (${maxShare} %); ${options.untouched}`,
		description: `${options.plan} ${options.risk ?? `An empty or partial input would ${verb} everything it left out: check that the input is complete.`} ${options.meant ?? 'If these are meant to go'}, raise ${option} (%) under Options (100 allows any share).`,
	};
}

/**
 * The error that stops a sync taking away `taking` of `owned` entries when that is more than
 * `maxShare` percent of them; undefined when the share is allowed.
 */
export function valveError(node: INode, options: ValveOptions & { itemIndex: number }): NodeOperationError | undefined {
	const verdict = valveVerdict(options);
	if (verdict.allowed) return undefined;
	return new NodeOperationError(node, verdict.message, { itemIndex: options.itemIndex, description: verdict.description });
}

/**
 * What the items of this sync's Context that failed validation still name readably (a MAC
 * address, e-mails): a sync never takes it away, since the item may have meant to keep it. An
 * item that names no Context of the credential may have meant this one, so it holds too; the
 * items of other Contexts never do.
 */
export function heldByInvalidItems(
	execution: IExecuteFunctions,
	prepared: Array<{ itemIndex: number }>,
	read: (itemIndex: number) => string[],
): Set<string> {
	const valid = new Set(prepared.map((item) => item.itemIndex));
	const held = new Set<string>();
	execution.getInputData().forEach((_item, itemIndex) => {
		if (valid.has(itemIndex) || !mayShareContext(execution, itemIndex, prepared[0].itemIndex)) return;
		try {
			for (const key of read(itemIndex)) held.add(key);
		} catch {
			// What cannot be read cannot keep anything.
		}
	});
	return held;
}
