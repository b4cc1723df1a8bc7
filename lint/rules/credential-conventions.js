'use strict';
// n8n's rules on credential classes, each exported on its own (see ../README.md).
const path = require('path');
const { classMemberValue, isCredentialClass, isCredentialsFile, stringValue } = require('../ast');

/** Runs check(classNode, context) on every credential class in a credentials file. */
const onCredentialClass = (meta, check) => ({
	meta,
	create(context) {
		if (!isCredentialsFile(context.filename)) return {};
		return {
			ClassDeclaration(classNode) {
				if (classNode.id && isCredentialClass(classNode)) check(classNode, context);
			},
		};
	},
});

const classNameSuffix = onCredentialClass(
	{
		type: 'problem',
		docs: { description: 'A credential class name ends with "Api"' },
		messages: { suffix: 'The credential class "{{name}}" must end with "Api".' },
		schema: [],
	},
	(classNode, context) => {
		if (!classNode.id.name.endsWith('Api')) context.report({ node: classNode.id, messageId: 'suffix', data: { name: classNode.id.name } });
	},
);

const nameFieldConventions = onCredentialClass(
	{
		type: 'problem',
		docs: { description: 'A credential\'s name field starts lower-case and ends with "Api"' },
		messages: { nameField: 'The credential name "{{name}}" must start with a lower-case letter and end with "Api".' },
		schema: [],
	},
	(classNode, context) => {
		const nameNode = classMemberValue(classNode, 'name');
		const name = stringValue(nameNode);
		if (name !== null && !/^[a-z].*Api$/.test(name)) context.report({ node: nameNode, messageId: 'nameField', data: { name } });
	},
);

const filenameAgainstConvention = onCredentialClass(
	{
		type: 'problem',
		docs: { description: 'A credentials file is named after its class' },
		messages: { filename: 'The credential class "{{name}}" belongs in "{{name}}.credentials{{extension}}", not "{{actual}}".' },
		schema: [],
	},
	(classNode, context) => {
		const actual = path.basename(context.filename);
		const [, stem, extension] = /^(.*)\.credentials(\.(?:ts|js))$/.exec(actual);
		if (stem !== classNode.id.name) context.report({ node: classNode.id, messageId: 'filename', data: { name: classNode.id.name, extension, actual } });
	},
);

const fieldNaming = onCredentialClass(
	{
		type: 'problem',
		docs: { description: 'A credential\'s displayName starts upper-case and writes "API"; an OAuth2 class says OAuth2 in name and displayName' },
		messages: {
			displayNameCase: 'The credential display name "{{value}}" must start with an upper-case letter.',
			displayNameApi: 'The credential display name "{{value}}" must write "API", not "Api".',
			oauth2: 'The OAuth2 credential\'s {{field}} "{{value}}" must say "OAuth2".',
		},
		schema: [],
	},
	(classNode, context) => {
		const oauth2 = classNode.id.name.includes('OAuth2');
		const nameNode = classMemberValue(classNode, 'name');
		const name = stringValue(nameNode);
		if (name !== null && oauth2 && !name.includes('OAuth2')) context.report({ node: nameNode, messageId: 'oauth2', data: { field: 'name', value: name } });
		const displayNode = classMemberValue(classNode, 'displayName');
		const displayName = stringValue(displayNode);
		if (displayName === null) return;
		if (displayName && displayName[0] !== displayName[0].toUpperCase()) context.report({ node: displayNode, messageId: 'displayNameCase', data: { value: displayName } });
		if (/\bApi\b/.test(displayName)) context.report({ node: displayNode, messageId: 'displayNameApi', data: { value: displayName } });
		if (oauth2 && !displayName.includes('OAuth2')) context.report({ node: displayNode, messageId: 'oauth2', data: { field: 'displayName', value: displayName } });
	},
);

module.exports = { classNameSuffix, fieldNaming, filenameAgainstConvention, nameFieldConventions };
