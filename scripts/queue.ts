/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev code, never published: n8n Cloud's sandbox rules are for the package */
/*
 * n8n in queue mode, the way it scales out: PostgreSQL and Redis (Debian's packages), one main
 * process, workers and webhook processors, each with the package installed from its `npm pack`
 * tarball. Shared by the queue-mode end-to-end suite, `npm start -- --queue` and the benchmark.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { chmodSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { N8N_VERSION, N8nClient, ensureN8n, freePort, run, startN8n, type Log, type N8nOptions, type RunningN8n } from './n8n';
import { OWNER, startEmulator, type Stack, type StackOptions } from './stack';

/** A database or queue server started here, stopped by its process id. */
export interface Service {
	name: string;
	port: number;
	pid: number;
	logFile: string;
	stop(): Promise<void>;
}

const isRoot = () => process.getuid?.() === 0;

/** A PostgreSQL server program from Debian's packages (`/usr/lib/postgresql/<major>/bin`), newest major first, else from PATH. */
function postgresProgram(name: string): string | undefined {
	const base = '/usr/lib/postgresql';
	const majors = existsSync(base) ? readdirSync(base).filter((major) => existsSync(join(base, major, 'bin', name))) : [];
	majors.sort((a, b) => Number(b) - Number(a));
	if (majors.length) return join(base, majors[0], 'bin', name);
	return onPath(name);
}

function runSync(program: string, args: string[]) {
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- a dev tool starting a fixed program with fixed arguments
	return spawnSync(program, args, { encoding: 'utf8' });
}

function onPath(name: string): string | undefined {
	const found = runSync('sh', ['-c', `command -v ${name}`]);
	return found.status === 0 ? found.stdout.trim() : undefined;
}

/**
 * Installs PostgreSQL and Redis from Debian's packages when missing (a fresh CI machine runs as
 * root); elsewhere says what to install.
 */
export async function ensureQueueServices(log: Log): Promise<void> {
	const missing = [...(postgresProgram('postgres') ? [] : ['postgresql']), ...(onPath('redis-server') ? [] : ['redis-server'])];
	if (missing.length === 0) return;
	if (!isRoot()) throw new Error(`Queue mode needs ${missing.join(' and ')}: install ${missing.length > 1 ? 'them' : 'it'} with sudo apt-get install -y ${missing.join(' ')}`);
	log(`Installing ${missing.join(' and ')} from Debian's packages`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	await run('apt-get', ['update'], { cwd: tmpdir(), env, log, what: 'apt-get update' });
	await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { cwd: tmpdir(), env, log, what: `apt-get install ${missing.join(' ')}` });
}

/** Starts `program` in its own process group with its output in `logFile`. */
function spawnLogged(program: string, args: string[], logFile: string, asUser?: string): ChildProcess {
	const out = openSync(logFile, 'a');
	const [command, commandArgs] = asUser ? ['runuser', ['-u', asUser, '--', program, ...args]] : [program, args];
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- a dev tool starting a fixed program with fixed arguments
	return spawn(command, commandArgs, { detached: true, stdio: ['ignore', out, out] });
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
	for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
		if (await check()) return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`${what} within ${timeoutMs / 1000} s`);
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Sends `signal` to `pid` and waits until the process is gone. */
async function stopPid(pid: number, signal: NodeJS.Signals, what: string): Promise<void> {
	if (!alive(pid)) return;
	process.kill(pid, signal);
	await until(`${what} (pid ${pid}) did not stop`, () => !alive(pid), 30_000);
}

/**
 * PostgreSQL in a temporary data folder on `port`, loopback only, trusting local connections,
 * with a database `n8n`. Its server refuses to run as root, so as root it runs as user postgres.
 */
export async function startPostgres(port: number, log: Log): Promise<Service> {
	const dir = mkdtempSync(join(tmpdir(), 'netgraph-pg-'));
	const data = join(dir, 'data');
	const logFile = join(dir, 'postgres.log');
	const user = isRoot() ? 'postgres' : undefined;
	if (user) runSync('chown', ['-R', `${user}:${user}`, dir]);
	chmodSync(dir, 0o755);
	const initdbArgs = ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'];
	const initdb = user ? runSync('runuser', ['-u', user, '--', postgresProgram('initdb')!, ...initdbArgs]) : runSync(postgresProgram('initdb')!, initdbArgs);
	if (initdb.status !== 0) throw new Error(`initdb failed: ${initdb.stderr}`);
	// A test database: no fsync; the socket in the data's folder, not in /var/run.
	const server = spawnLogged(postgresProgram('postgres')!, ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'], logFile, user);
	const pidFile = join(data, 'postmaster.pid');
	await until(`PostgreSQL did not accept connections on port ${port} (see ${logFile})`, () => {
		if (server.exitCode !== null) throw new Error(`PostgreSQL exited while starting: ${readFileSync(logFile, 'utf8')}`);
		return existsSync(pidFile) && runSync(postgresProgram('pg_isready')!, ['-h', '127.0.0.1', '-p', String(port)]).status === 0;
	});
	const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
	const created = runSync(postgresProgram('createdb')!, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'n8n']);
	if (created.status !== 0) throw new Error(`createdb failed: ${created.stderr}`);
	log(`PostgreSQL on 127.0.0.1:${port} (pid ${pid}, data in ${data})`);
	// SIGINT: PostgreSQL's fast shutdown.
	return service('PostgreSQL', port, pid, logFile, dir, 'SIGINT');
}

/** A started server: `stop` sends `signal` to its pid, waits for it to exit and removes its folder. */
function service(name: string, port: number, pid: number, logFile: string, dir: string, signal: NodeJS.Signals): Service {
	return {
		name,
		port,
		pid,
		logFile,
		async stop() {
			await stopPid(pid, signal, name);
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** Redis on `port`, loopback only, keeping nothing on disk. */
export async function startRedis(port: number, log: Log): Promise<Service> {
	const dir = mkdtempSync(join(tmpdir(), 'netgraph-redis-'));
	const logFile = join(dir, 'redis.log');
	const server = spawnLogged(onPath('redis-server')!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], logFile);
	await until(`Redis did not start on port ${port} (see ${logFile})`, () => {
		if (server.exitCode !== null) throw new Error(`Redis exited while starting: ${readFileSync(logFile, 'utf8')}`);
		return readFileSync(logFile, 'utf8').includes('Ready to accept connections');
	});
	const pid = server.pid!;
	log(`Redis on 127.0.0.1:${port} (pid ${pid})`);
	return service('Redis', port, pid, logFile, dir, 'SIGTERM');
}

export interface QueueOptions extends StackOptions {
	/** Worker processes (default 2). */
	workers?: number;
	/** Webhook processors (default 2). */
	webhookProcessors?: number;
	/** Executions each worker runs at once (n8n's default is 10). */
	concurrency?: number;
}

export interface QueueStack extends Stack {
	/** The main process: editor, REST and public API, triggers' registration; no production webhooks. */
	main: RunningN8n;
	workers: RunningN8n[];
	webhookProcessors: RunningN8n[];
	postgres: Service;
	redis: Service;
	/** Every n8n process: main, the workers, the webhook processors. */
	processes(): RunningN8n[];
	/** Kills worker `index` with SIGKILL (the process and its task runner), as a crash would. */
	killWorker(index: number): Promise<void>;
	/** Starts worker `index` again with the same settings. */
	restartWorker(index: number): Promise<void>;
}

/**
 * The settings every n8n process of the stack shares: one PostgreSQL database, one Redis queue,
 * one encryption key (startN8n sets it), and the webhook address: the production webhook URL
 * shown in the editor, and the base of `$execution.resumeUrl`, which a worker computes (n8n 2.x
 * reads N8N_WEBHOOK_URL, 1.x WEBHOOK_URL; a worker's own port serves nothing).
 */
export function queueEnv(postgres: Service, redis: Service, webhookUrl: string): NodeJS.ProcessEnv {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: '',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		// n8n 2.x pings the database every 2 s and, from the first ping that takes over 5 s, answers
		// every request 503 "Database is not ready!" until a ping succeeds (after 3 failures it tears
		// the connection pool down and builds it again). On a busy machine that happened in the middle
		// of the queue suite; a ping may take 30 s here.
		DB_PING_TIMEOUT_MS: '30000',
		WEBHOOK_URL: `${webhookUrl}/`,
		N8N_WEBHOOK_URL: `${webhookUrl}/`,
	};
}

/**
 * Starts the emulator, PostgreSQL, Redis, then n8n's main process (it runs the database
 * migrations), then the workers and webhook processors side by side; each process gets the
 * package installed into its own user folder and its own HTTP, task-broker and health ports.
 */
export async function startQueueStack(options: QueueOptions): Promise<QueueStack> {
	const { log, workDir } = options;
	const version = options.n8nVersion ?? N8N_VERSION;
	await ensureN8n(log, version);
	await ensureQueueServices(log);
	const stopping: Array<() => Promise<void>> = [];
	const stopAll = async () => {
		for (const stop of stopping.splice(0).reverse()) await stop();
	};
	try {
		const emulator = await startEmulator(options);
		stopping.push(() => emulator.stop());
		const postgres = await startPostgres(await freePort(), log);
		stopping.push(() => postgres.stop());
		const redis = await startRedis(await freePort(), log);
		stopping.push(() => redis.stop());

		const webhookPorts = await Promise.all(Array.from({ length: options.webhookProcessors ?? 2 }, () => freePort()));
		const shared = queueEnv(postgres, redis, `http://127.0.0.1:${webhookPorts[0]}`);
		const processOptions = async (name: string, command: N8nOptions['command'], port: number, brokerPort: number, env: NodeJS.ProcessEnv = {}): Promise<N8nOptions> => ({
			port,
			brokerPort,
			userFolder: join(workDir, name),
			logFile: join(workDir, `${name}.log`),
			owner: OWNER,
			installPackage: true,
			packageRoot: options.packageRoot,
			version,
			command,
			env: { ...shared, ...options.n8nEnv, ...env },
		});
		const started: RunningN8n[] = [];
		const start = async (processOption: N8nOptions) => {
			const n8n = await startN8n(processOption);
			started.push(n8n);
			stopping.push(() => n8n.stop());
			log(`n8n ${processOption.command} ready in ${(n8n.startupMs / 1000).toFixed(1)} s (pid ${n8n.process.pid}, log ${n8n.logFile})`);
			return n8n;
		};
		const mainOptions = await processOptions('main', 'start', options.n8nPort, options.brokerPort, { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' });
		const main = await start(mainOptions);
		const workerOptions = await Promise.all(
			Array.from({ length: options.workers ?? 2 }, async (_, i) => {
				const healthPort = await freePort();
				const worker = await processOptions(`worker-${i + 1}`, 'worker', await freePort(), await freePort(), {
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				});
				return { ...worker, healthPort, args: options.concurrency ? [`--concurrency=${options.concurrency}`] : [] };
			}),
		);
		const webhookOptions = await Promise.all(webhookPorts.map(async (port, i) => await processOptions(`webhook-${i + 1}`, 'webhook', port, await freePort())));
		const [workers, webhookProcessors] = await Promise.all([Promise.all(workerOptions.map(start)), Promise.all(webhookOptions.map(start))]);

		const client = new N8nClient(main.url, version);
		client.webhookUrls = webhookProcessors.map((processor) => processor.url);
		await client.login(OWNER.email, OWNER.password);
		const stack: QueueStack = {
			emulator,
			n8n: main,
			main,
			client,
			workers,
			webhookProcessors,
			postgres,
			redis,
			processes: () => [stack.main, ...stack.workers, ...stack.webhookProcessors],
			async restartN8n() {
				await stack.main.stop();
				stack.main = stack.n8n = await start(mainOptions);
				await client.login(OWNER.email, OWNER.password);
			},
			async killWorker(index: number) {
				const worker = stack.workers[index];
				const exited = new Promise<void>((resolve) => worker.process.once('exit', () => resolve()));
				process.kill(-worker.process.pid!, 'SIGKILL');
				await exited;
			},
			async restartWorker(index: number) {
				await stack.workers[index].stop();
				stack.workers[index] = await start(workerOptions[index]);
			},
			stop: stopAll,
		};
		return stack;
	} catch (error) {
		await stopAll();
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- no n8n node here: a dev tool passes the error on as it is
		throw error;
	}
}

/** The executions a worker's log says it started ("Worker started execution N (job M)"), in order. */
export function startedExecutions(n8n: RunningN8n): string[] {
	return [...readFileSync(n8n.logFile, 'utf8').matchAll(/Worker started execution (\d+) \(job \d+\)/g)].map((match) => match[1]);
}

/** What runs where: one line per process and server, and the executions each worker ran so far. */
export function describeQueue(stack: QueueStack): string[] {
	const name = (n8n: RunningN8n) => n8n.logFile.split('/').pop()!.replace(/\.log$/, '');
	return [
		`  ${'main'.padEnd(10)} ${stack.main.url}  editor, REST and public API; no production webhooks (pid ${stack.main.process.pid}, log ${stack.main.logFile})`,
		...stack.webhookProcessors.map((n8n) => `  ${name(n8n).padEnd(10)} ${n8n.url}  production webhooks: ${n8n.url}/webhook/... (pid ${n8n.process.pid}, log ${n8n.logFile})`),
		...stack.workers.map((n8n) => {
			const ran = startedExecutions(n8n);
			return `  ${name(n8n).padEnd(10)} runs executions from the queue; ran ${ran.length} so far${ran.length ? ` (ids ${ran.join(', ')})` : ''} (pid ${n8n.process.pid}, log ${n8n.logFile})`;
		}),
		...[stack.postgres, stack.redis].map((service) => `  ${service.name.padEnd(10)} 127.0.0.1:${service.port}  (pid ${service.pid}, log ${service.logFile})`),
	];
}
