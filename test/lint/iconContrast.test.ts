import { fixture, jsNode, rules, ruleTester, tsNode } from './ruleTester';

const inIcons = (file: string) => fixture('icons', file);
const credential = (icon: string) => `export class ExampleApi implements ICredentialType { name = 'exampleApi'; icon = ${icon}; properties = []; }`;

describe('icon-contrast', () => {
	ruleTester.run('icon-contrast', rules['icon-contrast'], {
		valid: [
			{ name: 'a black icon for light, a white one for dark', filename: inIcons('Example.node.ts'), code: tsNode("name: 'example', icon: { light: 'file:black.svg', dark: 'file:white.svg' }") },
			{ name: 'one icon with a mid colour on both (a var() fallback)', filename: inIcons('Example.node.js'), code: jsNode("name: 'example', icon: 'file:brand.svg'") },
			{ name: 'an embedded picture is not judged', filename: inIcons('Example.node.ts'), code: tsNode("name: 'example', icon: 'file:picture.svg'") },
			{ name: 'an icon that is no file', filename: inIcons('Example.node.ts'), code: tsNode("name: 'example', icon: 'fa:envelope'") },
		],
		invalid: [
			{
				name: 'a black icon on the dark background',
				filename: inIcons('Example.node.ts'),
				code: tsNode("name: 'example', icon: { light: 'file:black.svg', dark: 'file:black.svg' }"),
				errors: [{ messageId: 'lowContrast', data: { file: 'black.svg', ratio: '1.48', theme: 'dark', background: '#2b2b2b', minimum: '1.5' } }],
			},
			{
				name: 'an icon without a fill is black: too dark for the dark background',
				filename: inIcons('Example.node.ts'),
				code: tsNode("name: 'example', icon: 'file:unfilled.svg'"),
				errors: [{ messageId: 'lowContrast', data: { file: 'unfilled.svg', ratio: '1.48', theme: 'dark', background: '#2b2b2b', minimum: '1.5' } }],
			},
			{
				name: 'a white credential icon on the light background',
				filename: inIcons('ExampleApi.credentials.ts'),
				code: credential("{ light: 'file:white.svg', dark: 'file:white.svg' }"),
				errors: [{ messageId: 'lowContrast', data: { file: 'white.svg', ratio: '1.00', theme: 'light', background: '#ffffff', minimum: '1.5' } }],
			},
			{
				name: 'the WCAG 3:1 target for graphics, when asked for',
				filename: inIcons('Example.node.ts'),
				code: tsNode("name: 'example', icon: { light: 'file:black.svg', dark: 'file:brand.svg' }"),
				options: [{ minimum: 3 }],
				errors: [{ messageId: 'lowContrast', data: { file: 'brand.svg', ratio: '2.12', theme: 'dark', background: '#2b2b2b', minimum: '3' } }],
			},
		],
	});
});
