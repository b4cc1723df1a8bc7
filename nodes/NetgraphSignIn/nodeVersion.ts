import type { INode } from 'n8n-workflow';

/**
 * What a node saved at version 1 (every node of 0.1.0) keeps from then, where that was safe and
 * true: one request at a time, no retries, one Access Policy request per item with the policy's
 * list on every output item, and a refused batch failing whole. Version 1.1 and later run with
 * today's defaults. Changes that made the node safer or truer apply to every version.
 */
const firstVersion = new WeakMap<object, boolean>();

/** Whether the running node was saved at version 1; asked once per node run (`getNode()` copies the node). */
export function savedAtVersion1(execution: { getNode(): INode }): boolean {
	let answer = firstVersion.get(execution);
	if (answer === undefined) firstVersion.set(execution, (answer = execution.getNode().typeVersion < 1.1));
	return answer;
}
