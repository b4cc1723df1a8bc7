import { fixture as anyFixture, jsNode, rules, ruleTester, tsNode } from './ruleTester';

const fixture = (file: string) => anyFixture('codex', file);
const ALLOWED = 'AI, Analytics, Communication, Data & Storage, Development, Finance & Accounting, Marketing & Content, Miscellaneous, Productivity, Sales, Utility';
const codexNode = (codex: string) => tsNode(`name: 'inline', codex: { ${codex} }`);

describe('valid-node-categories', () => {
	ruleTester.run('valid-node-categories', rules['valid-node-categories'], {
		valid: [
			{ name: 'listed categories in the .node.json beside the node', filename: fixture('Listed.node.ts'), code: tsNode("name: 'listed'") },
			{ name: 'the same, compiled', filename: fixture('Listed.node.js'), code: jsNode("name: 'listed'") },
			{ name: 'AI with AI subcategories', filename: fixture('Ai.node.ts'), code: tsNode("name: 'ai'") },
			{ name: 'an inline codex, which n8n reads instead of the file', filename: fixture('Logic.node.ts'), code: codexNode("categories: ['Development']") },
			{ name: 'no codex at all', filename: fixture('Missing.node.ts'), code: tsNode("name: 'missing'") },
		],
		invalid: [
			{
				name: 'unknown categories and subcategories without AI, in the .node.json',
				filename: fixture('Logic.node.ts'),
				code: tsNode("name: 'logic'"),
				errors: [
					{ messageId: 'unknown', data: { where: 'Logic.node.json', category: 'Logic', allowed: ALLOWED } },
					{ messageId: 'unknown', data: { where: 'Logic.node.json', category: 'Bananas', allowed: ALLOWED } },
					{ messageId: 'subcategoriesWithoutAi' },
				],
			},
			{ name: 'an empty inline list', filename: fixture('Inline.node.ts'), code: codexNode('categories: []'), errors: [{ messageId: 'notList', data: { where: 'the inline codex' } }] },
			{
				name: 'an unknown AI subcategory',
				filename: fixture('Inline.node.ts'),
				code: codexNode("categories: ['AI'], subcategories: { AI: ['Agents & Tools'] }"),
				errors: [{ messageId: 'unknownAi', data: { where: 'the inline codex', subcategory: 'Agents & Tools' } }],
			},
			{ name: 'AI alone', filename: fixture('Inline.node.ts'), code: codexNode("categories: ['AI']"), errors: [{ messageId: 'aiWithoutSubcategories' }] },
		],
	});
});

describe('no-logic-or-flow-nodes', () => {
	ruleTester.run('no-logic-or-flow-nodes', rules['no-logic-or-flow-nodes'], {
		valid: [{ name: 'a service node', filename: fixture('Listed.node.ts'), code: tsNode("name: 'listed'") }],
		invalid: [
			{
				name: 'Logic and Flow in the .node.json',
				filename: fixture('Logic.node.js'),
				code: jsNode("name: 'logic'"),
				errors: [{ messageId: 'logicOrFlow', data: { where: 'Logic.node.json', value: 'Logic' } }, { messageId: 'logicOrFlow', data: { where: 'Logic.node.json', value: 'Flow' } }],
			},
		],
	});
});

describe('no-ai-codex-category', () => {
	ruleTester.run('no-ai-codex-category', rules['no-ai-codex-category'], {
		valid: [
			{ name: 'no AI category', filename: fixture('Listed.node.ts'), code: tsNode("name: 'listed'") },
			{ name: 'a node built with the AI node SDK', filename: fixture('Ai.node.ts'), code: `import { x } from '@n8n/ai-node-sdk';${tsNode("name: 'ai'")}` },
			{ name: 'the same, compiled', filename: fixture('Ai.node.js'), code: `const sdk = require('@n8n/ai-node-sdk');${jsNode("name: 'ai'")}` },
		],
		invalid: [{ name: 'AI without the SDK', filename: fixture('Ai.node.ts'), code: tsNode("name: 'ai'"), errors: [{ messageId: 'ai', data: { where: 'Ai.node.json' } }] }],
	});
});

describe('no-codex-subcategories', () => {
	ruleTester.run('no-codex-subcategories', rules['no-codex-subcategories'], {
		valid: [
			{ name: 'no subcategories', filename: fixture('Listed.node.ts'), code: tsNode("name: 'listed'") },
			{ name: 'a node built with the AI node SDK', filename: fixture('Ai.node.ts'), code: `import { x } from '@n8n/ai-node-sdk';${tsNode("name: 'ai'")}` },
		],
		invalid: [
			{ name: 'subcategories in the .node.json', filename: fixture('Logic.node.ts'), code: tsNode("name: 'logic'"), errors: [{ messageId: 'subcategories', data: { where: 'Logic.node.json' } }] },
			{ name: 'inline subcategories', filename: fixture('Inline.node.ts'), code: codexNode("categories: ['Utility'], subcategories: { Utility: ['Helpers'] }"), errors: [{ messageId: 'subcategories' }] },
		],
	});
});
