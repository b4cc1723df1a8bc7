import { jsNode, rules, ruleTester, tsNode } from './ruleTester';

describe('node-filename-against-convention', () => {
	ruleTester.run('node-filename-against-convention', rules['node-filename-against-convention'], {
		valid: [
			{ name: 'named after description.name', filename: 'nodes/Example/ExampleNode.node.ts', code: tsNode("name: 'exampleNode'") },
			{ name: 'a versioned file', filename: 'nodes/Example/ExampleNodeV2.node.ts', code: tsNode("name: 'exampleNode'") },
			{ name: 'the compiled file', filename: 'dist/nodes/Example/ExampleNode.node.js', code: jsNode("name: 'exampleNode'") },
		],
		invalid: [
			{
				name: 'another name',
				filename: 'nodes/Example/Other.node.ts',
				code: tsNode("name: 'exampleNode'"),
				errors: [{ messageId: 'filename', data: { name: 'exampleNode', expected: 'ExampleNode', extension: '.ts', actual: 'Other.node.ts' } }],
			},
			{ name: 'the case differs', filename: 'dist/nodes/Example/Examplenode.node.js', code: jsNode("name: 'exampleNode'"), errors: [{ messageId: 'filename' }] },
		],
	});
});

describe('node-class-description-name-camelcase', () => {
	ruleTester.run('node-class-description-name-camelcase', rules['node-class-description-name-camelcase'], {
		valid: [{ name: 'camelCase', filename: 'nodes/A/ExampleNode.node.ts', code: tsNode("name: 'exampleNode2'") }],
		invalid: [
			{ name: 'kebab-case', filename: 'nodes/A/A.node.ts', code: tsNode("name: 'example-node'"), errors: [{ messageId: 'camelCase', data: { name: 'example-node' } }] },
			{ name: 'PascalCase, compiled', filename: 'dist/nodes/A/A.node.js', code: jsNode("name: 'ExampleNode'"), errors: [{ messageId: 'camelCase' }] },
		],
	});
});

describe('node-class-description-non-core-color', () => {
	ruleTester.run('node-class-description-non-core-color', rules['node-class-description-non-core-color'], {
		valid: [{ name: 'an own colour', filename: 'nodes/A/A.node.ts', code: tsNode("name: 'a', defaults: { name: 'A', color: '#1A82E2' }") }],
		invalid: [
			{ name: "n8n's colour in defaults", filename: 'nodes/A/A.node.ts', code: tsNode("name: 'a', defaults: { name: 'A', color: '#ff6d5a' }"), errors: [{ messageId: 'coreColor', data: { color: '#ff6d5a' } }] },
			{ name: "n8n's colour at the top", filename: 'nodes/A/A.node.js', code: jsNode("name: 'a', color: '#FF6D5A'"), errors: [{ messageId: 'coreColor' }] },
		],
	});
});

describe('non-required-fields-in-collection', () => {
	ruleTester.run('non-required-fields-in-collection', rules['non-required-fields-in-collection'], {
		valid: [
			{
				name: 'required fields, selectors, collections and notices at the top',
				filename: 'nodes/A/A.node.ts',
				code: tsNode(`name: 'a', properties: [
					{ displayName: 'Resource', name: 'resource', type: 'options', options: [], default: 'x' },
					{ displayName: 'E-Mail', name: 'email', type: 'string', required: true, default: '' },
					{ displayName: 'Note', name: 'note', type: 'notice', default: '' },
					{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [{ displayName: 'Limit', name: 'limit', type: 'number', default: 5 }] },
					{ displayName: 'Unknown', name: 'unknown', type: 'string', required: flag, default: '' },
					sharedField,
				]`),
			},
		],
		invalid: [
			{
				name: 'an optional field at the top',
				filename: 'nodes/A/A.node.ts',
				code: tsNode("name: 'a', properties: [{ displayName: 'Limit', name: 'limit', type: 'number', default: 50 }]"),
				errors: [{ messageId: 'optionalAtTop', data: { name: 'limit' } }],
			},
			{
				name: 'required: false, compiled',
				filename: 'nodes/A/A.node.js',
				code: jsNode("name: 'a', properties: [{ displayName: 'Limit', name: 'limit', type: 'number', required: false, default: 50 }]"),
				errors: [{ messageId: 'optionalAtTop' }],
			},
		],
	});
});

describe('open-ended-node-fields', () => {
	ruleTester.run('open-ended-node-fields', rules['open-ended-node-fields'], {
		valid: [{ name: 'a required JSON field', filename: 'nodes/A/A.node.ts', code: tsNode("name: 'a', properties: [{ displayName: 'Body', name: 'body', type: 'json', required: true, default: '{}' }]") }],
		invalid: [
			{
				name: 'an optional JSON field at the top',
				filename: 'nodes/A/A.node.ts',
				code: tsNode("name: 'a', properties: [{ displayName: 'Configuration', name: 'configuration', type: 'json', default: '{}' }]"),
				errors: [{ messageId: 'openEnded', data: { name: 'configuration' } }],
			},
		],
	});
});

describe('single-credential-per-node', () => {
	const credentials = (entries: string, properties = '') => tsNode(`name: 'a', credentials: [${entries}], properties: [${properties}]`);
	ruleTester.run('single-credential-per-node', rules['single-credential-per-node'], {
		valid: [
			{ name: 'one credential', filename: 'nodes/A/A.node.ts', code: credentials("{ name: 'aApi', required: true }") },
			{
				name: 'two credentials for different values of one parameter',
				filename: 'nodes/A/A.node.ts',
				code: credentials(
					"{ name: 'aApi', displayOptions: { show: { authentication: ['apiKey'] } } }, { name: 'aOAuth2Api', displayOptions: { show: { authentication: ['oAuth2'] } } }",
				),
			},
			{
				name: 'compiled',
				filename: 'nodes/A/A.node.js',
				code: jsNode(
					"name: 'a', credentials: [{ name: 'aApi', displayOptions: { show: { authentication: ['apiKey'] } } }, { name: 'bApi', displayOptions: { show: { authentication: ['other'] } } }]",
				),
			},
		],
		invalid: [
			{ name: 'two credentials at once', filename: 'nodes/A/A.node.ts', code: credentials("{ name: 'aApi', required: true }, { name: 'senderApi', required: true }"), errors: [{ messageId: 'multipleCredentials' }] },
			{
				name: 'a shared value',
				filename: 'nodes/A/A.node.ts',
				code: credentials(
					"{ name: 'aApi', displayOptions: { show: { authentication: ['apiKey', 'both'] } } }, { name: 'bApi', displayOptions: { show: { authentication: ['both'] } } }",
				),
				errors: [{ messageId: 'multipleCredentials' }],
			},
			{
				name: 'values of a multi-option parameter, which can hold together',
				filename: 'nodes/A/A.node.ts',
				code: credentials(
					"{ name: 'aApi', displayOptions: { show: { services: ['a'] } } }, { name: 'bApi', displayOptions: { show: { services: ['b'] } } }",
					"{ displayName: 'Services', name: 'services', type: 'multiOptions', options: [], default: [] }",
				),
				errors: [{ messageId: 'multipleCredentials' }],
			},
			{
				name: 'values that cannot be read here',
				filename: 'nodes/A/A.node.ts',
				code: credentials("{ name: 'aApi', displayOptions: { show: { auth: [A] } } }, { name: 'bApi', displayOptions: { show: { auth: [B] } } }"),
				errors: [{ messageId: 'multipleCredentials' }],
			},
		],
	});
});

describe('no-hardcoded-ids', () => {
	ruleTester.run('no-hardcoded-ids', rules['no-hardcoded-ids'], {
		valid: [
			{ name: 'an ID from a parameter', code: "const partnerId = this.getNodeParameter('partnerId', 0);" },
			{ name: 'an ID from a credential', code: "const body = { tenant_id: credentials.tenantId };" },
			{ name: 'another name', code: "const contextId = 'abc'; const partner = 'x';" },
		],
		invalid: [
			{ name: 'a fixed variable', code: "const partnerId = 'fixed-partner';", errors: [{ messageId: 'hardcodedId', data: { name: 'partnerId' } }] },
			{ name: 'a fixed request field', code: "const body = { 'client_id': 'abc', accountId: `acc` };", errors: [{ messageId: 'hardcodedId', data: { name: 'client_id' } }, { messageId: 'hardcodedId', data: { name: 'accountId' } }] },
			{ name: 'a fixed class field', code: "class A { customerId = 'c-1'; }", errors: [{ messageId: 'hardcodedId' }] },
			{ name: 'a fixed assignment', code: "body['tenant-id'] = 't'; this.resellerID = 'r'; affiliateId = 'a';", errors: 3 },
		],
	});
});

describe('node-class-description-naming', () => {
	ruleTester.run('node-class-description-naming', rules['node-class-description-naming'], {
		valid: [{ name: 'a description, an Api credential', filename: 'nodes/A/A.node.ts', code: tsNode("name: 'a', description: 'Does a', credentials: [{ name: 'aApi', required: true }]") }],
		invalid: [
			{ name: 'an empty description', filename: 'nodes/A/A.node.ts', code: tsNode("name: 'a', description: ''"), errors: [{ messageId: 'emptyDescription' }] },
			{ name: 'a credential without Api, compiled', filename: 'nodes/A/A.node.js', code: jsNode("name: 'a', description: 'Does a', credentials: [{ name: 'aAuth' }]"), errors: [{ messageId: 'credentialName', data: { name: 'aAuth' } }] },
		],
	});
});
