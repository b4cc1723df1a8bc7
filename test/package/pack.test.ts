/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * What `npm pack` publishes: only what n8n needs, every path the n8n section names, and JavaScript
 * that passes the scan n8n runs on community packages (its tarball leg and its source leg, with
 * the scanner's own code). Needs a build first (`npm test` builds).
 */
import { execFileSync } from 'child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { filesUnder, packInto } from '../../scripts/n8n';

const ROOT = join(__dirname, '..', '..');
/** The scanner's tarball leg lints these; its source leg lints `package.json` and `{nodes,credentials}/**`. */
const TARBALL_PATTERNS = ['**/*.js', 'package.json'];
const SOURCE_PATTERNS = ['package.json', '{nodes,credentials}/**/*.{js,ts,json}'];

interface ScanResult {
	passed: boolean;
	message?: string;
	details?: string;
}

/** `strict`: the scanner's rule set plus this package's own rules (lint/), see test/support/scan.mjs. */
function scan(directory: string, patterns: string[], ruleSet: 'scanner' | 'strict' = 'scanner'): ScanResult {
	// eslint-plugin-n8n-nodes-base changes its file-name rules under NODE_ENV=test, which jest sets.
	const env = { ...process.env };
	delete env.NODE_ENV;
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- a dev tool starting a fixed program with fixed arguments
	const out = execFileSync(process.execPath, [join(ROOT, 'test', 'support', 'scan.mjs'), directory, JSON.stringify(patterns), ruleSet], {
		cwd: ROOT,
		env,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	return JSON.parse(out) as ScanResult;
}

let work: string;
let unpacked: string;
let tarballBytes: number;

beforeAll(() => {
	work = mkdtempSync(join(tmpdir(), 'netgraph-pack-test-'));
	unpacked = join(work, 'package');
	tarballBytes = packInto(unpacked);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };

it("npm publish --dry-run, as the publish workflow runs it, would publish exactly what npm pack holds, under the package.json's name and version", () => {
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- a dev tool starting a fixed program with fixed arguments
	const out = execFileSync('npm', ['publish', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	const { name, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
	const published = (JSON.parse(out) as Record<string, { id: string; files: Array<{ path: string }> }>)[name];
	expect(published.id).toBe(`${name}@${version}`);
	expect(published.files.map((file) => file.path).sort()).toEqual(filesUnder(unpacked).sort());
});

it('holds only dist, README, LICENSE and package.json', () => {
	const files = filesUnder(unpacked);
	expect(files.filter((file) => !file.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(file))).toEqual([]);
	expect(files.filter((file) => /test|emulator|scripts|examples|screenshots|\.ts$(?<!\.d\.ts$)/.test(file))).toEqual([]);
	process.stdout.write(`npm pack: ${files.length} files, ${tarballBytes} bytes packed\n`);
});

it('contains every node and credential the n8n section names, with their icons and codex', () => {
	const files = filesUnder(unpacked);
	for (const path of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) expect(files).toContain(path);
	expect(files).toEqual(
		expect.arrayContaining([
			'dist/nodes/NetgraphSignIn/NetgraphSignIn.node.json',
			'dist/nodes/NetgraphSignIn/netgraph.svg',
			'dist/nodes/NetgraphSignIn/netgraph.dark.svg',
			'dist/nodes/NetgraphSignInTrigger/NetgraphSignInTrigger.node.json',
			'dist/nodes/NetgraphSignInTrigger/netgraph.svg',
			'dist/nodes/NetgraphSignInTrigger/netgraph.dark.svg',
			'dist/credentials/netgraph.svg',
			'dist/credentials/netgraph.dark.svg',
		]),
	);
});

it("passes the community-package scanner's lint of the tarball's JavaScript and package.json", () => {
	const linted = filesUnder(unpacked).filter((file) => file.endsWith('.js') || file === 'package.json');
	expect(linted.length).toBeGreaterThan(30);
	expect(scan(unpacked, TARBALL_PATTERNS)).toEqual({ passed: true });
	process.stdout.write(`community-package scan, tarball leg: ${linted.length} files, passed\n`);
});

it("passes n8n's repository rules for community nodes (lint/) with the scanner's rule set, on the tarball's JavaScript and package.json", () => {
	const linted = filesUnder(unpacked).filter((file) => file.endsWith('.js') || file === 'package.json');
	expect(scan(unpacked, TARBALL_PATTERNS, 'strict')).toEqual({ passed: true });
	process.stdout.write(`strict lint, tarball: ${linted.length} files, passed\n`);
});

it("passes the community-package scanner's lint of the sources", () => {
	expect(scan(ROOT, SOURCE_PATTERNS)).toEqual({ passed: true });
});

it('fails that scan for a tarball with code n8n Cloud forbids, so the check above can fail', () => {
	const tainted = join(work, 'tainted');
	mkdirSync(tainted);
	cpSync(unpacked, tainted, { recursive: true });
	appendFileSync(join(tainted, manifest.n8n.nodes[0]), '\nsetTimeout(() => console.log(process.env.HOME), 1);\n');
	const result = scan(tainted, TARBALL_PATTERNS);
	expect(result.passed).toBe(false);
	expect(result.details).toContain('no-restricted-globals');
	expect(result.details).toContain('no-console');
});

it('fails the strict lint for a tarball that breaks rules only n8n\'s repository holds, so the check above can fail', () => {
	const tainted = join(work, 'tainted-strict');
	mkdirSync(tainted);
	cpSync(unpacked, tainted, { recursive: true });
	appendFileSync(join(tainted, manifest.n8n.nodes[0]), "\nexports.defaults = { partnerId: 'netgraph-partner' };\n");
	const packageJsonPath = join(tainted, 'package.json');
	writeFileSync(packageJsonPath, readFileSync(packageJsonPath, 'utf8').replace('"license": "MIT"', '"license": "ISC"'));
	const result = scan(tainted, TARBALL_PATTERNS, 'strict');
	expect(result.passed).toBe(false);
	expect(result.details).toContain('netgraph/no-hardcoded-ids');
	expect(result.details).toContain('netgraph/require-mit-license');
});
