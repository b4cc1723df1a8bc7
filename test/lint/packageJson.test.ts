import { rules, ruleTester } from './ruleTester';

const VALID = {
	name: 'n8n-nodes-example',
	version: '1.0.0',
	description: 'Example nodes',
	keywords: ['n8n-community-node-package'],
	license: 'MIT',
	author: { name: 'Example' },
	repository: { type: 'git', url: 'https://github.com/example/n8n-nodes-example.git' },
	n8n: { n8nNodesApiVersion: 1, nodes: ['dist/nodes/Example/Example.node.js'] },
};

/** package.json text: the valid one with some fields changed (undefined removes a field). */
const packageJson = (changes: Record<string, unknown> = {}) => ({ filename: 'package.json', code: JSON.stringify({ ...VALID, ...changes }, null, 2) });

describe('require-mit-license', () => {
	ruleTester.run('require-mit-license', rules['require-mit-license'], {
		valid: [{ name: 'MIT', ...packageJson() }, { name: 'another JSON file', filename: 'tsconfig.json', code: '{ "license": "ISC" }' }],
		invalid: [
			{ name: 'another licence', ...packageJson({ license: 'Apache-2.0' }), errors: [{ messageId: 'notMit' }] },
			{ name: 'no licence', ...packageJson({ license: undefined }), errors: [{ messageId: 'notMit' }] },
		],
	});
});

describe('no-monorepo', () => {
	ruleTester.run('no-monorepo', rules['no-monorepo'], {
		valid: [{ name: 'a repository of its own', ...packageJson() }],
		invalid: [
			{
				name: 'a directory in a monorepo',
				...packageJson({ repository: { type: 'git', url: 'https://github.com/example/packages.git', directory: 'packages/n8n-nodes-example' } }),
				errors: [{ messageId: 'monorepo' }],
			},
		],
	});
});

describe('require-community-node-keyword', () => {
	ruleTester.run('require-community-node-keyword', rules['require-community-node-keyword'], {
		valid: [{ name: 'the keyword among others', ...packageJson({ keywords: ['n8n', 'n8n-community-node-package'] }) }],
		invalid: [
			{ name: 'other keywords only', ...packageJson({ keywords: ['n8n'] }), errors: [{ messageId: 'keyword' }] },
			{ name: 'no keywords', ...packageJson({ keywords: undefined }), errors: [{ messageId: 'keyword' }] },
		],
	});
});

describe('community-package-json', () => {
	ruleTester.run('community-package-json', rules['community-package-json'], {
		valid: [{ name: 'every field', ...packageJson() }, { name: 'an author as a string', ...packageJson({ author: 'Example <e@example.com>' }) }],
		invalid: [
			{
				name: 'empty description, no version, no author name',
				...packageJson({ description: '', version: undefined, author: { email: 'e@example.com' } }),
				errors: [
					{ messageId: 'missing', data: { field: 'version' } },
					{ messageId: 'missing', data: { field: 'description' } },
					{ messageId: 'missing', data: { field: 'author.name' } },
				],
			},
			{ name: "the template's repository URL", ...packageJson({ repository: { type: 'git', url: 'https://github.com/<...>/n8n-nodes-example.git' } }), errors: [{ messageId: 'defaultRepository' }] },
			{ name: 'no n8n section', ...packageJson({ n8n: undefined }), errors: [{ messageId: 'missing', data: { field: 'n8n' } }] },
			{ name: 'an API version as text and no nodes', ...packageJson({ n8n: { n8nNodesApiVersion: '1', nodes: [] } }), errors: [{ messageId: 'apiVersion' }, { messageId: 'nodes' }] },
		],
	});
});
