'use strict';
const { keyName, stringValue } = require('../ast');

/** Identifiers a user must be able to set: partner, affiliate, reseller, account, tenant, customer or client IDs. */
const CONFIGURABLE_ID = /^(?:partner|affiliate|reseller|account|tenant|customer|client)[_-]?id$/i;

module.exports = {
	meta: {
		type: 'problem',
		docs: { description: 'No fixed partner, account, tenant, customer or client IDs in node code' },
		messages: {
			hardcodedId: '`{{name}}` is fixed in the code. Read it from a node parameter or a credential so users can set it.',
		},
		schema: [],
	},
	create(context) {
		const check = (name, value) => {
			if (name && CONFIGURABLE_ID.test(name) && stringValue(value) !== null) {
				context.report({ node: value, messageId: 'hardcodedId', data: { name } });
			}
		};
		return {
			VariableDeclarator(node) {
				if (node.id.type === 'Identifier') check(node.id.name, node.init);
			},
			PropertyDefinition(node) {
				check(keyName(node), node.value);
			},
			Property(node) {
				check(keyName(node), node.value);
			},
			AssignmentExpression(node) {
				const left = node.left;
				if (left.type === 'Identifier') check(left.name, node.right);
				else if (left.type === 'MemberExpression') check(keyName({ key: left.property, computed: left.computed }), node.right);
			},
		};
	},
};
