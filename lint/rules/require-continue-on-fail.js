'use strict';
const { classMethod, isNodeClass, isThisCall, walk } = require('../ast');

module.exports = {
	meta: {
		type: 'problem',
		docs: { description: 'A node\'s execute() handles this.continueOnFail()' },
		messages: {
			missingContinueOnFail: 'execute() must call this.continueOnFail() and, when it is on, return the failed item as output instead of failing the run.',
		},
		schema: [],
	},
	create(context) {
		return {
			ClassDeclaration(classNode) {
				if (!isNodeClass(classNode)) return;
				const execute = classMethod(classNode, 'execute');
				if (!execute || !execute.body) return;
				let handled = false;
				walk(execute.body, (node) => {
					if (isThisCall(node, 'continueOnFail')) handled = true;
				});
				if (!handled) context.report({ node: execute.parent.key, messageId: 'missingContinueOnFail' });
			},
		};
	},
};
