import type { IDataObject, IExecuteFunctions, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../transport';
import type { SignInContext } from '../../shared/signInContext';
import { MAX_CONCURRENCY } from '../transport/limiter';
import { runInOrder } from './requestOptions';
import type { Prepared } from './types';

/**
 * Request Options → Contexts at Once's default: how many Contexts run side by side. Each keeps
 * its own Concurrency, Batch Size and retries, so 4 Contexts at Concurrency 1 send up to 4
 * requests at a time; a 429's pause and rate cap are the Organization's (see SharedPace).
 */
export const CONTEXTS_AT_ONCE = 4;

/** Request Options → Contexts at Once: a whole number from 1 to MAX_CONCURRENCY, as Concurrency. */
function readContextsAtOnce(execution: IExecuteFunctions): number {
	const value = execution.getNodeParameter('requestOptions.contextsAtOnce', 0, CONTEXTS_AT_ONCE) as unknown;
	if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_CONCURRENCY) return value;
	throw new NodeOperationError(execution.getNode(), `Contexts at Once must be a whole number from 1 to ${MAX_CONCURRENCY}, not ${JSON.stringify(value)}`, {
		description: 'Set Request Options > Contexts at Once to how many Contexts may be worked on side by side, e.g. 4. Nothing was sent.',
	});
}

/** How far an operation got before it failed, kept per error for the report of a run of several Contexts. */
const progressNotes = new WeakMap<Error, string[]>();

/**
 * Adds how far the run got (e.g. `Sync stopped while updating: ...`) and what to do next to the
 * error's description; the progress alone also goes into the message of a run of several
 * Contexts, where each failed Context reports its own.
 */
export function noteProgress(error: Error, progress: string, advice = ''): void {
	const described = error as { description?: string | null };
	described.description = [described.description, progress, advice].filter(Boolean).join(' ');
	progressNotes.set(error, [...(progressNotes.get(error) ?? []), progress]);
}

function progressOf(error: Error): string {
	return (progressNotes.get(error) ?? []).join(' ');
}

/** What the node keeps of a run's items: the output each has, and error items for a failed Context. */
export interface GroupOutput {
	continueOnFail: boolean;
	/** The JSON of the output items the items have so far (their own and the extras paired with them). */
	outputOf(itemIndexes: Set<number>): IDataObject[];
	/** With Continue On Fail: the Context's error becomes the output of each of its items that has none. */
	failItems(itemIndexes: number[], error: NodeApiError | NodeOperationError): void;
}

interface ContextGroup<Input> {
	/** Undefined with a one-Context credential, whose items are one group. */
	context: SignInContext | undefined;
	items: Array<Prepared<Input>>;
	state?: 'finished' | { error: NodeApiError | NodeOperationError };
}

/**
 * Runs `work` once per Context on that Context's items, in the order the Contexts first appear,
 * up to Contexts at Once at a time; with a one-Context credential, once on all items. With
 * Continue On Fail, a Context that fails gives its items error items and the others go on. Without
 * it, no further Context starts after a failure, and with several Contexts the error's message
 * (all that an AI agent's tool call gets back) reports each one: a failed Context's reason and
 * how far it got, what a finished one output, and which were not started and so not changed.
 */
export async function inContextGroups<Input>(
	execution: IExecuteFunctions,
	prepared: Array<Prepared<Input>>,
	contexts: Array<SignInContext | NodeOperationError> | undefined,
	output: GroupOutput,
	work: (items: Array<Prepared<Input>>) => Promise<void>,
): Promise<void> {
	if (prepared.length === 0) return;
	const atOnce = contexts ? readContextsAtOnce(execution) : 1;
	const groups = new Map<string, ContextGroup<Input>>();
	for (const item of prepared) {
		const itemContext = contexts?.[item.itemIndex] as SignInContext | undefined;
		const url = itemContext?.url ?? '';
		let group = groups.get(url);
		if (!group) groups.set(url, (group = { context: itemContext, items: [] }));
		group.items.push(item);
	}
	const all = [...groups.values()];
	const halted = await runInOrder(all, atOnce, async (group) => {
		try {
			await work(group.items);
			group.state = 'finished';
		} catch (cause) {
			const error = asNodeError(execution.getNode(), cause);
			group.state = { error };
			if (!output.continueOnFail) throw error;
			output.failItems(group.items.map((item) => item.itemIndex), error);
		}
	});
	if (!halted) return;
	const error = asNodeError(execution.getNode(), halted.error);
	if (all.length === 1) throw error;
	const report = groupReport(all, (group) => output.outputOf(new Set(group.items.map((item) => item.itemIndex))));
	error.message = report.message;
	error.description = report.description;
	throw error;
}

/** `3 output items (2 created, 1 unchanged)`: how many items, and their statuses where they have one. */
function outputCounts(items: IDataObject[]): string {
	const statuses = new Map<string, number>();
	for (const { status } of items) if (typeof status === 'string') statuses.set(status, (statuses.get(status) ?? 0) + 1);
	const counts = [...statuses].map(([status, count]) => `${count} ${status}`).join(', ');
	return `${items.length} output ${items.length === 1 ? 'item' : 'items'}${counts ? ` (${counts})` : ''}`;
}

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/**
 * The report of a run of several Contexts in which some failed: one line per Context, in the
 * order they first appear, after a line that counts them. Each failed Context's line has its own
 * reason and progress (a sync's "nothing was changed" is about that Context only), a finished
 * one's what it output; the description has each failed Context's own advice.
 */
function groupReport<Input>(
	groups: Array<ContextGroup<Input>>,
	outputOf: (group: ContextGroup<Input>) => IDataObject[],
): { message: string; description: string } {
	const errorOf = (group: ContextGroup<Input>) => (typeof group.state === 'object' ? group.state.error : undefined);
	const failed = groups.filter(errorOf);
	const finished = groups.filter((group) => group.state === 'finished');
	const notStarted = groups.length - failed.length - finished.length;
	const counts = [
		`${failed.length} of ${groups.length} Contexts failed`,
		...(finished.length ? [`${finished.length} finished`] : []),
		...(notStarted ? [`${notStarted} ${notStarted === 1 ? 'was' : 'were'} not started`] : []),
	];
	const nameOf = (group: ContextGroup<Input>) => `"${group.context?.name ?? ''}"`;
	const lines = groups.map((group) => {
		const name = nameOf(group);
		if (group.state === 'finished') return `${name} finished: ${outputCounts(outputOf(group))}.`;
		const error = errorOf(group);
		if (!error) return `${name} was not started: nothing was changed in it.`;
		const before = outputOf(group);
		return [
			`${name} failed: ${sentence(error.message)}`,
			progressOf(error),
			before.length ? `Before it stopped: ${outputCounts(before)}.` : '',
		]
			.filter(Boolean)
			.join(' ');
	});
	return {
		message: [`${counts.join(', ')}:`, ...lines].join('\n'),
		description: failed
			.filter((group) => errorOf(group)!.description)
			.map((group) => `${nameOf(group)}: ${errorOf(group)!.description}`)
			.join('\n'),
	};
}
