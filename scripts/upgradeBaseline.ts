/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev CLI, never published: n8n Cloud's sandbox rules are for the package, and a CLI prints */
/**
 * `npm run upgrade:baseline`: records what release 0.1.0 did. Its tree (git archive of the
 * release commit) is built in a temporary folder with this repository's node_modules, installed
 * into n8n N8N_VERSION from its `npm pack`, and the upgrade cases run against the emulator; the
 * records go to test/e2e/fixtures/upgrade-0.1.0.json.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { N8N_VERSION, ROOT, freePort } from './n8n';
import { CREDENTIAL_NAME, emulatorCredential, startStack } from './stack';
import { FIXTURE_FILE, RELEASE_0_1_0, runUpgradeCases, stableJson, type UpgradeFixture } from './upgrade';

function step(what: string, command: string, args: string[], cwd: string): void {
	console.log(`upgrade:baseline: ${what}`);
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- a dev tool starting fixed programs with fixed arguments
	const result = spawnSync(command, args, { cwd, encoding: 'utf8', shell: false });
	if (result.status !== 0) throw new Error(`${what} failed (${String(result.status)}): ${result.stderr}${result.stdout}`);
}

async function main(): Promise<void> {
	const workDir = mkdtempSync(join(tmpdir(), 'netgraph-upgrade-baseline-'));
	const release = join(workDir, 'release');
	try {
		step(`unpacking ${RELEASE_0_1_0}`, 'sh', ['-c', `mkdir -p '${release}' && git archive ${RELEASE_0_1_0} | tar -x -C '${release}'`], ROOT);
		symlinkSync(join(ROOT, 'node_modules'), join(release, 'node_modules'), 'dir');
		step('building it (tsc, gulp build:assets)', join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], release);
		step('copying its icons and codex', join(ROOT, 'node_modules', '.bin', 'gulp'), ['build:assets'], release);
		const stack = await startStack({
			n8nPort: await freePort(),
			brokerPort: await freePort(),
			emulatorPort: await freePort(),
			workDir,
			packageRoot: release,
			n8nVersion: N8N_VERSION,
			log: (line) => console.log(line),
		});
		try {
			await stack.client.createApiKey('upgrade-baseline');
			const credentialId = await stack.client.createCredential(CREDENTIAL_NAME, emulatorCredential(stack.emulator));
			const fixture: UpgradeFixture = {
				header: {
					recordedFrom: `release 0.1.0, commit ${RELEASE_0_1_0} (git archive, built with tsc and gulp build:assets)`,
					n8nVersion: stack.n8n.version,
					command: 'npm run upgrade:baseline',
					note: 'What each upgrade case of scripts/upgrade.ts sent to the Sign-In API and what its nodes gave, normalised there; compared by test/e2e/upgrade.e2e.test.ts.',
				},
				cases: await runUpgradeCases(stack, credentialId),
			};
			writeFileSync(FIXTURE_FILE, stableJson(fixture));
			console.log(`upgrade:baseline: ${Object.keys(fixture.cases).length} cases written to ${FIXTURE_FILE}`);
		} finally {
			await stack.stop();
		}
	} finally {
		rmSync(workDir, { recursive: true, force: true });
	}
}

main().catch((error: Error) => {
	console.error(error);
	process.exitCode = 1;
});
