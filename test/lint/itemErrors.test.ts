import { jsNode, rules, ruleTester, tsNode } from './ruleTester';

const execute = (body: string) => `async execute() { const items = this.getInputData(); ${body} return [items]; }`;

describe('node-operation-error-itemindex', () => {
	ruleTester.run('node-operation-error-itemindex', rules['node-operation-error-itemindex'], {
		valid: [
			{
				name: 'an error in the item loop that names its item',
				filename: 'nodes/Example/Example.node.ts',
				code: tsNode("name: 'example'", execute("for (let i = 0; i < items.length; i++) { throw new NodeOperationError(this.getNode(), 'bad', { itemIndex: i }); }")),
			},
			{
				name: 'an error before the loop, about no single item',
				filename: 'nodes/Example/Example.node.ts',
				code: tsNode("name: 'example'", execute("throw new NodeOperationError(this.getNode(), 'no such operation');")),
			},
			{
				name: 'options that cannot be read here (a variable) or spread',
				filename: 'nodes/Example/Example.node.ts',
				code: tsNode(
					"name: 'example'",
					execute('for (const item of items) { throw new NodeApiError(this.getNode(), {}, options); } for (const item of items) { throw new NodeApiError(this.getNode(), {}, { ...options }); }'),
				),
			},
			{
				name: 'a loop over something else than the input items',
				filename: 'nodes/Example/Example.node.ts',
				code: tsNode("name: 'example'", execute("for (const entry of entries) { throw new NodeOperationError(this.getNode(), 'bad'); }")),
			},
			{
				name: 'a file that is no node file',
				filename: 'nodes/Example/helpers.ts',
				code: tsNode("name: 'example'", execute("for (const item of items) { throw new NodeOperationError(this.getNode(), 'bad'); }")),
			},
		],
		invalid: [
			{
				name: 'no options in an indexed item loop',
				filename: 'nodes/Example/Example.node.ts',
				code: tsNode("name: 'example'", execute("for (let i = 0; i < items.length; i++) { throw new NodeOperationError(this.getNode(), 'bad'); }")),
				errors: [{ messageId: 'missingItemIndex', data: { name: 'NodeOperationError' } }],
			},
			{
				name: 'options without itemIndex in a for-of over getInputData(), in a callback',
				filename: 'nodes/Example/Example.node.ts',
				code: tsNode("name: 'example'", execute("for (const item of this.getInputData()) { run(() => { throw new NodeApiError(this.getNode(), {}, { message: 'x' }); }); }")),
				errors: [{ messageId: 'missingItemIndex', data: { name: 'NodeApiError' } }],
			},
			{
				name: 'the compiled JavaScript of the package, where the class is a module member',
				filename: 'dist/nodes/Example/Example.node.js',
				code: jsNode("name: 'example'", execute("for (let i = 0; i < items.length; i++) { throw new n8n_workflow_1.NodeOperationError(this.getNode(), 'bad'); }")),
				errors: [{ messageId: 'missingItemIndex' }],
			},
		],
	});
});

describe('item-error-carries-item-index', () => {
	ruleTester.run('item-error-carries-item-index', rules['item-error-carries-item-index'], {
		valid: [
			{
				name: 'an itemIndex in scope, passed on',
				code: "function send(itemIndex) { throw new NodeOperationError(node, 'bad', { itemIndex, description: 'x' }); }",
			},
			{
				name: 'no itemIndex in scope',
				code: "function read() { throw new NodeOperationError(node, 'bad', { description: 'x' }); }",
			},
		],
		invalid: [
			{
				name: 'an itemIndex parameter not passed on',
				code: "function send(itemIndex) { return new NodeOperationError(node, 'bad', { description: 'x' }); }",
				errors: [{ messageId: 'missingItemIndex', data: { name: 'NodeOperationError' } }],
			},
			{
				name: 'an itemIndex of an enclosing function, in a callback',
				code: 'function send(itemIndex) { return list.map(() => new NodeApiError(node, {})); }',
				errors: [{ messageId: 'missingItemIndex', data: { name: 'NodeApiError' } }],
			},
		],
	});
});

describe('require-continue-on-fail', () => {
	ruleTester.run('require-continue-on-fail', rules['require-continue-on-fail'], {
		valid: [
			{
				name: 'execute() asks this.continueOnFail()',
				code: tsNode("name: 'example'", 'async execute() { try { run(); } catch (error) { if (!this.continueOnFail()) throw error; } return []; }'),
			},
			{ name: 'a node without execute() (a trigger)', code: tsNode("name: 'example'", 'async webhook() { return {}; }') },
		],
		invalid: [
			{
				name: 'execute() never asks',
				code: tsNode("name: 'example'", 'async execute() { return [this.getInputData()]; }'),
				errors: [{ messageId: 'missingContinueOnFail' }],
			},
			{
				name: 'compiled execute() never asks',
				code: jsNode("name: 'example'", 'async execute() { return [this.getInputData()]; }'),
				errors: [{ messageId: 'missingContinueOnFail' }],
			},
		],
	});
});
