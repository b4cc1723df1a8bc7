// Runs @n8n/scan-community-package's own analyzer (the ESLint set n8n's community-package scan
// applies) on a directory, and prints its verdict as JSON. ESM, so the jest test spawns it.
// With "strict" as third argument, it lints with that same set, its community-node rules taken from
// the newest published plugin (the one @n8n/node-cli uses; the scanner brings an older one), plus
// this package's own rules (lint/: n8n's repository rules not published yet), every error counted.
import { createRequire } from 'module';

const [directory, patterns, ruleSet] = process.argv.slice(2);
const { analyzePackage, buildScanConfig } = await import('@n8n/scan-community-package/scanner/scanner.mjs');

async function lintStrict() {
	const { ESLint } = await import('eslint');
	const netgraph = createRequire(import.meta.url)('../../lint');
	const { n8nCommunityNodesPlugin } = await import('@n8n/eslint-plugin-community-nodes');
	const scanConfig = (await buildScanConfig()).map((config) =>
		config.plugins && config.plugins['@n8n/community-nodes'] ? n8nCommunityNodesPlugin.configs.recommended : config,
	);
	if (!scanConfig.includes(n8nCommunityNodesPlugin.configs.recommended)) throw new Error("The scanner's configuration no longer holds the community-node rules in one place");
	const eslint = new ESLint({
		cwd: directory,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: [...scanConfig, ...netgraph.configs.strict],
	});
	const results = await eslint.lintFiles(JSON.parse(patterns));
	if (results.every((result) => result.errorCount === 0)) return { passed: true };
	const formatter = await eslint.loadFormatter('stylish');
	return { passed: false, message: 'ESLint violations found', details: await formatter.format(results) };
}

const result = ruleSet === 'strict' ? await lintStrict() : await analyzePackage(directory, JSON.parse(patterns));
process.stdout.write(JSON.stringify({ passed: result.passed, message: result.message, details: result.details }));
