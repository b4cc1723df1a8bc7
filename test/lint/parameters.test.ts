import { rules, ruleTester } from './ruleTester';

const parameter = (fields: string) => `export const field = { displayName: 'Field', name: 'field', ${fields} };`;

describe('require-param-default', () => {
	ruleTester.run('require-param-default', rules['require-param-default'], {
		valid: [
			{ name: 'a default', code: parameter("type: 'string', default: ''") },
			{ name: 'no parameter (an option, a credential reference)', code: "const a = [{ name: 'A', value: 'a' }, { name: 'aApi', required: true }];" },
			{
				name: "a resource locator's modes, which have no default",
				code: parameter("type: 'resourceLocator', default: { mode: 'list', value: '' }, modes: [{ displayName: 'ID', name: 'id', type: 'string' }]"),
			},
		],
		invalid: [
			{ name: 'no default', code: parameter("type: 'string'"), errors: [{ messageId: 'missingDefault', data: { name: 'field' } }] },
			{
				name: 'no default, inside a collection',
				code: parameter("type: 'collection', default: {}, options: [{ displayName: 'Limit', name: 'limit', type: 'number' }]"),
				errors: [{ messageId: 'missingDefault', data: { name: 'limit' } }],
			},
		],
	});
});

describe('options-sorted-alphabetically', () => {
	ruleTester.run('options-sorted-alphabetically', rules['options-sorted-alphabetically'], {
		valid: [
			{ name: 'sorted, whatever the case', code: parameter("type: 'options', default: 'a', options: [{ name: 'alpha', value: 'a' }, { name: 'Beta', value: 'b' }]") },
			{ name: 'numbers as numbers, before words', code: parameter("type: 'options', default: 0, options: [{ name: '2', value: 2 }, { name: '10', value: 10 }, { name: 'Auto', value: 0 }]") },
			{ name: 'names that cannot be read here', code: parameter("type: 'options', default: 'b', options: [{ name: 'B', value: 'b' }, { name: LABEL, value: 'a' }]") },
			{ name: 'multi-options are not checked', code: parameter("type: 'multiOptions', default: [], options: [{ name: 'B', value: 'b' }, { name: 'A', value: 'a' }]") },
		],
		invalid: [
			{
				name: 'out of order',
				code: parameter("type: 'options', default: 'u', options: [{ name: 'User', value: 'u' }, { name: 'Contact', value: 'c' }]"),
				errors: [{ messageId: 'unsorted', data: { name: 'field', previous: 'User', next: 'Contact' } }],
			},
			{
				name: 'a word before numbers',
				code: parameter("type: 'options', default: 0, options: [{ name: 'Auto', value: 0 }, { name: '1', value: 1 }]"),
				errors: [{ messageId: 'unsorted' }],
			},
		],
	});
});

describe('no-duplicate-param-options', () => {
	ruleTester.run('no-duplicate-param-options', rules['no-duplicate-param-options'], {
		valid: [{ name: 'distinct names and values', code: parameter("type: 'multiOptions', default: [], options: [{ name: 'A', value: 'a' }, { name: 'B', value: 'b' }]") }],
		invalid: [
			{
				name: 'a name twice and a value twice',
				code: parameter("type: 'options', default: 'a', options: [{ name: 'A', value: 'a' }, { name: 'A', value: 'b' }, { name: 'C', value: 'a' }]"),
				errors: [
					{ messageId: 'duplicate', data: { name: 'field', field: 'name', value: '"A"' } },
					{ messageId: 'duplicate', data: { name: 'field', field: 'value', value: '"a"' } },
				],
			},
		],
	});
});

describe('no-asterisk-in-option-names', () => {
	ruleTester.run('no-asterisk-in-option-names', rules['no-asterisk-in-option-names'], {
		valid: [{ name: 'words, and "*" as a value', code: parameter("type: 'multiOptions', default: ['*'], options: [{ name: 'All Events', value: '*' }]") }],
		invalid: [
			{ name: 'a "*" in a name', code: parameter("type: 'options', default: '*', options: [{ name: '*', value: '*' }]"), errors: [{ messageId: 'asterisk', data: { option: '*' } }] },
		],
	});
});

describe('hint-max-length', () => {
	ruleTester.run('hint-max-length', rules['hint-max-length'], {
		valid: [{ name: '120 characters', code: parameter(`type: 'string', default: '', hint: '${'h'.repeat(120)}'`) }],
		invalid: [
			{
				name: '121 characters',
				code: parameter(`type: 'string', default: '', hint: '${'h'.repeat(121)}'`),
				errors: [{ messageId: 'long', data: { name: 'field', length: '121', max: '120' } }],
			},
		],
	});
});

describe('node-param-conventions (required: false)', () => {
	ruleTester.run('node-param-conventions', rules['node-param-conventions'], {
		valid: [{ name: 'required: true, or nothing', code: `${parameter("type: 'string', default: '', required: true")} ${parameter("type: 'string', default: ''")}` }],
		invalid: [{ name: 'required: false', code: parameter("type: 'string', default: '', required: false"), errors: [{ messageId: 'requiredFalse', data: { name: 'field' } }] }],
	});
});
