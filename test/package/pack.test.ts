/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * What `npm pack` would publish: only what n8n needs, and every path the n8n section names.
 * Needs a build first (`npm test` builds).
 */
import { execFileSync } from 'child_process';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');

interface PackEntry {
	size: number;
	unpackedSize: number;
	entryCount: number;
	files: Array<{ path: string }>;
}

const pack = JSON.parse(
	execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
) as PackEntry[];
const files = pack[0].files.map((file) => file.path).sort();
const manifest = require(join(ROOT, 'package.json')) as { n8n: { nodes: string[]; credentials: string[] } };

it('holds only dist, README, LICENSE and package.json', () => {
	const outside = files.filter((file) => !file.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(file));
	expect(outside).toEqual([]);
	expect(files.filter((file) => /test|emulator|scripts|examples|\.ts$(?<!\.d\.ts$)/.test(file))).toEqual([]);
	process.stdout.write(`npm pack: ${files.length} files, ${pack[0].size} bytes packed, ${pack[0].unpackedSize} bytes unpacked\n`);
});

it('contains every node and credential the n8n section names, with their icons and codex', () => {
	for (const path of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) expect(files).toContain(path);
	expect(files).toEqual(
		expect.arrayContaining([
			'dist/nodes/NetgraphSignIn/NetgraphSignIn.node.json',
			'dist/nodes/NetgraphSignIn/netgraph.svg',
			'dist/nodes/NetgraphSignIn/netgraph.dark.svg',
			'dist/credentials/netgraph.svg',
			'dist/credentials/netgraph.dark.svg',
		]),
	);
});
