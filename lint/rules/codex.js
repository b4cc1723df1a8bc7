'use strict';
// n8n's rules on a node's codex (its categories), each exported on its own (see ../README.md). The
// codex is the description's inline `codex`, or else the `.node.json` file beside the node file
// (n8n reads that file only when there is no inline codex); these rules read whichever n8n uses.
const fs = require('fs');
const { propertyValue, stringValue, walk } = require('../ast');
const { onNodeDescription } = require('./node-description-conventions');

/** The categories and subcategories n8n uses for the node, as plain values, and where to report. */
function codexOf(description, filename) {
	const inline = propertyValue(description, 'codex');
	if (inline && inline.type === 'ObjectExpression') {
		const categories = propertyValue(inline, 'categories');
		const subcategories = propertyValue(inline, 'subcategories');
		return {
			where: 'the inline codex',
			categories: categories && categories.type === 'ArrayExpression' ? categories.elements.map((element) => stringValue(element)) : categories ? 'not an array' : undefined,
			subcategories: subcategories ? literalSubcategories(subcategories) : undefined,
		};
	}
	const codexFile = filename.replace(/\.(ts|js)$/, '.json');
	if (!fs.existsSync(codexFile)) return null;
	const json = JSON.parse(fs.readFileSync(codexFile, 'utf8'));
	return { where: codexFile.split(/[\\/]/).pop(), categories: json.categories, subcategories: json.subcategories };
}

function literalSubcategories(node) {
	if (node.type !== 'ObjectExpression') return 'not an object';
	const result = {};
	for (const property of node.properties) {
		const key = property.type === 'Property' ? stringValue(property.key) || (property.key.type === 'Identifier' ? property.key.name : null) : null;
		if (key) result[key] = property.value.type === 'ArrayExpression' ? property.value.elements.map((element) => stringValue(element)) : 'not an array';
	}
	return result;
}

/** Whether the file brings in n8n's AI node SDK (the AI category and subcategories are for such nodes). */
function usesAiNodeSdk(program) {
	let found = false;
	walk(program, (node) => {
		if (node.type === 'ImportDeclaration' && node.source.value === '@n8n/ai-node-sdk') found = true;
		if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require' && stringValue(node.arguments[0]) === '@n8n/ai-node-sdk') found = true;
	});
	return found;
}

/** Runs check(codex, report, program) for every node class whose codex n8n would read. */
const onCodex = (meta, check) =>
	onNodeDescription(meta, (description, context) => {
		const codex = codexOf(description, context.filename);
		if (codex) check(codex, (messageId, data) => context.report({ node: description, messageId, data: { where: codex.where, ...data } }), context.sourceCode.ast);
	});

const CATEGORIES = new Set([
	'AI',
	'Analytics',
	'Communication',
	'Data & Storage',
	'Development',
	'Finance & Accounting',
	'Marketing & Content',
	'Miscellaneous',
	'Productivity',
	'Sales',
	'Utility',
]);
const AI_SUBCATEGORIES = new Set([
	'Agents',
	'Chains',
	'Document Loaders',
	'Embeddings',
	'Evaluation',
	'Human in the Loop',
	'Language Models',
	'Memory',
	'Miscellaneous',
	'Model Context Protocol',
	'Other Tools',
	'Output Parsers',
	'Rerankers',
	'Retrievers',
	'Root Nodes',
	'Text Splitters',
	'Tools',
	'Vector Stores',
]);

const validNodeCategories = onCodex(
	{
		type: 'problem',
		docs: { description: 'Codex categories come from n8n\'s list for community nodes' },
		messages: {
			notList: 'In {{where}}, "categories" must be a non-empty list of category names.',
			unknown: 'In {{where}}, "{{category}}" is not one of n8n\'s community node categories ({{allowed}}).',
			aiWithoutSubcategories: 'In {{where}}, the "AI" category needs a non-empty subcategories.AI list.',
			subcategoriesWithoutAi: 'In {{where}}, subcategories must be an object with an "AI" list, with "AI" among the categories.',
			unknownAi: 'In {{where}}, "{{subcategory}}" is not one of n8n\'s AI subcategories.',
		},
		schema: [],
	},
	({ categories, subcategories }, report) => {
		if (categories === undefined && subcategories === undefined) return;
		let ai = false;
		if (categories !== undefined) {
			if (!Array.isArray(categories) || categories.length === 0) return report('notList');
			for (const category of categories) {
				if (category === 'AI') ai = true;
				else if (typeof category !== 'string' || !CATEGORIES.has(category)) report('unknown', { category: String(category), allowed: [...CATEGORIES].join(', ') });
			}
		}
		const aiList = subcategories && typeof subcategories === 'object' ? subcategories.AI : undefined;
		if (subcategories !== undefined && (!ai || aiList === undefined || typeof subcategories !== 'object')) return report('subcategoriesWithoutAi');
		if (ai && (!Array.isArray(aiList) || aiList.length === 0)) return report('aiWithoutSubcategories');
		for (const subcategory of aiList || []) {
			if (typeof subcategory !== 'string' || !AI_SUBCATEGORIES.has(subcategory)) report('unknownAi', { subcategory: String(subcategory) });
		}
	},
);

const noLogicOrFlowNodes = onCodex(
	{
		type: 'problem',
		docs: { description: 'No Logic or Flow community nodes' },
		messages: { logicOrFlow: 'In {{where}}, "{{value}}": n8n does not take Logic or Flow community nodes.' },
		schema: [],
	},
	({ categories, subcategories }, report) => {
		const values = [
			...(Array.isArray(categories) ? categories : []),
			...(subcategories && typeof subcategories === 'object' ? Object.entries(subcategories).flatMap(([key, list]) => [key, ...(Array.isArray(list) ? list : [])]) : []),
		];
		for (const value of values) if (value === 'Logic' || value === 'Flow') report('logicOrFlow', { value });
	},
);

const noAiCodexCategory = onCodex(
	{
		type: 'problem',
		docs: { description: 'The AI codex category only on nodes built with @n8n/ai-node-sdk' },
		messages: { ai: 'In {{where}}, the "AI" category hides a node that does not use @n8n/ai-node-sdk from n8n\'s main node search.' },
		schema: [],
	},
	({ categories }, report, program) => {
		if (Array.isArray(categories) && categories.includes('AI') && !usesAiNodeSdk(program)) report('ai');
	},
);

const noCodexSubcategories = onCodex(
	{
		type: 'problem',
		docs: { description: 'No codex subcategories on nodes not built with @n8n/ai-node-sdk' },
		messages: { subcategories: 'In {{where}}, "subcategories" is for nodes built with @n8n/ai-node-sdk; n8n files other nodes by it silently wrong.' },
		schema: [],
	},
	({ subcategories }, report, program) => {
		if (subcategories !== undefined && !usesAiNodeSdk(program)) report('subcategories');
	},
);

module.exports = { noAiCodexCategory, noCodexSubcategories, noLogicOrFlowNodes, validNodeCategories };
