import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../transport';
import { contextNames, type GroupContext } from '../transport/contexts';
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
function readContextsAtOnce(context: IExecuteFunctions): number {
	const value = context.getNodeParameter('requestOptions.contextsAtOnce', 0, CONTEXTS_AT_ONCE) as unknown;
	if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_CONCURRENCY) return value;
	throw new NodeOperationError(context.getNode(), `Contexts at Once must be a whole number from 1 to ${MAX_CONCURRENCY}, not ${JSON.stringify(value)}`, {
		description: 'Set Request Options > Contexts at Once to how many Contexts may be worked on side by side, e.g. 4. Nothing was sent.',
	});
}

interface ContextGroup<Input> {
	context: GroupContext;
	items: Array<Prepared<Input>>;
	state?: 'finished' | 'failed';
}

/**
 * Runs `work` once per Context on that Context's items, in the order the Contexts first appear,
 * up to Contexts at Once at a time; with a one-Context credential, once on all items. When a
 * Context fails (without Continue On Fail), no further Context starts, and the error says which
 * Contexts finished before it, which failed, and which were not started and so not changed.
 */
export async function inContextGroups<Input>(
	context: IExecuteFunctions,
	prepared: Array<Prepared<Input>>,
	contexts: Array<GroupContext | NodeOperationError> | undefined,
	work: (items: Array<Prepared<Input>>) => Promise<void>,
): Promise<void> {
	if (prepared.length === 0) return;
	if (!contexts) return await work(prepared);
	const atOnce = readContextsAtOnce(context);
	const groups = new Map<string, ContextGroup<Input>>();
	for (const item of prepared) {
		const itemContext = contexts[item.itemIndex] as GroupContext;
		let group = groups.get(itemContext.url);
		if (!group) groups.set(itemContext.url, (group = { context: itemContext, items: [] }));
		group.items.push(item);
	}
	const all = [...groups.values()];
	const halted = await runInOrder(all, atOnce, async (group) => {
		try {
			await work(group.items);
			group.state = 'finished';
		} catch (error) {
			group.state = 'failed';
			throw asNodeError(context.getNode(), error);
		}
	});
	if (!halted) return;
	const error = asNodeError(context.getNode(), halted.error);
	if (all.length === 1) throw error;
	const named = (state: ContextGroup<Input>['state']) => all.filter((group) => group !== halted.task && group.state === state).map((group) => group.context);
	const notes = [`This error is from Context "${halted.task.context.name}".`];
	const finished = named('finished');
	const failed = named('failed');
	const notStarted = named(undefined);
	if (finished.length) notes.push(`Finished: ${contextNames(finished)}.`);
	if (failed.length) notes.push(`Also failed: ${contextNames(failed)}.`);
	if (notStarted.length) notes.push(`Not started, so not changed: ${contextNames(notStarted)}.`);
	error.description = [error.description, ...notes].filter(Boolean).join(' ');
	throw error;
}

