import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { savedAtVersion1 } from '../nodeVersion';
import { asNodeError, failureOf, limiterOf } from '../transport';
import { noteProgress } from './contextGroups';
import { runInOrder } from './requestOptions';
import type { BatchOutcome, Prepared } from './types';

/** The API documents no batch limit (U-W7); 500 per request keeps each well below any plausible cap. */
export const DEFAULT_BATCH_SIZE = 500;

export function batchSizeOption(): INodeProperties {
	return {
		displayName: 'Batch Size',
		name: 'batchSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 10000 },
		default: 500,
		description:
			'How many entries go into one request, at most. The API documents no limit; smaller batches mean more requests, larger ones risk being refused by the service.',
	};
}

export function readBatchSize(this: IExecuteFunctions, itemIndex: number, unset = DEFAULT_BATCH_SIZE): number {
	const size = this.getNodeParameter('options.batchSize', itemIndex, unset) as number;
	return Number.isInteger(size) && size >= 1 ? size : unset;
}

/** What one request's answer said about the entries it carried. */
export interface BatchAnswer<Result, Summary> {
	/** One result per entry sent, in the order they were sent. */
	results: Result[];
	/** What the answer says about the request as a whole (its counts, the policy after the change). */
	summary: Summary;
	/** An earlier attempt may have been applied before its answer was lost. */
	uncertain: boolean;
}

/** An answered request, as the items whose entries it carried see it. */
export interface AnsweredBatch<Summary> {
	summary: Summary;
	uncertain: boolean;
	/** Answers are numbered as they arrive, so that the latest one is known. */
	order: number;
}

/**
 * What a batched operation tells the driver: what an item's entries are, how one request for
 * some entries is sent and its answer read, and how an item's output follows from the answers
 * about its entries. The driver does the rest.
 */
export interface BatchPlan<Input, Entry, Result, Summary> {
	/** Items whose keys differ never share a request (another policy, other flags). */
	groupKey?(input: Input, itemIndex: number): string;
	/** Groups with the same key send their requests one after another, never side by side. */
	orderKey?(input: Input): string;
	/** Batch Size when the node does not set it; DEFAULT_BATCH_SIZE unless given. */
	unsetBatchSize?: number;
	/** The entries of one item. An entry that several items of a group carry is sent once. */
	entries(input: Input): Entry[];
	/** The entry's identity; also how `failedEntries` names it. */
	entryKey(entry: Entry): string;
	/** The key `failedEntries` uses for an entry, e.g. `email`. */
	entryField: string;
	noun: { one: string; many: string };
	/** One request for these entries; throws when the call fails. `input` is the group's first item's. */
	send(this: IExecuteFunctions, entries: Entry[], input: Input, itemIndex: number): Promise<BatchAnswer<Result, Summary>>;
	/**
	 * One item's output from what the answers said about its entries. `resultOf` is undefined for an
	 * entry whose request failed; `batches` are the answers that carried its entries, oldest first.
	 */
	describe(input: Input, resultOf: (entry: Entry) => Result | undefined, batches: Array<AnsweredBatch<Summary>>): IDataObject;
	/**
	 * Whether another answer's `summary` shows an entry otherwise than its own answer did: a
	 * policy whose list lost an e-mail added beside it. Asked only of groups whose requests were
	 * in flight at the same time; when no answer agrees with all the others, the differing
	 * entries are sent once more, alone, and fail if even that answer disagrees.
	 */
	disagrees?(entry: Entry, own: Result, summary: Summary): boolean;
}

/** For `describe`: the entries that have a result, in order, and their results, each entry asked once. */
export function answeredEntries<Entry, Result>(
	entries: Entry[],
	resultOf: (entry: Entry) => Result | undefined,
): { answered: Entry[]; results: Result[] } {
	const answered: Entry[] = [];
	const results: Result[] = [];
	for (const entry of entries) {
		const result = resultOf(entry);
		if (result === undefined) continue;
		answered.push(entry);
		results.push(result);
	}
	return { answered, results };
}

type SlotState<Result, Summary> =
	| { result: Result; batch: AnsweredBatch<Summary>; confirmedBy?: AnsweredBatch<Summary> }
	| { error: Error; mayHaveApplied: boolean };

interface Slot<Entry, Result, Summary> {
	entry: Entry;
	/** The first item carrying the entry: a request is reported under its first entry's item. */
	itemIndex: number;
	state?: SlotState<Result, Summary>;
}

interface Group<Input, Entry, Result, Summary> {
	input: Input;
	slots: Map<string, Slot<Entry, Result, Summary>>;
	/** Requests of the group in flight now, and whether two ever were at once. */
	inFlight?: number;
	sideBySide?: boolean;
}

/**
 * Extra requests one refused batch of `size` entries may spend on splitting: enough to isolate
 * two refused entries by halving (each costs two requests per level).
 */
export function splitBudget(size: number): number {
	return 4 * Math.ceil(Math.log2(Math.max(2, size)));
}

/** The service's message when it refused a request as invalid (400) and nothing of it was applied. */
function refusalOf(error: Error): string | undefined {
	const failure = failureOf(error);
	if (failure?.status !== 400 || failure.uncertain) return undefined;
	return failure.detail ?? error.message;
}

function mayHaveApplied(error: Error): boolean {
	return failureOf(error)?.uncertain ?? true;
}

/**
 * The one batch driver. It gathers the entries of all items (per group), sends them in requests
 * of at most Batch Size entries, up to Concurrency requests at a time, and gives every item one
 * output that says what the answers said about its own entries, however many requests they
 * took. With Continue On Fail, a batch the service refuses with 400 is split in halves until the
 * refused entries are found (within `splitBudget`), so that only they fail; a refusal both halves
 * repeat is about the request, not an entry, and fails the whole batch (a node saved at version 1
 * fails the refused batch whole, as it did). Without it, the first failure stops the run and says
 * what earlier requests did.
 */
export async function sendInBatches<Input, Entry, Result, Summary>(
	execution: IExecuteFunctions,
	prepared: Array<Prepared<Input>>,
	continueOnFail: boolean,
	plan: BatchPlan<Input, Entry, Result, Summary>,
): Promise<BatchOutcome[]> {
	const node = execution.getNode();
	const size = readBatchSize.call(execution, prepared[0].itemIndex, plan.unsetBatchSize);
	const groups = new Map<string, Group<Input, Entry, Result, Summary>>();
	// Each item keeps its entries' slots, so that its outcome reads their states without looking them up again.
	const placed: Array<{ item: Prepared<Input>; group: Group<Input, Entry, Result, Summary>; slots: Array<Slot<Entry, Result, Summary>> }> = [];
	for (const item of prepared) {
		const groupKey = plan.groupKey?.(item.input, item.itemIndex) ?? '';
		let group = groups.get(groupKey);
		if (!group) groups.set(groupKey, (group = { input: item.input, slots: new Map() }));
		const slots: Array<Slot<Entry, Result, Summary>> = [];
		for (const entry of plan.entries(item.input)) {
			const key = plan.entryKey(entry);
			let slot = group.slots.get(key);
			if (!slot) group.slots.set(key, (slot = { entry, itemIndex: item.itemIndex }));
			slots.push(slot);
		}
		placed.push({ item, group, slots });
	}
	type Job = { group: Group<Input, Entry, Result, Summary>; slots: Array<Slot<Entry, Result, Summary>> };
	const jobs: Job[] = [];
	for (const group of groups.values()) {
		const slots = [...group.slots.values()];
		for (let start = 0; start < slots.length; start += size) jobs.push({ group, slots: slots.slice(start, start + size) });
	}

	let answers = 0;
	/** Refusals found not to be about an entry: later batches refused with them are not split. */
	const wholeRequestRefusals = new Set<string>();
	const annotate = (error: Error, note: string, itemIndex: number) =>
		new NodeOperationError(node, error, {
			description: [(error as { description?: string }).description, note].filter(Boolean).join(' '),
			itemIndex,
		});
	const fail = (slots: Array<Slot<Entry, Result, Summary>>, error: Error, applied: boolean) => {
		for (const slot of slots) slot.state = { error, mayHaveApplied: applied };
	};
	const send = async (job: Job, slots: Array<Slot<Entry, Result, Summary>>) => {
		const { group } = job;
		group.inFlight = (group.inFlight ?? 0) + 1;
		if (group.inFlight > 1) group.sideBySide = true;
		try {
			const answer = await plan.send.call(execution, slots.map((slot) => slot.entry), group.input, slots[0].itemIndex);
			return { answer, batch: { summary: answer.summary, uncertain: answer.uncertain, order: ++answers } };
		} finally {
			group.inFlight--;
		}
	};
	const attempt = async (job: Job, slots: Array<Slot<Entry, Result, Summary>>): Promise<Error | undefined> => {
		try {
			const { answer, batch } = await send(job, slots);
			slots.forEach((slot, index) => (slot.state = { result: answer.results[index], batch }));
			return undefined;
		} catch (error) {
			return asNodeError(node, error);
		}
	};
	const { one, many } = plan.noun;
	const isolate = async (
		job: Job,
		slots: Array<Slot<Entry, Result, Summary>>,
		error: Error,
		budget: { left: number; spent: number },
	): Promise<void> => {
		const refusal = refusalOf(error);
		if (refusal === undefined || slots.length === 1) return fail(slots, error, mayHaveApplied(error));
		if (wholeRequestRefusals.has(refusal)) {
			const note = `An earlier request of this run was refused with the same message in both its halves, so it is not about one ${one}: none of this request's ${slots.length} ${many} was applied.`;
			return fail(slots, annotate(error, note, slots[0].itemIndex), false);
		}
		if (budget.left < 2) {
			const note = `The node split the refused request to find the refused ${many} and stopped after ${budget.spent} extra requests; this ${one} was in a part of ${slots.length} that the service refused as a whole and was not applied.`;
			return fail(slots, annotate(error, note, slots[0].itemIndex), false);
		}
		budget.left -= 2;
		budget.spent += 2;
		const middle = Math.ceil(slots.length / 2);
		const halves = [slots.slice(0, middle), slots.slice(middle)];
		const errors = [await attempt(job, halves[0]), await attempt(job, halves[1])];
		if (errors.every((halfError) => halfError && refusalOf(halfError) === refusal)) {
			const note = `Both halves of the request were refused with the same message, so it is not about one ${one}: none of its ${slots.length} ${many} was applied.`;
			wholeRequestRefusals.add(refusal);
			return fail(slots, annotate(error, note, slots[0].itemIndex), false);
		}
		for (const [index, halfError] of errors.entries()) {
			if (halfError) await isolate(job, halves[index], halfError, budget);
		}
	};

	/**
	 * Requests of one group answered side by side: some answer must show every entry as the
	 * entry's own answer did. If none does, the entries that the closest answer shows otherwise
	 * are sent again, one request at a time after all others were answered, and fail if that
	 * answer disagrees too (the service's state is then unknown).
	 */
	const unknownNow = `whether it is in effect is unknown. Check it in the Sign-In admin, then run again with Concurrency 1.`;
	const settle = async (group: Group<Input, Entry, Result, Summary>, disagrees: NonNullable<typeof plan.disagrees>) => {
		type Answered = { slot: Slot<Entry, Result, Summary>; state: { result: Result; batch: AnsweredBatch<Summary>; confirmedBy?: AnsweredBatch<Summary> } };
		const answered: Answered[] = [];
		for (const slot of group.slots.values()) if (slot.state && 'result' in slot.state) answered.push({ slot, state: slot.state });
		if (answered.length === 0) return;
		// A service that applies such requests one after another answered last, in its own order,
		// with a list that agrees with every answer; if none agrees, the one with fewest differences
		// is taken for the policy as it stands, and those differences are sent again.
		const batches = [...new Set(answered.map(({ state }) => state.batch))].sort((a, b) => b.order - a.order);
		let unsettled: Answered[] | undefined;
		for (const batch of batches) {
			const differ = answered.filter(({ slot, state }) => disagrees(slot.entry, state.result, batch.summary));
			if (!unsettled || differ.length < unsettled.length) unsettled = differ;
			if (differ.length === 0) return;
		}
		let last: AnsweredBatch<Summary> | undefined;
		const resent: Answered[] = [];
		for (let start = 0; start < unsettled!.length; start += size) {
			const chunk = unsettled!.slice(start, start + size);
			const slots = chunk.map(({ slot }) => slot);
			try {
				last = (await send({ group, slots }, slots)).batch;
				resent.push(...chunk);
			} catch (error) {
				const note = `Requests sent side by side got answers that disagree about this ${one}; sending it again alone failed, so ${unknownNow}`;
				fail(slots, annotate(asNodeError(node, error), note, slots[0].itemIndex), true);
			}
		}
		if (!last) return;
		// The last answer came after every other: it is the policy as the run leaves it.
		for (const { state } of resent) state.confirmedBy = last;
		const settled = last.summary;
		for (const { slot, state } of answered) {
			if (slot.state !== state || !disagrees(slot.entry, state.result, settled)) continue;
			const description = `Requests sent side by side got answers that disagree about this ${one}, and so did the answer to sending it again alone: ${unknownNow}`;
			slot.state = {
				error: new NodeOperationError(node, `The service's answers disagree about ${one} ${plan.entryKey(slot.entry)}`, { description, itemIndex: slot.itemIndex }),
				mayHaveApplied: true,
			};
		}
	};

	const split = !savedAtVersion1(execution);
	const orderKey = plan.orderKey && ((job: Job) => plan.orderKey!(job.group.input));
	const halted = await runInOrder(jobs, limiterOf(execution, prepared[0].itemIndex), async (job) => {
		const error = await attempt(job, job.slots);
		if (!error) return;
		if (!continueOnFail || !split) fail(job.slots, error, mayHaveApplied(error));
		if (!continueOnFail) throw error;
		if (split) await isolate(job, job.slots, error, { left: splitBudget(job.slots.length), spent: 0 });
	}, orderKey);
	if (halted) throw stoppedRun(halted.error, jobs.length > 1 ? jobs.filter((job) => job !== halted.task) : [], plan.noun);
	if (plan.disagrees) {
		for (const group of groups.values()) if (group.sideBySide) await settle(group, plan.disagrees);
	}

	const outcomes: BatchOutcome[] = [];
	for (const { item, group, slots } of placed) {
		const resultOf = (entry: Entry) => {
			const state = group.slots.get(plan.entryKey(entry))?.state;
			return state && 'result' in state ? state.result : undefined;
		};
		// The answers that carried the item's entries (and those that confirmed them), each once,
		// oldest first; and its failed entries.
		const batches: Array<AnsweredBatch<Summary>> = [];
		const failed: Array<Slot<Entry, Result, Summary>> = [];
		for (const slot of slots) {
			if (!slot.state) continue;
			if ('batch' in slot.state) {
				if (!batches.includes(slot.state.batch)) batches.push(slot.state.batch);
				if (slot.state.confirmedBy && !batches.includes(slot.state.confirmedBy)) batches.push(slot.state.confirmedBy);
			} else failed.push(slot);
		}
		if (batches.length > 1) batches.sort((a, b) => a.order - b.order);
		if (failed.length === 0) {
			outcomes.push({ itemIndex: item.itemIndex, json: plan.describe(item.input, resultOf, batches) });
			continue;
		}
		const errors = failed.map((slot) => slot.state as { error: Error; mayHaveApplied: boolean });
		const alike = (state: { error: Error; mayHaveApplied: boolean }) =>
			state.error.message === errors[0].error.message && state.mayHaveApplied === errors[0].mayHaveApplied;
		if (batches.length === 0 && errors.every(alike)) {
			outcomes.push({ itemIndex: item.itemIndex, error: errors[0].error });
			continue;
		}
		const unsure = errors.filter((state) => state.mayHaveApplied).length;
		const answered = slots.length - failed.length;
		const note = [
			answered
				? `Only part of this item went through: the service answered for ${answered} of its ${slots.length} ${many} (see the other fields), not for the ${failed.length} in failedEntries.`
				: `The service answered for none of this item's ${slots.length} ${many}; failedEntries gives each one's error.`,
			unsure === failed.length
				? `${failed.length === 1 ? 'It' : 'They'} may have been applied (see the error for why).`
				: unsure
					? `${unsure} of them may have been applied (see the error for why); the others were not applied.`
					: `${failed.length === 1 ? 'It was' : 'They were'} not applied.`,
		].join(' ');
		outcomes.push({
			itemIndex: item.itemIndex,
			error: annotate(errors[0].error, note, item.itemIndex),
			json: {
				...plan.describe(item.input, resultOf, batches),
				failedEntries: failed.map((slot, index) => ({
					[plan.entryField]: plan.entryKey(slot.entry),
					error: errors[index].error.message,
					mayHaveBeenApplied: errors[index].mayHaveApplied,
				})),
			},
		});
	}
	return outcomes;
}

/** The error that stops a run without Continue On Fail, saying what the run's other requests did. */
function stoppedRun<Entry, Result, Summary>(
	error: Error,
	others: Array<{ slots: Array<Slot<Entry, Result, Summary>> }>,
	noun: { one: string; many: string },
): Error {
	if (others.length === 0) return error;
	const slots = others.flatMap((job) => job.slots);
	const answered = slots.filter((slot) => slot.state && 'result' in slot.state).length;
	const unsure = slots.filter((slot) => slot.state && 'error' in slot.state && slot.state.mayHaveApplied).length;
	const note =
		`Of the run's ${slots.length} other ${slots.length === 1 ? noun.one : noun.many}, the service had answered for ${answered}` +
		(unsure ? `, ${unsure} were in requests that failed and may have been applied,` : '') +
		' and the rest were not applied.';
	noteProgress(error, note);
	return error;
}
