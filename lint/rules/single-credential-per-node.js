'use strict';
const { isNodeClass, keyName, nodeDescription, propertyValue, stringValue } = require('../ast');

/** A literal condition value (string, number, boolean) as a comparable key, or null when unknown. */
function conditionValue(node) {
	if (!node) return null;
	if (node.type === 'Literal' && ['string', 'number', 'boolean'].includes(typeof node.value)) return `${typeof node.value}:${node.value}`;
	const text = stringValue(node);
	return text === null ? null : `string:${text}`;
}

/** `displayOptions.show` of a credential entry: parameter name → its literal values (unknown ones left out). */
function showConditions(entry) {
	const conditions = new Map();
	const show = propertyValue(propertyValue(entry, 'displayOptions'), 'show');
	if (!show || show.type !== 'ObjectExpression') return conditions;
	for (const property of show.properties) {
		const name = property.type === 'Property' ? keyName(property) : null;
		if (!name || property.value.type !== 'ArrayExpression') continue;
		const values = property.value.elements.map(conditionValue);
		if (values.length > 0 && values.every((value) => value !== null)) conditions.set(name, values);
	}
	return conditions;
}

/** Names of the description's own multi-option parameters: several of their values can hold at once. */
function multiOptionNames(description) {
	const properties = propertyValue(description, 'properties');
	const names = new Set();
	for (const element of (properties && properties.type === 'ArrayExpression' ? properties.elements : [])) {
		if (element && element.type === 'ObjectExpression' && stringValue(propertyValue(element, 'type')) === 'multiOptions') {
			names.add(stringValue(propertyValue(element, 'name')));
		}
	}
	return names;
}

/** Two credentials show for different values of one single-value parameter, so never together. */
function exclusive(left, right, multiOptions) {
	const rightConditions = showConditions(right);
	for (const [name, leftValues] of showConditions(left)) {
		const rightValues = rightConditions.get(name);
		if (!multiOptions.has(name) && rightValues && leftValues.every((value) => !rightValues.includes(value))) return true;
	}
	return false;
}

module.exports = {
	meta: {
		type: 'problem',
		docs: { description: 'A node uses one credential at a time' },
		messages: {
			multipleCredentials:
				'A node can use only one credential at a time: show alternative credentials for different values of one parameter (displayOptions.show), and put settings that do not authenticate in node parameters.',
		},
		schema: [],
	},
	create(context) {
		return {
			ClassDeclaration(classNode) {
				if (!isNodeClass(classNode)) return;
				const description = nodeDescription(classNode);
				const credentials = propertyValue(description, 'credentials');
				if (!credentials || credentials.type !== 'ArrayExpression' || credentials.elements.length < 2) return;
				const multiOptions = multiOptionNames(description);
				const entries = credentials.elements;
				for (let left = 0; left < entries.length; left++) {
					for (let right = left + 1; right < entries.length; right++) {
						if (!exclusive(entries[left], entries[right], multiOptions)) {
							context.report({ node: credentials, messageId: 'multipleCredentials' });
							return;
						}
					}
				}
			},
		};
	},
};
