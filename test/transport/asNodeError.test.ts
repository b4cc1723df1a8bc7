import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../nodes/NetgraphSignIn/transport';

const node: INode = { id: 'n', name: 'Netgraph Sign-In', type: 'n8n-nodes-netgraph-sign-in.netgraphSignIn', typeVersion: 1.1, position: [0, 0], parameters: {} };

describe('asNodeError', () => {
	it('wraps an error that is none of n8n\'s (a bug) with its message, naming the item it happened on', () => {
		const wrapped = asNodeError(node, new TypeError('items[3] is undefined'), 3);
		expect(wrapped).toBeInstanceOf(NodeOperationError);
		expect(wrapped.message).toBe('items[3] is undefined');
		expect(wrapped.context.itemIndex).toBe(3);
	});

	it('names no item when it is given none', () => {
		const wrapped = asNodeError(node, 'no answer');
		expect(wrapped.message).toBe('no answer');
		expect(wrapped.context.itemIndex).toBeUndefined();
	});

	it("passes n8n's own errors on as they are", () => {
		const apiError = new NodeApiError(node, { httpCode: '500' }, { message: 'The service failed' });
		const operationError = new NodeOperationError(node, 'bad input', { itemIndex: 1 });
		expect(asNodeError(node, apiError, 2)).toBe(apiError);
		expect(asNodeError(node, operationError, 2)).toBe(operationError);
		expect(operationError.context.itemIndex).toBe(1);
	});
});
