/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * RuleTester for the package's own lint rules (lint/), with the TypeScript parser n8n's lint uses,
 * and the rules typed for the tests.
 */
import type { Rule } from 'eslint';
import { RuleTester } from 'eslint';
import { join } from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const parser = require('@typescript-eslint/parser');

export const ruleTester = new RuleTester({ languageOptions: { parser, ecmaVersion: 2022, sourceType: 'module' } });

// The plugin is plain JavaScript, so eslint.config.mjs loads it without a build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { rules } = require('../../lint') as { rules: Record<string, Rule.RuleModule> };

/** A path in test/lint/fixtures/. */
export const fixture = (...parts: string[]) => join(__dirname, 'fixtures', ...parts);

/** A node class in TypeScript with the given description body. */
export const tsNode = (description: string, members = '') => `
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
export class Example implements INodeType {
	description: INodeTypeDescription = { ${description} };
	${members}
}`;

/** The same node class as TypeScript compiles it (what the published package holds). */
export const jsNode = (description: string, members = '') => `
"use strict";
class Example {
	constructor() {
		this.description = { ${description} };
	}
	${members}
}
exports.Example = Example;`;
