'use strict';
// n8n's rules on a community package's package.json, each exported on its own (see ../README.md).
const { findProperty, isPackageJson, jsonRoot, propertyValue, stringValue } = require('../ast');

/** Runs check(root, report) on the root object of a package.json. */
const onPackageJson = (meta, check) => ({
	meta,
	create(context) {
		if (!isPackageJson(context.filename)) return {};
		return {
			Program(program) {
				const root = jsonRoot(program);
				if (root) check(root, (node, messageId, data) => context.report({ node, messageId, data }));
			},
		};
	},
});

const requireMitLicense = onPackageJson(
	{
		type: 'problem',
		docs: { description: 'A community package is MIT licensed' },
		messages: { notMit: 'A community node package must be MIT licensed: "license": "MIT".' },
		schema: [],
	},
	(root, report) => {
		const license = findProperty(root, 'license');
		if (stringValue(license && license.value) !== 'MIT') report(license || root, 'notMit');
	},
);

const noMonorepo = onPackageJson(
	{
		type: 'problem',
		docs: { description: 'A community package has a repository of its own' },
		messages: { monorepo: '"repository.directory" marks a package inside a monorepo; a community node package needs a repository of its own.' },
		schema: [],
	},
	(root, report) => {
		const directory = findProperty(propertyValue(root, 'repository'), 'directory');
		if (directory) report(directory, 'monorepo');
	},
);

const COMMUNITY_KEYWORD = 'n8n-community-node-package';
const requireCommunityNodeKeyword = onPackageJson(
	{
		type: 'problem',
		docs: { description: `The keywords hold "${COMMUNITY_KEYWORD}"` },
		messages: { keyword: `The keywords must hold "${COMMUNITY_KEYWORD}" (n8n finds community packages by it).` },
		schema: [],
	},
	(root, report) => {
		const keywords = propertyValue(root, 'keywords');
		const listed = keywords && keywords.type === 'ArrayExpression' && keywords.elements.some((element) => stringValue(element) === COMMUNITY_KEYWORD);
		if (!listed) report(keywords || root, 'keyword');
	},
);

const communityPackageJson = onPackageJson(
	{
		type: 'problem',
		docs: { description: 'A community package.json has a version, a description, an author with a name, a real repository URL, and an n8n section naming its nodes' },
		messages: {
			missing: 'package.json must have a non-empty "{{field}}".',
			defaultRepository: '"repository.url" is still the template\'s placeholder.',
			apiVersion: '"n8n.n8nNodesApiVersion" must be a number.',
			nodes: '"n8n.nodes" must list at least one node file.',
		},
		schema: [],
	},
	(root, report) => {
		for (const field of ['version', 'description']) {
			if (!stringValue(propertyValue(root, field))) report(findProperty(root, field) || root, 'missing', { field });
		}
		const author = propertyValue(root, 'author');
		const authorName = author && author.type === 'ObjectExpression' ? stringValue(propertyValue(author, 'name')) : stringValue(author);
		if (!authorName) report(author || root, 'missing', { field: 'author.name' });
		const url = stringValue(propertyValue(propertyValue(root, 'repository'), 'url'));
		if (url !== null && /github\.com\/<\.\.\.>/.test(url)) report(propertyValue(root, 'repository'), 'defaultRepository');
		const n8n = propertyValue(root, 'n8n');
		if (!n8n || n8n.type !== 'ObjectExpression') return report(root, 'missing', { field: 'n8n' });
		const apiVersion = propertyValue(n8n, 'n8nNodesApiVersion');
		if (!apiVersion || apiVersion.type !== 'Literal' || typeof apiVersion.value !== 'number') report(apiVersion || n8n, 'apiVersion');
		const nodes = propertyValue(n8n, 'nodes');
		if (!nodes || nodes.type !== 'ArrayExpression' || nodes.elements.length === 0) report(nodes || n8n, 'nodes');
	},
);

module.exports = { communityPackageJson, noMonorepo, requireCommunityNodeKeyword, requireMitLicense };
