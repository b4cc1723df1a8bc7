'use strict';
// Three of n8n's rules on a node description, each exported on its own (see ../README.md).
const path = require('path');
const { isNodeClass, isNodeFile, nodeDescription, propertyValue, stringValue } = require('../ast');

/** Runs check(description, context) on every node class with a literal description in a node file. */
const onNodeDescription = (meta, check) => ({
	meta,
	create(context) {
		if (!isNodeFile(context.filename)) return {};
		return {
			ClassDeclaration(classNode) {
				const description = isNodeClass(classNode) ? nodeDescription(classNode) : null;
				if (description) check(description, context);
			},
		};
	},
});

const filenameAgainstConvention = onNodeDescription(
	{
		type: 'problem',
		docs: { description: 'A node file is named after its description.name, first letter upper-cased (a V2… suffix allowed)' },
		messages: { filename: 'The node named "{{name}}" belongs in "{{expected}}.node{{extension}}" (or a versioned "{{expected}}V2.node{{extension}}"), not "{{actual}}".' },
		schema: [],
	},
	(description, context) => {
		const nameNode = propertyValue(description, 'name');
		const name = stringValue(nameNode);
		if (!name) return;
		const actual = path.basename(context.filename);
		const [, stem, extension] = /^(.*)\.node(\.(?:ts|js))$/.exec(actual);
		const expected = name.charAt(0).toUpperCase() + name.slice(1);
		if (stem !== expected && !new RegExp(`^${expected.replace(/[^A-Za-z0-9]/g, '\\$&')}V\\d+$`).test(stem)) {
			context.report({ node: nameNode, messageId: 'filename', data: { name, expected, extension, actual } });
		}
	},
);

const nameCamelCase = onNodeDescription(
	{
		type: 'problem',
		docs: { description: 'A node\'s description.name is camelCase' },
		messages: { camelCase: 'The node name "{{name}}" must be camelCase (a lower-case letter, then letters and digits).' },
		schema: [],
	},
	(description, context) => {
		const nameNode = propertyValue(description, 'name');
		const name = stringValue(nameNode);
		if (name !== null && !/^[a-z][a-zA-Z0-9]*$/.test(name)) context.report({ node: nameNode, messageId: 'camelCase', data: { name } });
	},
);

const CORE_COLOR = '#ff6d5a';
const nonCoreColor = onNodeDescription(
	{
		type: 'problem',
		docs: { description: 'A community node does not use n8n\'s own colour (#FF6D5A)' },
		messages: { coreColor: '"{{color}}" is n8n\'s own node colour; a community node picks another.' },
		schema: [],
	},
	(description, context) => {
		for (const colorNode of [propertyValue(description, 'color'), propertyValue(propertyValue(description, 'defaults'), 'color')]) {
			const color = stringValue(colorNode);
			if (color !== null && color.toLowerCase() === CORE_COLOR) context.report({ node: colorNode, messageId: 'coreColor', data: { color } });
		}
	},
);

/** The parameter object literals written directly in description.properties, with what `required` says. */
function topLevelParameters(description) {
	const properties = propertyValue(description, 'properties');
	if (!properties || properties.type !== 'ArrayExpression') return [];
	return properties.elements
		.filter((element) => element && element.type === 'ObjectExpression')
		.map((parameter) => {
			const required = propertyValue(parameter, 'required');
			// A `required` that is not a boolean literal cannot be read here: such a parameter is left alone.
			const requiredValue = !required ? false : required.type === 'Literal' && typeof required.value === 'boolean' ? required.value : null;
			return { parameter, name: stringValue(propertyValue(parameter, 'name')), type: stringValue(propertyValue(parameter, 'type')), required: requiredValue };
		});
}

const CONTAINER_OR_TEXT = new Set(['collection', 'fixedCollection', 'notice', 'callout', 'hidden', 'curlImport']);
const SELECTORS = new Set(['resource', 'operation', 'authentication']);
const nonRequiredFieldsInCollection = onNodeDescription(
	{
		type: 'suggestion',
		docs: { description: 'Optional fields live in an Additional Fields or Additional Options collection' },
		messages: { optionalAtTop: 'The optional field "{{name}}" belongs in an "Additional Fields" or "Additional Options" collection.' },
		schema: [],
	},
	(description, context) => {
		for (const { parameter, name, type, required } of topLevelParameters(description)) {
			if (required === false && !CONTAINER_OR_TEXT.has(type) && !SELECTORS.has(name)) {
				context.report({ node: parameter, messageId: 'optionalAtTop', data: { name } });
			}
		}
	},
);

const openEndedNodeFields = onNodeDescription(
	{
		type: 'suggestion',
		docs: { description: 'No optional JSON field at the top of a node' },
		messages: { openEnded: 'The optional JSON field "{{name}}" hides its settings from the editor: give them typed parameters in a collection.' },
		schema: [],
	},
	(description, context) => {
		for (const { parameter, name, type, required } of topLevelParameters(description)) {
			if (type === 'json' && required === false) context.report({ node: parameter, messageId: 'openEnded', data: { name } });
		}
	},
);

// The checks of n8n's node-class-description-naming that no rule above makes (its camelCase name and
// core colour checks are the two rules above).
const descriptionNaming = onNodeDescription(
	{
		type: 'problem',
		docs: { description: 'A node\'s description text is not empty, and the credentials it names end with "Api"' },
		messages: {
			emptyDescription: 'The node\'s description must not be empty.',
			credentialName: 'The credential "{{name}}" the node uses must end with "Api".',
		},
		schema: [],
	},
	(description, context) => {
		const text = propertyValue(description, 'description');
		if (stringValue(text) === '') context.report({ node: text, messageId: 'emptyDescription' });
		const credentials = propertyValue(description, 'credentials');
		for (const entry of credentials && credentials.type === 'ArrayExpression' ? credentials.elements : []) {
			const nameNode = entry && entry.type === 'ObjectExpression' ? propertyValue(entry, 'name') : null;
			const name = stringValue(nameNode);
			if (name !== null && !name.endsWith('Api')) context.report({ node: nameNode, messageId: 'credentialName', data: { name } });
		}
	},
);

module.exports = { descriptionNaming, filenameAgainstConvention, nameCamelCase, nonCoreColor, nonRequiredFieldsInCollection, onNodeDescription, openEndedNodeFields };
