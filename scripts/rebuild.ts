/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev code, never published: n8n Cloud's sandbox rules are for the package */
/**
 * `npm run dev`'s rebuilder: recompiles the package on every change (TypeScript's own watch
 * mode, plus the icon and codex copy) and brings each error-free build into the n8n folder the
 * package was installed in, as `npm pack` would publish it. n8n, started with N8N_DEV_RELOAD,
 * watches that folder and reloads the package without restarting.
 */
import { spawn } from 'child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, watch, type FSWatcher } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import ts from 'typescript';

import { filesUnder, packInto, type Log } from './n8n';

/**
 * Makes `target` hold exactly what `npm pack` of `root` publishes, writing only the files that
 * differ (n8n reloads on each write) and never removing `target` itself (n8n watches it).
 * Returns the files written or removed.
 */
export function syncPackage(root: string, target: string): string[] {
	const staging = mkdtempSync(join(tmpdir(), 'netgraph-sync-'));
	try {
		packInto(join(staging, 'package'), root);
		const packed = join(staging, 'package');
		const wanted = filesUnder(packed);
		const changed: string[] = [];
		for (const file of wanted) {
			const from = join(packed, file);
			const to = join(target, file);
			if (existsSync(to) && readFileSync(to).equals(readFileSync(from))) continue;
			mkdirSync(dirname(to), { recursive: true });
			copyFileSync(from, to);
			changed.push(file);
		}
		for (const file of existsSync(target) ? filesUnder(target) : []) {
			if (wanted.includes(file)) continue;
			rmSync(join(target, file));
			changed.push(file);
		}
		return changed;
	} finally {
		rmSync(staging, { recursive: true, force: true });
	}
}

export interface RebuilderOptions {
	/** The package's repository (or a copy of it): its tsconfig.json, gulpfile.js, nodes/ and credentials/. */
	root: string;
	log: Log;
}

export interface Rebuilder {
	/** Resolves after the first error-free build, with dist/ complete. */
	ready: Promise<void>;
	/** From now on, every error-free build is synced into `target`; `onSynced` hears which files changed. */
	syncInto(target: string, onSynced: (changed: string[]) => void): void;
	stop(): void;
}

const ASSET = /\.(png|svg|json)$/;

export function startRebuilder(options: RebuilderOptions): Rebuilder {
	const { root, log } = options;
	let sync: { target: string; onSynced: (changed: string[]) => void } | undefined;
	let markReady: () => void;
	const ready = new Promise<void>((resolve) => (markReady = resolve));
	let isReady = false;
	let queue = Promise.resolve();
	let pending = false;
	/** Errors of the last compile: tsc still writes dist/ then, but such a build is not synced. */
	let typeErrors = 0;

	const copyAssets = () =>
		new Promise<void>((resolve, reject) => {
			// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- a dev tool starting a fixed program with fixed arguments
			const gulp = spawn(process.execPath, [join(root, 'node_modules', 'gulp', 'bin', 'gulp.js'), 'build:assets', '--cwd', root], {
				cwd: root,
				stdio: ['ignore', 'ignore', 'pipe'],
			});
			let stderr = '';
			gulp.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
			gulp.on('error', reject);
			gulp.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`copying icons and codex files failed (exit ${code}): ${stderr}`))));
		});

	/** Coalesces bursts of changes into one copy-and-sync after the current one. */
	const afterBuild = () => {
		if (pending) return;
		pending = true;
		queue = queue
			.then(async () => {
				pending = false;
				await copyAssets();
				if (!isReady) {
					isReady = true;
					markReady();
				}
				if (!sync || typeErrors > 0) return;
				const changed = syncPackage(root, sync.target);
				if (changed.length > 0) sync.onSynced(changed);
			})
			.catch((error: Error) => log(`dev: ${error.message}`));
	};

	const host = ts.createWatchCompilerHost(
		join(root, 'tsconfig.json'),
		{},
		ts.sys,
		ts.createEmitAndSemanticDiagnosticsBuilderProgram,
		(diagnostic) => log(ts.formatDiagnostic(diagnostic, { getCanonicalFileName: (name) => name, getCurrentDirectory: () => root, getNewLine: () => '\n' }).trimEnd()),
		(diagnostic, _newLine, _options, errorCount) => {
			if (errorCount === undefined) return;
			typeErrors = errorCount;
			if (errorCount === 0) afterBuild();
			else log(`dev: ${errorCount} TypeScript error(s); n8n keeps the last good build`);
		},
	);
	const program = ts.createWatchProgram(host);

	// tsc compiles the TypeScript; icons and codex files are copied, so changes to them count too.
	const watchers: FSWatcher[] = ['nodes', 'credentials'].map((dir) =>
		watch(join(root, dir), { recursive: true }, (_event, file) => {
			if (file && ASSET.test(file)) afterBuild();
		}),
	);

	return {
		ready,
		syncInto(target, onSynced) {
			sync = { target, onSynced };
			afterBuild();
		},
		stop() {
			program.close();
			for (const watcher of watchers) watcher.close();
		},
	};
}
