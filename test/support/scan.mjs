// Runs @n8n/scan-community-package's own analyzer (the ESLint set n8n's community-package scan
// applies) on a directory, and prints its verdict as JSON. ESM, so the jest test spawns it.
// With "strict" as third argument, it lints with that same set plus this package's own rules
// (lint/: n8n's repository rules that the published plugin does not hold yet), every error counted.
import { createRequire } from 'module';

const [directory, patterns, ruleSet] = process.argv.slice(2);
const { analyzePackage, buildScanConfig } = await import('@n8n/scan-community-package/scanner/scanner.mjs');

async function lintStrict() {
	const { ESLint } = await import('eslint');
	const netgraph = createRequire(import.meta.url)('../../lint');
	const eslint = new ESLint({
		cwd: directory,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: [...(await buildScanConfig()), ...netgraph.configs.strict],
	});
	const results = await eslint.lintFiles(JSON.parse(patterns));
	if (results.every((result) => result.errorCount === 0)) return { passed: true };
	const formatter = await eslint.loadFormatter('stylish');
	return { passed: false, message: 'ESLint violations found', details: await formatter.format(results) };
}

const result = ruleSet === 'strict' ? await lintStrict() : await analyzePackage(directory, JSON.parse(patterns));
process.stdout.write(JSON.stringify({ passed: result.passed, message: result.message, details: result.details }));
