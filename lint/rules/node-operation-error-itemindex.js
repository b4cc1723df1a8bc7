'use strict';
const { classMethod, constructedName, isNodeClass, isNodeFile, isThisCall, keyName, walk } = require('../ast');

const ITEM_ERRORS = new Set(['NodeOperationError', 'NodeApiError']);
const isItemError = (node) => node.type === 'NewExpression' && ITEM_ERRORS.has(constructedName(node));

/** The error's options (third argument) name its item, or cannot be read here (a variable, a spread). */
function namesItem(newExpression) {
	const options = newExpression.arguments[2];
	if (!options) return false;
	if (options.type !== 'ObjectExpression') return true;
	return options.properties.some((property) => property.type === 'SpreadElement' || keyName(property) === 'itemIndex');
}

const lengthOf = (node, names) =>
	node.type === 'MemberExpression' &&
	!node.computed &&
	node.property.type === 'Identifier' &&
	node.property.name === 'length' &&
	node.object.type === 'Identifier' &&
	names.has(node.object.name);

/** A loop over the input items: `i < items.length` or `for (const item of items)`. */
function isItemLoop(node, itemNames) {
	if (node.type === 'ForStatement') {
		return Boolean(node.test && node.test.type === 'BinaryExpression' && (lengthOf(node.test.left, itemNames) || lengthOf(node.test.right, itemNames)));
	}
	if (node.type === 'ForOfStatement') {
		return (node.right.type === 'Identifier' && itemNames.has(node.right.name)) || isThisCall(node.right, 'getInputData');
	}
	return false;
}

const itemIndexRule = {
	meta: {
		type: 'problem',
		docs: { description: 'Errors made inside the item loop of a node\'s execute() name their item ({ itemIndex })' },
		messages: {
			missingItemIndex: '`new {{name}}(...)` inside the item loop of execute() must pass `{ itemIndex }` as its third argument, so n8n shows the error on the item that caused it.',
		},
		schema: [],
	},
	create(context) {
		if (!isNodeFile(context.filename)) return {};
		return {
			ClassDeclaration(classNode) {
				if (!isNodeClass(classNode)) return;
				const execute = classMethod(classNode, 'execute');
				if (!execute || !execute.body) return;
				const itemNames = new Set();
				walk(execute.body, (node) => {
					if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init && isThisCall(node.init, 'getInputData')) {
						itemNames.add(node.id.name);
					}
				});
				walk(execute.body, (node) => {
					if (!isItemLoop(node, itemNames)) return;
					walk(node.body, (inner) => {
						if (!isItemError(inner) || namesItem(inner)) return;
						context.report({ node: inner, messageId: 'missingItemIndex', data: { name: constructedName(inner) } });
					});
				});
			},
		};
	},
};

/** Whether a variable named `itemIndex` is visible at the node (a parameter or a variable around it). */
function itemIndexInScope(sourceCode, node) {
	for (let scope = sourceCode.getScope(node); scope; scope = scope.upper) if (scope.set.has('itemIndex')) return true;
	return false;
}

/**
 * This package's own, stricter reading: wherever an error is made with an `itemIndex` in scope
 * (an operation's per-item code, anywhere in nodes/), it names that item.
 */
const itemIndexInScopeRule = {
	meta: {
		type: 'problem',
		docs: { description: 'Errors made where an itemIndex is in scope name their item' },
		messages: {
			missingItemIndex: '`new {{name}}(...)` is made where `itemIndex` is in scope: pass `{ itemIndex }` as its third argument, so n8n shows the error on that item.',
		},
		schema: [],
	},
	create(context) {
		return {
			NewExpression(node) {
				if (isItemError(node) && !namesItem(node) && itemIndexInScope(context.sourceCode, node)) {
					context.report({ node, messageId: 'missingItemIndex', data: { name: constructedName(node) } });
				}
			},
		};
	},
};

module.exports = { itemIndexInScopeRule, itemIndexRule };
