'use strict';
// n8n's rules on node parameters, each exported on its own (see ../README.md). They look at every
// parameter object literal in the file, wherever it is written: in this package most parameters live
// in the per-operation description files, not in the node file.
const { findProperty, literalOptions, parameterType, propertyValue, stringValue } = require('../ast');

/** Runs check(parameter, type, context) on every parameter object literal. */
const onParameter = (meta, check) => ({
	meta,
	create(context) {
		return {
			ObjectExpression(object) {
				const type = parameterType(object);
				if (type) check(object, type, context);
			},
		};
	},
});

const requireParamDefault = onParameter(
	{
		type: 'problem',
		docs: { description: 'Every node parameter declares a default' },
		messages: { missingDefault: 'The parameter "{{name}}" must declare a `default` (n8n starts the field from it).' },
		schema: [],
	},
	(parameter, type, context) => {
		if (!findProperty(parameter, 'default')) {
			context.report({ node: parameter, messageId: 'missingDefault', data: { name: stringValue(propertyValue(parameter, 'name')) } });
		}
	},
);

const optionName = (option) => stringValue(propertyValue(option, 'name'));

const optionsSortedAlphabetically = onParameter(
	{
		type: 'suggestion',
		// Numbers in names compare as numbers, so "2" comes before "10".
		docs: { description: 'The options of an options parameter are sorted by name' },
		messages: { unsorted: 'The options of "{{name}}" must be sorted by name: "{{next}}" comes before "{{previous}}".' },
		schema: [],
	},
	(parameter, type, context) => {
		if (type !== 'options') return;
		const names = literalOptions(parameter).map(optionName);
		if (names.some((name) => name === null)) return;
		for (let index = 1; index < names.length; index++) {
			if (names[index - 1].localeCompare(names[index], undefined, { sensitivity: 'base', numeric: true }) > 0) {
				context.report({
					node: propertyValue(parameter, 'options'),
					messageId: 'unsorted',
					data: { name: stringValue(propertyValue(parameter, 'name')), previous: names[index - 1], next: names[index] },
				});
				return;
			}
		}
	},
);

const noDuplicateParamOptions = onParameter(
	{
		type: 'problem',
		docs: { description: 'No two options of one parameter share a name or a value' },
		messages: { duplicate: 'Two options of "{{name}}" have the {{field}} {{value}}.' },
		schema: [],
	},
	(parameter, type, context) => {
		if (type !== 'options' && type !== 'multiOptions') return;
		for (const field of ['name', 'value']) {
			const seen = new Set();
			for (const option of literalOptions(parameter)) {
				const valueNode = propertyValue(option, field);
				if (!valueNode || valueNode.type !== 'Literal') continue;
				const key = `${typeof valueNode.value}:${valueNode.value}`;
				if (seen.has(key)) {
					context.report({
						node: valueNode,
						messageId: 'duplicate',
						data: { name: stringValue(propertyValue(parameter, 'name')), field, value: JSON.stringify(valueNode.value) },
					});
				}
				seen.add(key);
			}
		}
	},
);

const noAsteriskInOptionNames = onParameter(
	{
		type: 'suggestion',
		docs: { description: 'No "*" in option names' },
		messages: { asterisk: 'The option name "{{option}}" has a "*", which reads ambiguously in n8n\'s lists; write "[All]" or words.' },
		schema: [],
	},
	(parameter, type, context) => {
		for (const option of literalOptions(parameter)) {
			const name = optionName(option);
			if (name !== null && name.includes('*')) context.report({ node: propertyValue(option, 'name'), messageId: 'asterisk', data: { option: name } });
		}
	},
);

const HINT_MAX_LENGTH = 120;
const hintMaxLength = onParameter(
	{
		type: 'suggestion',
		docs: { description: `A parameter's hint is at most ${HINT_MAX_LENGTH} characters` },
		messages: { long: 'The hint of "{{name}}" has {{length}} characters, more than {{max}}: move the detail to its description (the tooltip).' },
		schema: [],
	},
	(parameter, type, context) => {
		const hintNode = propertyValue(parameter, 'hint');
		const hint = stringValue(hintNode);
		if (hint !== null && hint.length > HINT_MAX_LENGTH) {
			context.report({
				node: hintNode,
				messageId: 'long',
				data: { name: stringValue(propertyValue(parameter, 'name')), length: hint.length, max: HINT_MAX_LENGTH },
			});
		}
	},
);

// The check of n8n's node-param-conventions that no rule above makes (its default and duplicate
// checks are require-param-default and no-duplicate-param-options).
const noRequiredFalse = onParameter(
	{
		type: 'suggestion',
		docs: { description: 'No `required: false` on a parameter (it is the default)' },
		messages: { requiredFalse: '`required: false` on "{{name}}" says what n8n assumes anyway: leave it out.' },
		schema: [],
	},
	(parameter, type, context) => {
		const required = propertyValue(parameter, 'required');
		if (required && required.type === 'Literal' && required.value === false) {
			context.report({ node: required, messageId: 'requiredFalse', data: { name: stringValue(propertyValue(parameter, 'name')) } });
		}
	},
);

module.exports = { hintMaxLength, noRequiredFalse, noAsteriskInOptionNames, noDuplicateParamOptions, optionsSortedAlphabetically, requireParamDefault };
