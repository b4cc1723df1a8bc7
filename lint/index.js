'use strict';
// This package's own ESLint plugin: n8n's community-node rules that n8n's repository holds and the
// published @n8n/eslint-plugin-community-nodes does not yet, written afresh here. README.md names the
// n8n rule each one mirrors.
const codex = require('./rules/codex');
const credential = require('./rules/credential-conventions');
const description = require('./rules/node-description-conventions');
const itemErrors = require('./rules/node-operation-error-itemindex');
const packageJson = require('./rules/package-json');
const parameter = require('./rules/parameter-conventions');

const rules = {
	'cred-class-name-field-conventions': credential.nameFieldConventions,
	'cred-class-field-naming': credential.fieldNaming,
	'cred-class-name-suffix': credential.classNameSuffix,
	'cred-filename-against-convention': credential.filenameAgainstConvention,
	'community-package-json': packageJson.communityPackageJson,
	'hint-max-length': parameter.hintMaxLength,
	'icon-contrast': require('./rules/icon-contrast'),
	'no-ai-codex-category': codex.noAiCodexCategory,
	'no-asterisk-in-option-names': parameter.noAsteriskInOptionNames,
	'no-codex-subcategories': codex.noCodexSubcategories,
	'no-duplicate-param-options': parameter.noDuplicateParamOptions,
	'no-hardcoded-ids': require('./rules/no-hardcoded-ids'),
	'no-logic-or-flow-nodes': codex.noLogicOrFlowNodes,
	'no-monorepo': packageJson.noMonorepo,
	'node-class-description-name-camelcase': description.nameCamelCase,
	'node-class-description-naming': description.descriptionNaming,
	'node-class-description-non-core-color': description.nonCoreColor,
	'node-filename-against-convention': description.filenameAgainstConvention,
	'node-param-conventions': parameter.noRequiredFalse,
	'node-operation-error-itemindex': itemErrors.itemIndexRule,
	'item-error-carries-item-index': itemErrors.itemIndexInScopeRule,
	'non-required-fields-in-collection': description.nonRequiredFieldsInCollection,
	'open-ended-node-fields': description.openEndedNodeFields,
	'options-sorted-alphabetically': parameter.optionsSortedAlphabetically,
	'require-community-node-keyword': packageJson.requireCommunityNodeKeyword,
	'require-continue-on-fail': require('./rules/require-continue-on-fail'),
	'require-mit-license': packageJson.requireMitLicense,
	'require-param-default': parameter.requireParamDefault,
	'single-credential-per-node': require('./rules/single-credential-per-node'),
	'valid-node-categories': codex.validNodeCategories,
};

const PACKAGE_JSON_RULES = ['community-package-json', 'no-monorepo', 'require-community-node-keyword', 'require-mit-license'];

const plugin = { meta: { name: 'netgraph-lint' }, rules };

const allAsErrors = (names) => Object.fromEntries(names.map((name) => [`netgraph/${name}`, 'error']));

/**
 * Every rule as an error, n8n's warnings too: on the sources (nodes/, credentials/) and on the
 * compiled package (dist/nodes/, dist/credentials/), and on package.json.
 */
plugin.configs = {
	strict: [
		{
			files: ['**/nodes/**/*.{ts,js}', '**/credentials/**/*.{ts,js}'],
			plugins: { netgraph: plugin },
			rules: allAsErrors(Object.keys(rules).filter((name) => !PACKAGE_JSON_RULES.includes(name))),
		},
		{
			// Saved triggers hold Other Event Names at the top of the node: moved into Options, a saved
			// value would be dropped on upgrade. The field stays where it is.
			files: ['**/NetgraphSignInTrigger.node.{ts,js}'],
			rules: { 'netgraph/non-required-fields-in-collection': 'off' },
		},
		{
			files: ['**/package.json'],
			plugins: { netgraph: plugin },
			rules: allAsErrors(PACKAGE_JSON_RULES),
		},
	],
};

module.exports = plugin;
