/** The outputs of Whitelisting Sync's plan (syncPlan.ts): Preview reports it, Apply sends it. */
import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, limiterOf, signInApiRequest } from '../../transport';
import { sendInBatches } from '../batching';
import { noteProgress } from '../contextGroups';
import { runInOrder } from '../requestOptions';
import type { BatchOutcome } from '../types';
import { addBatch, countsOf, revokeBatch, withoutClientId, type RevokeCounts } from './shared';
import type { CreateStep, Step, SyncPlan, UpdateStep } from './syncPlan';

type KeepOrFail = Extract<Step, { kind: 'keep' | 'fail' }>;

/** An unchanged or conflicting item's output, or the error of an entry Sync cannot update. */
function keptOrFailed(node: INode, step: KeepOrFail, continueOnFail: boolean): BatchOutcome {
	const { itemIndex } = step.item;
	if (step.kind === 'keep') return { itemIndex, json: step.json };
	const error = new NodeOperationError(node, step.message, { itemIndex, description: step.description });
	if (!continueOnFail) throw error;
	return { itemIndex, error };
}

function updateJson(step: UpdateStep, status?: string): IDataObject {
	return {
		...step.entry,
		...(status ? { status } : {}),
		changes: step.changes,
		destructive: step.destructiveChanges.length > 0,
		destructiveChanges: step.destructiveChanges,
	};
}

function revokedJson(mac: string, entry: IDataObject): IDataObject {
	return { id: entry.id ?? null, mac, name: entry.name ?? null };
}

/**
 * Preview: one item per input item with what Apply would do, one per entry it would revoke and
 * a last one with the plan's counts and the valve's verdict, both paired with the first item.
 */
export function previewOutcomes(node: INode, plan: SyncPlan, continueOnFail: boolean, firstItem: number): BatchOutcome[] {
	const extra = (json: IDataObject): BatchOutcome => ({ itemIndex: firstItem, json, extra: true });
	return [
		...plan.skipped,
		...plan.steps.map((step): BatchOutcome => {
			if (step.kind === 'keep' || step.kind === 'fail') return keptOrFailed(node, step, continueOnFail);
			if (step.kind === 'create') return { itemIndex: step.item.itemIndex, json: { ...withoutClientId(step.entry), status: 'create' } };
			return { itemIndex: step.item.itemIndex, json: updateJson(step, step.adopted ? 'adopt' : 'update') };
		}),
		...plan.revokes.map(({ mac, entry }) => extra({ ...revokedJson(mac, entry), status: 'revoke' })),
		extra({ ...plan.summary }),
	];
}

/** Apply: creates through Batch Add, then updates one by one, then revokes through Batch Remove. */
export async function applyPlan(this: IExecuteFunctions, plan: SyncPlan, continueOnFail: boolean, firstItem: number): Promise<BatchOutcome[]> {
	const node = this.getNode();
	const { steps, revokes, text: planText } = plan;
	const outcomes: BatchOutcome[] = [...plan.skipped];
	const creates = steps.filter((step): step is CreateStep => step.kind === 'create');
	const updates = steps.filter((step): step is UpdateStep => step.kind === 'update');
	for (const step of steps) {
		if (step.kind === 'keep' || step.kind === 'fail') outcomes.push(keptOrFailed(node, step, continueOnFail));
	}
	const progress = { created: 0, updated: 0 };
	const stopped = (error: unknown, phase: 'creating' | 'updating' | 'revoking'): Error => {
		const nodeError = asNodeError(node, error);
		const done = {
			creating: `Sync stopped while creating entries; no update or revoke was sent.`,
			updating: `Sync stopped while updating: ${progress.created} entries were created before, ${progress.updated} of the ${updates.length} updates were done and the others not sent; none of the ${revokes.length} revokes was sent.`,
			revoking: `Sync stopped while revoking: ${progress.created} entries were created and ${progress.updated} updated before.`,
		}[phase];
		noteProgress(nodeError, done, `${planText} Run it again: the next run reads the whitelist and plans what is still to do.`);
		return nodeError;
	};

	if (creates.length) {
		let created: BatchOutcome[];
		try {
			created = await sendInBatches(
				this,
				creates.map((step) => ({ itemIndex: step.item.itemIndex, input: step.entry })),
				continueOnFail,
				{
					entries: (entry) => [entry],
					entryKey: (entry) => entry.mac,
					entryField: 'mac',
					noun: { one: 'entry', many: 'entries' },
					async send(entries, _input, itemIndex) {
						return await addBatch.call(this, entries, {}, itemIndex);
					},
					describe: (entry, resultOf) => sinceRead(resultOf(entry)!),
				},
			);
		} catch (error) {
			throw stopped(error, 'creating');
		}
		progress.created = created.filter((outcome) => !('error' in outcome) && outcome.json.status === 'created').length;
		outcomes.push(...created);
	}

	const halted = await runInOrder(updates, limiterOf(this, firstItem), async (step) => {
		const { itemIndex } = step.item;
		try {
			const response = await signInApiRequest.call(this, { method: 'PUT', path: '/modules/whitelistings', body: step.entry, itemIndex });
			progress.updated++;
			const json = updateJson(step, step.adopted ? 'adopted' : 'updated');
			if (response.uncertain) json.firstAnswerLost = true;
			outcomes.push({ itemIndex, json });
		} catch (error) {
			if (!continueOnFail) throw asNodeError(node, error);
			outcomes.push({ itemIndex, error: asNodeError(node, error), json: updateJson(step) });
		}
	});
	if (halted) throw stopped(halted.error, 'updating');

	if (revokes.length) {
		let revoked: BatchOutcome[];
		try {
			revoked = await sendInBatches<{ mac: string; entry: IDataObject }, string, true, RevokeCounts>(
				this,
				revokes.map((input) => ({ itemIndex: firstItem, input })),
				continueOnFail,
				{
					entries: (input) => [input.mac],
					entryKey: (mac) => mac,
					entryField: 'mac',
					noun: { one: 'MAC address', many: 'MAC addresses' },
					async send(macs, _input, itemIndex) {
						const answer = await revokeBatch.call(this, macs, itemIndex);
						return { results: macs.map(() => true as const), summary: answer.counts, uncertain: answer.uncertain };
					},
					describe: (input, _resultOf, batches) => ({
						...revokedJson(input.mac, input.entry),
						status: 'revoked',
						batch: countsOf(batches),
						firstAnswerLost: batches.some((batch) => batch.uncertain),
					}),
				},
			);
		} catch (error) {
			throw stopped(error, 'revoking');
		}
		revoked.forEach((outcome, index) => {
			const known = revokedJson(revokes[index].mac, revokes[index].entry);
			outcomes.push('error' in outcome ? { ...outcome, json: { ...known, ...outcome.json }, extra: true } : { ...outcome, extra: true });
		});
	}
	return outcomes;
}

/** Batch Add calls an entry existing when it was whitelisted after Sync's read. */
function sinceRead(json: IDataObject): IDataObject {
	if (json.status !== 'existing') return json;
	return {
		...json,
		reason:
			'This MAC address was whitelisted after Sync read the list (by someone else, or a run at the same time); the entry was left as it was, and the next run plans it.',
	};
}
