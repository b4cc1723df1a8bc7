/* The emulator plus a real n8n with this package loaded: shared by `npm start` and the end-to-end tests. */
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';

import { SignInEmulator, type EmulatorOptions } from '../emulator/server';
import { loadSeed } from '../emulator/store';
import { N8nClient, ROOT, ensureN8n, startN8n, type Log, type RunningN8n } from './n8n';

export const EXAMPLES_DIR = join(ROOT, 'examples');
export const PACKAGE_NODE_TYPE = 'n8n-nodes-netgraph-sign-in.netgraphSignIn';
/** n8n names node types loaded from a custom directory `CUSTOM.<name>`. */
export const CUSTOM_NODE_TYPE = 'CUSTOM.netgraphSignIn';
export const CREDENTIAL_NAME = 'Sign-In Context API';
export const OWNER = { email: 'owner@example.com', password: 'SignIn-Demo-2026' };

export type Workflow = { name: string; nodes: Array<Record<string, unknown>>; connections: object; settings?: object };

export function exampleFiles(): string[] {
	return readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json') && file !== 'sample-requests.json')
		.sort();
}

/** An example as stored (importable into any n8n with the package installed), adapted to this instance. */
export function loadWorkflow(file: string, credentialId: string): Workflow {
	const workflow = JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as Workflow;
	return adaptWorkflow(workflow, credentialId);
}

export function adaptWorkflow(workflow: Workflow, credentialId: string): Workflow {
	return {
		...workflow,
		nodes: workflow.nodes.map((node) =>
			node.type === PACKAGE_NODE_TYPE
				? { ...node, type: CUSTOM_NODE_TYPE, credentials: { signInContextApi: { id: credentialId, name: CREDENTIAL_NAME } } }
				: node,
		),
	};
}

export function sampleRequests(): Record<string, unknown> {
	return JSON.parse(readFileSync(join(EXAMPLES_DIR, 'sample-requests.json'), 'utf8')) as Record<string, unknown>;
}

/** The webhook paths of a workflow, in node order. */
export function webhookPaths(workflow: Workflow): string[] {
	return workflow.nodes
		.filter((node) => node.type === 'n8n-nodes-base.webhook')
		.map((node) => (node.parameters as { path: string }).path);
}

export interface StackOptions {
	n8nPort: number;
	brokerPort: number;
	emulatorPort: number;
	workDir: string;
	emulator?: EmulatorOptions;
	log: Log;
}

export interface Stack {
	emulator: SignInEmulator;
	n8n: RunningN8n;
	client: N8nClient;
	stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
	await ensureN8n(options.log);
	const emulator = new SignInEmulator({
		port: options.emulatorPort,
		stateFile: join(options.workDir, 'emulator-state.json'),
		seed: loadSeed(join(ROOT, 'emulator', 'seed.json')),
		...options.emulator,
	});
	await emulator.start();
	let n8n: RunningN8n;
	try {
		n8n = await startN8n({
			port: options.n8nPort,
			brokerPort: options.brokerPort,
			userFolder: join(options.workDir, 'n8n-home'),
			logFile: join(options.workDir, 'n8n.log'),
			owner: OWNER,
			extensions: join(ROOT, 'dist'),
		});
	} catch (error) {
		await emulator.stop();
		throw error;
	}
	const client = new N8nClient(n8n.url);
	await client.login(OWNER.email, OWNER.password);
	return {
		emulator,
		n8n,
		client,
		async stop() {
			await n8n.stop();
			await emulator.stop();
		},
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
