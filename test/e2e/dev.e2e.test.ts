/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * `npm run dev`'s reload, for real: the dev stack (rebuilder + n8n with N8N_DEV_RELOAD) runs on a
 * copy of the package, the test edits the copy's sources, and n8n serves the change without a
 * restart. A copy, so that the test never touches the working tree.
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { PACKAGE_NAME, ROOT, installedPackageFolder } from '../../scripts/n8n';
import { NODE_TYPE } from '../../scripts/stack';
import { useStack } from './drive';

const copy = mkdtempSync(join(tmpdir(), 'netgraph-dev-package-'));
for (const entry of ['nodes', 'credentials', 'package.json', 'tsconfig.json', 'gulpfile.js', 'README.md', 'LICENSE']) {
	cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
}
symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
afterAll(() => rmSync(copy, { recursive: true, force: true }));

const context = useStack('dev', { dev: true, packageRoot: copy });

const NODE_SOURCE = join(copy, 'nodes', 'NetgraphSignIn', 'NetgraphSignIn.node.ts');
const installed = (file: string) => join(installedPackageFolder(join(context.workDir, 'n8n-home')), file);

async function nodeDescription(): Promise<string> {
	const nodes = await context.stack.client.types<Array<{ name: string; description: string }>>('nodes.json');
	return nodes.find((node) => node.name === NODE_TYPE)!.description;
}

/** Polls until `read` returns `expected` (a rebuild and reload take a few seconds); returns the last value read. */
async function eventually<T>(read: () => Promise<T> | T, expected: T): Promise<T> {
	let value = await read();
	for (let waited = 0; value !== expected && waited < 60_000; waited += 250) {
		await new Promise((resolve) => setTimeout(resolve, 250));
		value = await read();
	}
	return value;
}

const reloads = () => readFileSync(context.stack.n8n.logFile, 'utf8').split(`Hot reload triggered for ${PACKAGE_NAME}`).length - 1;

describe('npm run dev', () => {
	let original: string;
	let pid: number | undefined;

	beforeAll(async () => {
		original = await nodeDescription();
		pid = context.stack.n8n.process.pid;
	});

	it('reloads an edited node description into the running n8n, without restarting it', async () => {
		const edited = `${original} (edited in dev)`;
		const before = reloads();
		writeFileSync(NODE_SOURCE, readFileSync(NODE_SOURCE, 'utf8').replace(`'${original}'`, `'${edited}'`));
		expect(await eventually(nodeDescription, edited)).toBe(edited);
		expect(reloads()).toBeGreaterThan(before);
		expect(readFileSync(installed('dist/nodes/NetgraphSignIn/NetgraphSignIn.node.js'), 'utf8')).toContain(edited);
		expect([context.stack.n8n.process.pid, context.stack.n8n.process.exitCode]).toEqual([pid, null]);
	});

	it('runs the reloaded node', async () => {
		const list = await context.operationWorkflow({ resource: 'whitelisting', operation: 'getAll', returnAll: true, filters: {} });
		const answer = await list.run([{}]);
		expect(answer.status).toBe(200);
		expect((answer.body as Array<{ mac: string }>).map((entry) => entry.mac)).toEqual(context.stack.emulator.activeWhitelistings().map((entry) => entry.mac));
	});

	it('keeps the last good build while the sources do not compile, and reloads once they do', async () => {
		const good = readFileSync(NODE_SOURCE, 'utf8');
		const current = await nodeDescription();
		const installedNode = readFileSync(installed('dist/nodes/NetgraphSignIn/NetgraphSignIn.node.js'), 'utf8');
		const errorsBefore = context.logLines.filter((line) => line.includes('TypeScript error')).length;
		writeFileSync(NODE_SOURCE, good.replace(`'${current}'`, `'${current} (never served)'`) + "\nconst broken: number = 'not a number';\n");
		const errorsReported = () => context.logLines.filter((line) => line.includes('TypeScript error')).length > errorsBefore;
		expect(await eventually(errorsReported, true)).toBe(true);
		expect(readFileSync(installed('dist/nodes/NetgraphSignIn/NetgraphSignIn.node.js'), 'utf8')).toBe(installedNode);
		expect(await nodeDescription()).toBe(current);

		const fixed = `${current} (fixed)`;
		writeFileSync(NODE_SOURCE, good.replace(`'${current}'`, `'${fixed}'`));
		expect(await eventually(nodeDescription, fixed)).toBe(fixed);
	});

	it('brings a changed icon into n8n as well', async () => {
		const icon = join(copy, 'nodes', 'NetgraphSignIn', 'netgraph.svg');
		appendFileSync(icon, '<!-- edited in dev -->\n');
		const wanted = readFileSync(icon, 'utf8');
		expect(await eventually(() => readFileSync(installed('dist/nodes/NetgraphSignIn/netgraph.svg'), 'utf8'), wanted)).toBe(wanted);
	});
});
