/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev CLI, never published: n8n Cloud's sandbox rules are for the package, and a CLI prints */
/* Starts the Sign-In emulator from the command line: `npm run emulator -- --help`. */
import { existsSync, rmSync } from 'fs';
import { join } from 'path';

import { FAULTS, PAGE_STYLES, SignInEmulator, contextStateFile, type EmulatorOptions, type Fault, type PageStyle } from './server';
import { projectRoot } from './root';
import { loadSeed } from './store';

const ROOT = projectRoot();

interface Knob {
	flag: string;
	env: string;
	help: string;
	apply: (options: EmulatorOptions, value: string) => void;
	/** A switch: on when given alone; it takes a value only when one follows (`--flag false`). */
	isSwitch?: boolean;
}

const number = (value: string, flag: string): number => {
	const parsed = Number(value);
	if (!Number.isFinite(parsed)) throw new Error(`--${flag} needs a number, got "${value}"`);
	return parsed;
};
const pageStyle = (value: string): PageStyle => {
	if (!(PAGE_STYLES as string[]).includes(value)) throw new Error(`--page-style needs ${PAGE_STYLES.join(' or ')}, got "${value}"`);
	return value as PageStyle;
};
const boolean = (value: string): boolean => !['false', '0', 'no', 'off'].includes(value.toLowerCase());

export const KNOBS: Knob[] = [
	{ flag: 'port', env: 'EMULATOR_PORT', help: 'TCP port (default 8787; 0 = any free port)', apply: (o, v) => (o.port = number(v, 'port')) },
	{ flag: 'host', env: 'EMULATOR_HOST', help: 'bind address (default 127.0.0.1)', apply: (o, v) => (o.host = v) },
	{ flag: 'token', env: 'EMULATOR_TOKEN', help: 'API token expected in x-auth-token (default emulator-token)', apply: (o, v) => (o.token = v) },
	{ flag: 'org', env: 'EMULATOR_ORG', help: 'organization ID (default demo-org)', apply: (o, v) => (o.organizationId = v) },
	{ flag: 'context', env: 'EMULATOR_CONTEXT', help: 'Sign-In Context ID (default demo-context)', apply: (o, v) => (o.contextId = v) },
	{
		flag: 'contexts',
		env: 'EMULATOR_CONTEXTS',
		help: 'group mode: comma-separated IDs of further Contexts of the organization beside --context, each with its own state and key (--token, a dash and the Context ID)',
		apply: (o, v) => (o.contexts = v.split(',').map((id) => ({ id: id.trim() })).filter((context) => context.id)),
	},
	{
		flag: 'allow-ips',
		env: 'EMULATOR_ALLOW_IPS',
		help: 'comma-separated caller IPs allowed; others get 403 (default: all)',
		apply: (o, v) => (o.allowIps = v.split(',').map((ip) => ip.trim()).filter(Boolean)),
	},
	{
		flag: 'password-min-length',
		env: 'EMULATOR_PASSWORD_MIN_LENGTH',
		help: 'password policy: minimum length (default 0: any non-empty password)',
		apply: (o, v) => (o.passwordMinLength = number(v, 'password-min-length')),
	},
	{ flag: 'up-module', env: 'EMULATOR_UP_MODULE', help: 'whether the Username & Password module is on (default true)', apply: (o, v) => (o.upModuleEnabled = boolean(v)) },
	{ flag: 'time-zone', env: 'EMULATOR_TIME_ZONE', help: 'Organization time zone for toDate expiry (default UTC)', apply: (o, v) => (o.timeZone = v) },
	{ flag: 'latency-ms', env: 'EMULATOR_LATENCY_MS', help: 'delay before every API answer (default 0)', apply: (o, v) => (o.latencyMs = number(v, 'latency-ms')) },
	{ flag: 'rate-limit', env: 'EMULATOR_RATE_LIMIT', help: 'requests per second before 429 with Retry-After (default 0: none)', apply: (o, v) => (o.rateLimitPerSecond = number(v, 'rate-limit')) },
	{ flag: 'retry-after', env: 'EMULATOR_RETRY_AFTER', help: 'Retry-After seconds on 429 (default 1)', apply: (o, v) => (o.retryAfterSeconds = number(v, 'retry-after')) },
	{
		flag: 'no-retry-after',
		env: 'EMULATOR_NO_RETRY_AFTER',
		help: 'answer 429 (rate limit and fault "429") without Retry-After, as the API documents it (default false)',
		apply: (o, v) => (o.omitRetryAfter = boolean(v)),
		isSwitch: true,
	},
	...FAULTS.map(
		(fault): Knob => ({
			flag: `fault-${fault}`,
			env: `EMULATOR_FAULT_${fault.toUpperCase()}`,
			help: `probability 0..1 that a request gets fault "${fault}" (default 0)`,
			apply: (o, v) => (o.faultRates = { ...o.faultRates, [fault as Fault]: number(v, `fault-${fault}`) }),
		}),
	),
	{ flag: 'return-stored-entry', env: 'EMULATOR_RETURN_STORED_ENTRY', help: 'answer whitelisting create/update with the stored entry (default false)', apply: (o, v) => (o.returnStoredEntry = boolean(v)) },
	{ flag: 'batch-limit', env: 'EMULATOR_BATCH_LIMIT', help: 'largest batch accepted (default 0: unlimited)', apply: (o, v) => (o.batchLimit = number(v, 'batch-limit')) },
	{
		flag: 'refuse-values',
		env: 'EMULATOR_REFUSE_VALUES',
		help: 'comma-separated MACs and e-mails the service refuses: a batch holding one gets a 400 (default none)',
		apply: (o, v) => (o.refuseValues = v.split(',').map((value) => value.trim()).filter(Boolean)),
	},
	{
		flag: 'page-size',
		env: 'EMULATOR_PAGE_SIZE',
		help: 'entries per page of the active whitelistings list (default 0: the whole list as one array)',
		apply: (o, v) => (o.pageSize = number(v, 'page-size')),
	},
	{
		flag: 'page-style',
		env: 'EMULATOR_PAGE_STYLE',
		help: 'how a paged list answers: spring ({content, number, size, totalPages, totalElements, last}, asked with ?page=&size=) or next ({items, next} link) (default spring)',
		apply: (o, v) => (o.pageStyle = pageStyle(v)),
	},
	{
		flag: 'redirect-to',
		env: 'EMULATOR_REDIRECT_TO',
		help: 'origin the 301 and 307 faults point to, plus the request path (default: the emulator itself)',
		apply: (o, v) => (o.redirectTo = v.replace(/\/+$/, '')),
	},
	{
		flag: 'not-found-html',
		env: 'EMULATOR_NOT_FOUND_HTML',
		help: 'paths the API does not know answer 404 with an HTML page, not an empty body (default false)',
		apply: (o, v) => (o.notFoundHtml = boolean(v)),
		isSwitch: true,
	},
	{
		flag: 'webhook-retry-scale',
		env: 'EMULATOR_WEBHOOK_RETRY_SCALE',
		help: 'multiplies the webhook retry delays of 2, 4, 8, 16, 32 min (default 1; 0.001 = 120 ms first retry)',
		apply: (o, v) => (o.webhookRetryScale = number(v, 'webhook-retry-scale')),
	},
	{ flag: 'webhook-timeout-ms', env: 'EMULATOR_WEBHOOK_TIMEOUT_MS', help: 'time a webhook receiver has to answer (default 10000)', apply: (o, v) => (o.webhookTimeoutMs = number(v, 'webhook-timeout-ms')) },
	{ flag: 'webhook-batch-size', env: 'EMULATOR_WEBHOOK_BATCH_SIZE', help: 'largest number of events per Batch delivery (default 20000)', apply: (o, v) => (o.webhookMaxBatchSize = number(v, 'webhook-batch-size')) },
	{ flag: 'state-file', env: 'EMULATOR_STATE_FILE', help: 'JSON state file (default .cache/emulator/state.json)', apply: (o, v) => (o.stateFile = v) },
	{ flag: 'seed', env: 'EMULATOR_SEED', help: 'seed file for a new state, or "none" (default emulator/seed.json)', apply: (o, v) => (o.seed = v === 'none' ? {} : loadSeed(v)) },
];

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): EmulatorOptions & { fresh: boolean } {
	const options: EmulatorOptions & { fresh: boolean } = {
		port: 8787,
		stateFile: join(ROOT, '.cache', 'emulator', 'state.json'),
		seed: loadSeed(join(ROOT, 'emulator', 'seed.json')),
		fresh: false,
	};
	for (const knob of KNOBS) if (env[knob.env] !== undefined) knob.apply(options, env[knob.env]!);
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].replace(/^--/, '').split('=', 2);
		if (flag === 'fresh') {
			options.fresh = true;
			continue;
		}
		const knob = KNOBS.find((candidate) => candidate.flag === flag);
		if (!knob) throw new Error(`unknown option --${flag}; see --help`);
		const alone = knob.isSwitch && (argv[i + 1] === undefined || argv[i + 1].startsWith('--'));
		knob.apply(options, inline ?? (alone ? 'true' : argv[++i]) ?? '');
	}
	return options;
}

async function main(): Promise<void> {
	const argv = process.argv.slice(2);
	if (argv.includes('--help')) {
		console.log('Netgraph Sign-In API emulator\n\nOptions (flag, or environment variable):');
		for (const knob of KNOBS) console.log(`  --${knob.flag.padEnd(22)} ${knob.env.padEnd(30)} ${knob.help}`);
		console.log('  --fresh                discard the saved state and start from the seed');
		return;
	}
	const options = parseOptions(argv, process.env);
	if (options.fresh && options.stateFile) {
		const files = [options.stateFile, ...(options.contexts ?? []).map((context) => contextStateFile(options.stateFile!, context.id))];
		for (const file of files) if (existsSync(file)) rmSync(file);
	}
	const emulator = new SignInEmulator({ ...options, log: (line) => console.log(line) });
	const url = await emulator.start();
	console.log(
		[
			'Netgraph Sign-In emulator is running.',
			`  Base URL:        ${url}`,
			`  Organization ID: ${emulator.options.organizationId}`,
			...(emulator.group
				? [
						`  Contexts:        ${[...emulator.contexts.values()].map((context) => `${context.id} (${context.name})`).join(', ')}`,
						`  API keys:        ${emulator.options.contextId}: ${emulator.options.token}; each other Context: that, a dash and its Context ID (emulator keys, not real secrets)`,
						`  State files:     ${options.stateFile ? `${options.stateFile}, others ${contextStateFile(options.stateFile, '<context>')}` : '(memory only)'}`,
						`  Astray keys:     ${url}/__emulator/cross-context-keys   (requests that carried another Context's key)`,
					]
				: [
						`  Context ID:      ${emulator.options.contextId}`,
						`  API Token:       ${emulator.options.token}   (emulator token, not a real secret)`,
						`  State file:      ${options.stateFile ?? '(memory only)'}`,
					]),
			`  Inspect state:   ${url}/__emulator/state`,
			`  Webhooks:        POST ${url}/__emulator/webhooks, then POST ${url}/__emulator/webhooks/simulate`,
			`  Venue stand-ins: GET/PUT ${url}/__emulator/inventory (device inventory export), GET/POST ${url}/__emulator/inbox (chat channel)`,
			`  Access policies: ${Object.keys(emulator.store.state.policies).join(', ') || '(none)'}`,
		].join('\n'),
	);
	const stop = () => void emulator.stop().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((error: Error) => {
		console.error(`emulator: ${error.message}`);
		process.exit(1);
	});
}
