import { rules, ruleTester } from './ruleTester';

const tsCredential = (className: string, name: string) => `
import type { ICredentialType, INodeProperties } from 'n8n-workflow';
export class ${className} implements ICredentialType {
	name = '${name}';
	displayName = 'Example';
	properties: INodeProperties[] = [];
}`;
const jsCredential = (className: string, name: string) => `
class ${className} {
	constructor() {
		this.name = '${name}';
		this.displayName = 'Example';
		this.properties = [];
	}
}
exports.${className} = ${className};`;

describe('cred-class-name-suffix', () => {
	ruleTester.run('cred-class-name-suffix', rules['cred-class-name-suffix'], {
		valid: [
			{ name: 'ends with Api', filename: 'credentials/ExampleApi.credentials.ts', code: tsCredential('ExampleApi', 'exampleApi') },
			{ name: 'a class that is no credential', filename: 'credentials/Helper.credentials.ts', code: 'export class Helper {}' },
		],
		invalid: [
			{ name: 'no Api', filename: 'credentials/Example.credentials.ts', code: tsCredential('Example', 'exampleApi'), errors: [{ messageId: 'suffix', data: { name: 'Example' } }] },
			{ name: 'no Api, compiled', filename: 'dist/credentials/Example.credentials.js', code: jsCredential('Example', 'exampleApi'), errors: [{ messageId: 'suffix' }] },
		],
	});
});

describe('cred-class-name-field-conventions', () => {
	ruleTester.run('cred-class-name-field-conventions', rules['cred-class-name-field-conventions'], {
		valid: [{ name: 'lower-case start, Api end', filename: 'credentials/ExampleApi.credentials.js', code: jsCredential('ExampleApi', 'exampleApi') }],
		invalid: [
			{ name: 'upper-case start', filename: 'credentials/ExampleApi.credentials.ts', code: tsCredential('ExampleApi', 'ExampleApi'), errors: [{ messageId: 'nameField', data: { name: 'ExampleApi' } }] },
			{ name: 'no Api', filename: 'credentials/ExampleApi.credentials.js', code: jsCredential('ExampleApi', 'example'), errors: [{ messageId: 'nameField', data: { name: 'example' } }] },
		],
	});
});

describe('cred-filename-against-convention', () => {
	ruleTester.run('cred-filename-against-convention', rules['cred-filename-against-convention'], {
		valid: [{ name: 'named after the class', filename: 'credentials/ExampleApi.credentials.ts', code: tsCredential('ExampleApi', 'exampleApi') }],
		invalid: [
			{
				name: 'named otherwise',
				filename: 'dist/credentials/OtherApi.credentials.js',
				code: jsCredential('ExampleApi', 'exampleApi'),
				errors: [{ messageId: 'filename', data: { name: 'ExampleApi', extension: '.js', actual: 'OtherApi.credentials.js' } }],
			},
		],
	});
});

describe('cred-class-field-naming', () => {
	const withDisplayName = (className: string, name: string, displayName: string) => tsCredential(className, name).replace("displayName = 'Example'", `displayName = '${displayName}'`);
	ruleTester.run('cred-class-field-naming', rules['cred-class-field-naming'], {
		valid: [
			{ name: 'upper-case, API', filename: 'credentials/ExampleApi.credentials.ts', code: withDisplayName('ExampleApi', 'exampleApi', 'Example API') },
			{ name: 'OAuth2 everywhere', filename: 'credentials/ExampleOAuth2Api.credentials.ts', code: withDisplayName('ExampleOAuth2Api', 'exampleOAuth2Api', 'Example OAuth2 API') },
		],
		invalid: [
			{
				name: 'lower-case start and "Api"',
				filename: 'credentials/ExampleApi.credentials.ts',
				code: withDisplayName('ExampleApi', 'exampleApi', 'example Api'),
				errors: [{ messageId: 'displayNameCase', data: { value: 'example Api' } }, { messageId: 'displayNameApi', data: { value: 'example Api' } }],
			},
			{
				name: 'an OAuth2 class whose name and displayName do not say so',
				filename: 'credentials/ExampleOAuth2Api.credentials.ts',
				code: withDisplayName('ExampleOAuth2Api', 'exampleApi', 'Example API'),
				errors: [{ messageId: 'oauth2', data: { field: 'name', value: 'exampleApi' } }, { messageId: 'oauth2', data: { field: 'displayName', value: 'Example API' } }],
			},
		],
	});
});
