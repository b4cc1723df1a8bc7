/* eslint-disable @n8n/community-nodes/no-restricted-globals -- dev code, never published: n8n Cloud's sandbox rules are for the package */
/**
 * The approved sync example (examples/approved-sync.json) driven through one of its branches, as
 * `npm start` and the end-to-end suites run it: the inventory the emulator serves is set, the
 * workflow's Run now webhook is called and, when the workflow asks for approval in the emulator's
 * chat inbox, the link of the decision is followed, as a person would.
 */
import type { InventoryDevice } from '../emulator/venue';
import type { N8nClient } from './n8n';
import { loadWorkflow, type Stack } from './stack';

export const APPROVED_SYNC_FILE = 'approved-sync.json';
export const APPROVED_SYNC_PATH = 'approved-whitelist-sync';
/** The whitelist tag the example's sync owns. */
export const APPROVED_SYNC_TAG = 'nightly-sync';

export type Decision = 'approve' | 'reject';

/** The ID of the published approved sync example in `client`'s n8n, found by the example's name. */
export async function approvedSyncWorkflowId(client: N8nClient): Promise<string> {
	const { name } = loadWorkflow(APPROVED_SYNC_FILE, {});
	const { data } = await client.api<{ data: Array<{ id: string; name: string }> }>('GET', '/workflows?active=true&limit=250');
	const workflow = data.find((candidate) => candidate.name === name);
	if (!workflow) throw new Error(`no published workflow "${name}" (${APPROVED_SYNC_FILE})`);
	return workflow.id;
}

export interface ApprovalRun {
	/** The execution's final status: `success` or `error`. */
	status: string;
	executionId: string;
	/** The approval request posted to the chat inbox; undefined when the plan was within the valve. */
	message?: string;
	/** The execution's error message, if it failed. */
	error?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The approve and reject links of an approval request. */
export function approvalLinks(message: string): Record<Decision, string> {
	const link = (label: string) => {
		const match = new RegExp(`^${label}: (\\S+)$`, 'm').exec(message);
		if (!match) throw new Error(`the approval request has no ${label} link: ${message}`);
		return match[1];
	};
	return { approve: link('Approve'), reject: link('Reject') };
}

/**
 * Follows an approval link, as a person's browser would. The message can arrive a moment before
 * n8n has put the execution to wait, and until then n8n refuses the link without resuming
 * anything; it is followed again until n8n takes it or `deadline` passes.
 */
async function follow(link: string, deadline: number): Promise<void> {
	for (;;) {
		const response = await fetch(link);
		const text = await response.text();
		if (response.status === 200) return;
		if (Date.now() > deadline) throw new Error(`the approval link answered ${response.status}: ${text}`);
		await sleep(250);
	}
}

/**
 * Runs the example once with `devices` as the inventory. When it asks for approval, `meanwhile`
 * runs first (someone changing the whitelist, say), then the `decision` link is followed; a run
 * that asks without a `decision` given, or that does not finish within `timeoutMs`, fails.
 */
export async function runApprovedSync(
	stack: Stack,
	workflowId: string,
	devices: InventoryDevice[],
	{ decision, meanwhile, timeoutMs = 60_000 }: { decision?: Decision; meanwhile?: () => Promise<void>; timeoutMs?: number } = {},
): Promise<ApprovalRun> {
	const { client, emulator } = stack;
	emulator.venue.inventory = devices;
	const inboxBefore = emulator.venue.inbox.length;
	const before = new Set((await client.executions(workflowId)).map((execution) => String(execution.id)));
	const answer = await client.webhook(APPROVED_SYNC_PATH, {});
	if (answer.status !== 200) throw new Error(`Run now answered ${answer.status}: ${JSON.stringify(answer.body)}`);
	const deadline = Date.now() + timeoutMs;
	let message: string | undefined;
	for (;;) {
		const execution = (await client.executions(workflowId)).find((candidate) => !before.has(String(candidate.id)));
		const status = String(execution?.status ?? '');
		if (execution && ['success', 'error', 'crashed', 'canceled'].includes(status)) {
			const error = (execution.data as { resultData?: { error?: { message?: string } } } | undefined)?.resultData?.error?.message;
			return { status, executionId: String(execution.id), message, ...(error === undefined ? {} : { error }) };
		}
		if (message === undefined && emulator.venue.inbox.length > inboxBefore) {
			message = emulator.venue.inbox[inboxBefore].text;
			if (!decision) throw new Error(`the sync asked for approval, which this run did not expect: ${message}`);
			await meanwhile?.();
			await follow(approvalLinks(message)[decision], deadline);
		}
		if (Date.now() > deadline) {
			const all = await client.api<{ data: Array<Record<string, unknown>> }>('GET', '/executions?limit=30');
			const seen = all.data.map((candidate) => `${String(candidate.id)} ${String(candidate.workflowId)} ${String(candidate.mode)} ${String(candidate.status)}`);
			throw new Error(`the approved sync did not finish within ${timeoutMs / 1000} s (status ${status || 'not started'}; the latest executions (id, workflow, mode, status): ${seen.join(', ') || 'none'}; this workflow's before the run: ${[...before].join(', ')})`);
		}
		await sleep(250);
	}
}

/** The example's whitelist: the active entries with its tag, by MAC address, sorted. */
export function syncedMacs(stack: Stack): string[] {
	return stack.emulator
		.activeWhitelistings()
		.filter((entry) => entry.tags.some((tag) => tag.value === APPROVED_SYNC_TAG))
		.map((entry) => entry.mac)
		.sort();
}

/** Revokes `mac` through the Sign-In API, as an administrator would by hand. */
export async function revokeByHand(stack: Stack, mac: string): Promise<void> {
	const { emulator } = stack;
	const response = await fetch(`${emulator.url}${emulator.contextPath}/modules/whitelistings/batch/remove`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-auth-token': emulator.options.token },
		body: JSON.stringify({ macs: [{ mac }] }),
	});
	if (response.status !== 200) throw new Error(`revoking ${mac} by hand answered ${response.status}: ${await response.text()}`);
	await response.text();
}

export interface BranchRun {
	branch: string;
	run: ApprovalRun;
	/** The example's whitelist before and after the run. */
	before: string[];
	after: string[];
}

/**
 * The example through each of its branches, in this order: the whole inventory (within the
 * valve, applied at once); then an inventory cut short to its first device (held for approval)
 * rejected; held again while its last device is revoked by hand, then approved (a stale plan,
 * refused); held again and approved (applied above the valve).
 */
export async function runEachBranch(stack: Stack, workflowId: string, inventory: InventoryDevice[]): Promise<BranchRun[]> {
	const cutShort = inventory.slice(0, 1);
	const branches: Array<[string, InventoryDevice[], Parameters<typeof runApprovedSync>[3]]> = [
		['within the valve', inventory, {}],
		['held for approval, rejected', cutShort, { decision: 'reject' }],
		['held, changed by hand, approved', cutShort, { decision: 'approve', meanwhile: async () => await revokeByHand(stack, inventory[inventory.length - 1].mac) }],
		['held for approval, approved', cutShort, { decision: 'approve' }],
	];
	const runs: BranchRun[] = [];
	for (const [branch, devices, options] of branches) {
		const before = syncedMacs(stack);
		const run = await runApprovedSync(stack, workflowId, devices, options);
		runs.push({ branch, run, before, after: syncedMacs(stack) });
	}
	return runs;
}
