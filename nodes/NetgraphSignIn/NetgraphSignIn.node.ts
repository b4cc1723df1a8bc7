import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { accessPolicyDescription, operationFor, userDescription, whitelistingDescription } from './actions';
import { readConcurrency, requestOptionsDescription, runInOrder } from './actions/requestOptions';
import { toolCallLimitDescription } from './actions/toolPolicy';
import type { Prepared } from './actions/types';
import { searchActiveWhitelistings } from './methods/listSearch';
import { asNodeError } from './transport';

export class NetgraphSignIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Netgraph Sign-In',
		name: 'netgraphSignIn',
		icon: { light: 'file:netgraph.svg', dark: 'file:netgraph.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Manage guest Wi-Fi users, access-policy e-mails and MAC whitelisting on a Netgraph Sign-In Context',
		defaults: { name: 'Netgraph Sign-In' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'signInContextApi', required: true }],
		properties: [
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
		],
	};

	methods = {
		listSearch: { searchActiveWhitelistings },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const resource = this.getNodeParameter('resource', 0) as string;
		const operationName = this.getNodeParameter('operation', 0) as string;
		const operation = operationFor(resource, operationName);
		if (!operation) {
			throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" is not supported`, {
				description: 'Pick a resource and operation from the lists in the node.',
			});
		}
		const continueOnFail = this.continueOnFail();
		const results: INodeExecutionData[][] = items.map(() => []);
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
			results[itemIndex] = this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(data), {
				itemData: { item: itemIndex },
			});
		};

		// Every item is validated before the first request, so bad input never half-applies a run.
		const prepared: Array<Prepared<unknown>> = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				prepared.push({ itemIndex, input: await operation.prepare.call(this, itemIndex) });
			} catch (error) {
				if (!continueOnFail) throw asNodeError(this.getNode(), error);
				failed(itemIndex, error as Error);
			}
		}

		if (operation.sendBatch) {
			if (prepared.length > 0) {
				for (const outcome of await operation.sendBatch.call(this, prepared, continueOnFail)) {
					if (outcome.extra) {
						const json = 'error' in outcome ? { ...outcome.json, ...errorJson(outcome.error) } : outcome.json;
						extras.push({ json, pairedItem: { item: outcome.itemIndex } });
					} else if ('error' in outcome) failed(outcome.itemIndex, outcome.error, outcome.json);
					else succeeded(outcome.itemIndex, outcome.json);
				}
			}
		} else if (operation.send) {
			const send = operation.send;
			// Without Continue On Fail the first failure stops new items from starting and, once the
			// running ones end, fails the run.
			const halted = await runInOrder(prepared, readConcurrency(this), async ({ itemIndex, input }) => {
				try {
					succeeded(itemIndex, await send.call(this, input, itemIndex));
				} catch (error) {
					if (!continueOnFail) throw asNodeError(this.getNode(), error);
					failed(itemIndex, error as Error);
				}
			});
			if (halted) throw halted.error;
		}
		return [[...results.flat(), ...extras]];
	}
}
