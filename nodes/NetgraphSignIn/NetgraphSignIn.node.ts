import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { CONTEXT_ID_FIELD, CONTEXT_NAME_FIELD } from '../shared/signInContext';

import { accessPolicyDescription, operationFor, userDescription, whitelistingDescription } from './actions';
import { authenticationDescription, contextDescription, contextsOfItems } from './actions/contexts';
import { inContextGroups, type GroupOutput } from './actions/contextGroups';
import { requestOptionsDescription, runInOrder } from './actions/requestOptions';
import { toolCallLimitDescription, toolRuleDescriptions } from './actions/toolPolicy';
import type { Prepared } from './actions/types';
import { testOrganizationContexts } from './methods/credentialTest';
import { searchActiveWhitelistings, searchContexts } from './methods/listSearch';
import { asNodeError, limiterOf } from './transport';

export class NetgraphSignIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Netgraph Sign-In',
		name: 'netgraphSignIn',
		icon: { light: 'file:netgraph.svg', dark: 'file:netgraph.dark.svg' },
		group: ['transform'],
		// 1.1: today's defaults (Concurrency Auto, retries, Access Policy items for one policy sent
		// together, Sync E-Mails previewing); a node saved at version 1 keeps 0.1.0's (see nodeVersion.ts).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Manage guest Wi-Fi users, access-policy e-mails and MAC whitelisting on a Netgraph Sign-In Context',
		defaults: { name: 'Netgraph Sign-In' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'signInContextApi', required: true, displayOptions: { show: { authentication: ['signInContextApi'] } } },
			{
				name: 'signInOrganizationApi',
				required: true,
				displayOptions: { show: { authentication: ['signInOrganizationApi'] } },
				testedBy: 'testOrganizationContexts',
			},
		],
		properties: [
			{
				displayName:
					"This node keeps the defaults of the version it was saved with: one request at a time, no retries, Access Policy items sent one by one. Set them in Request Options and Options, or add the node again for today's defaults.",
				name: 'version1Notice',
				type: 'notice',
				default: '',
				displayOptions: { show: { '@version': [1] } },
			},
			authenticationDescription,
			contextDescription,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Access Policy', value: 'accessPolicy' },
					{ name: 'User', value: 'user' },
					{ name: 'Whitelisting', value: 'whitelisting' },
				],
				default: 'user',
			},
			...accessPolicyDescription,
			...userDescription,
			...whitelistingDescription,
			requestOptionsDescription,
			toolCallLimitDescription,
			...toolRuleDescriptions,
		],
	};

	methods = {
		listSearch: { searchActiveWhitelistings, searchContexts },
		credentialTest: { testOrganizationContexts },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const resource = this.getNodeParameter('resource', 0) as string;
		const operationName = this.getNodeParameter('operation', 0) as string;
		const operation = operationFor(resource, operationName);
		if (!operation) {
			// About no single item: resource and operation are fixed for the whole run (read from item 0).
			throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" is not supported`, {
				description: 'Pick a resource and operation from the lists in the node.',
			});
		}
		const continueOnFail = this.continueOnFail();
		/** Each input item's own output items; an item without any has none. */
		const results: Array<INodeExecutionData[] | undefined> = new Array(items.length);
		/** Items that are no input item's own output (a sync's revoked entries), after all of those. */
		const extras: INodeExecutionData[] = [];
		/** `known`: what the service did answer about an item that went through only in part. */
		const errorJson = (error: Error) => {
			const json: IDataObject = { error: error.message };
			const description = (error as { description?: unknown }).description;
			if (typeof description === 'string' && description) json.description = description;
			return json;
		};
		const failed = (itemIndex: number, error: Error, known?: IDataObject) => {
			const json = errorJson(error);
			results[itemIndex] = [{ json: known ? { ...json, ...known } : json, pairedItem: { item: itemIndex } }];
		};
		const succeeded = (itemIndex: number, data: IDataObject | IDataObject[]) => {
			// One result that is no item already (no `json`), the commonest case, becomes exactly what
			// n8n's helpers would make of it, without their copies.
			results[itemIndex] =
				Array.isArray(data) || data?.json
					? this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(data), { itemData: { item: itemIndex } })
					: [{ json: data, pairedItem: { item: itemIndex } }];
		};

		// Every item's Context is known and every item validated before the first request, so bad
		// input never half-applies a run.
		const contexts = await contextsOfItems.call(this, items.length);
		const prepared: Array<Prepared<unknown>> = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const itemContext = contexts?.[itemIndex];
				if (itemContext instanceof NodeOperationError) throw itemContext;
				const input = operation.prepare.call(this, itemIndex);
				// Most operations check an item without waiting for anything: no await per item for them.
				prepared.push({ itemIndex, input: input instanceof Promise ? await input : input });
			} catch (error) {
				if (!continueOnFail) throw asNodeError(this.getNode(), error, itemIndex);
				failed(itemIndex, error as Error);
			}
		}

		// Each Context's items run on their own: a batch, a sync or its safety valve never mixes Contexts.
		const kept: GroupOutput = {
			continueOnFail,
			outputOf: (itemIndexes) => [
				...[...itemIndexes].flatMap((itemIndex) => results[itemIndex] ?? []),
				...extras.filter((item) => itemIndexes.has((item.pairedItem as { item: number }).item)),
			].map((item) => item.json),
			failItems: (itemIndexes, error) => {
				for (const itemIndex of itemIndexes) if (!results[itemIndex]) failed(itemIndex, error);
			},
		};
		await inContextGroups(this, prepared, contexts, kept, async (group) => {
			if (operation.sendBatch) {
				for (const outcome of await operation.sendBatch.call(this, group, continueOnFail)) {
					if (outcome.extra) {
						const json = 'error' in outcome ? { ...outcome.json, ...errorJson(outcome.error) } : outcome.json;
						extras.push({ json, pairedItem: { item: outcome.itemIndex } });
					} else if ('error' in outcome) failed(outcome.itemIndex, outcome.error, outcome.json);
					else succeeded(outcome.itemIndex, outcome.json);
				}
			} else if (operation.send) {
				const send = operation.send;
				// Without Continue On Fail the first failure stops new items from starting and, once the
				// running ones end, fails the run. Items for the same account or device go in input order.
				const orderKey = operation.orderKey;
				const halted = await runInOrder(
					group,
					limiterOf(this, group[0].itemIndex),
					async ({ itemIndex, input }) => {
						try {
							succeeded(itemIndex, await send.call(this, input, itemIndex));
						} catch (error) {
							if (!continueOnFail) throw asNodeError(this.getNode(), error, itemIndex);
							failed(itemIndex, error as Error);
						}
					},
					orderKey && (({ input }) => orderKey(input)),
				);
				if (halted) throw halted.error;
			}
		});
		const output: INodeExecutionData[] = [];
		for (const itemOutput of results) if (itemOutput) for (const item of itemOutput) output.push(item);
		for (const item of extras) output.push(item);
		if (contexts) {
			for (const item of output) {
				const itemContext = contexts[(item.pairedItem as { item: number }).item];
				if (!(itemContext instanceof NodeOperationError)) item.json = { ...item.json, [CONTEXT_NAME_FIELD]: itemContext.name, [CONTEXT_ID_FIELD]: itemContext.id };
			}
		}
		return [output];
	}
}
