/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev code, never published: n8n Cloud's sandbox rules are for the package */
/*
 * The emulator plus a real n8n with this package loaded: shared by `npm start`, `npm run dev`,
 * the end-to-end tests and the benchmark.
 */
import { readFileSync, readdirSync, statSync } from 'fs';
import { join } from 'path';

import { SignInEmulator, type ContextOptions, type EmulatorOptions } from '../emulator/server';
import { loadSeed } from '../emulator/store';
import { N8N_VERSION, N8nClient, PACKAGE_NAME, ROOT, ensureN8n, installedPackageFolder, startN8n, type Log, type RunningN8n } from './n8n';
import { startRebuilder, type Rebuilder } from './rebuild';

export const EXAMPLES_DIR = join(ROOT, 'examples');
export const NODE_TYPE = 'n8n-nodes-netgraph-sign-in.netgraphSignIn';
/** The version a Netgraph Sign-In node added in the editor today gets (its `defaultVersion`). */
export const NODE_VERSION = 1.1;
export const TRIGGER_TYPE = 'n8n-nodes-netgraph-sign-in.netgraphSignInTrigger';
export const CREDENTIAL_NAME = 'Sign-In Context API';
export const WEBHOOK_CREDENTIAL_NAME = 'Sign-In Webhook API';
/** The organisation credential of the emulator's hotel group (emulator/hotel-group.json): one key per property. */
export const GROUP_CREDENTIAL_NAME = 'Sign-In Hotel Group (3 properties)';
/** The OpenAI credential the examples' chat models get here: its Base URL points at the local model server (emulator/model/). */
export const MODEL_CREDENTIAL_NAME = 'Local model';
export const CHAT_TRIGGER_TYPE = '@n8n/n8n-nodes-langchain.chatTrigger';
export const MCP_TRIGGER_TYPE = '@n8n/n8n-nodes-langchain.mcpTrigger';
/** The header the demo and the tests configure on both sides: the credential and the emulator's subscription. */
export const DEMO_WEBHOOK_HEADER = { headerName: 'X-Webhook-Secret', secret: 'emulator-webhook-secret-demo' };
/** The MCP Server Trigger of examples/front-desk-mcp.json: its Path, and its Bearer Auth credential with the token the demo and the tests give it. */
export const FRONT_DESK_MCP_PATH = 'front-desk';
export const MCP_CREDENTIAL_NAME = 'Front desk MCP token';
/** Printed by `npm start`. */
export const FRONT_DESK_MCP_TOKEN = 'front-desk-mcp-demo-token';
const CREDENTIAL_NAMES: Record<string, string> = {
	signInContextApi: CREDENTIAL_NAME,
	signInOrganizationApi: GROUP_CREDENTIAL_NAME,
	signInWebhookApi: WEBHOOK_CREDENTIAL_NAME,
	openAiApi: MODEL_CREDENTIAL_NAME,
	httpBearerAuth: MCP_CREDENTIAL_NAME,
};

/** IDs of this instance's credentials, by credential type. */
export type CredentialIds = Partial<Record<'signInContextApi' | 'signInOrganizationApi' | 'signInWebhookApi' | 'openAiApi' | 'httpBearerAuth', string>>;
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- the local demo owner, printed by `npm start`
export const OWNER = { email: 'owner@example.com', password: 'SignIn-Demo-2026' };

export type Workflow = { name: string; nodes: Array<Record<string, unknown>>; connections: object; settings?: object };

export function exampleFiles(): string[] {
	return readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json') && file !== 'sample-requests.json')
		.sort();
}

/** Where the examples expect the emulator: `npm run emulator`'s default address. */
export const EXAMPLE_EMULATOR_URL = 'http://127.0.0.1:8787';

/** An example as stored (importable into any n8n with the package installed), adapted to this instance. */
export function loadWorkflow(file: string, credentials: CredentialIds, emulatorUrl?: string): Workflow {
	const workflow = JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as Workflow;
	return adaptWorkflow(workflow, credentials, emulatorUrl);
}

/**
 * The package's nodes (also as tools), the chat models and the MCP trigger's token get this
 * instance's credentials; HTTP Request nodes that call the emulator's venue stand-ins (the
 * approved sync example's inventory and chat inbox) get `emulatorUrl`, when given.
 */
export function adaptWorkflow(workflow: Workflow, credentials: CredentialIds, emulatorUrl?: string): Workflow {
	return {
		...workflow,
		nodes: workflow.nodes.map((node) => {
			const parameters = node.parameters as { url?: unknown } | undefined;
			if (emulatorUrl && typeof parameters?.url === 'string' && parameters.url.startsWith(`${EXAMPLE_EMULATOR_URL}/`)) {
				return { ...node, parameters: { ...parameters, url: emulatorUrl + parameters.url.slice(EXAMPLE_EMULATOR_URL.length) } };
			}
			const used = Object.keys((node.credentials as object | undefined) ?? {});
			if (used.length === 0 || !used.every((key) => key in CREDENTIAL_NAMES)) return node;
			return {
				...node,
				credentials: Object.fromEntries(
					used.map((key) => [key, { id: credentials[key as keyof CredentialIds] ?? '', name: CREDENTIAL_NAMES[key] }]),
				),
			};
		}),
	};
}

/**
 * "Webhook at `path` (answering with every item of the last node) -> one item per entry of
 * body.items -> `node`", the shape in which the end-to-end and upgrade tests run one saved node.
 */
export function itemsWorkflow(name: string, path: string, node: Record<string, unknown>): Workflow {
	const nodeName = String(node.name);
	return {
		name,
		nodes: [
			{ id: `w-${path}`, name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `hook-${path}`, parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} } },
			{ id: `s-${path}`, name: 'Items', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [200, 0], parameters: { fieldToSplitOut: 'body.items', options: {} } },
			{ id: `n-${path}`, position: [400, 0], ...node },
		],
		connections: {
			Webhook: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: nodeName, type: 'main', index: 0 }]] },
		},
	};
}

/** A workflow's Netgraph Sign-In Triggers, in node order: production URL (n8n: /webhook/<webhookId>/<path>) and events. */
export function triggersOf(workflow: Workflow, n8nUrl: string): Array<{ url: string; events: string[] }> {
	return workflow.nodes
		.filter((node) => node.type === TRIGGER_TYPE)
		.map((node) => ({
			url: `${n8nUrl}/webhook/${String(node.webhookId)}/webhook`,
			events: (node.parameters as { events: string[] }).events,
		}));
}

export function sampleRequests(): Record<string, unknown> {
	return JSON.parse(readFileSync(join(EXAMPLES_DIR, 'sample-requests.json'), 'utf8')) as Record<string, unknown>;
}

/** The webhook paths of a workflow, in node order; a public Chat Trigger's is `<webhookId>/chat`. */
export function webhookPaths(workflow: Workflow): string[] {
	return workflow.nodes
		.filter((node) => node.type === 'n8n-nodes-base.webhook' || node.type === CHAT_TRIGGER_TYPE)
		.map((node) => (node.type === CHAT_TRIGGER_TYPE ? `${String(node.webhookId)}/chat` : (node.parameters as { path: string }).path));
}

export interface StackOptions {
	n8nPort: number;
	brokerPort: number;
	emulatorPort: number;
	workDir: string;
	emulator?: EmulatorOptions;
	/** Which installed n8n to run (installed on first use); default `N8N_VERSION`. */
	n8nVersion?: string;
	/**
	 * Dev reload (`npm run dev`): the package is rebuilt on every change and each error-free build
	 * is brought into n8n's copy of it; n8n runs with N8N_DEV_RELOAD and reloads it in place.
	 */
	dev?: boolean;
	/** The package to build and install; default this repository (the dev-reload test uses a copy). */
	packageRoot?: string;
	/** Settings for n8n's process beside the launcher's own, e.g. `N8N_EXPRESSION_ENGINE`. */
	n8nEnv?: NodeJS.ProcessEnv;
	log: Log;
}

export interface Stack {
	emulator: SignInEmulator;
	n8n: RunningN8n;
	client: N8nClient;
	/** Every n8n process of the stack (one here; queue mode has several), each with its log. */
	processes(): RunningN8n[];
	/** Stops n8n and starts it again on the same port and data folder, as after a server restart. */
	restartN8n(): Promise<void>;
	stop(): Promise<void>;
}

/** The hotel group's Contexts (Stockholm, Oslo, Bergen), each with its own whitelist to start from. */
export function hotelGroup(): ContextOptions[] {
	return JSON.parse(readFileSync(join(ROOT, 'emulator', 'hotel-group.json'), 'utf8')) as ContextOptions[];
}

/**
 * The emulator on its port, with the seed data and its state kept in the work folder: its
 * Context, and beside it in the same Organization the hotel group's (unless `emulator.contexts`
 * names others).
 */
export async function startEmulator(options: Pick<StackOptions, 'emulatorPort' | 'workDir' | 'emulator'>): Promise<SignInEmulator> {
	const emulator = new SignInEmulator({
		port: options.emulatorPort,
		stateFile: join(options.workDir, 'emulator-state.json'),
		seed: loadSeed(join(ROOT, 'emulator', 'seed.json')),
		contexts: hotelGroup(),
		...options.emulator,
	});
	await emulator.start();
	return emulator;
}

export async function startStack(options: StackOptions): Promise<Stack> {
	const version = options.n8nVersion ?? N8N_VERSION;
	await ensureN8n(options.log, version);
	const packageRoot = options.packageRoot ?? ROOT;
	let rebuilder: Rebuilder | undefined;
	if (options.dev) {
		options.log(`dev: building ${packageRoot} and watching nodes/ and credentials/`);
		rebuilder = startRebuilder({ root: packageRoot, log: options.log });
		await rebuilder.ready;
	}
	const emulator = await startEmulator(options);
	const n8nOptions = {
		port: options.n8nPort,
		brokerPort: options.brokerPort,
		userFolder: join(options.workDir, 'n8n-home'),
		logFile: join(options.workDir, 'n8n.log'),
		owner: OWNER,
		installPackage: true,
		packageRoot,
		version,
		env: { ...(options.dev ? { N8N_DEV_RELOAD: 'true' } : {}), ...options.n8nEnv },
	};
	let n8n: RunningN8n;
	try {
		n8n = await startN8n(n8nOptions);
	} catch (error) {
		rebuilder?.stop();
		await emulator.stop();
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- no n8n node here: a dev tool passes the error on as it is
		throw error;
	}
	let stopFollowing = () => {};
	if (rebuilder) {
		rebuilder.syncInto(installedPackageFolder(n8nOptions.userFolder), (changed) => {
			options.log(`dev: rebuilt ${changed.join(', ')}; n8n reloads ${PACKAGE_NAME}`);
		});
		stopFollowing = followLog(n8n.logFile, /Hot reload/, (line) => options.log(`n8n: ${line}`));
	}
	const client = new N8nClient(n8n.url, version);
	await client.login(OWNER.email, OWNER.password);
	const stack: Stack = {
		emulator,
		n8n,
		client,
		processes: () => [stack.n8n],
		async restartN8n() {
			await this.n8n.stop();
			this.n8n = await startN8n(n8nOptions);
			await client.login(OWNER.email, OWNER.password);
		},
		async stop() {
			stopFollowing();
			rebuilder?.stop();
			await this.n8n.stop();
			await emulator.stop();
		},
	};
	return stack;
}

/** Calls `onLine` with each complete line matching `pattern` that is appended to `file` from now on. */
function followLog(file: string, pattern: RegExp, onLine: (line: string) => void): () => void {
	let offset = statSync(file).size;
	const timer = setInterval(() => {
		const added = readFileSync(file).subarray(offset);
		const end = added.lastIndexOf(10);
		if (end < 0) return;
		offset += end + 1;
		for (const line of added.subarray(0, end).toString('utf8').split('\n')) if (pattern.test(line)) onLine(line.trim());
	}, 250);
	return () => clearInterval(timer);
}

/** OpenAI credential data pointing at a local model server (emulator/model/server.ts); the server checks no key. */
export function modelCredential(modelUrl: string): Record<string, string> {
	return { apiKey: 'sk-local-model', url: `${modelUrl}/v1` };
}

/**
 * Sign-In Organization API credential data for the emulator's Contexts besides its first (the
 * hotel group, unless given others), each with its own key, in the credential's named slots.
 */
export function groupCredential(emulator: SignInEmulator, contextIds: string[] = [...emulator.contexts.keys()].slice(1)): Record<string, unknown> {
	return {
		baseUrl: `${emulator.url}/`,
		organizationId: emulator.options.organizationId,
		allowUnencryptedHttp: false,
		contexts: Object.fromEntries(
			contextIds.map((id, index) => {
				const context = emulator.context(id);
				return [`context${index + 1}`, { name: context.name, contextId: context.id, apiToken: context.token, baseUrl: '' }];
			}),
		),
	};
}

/** Credential data pointing at the emulator. */
export function emulatorCredential(emulator: SignInEmulator, overrides: Record<string, string> = {}): Record<string, string> {
	return {
		baseUrl: `${emulator.url}/`,
		organizationId: emulator.options.organizationId,
		contextId: emulator.options.contextId,
		apiToken: emulator.options.token,
		...overrides,
	};
}
