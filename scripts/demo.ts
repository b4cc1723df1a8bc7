/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev CLI, never published: n8n Cloud's sandbox rules are for the package, and a CLI prints */
/*
 * `npm start`: the emulator, the local model server and a real n8n with this package, its
 * credentials and the examples; each example runs once (the front desk assistant gets one chat message).
 * `npm run dev` (`--dev`): the same, plus the package rebuilt on change and reloaded in place.
 * `npm start -- --queue`: the same in n8n's queue mode (PostgreSQL, Redis, main, 2 workers, 2 webhook processors).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';

import type { SignInEmulator } from '../emulator/server';
import { frontDeskScript } from '../emulator/model/frontDesk';
import { ModelServer } from '../emulator/model/server';
import { CACHE, N8N_VERSION, freePort, portIsFree, type N8nClient } from './n8n';
import { DEMO_INVENTORY } from '../emulator/venue';
import { APPROVED_SYNC_FILE, APPROVED_SYNC_PATH, APPROVED_SYNC_TAG, runEachBranch } from './approval';
import { connectMcp, mcpUrl, toolText } from './mcp';
import { describeQueue, startQueueStack, type QueueStack } from './queue';
import {
	CHAT_TRIGGER_TYPE,
	CREDENTIAL_NAME,
	DEMO_WEBHOOK_HEADER,
	FRONT_DESK_MCP_TOKEN,
	GROUP_CREDENTIAL_NAME,
	MCP_CREDENTIAL_NAME,
	MCP_TRIGGER_TYPE,
	MODEL_CREDENTIAL_NAME,
	OWNER,
	WEBHOOK_CREDENTIAL_NAME,
	emulatorCredential,
	exampleFiles,
	groupCredential,
	loadWorkflow,
	modelCredential,
	sampleRequests,
	startStack,
	triggersOf,
	webhookPaths,
	type CredentialIds,
	type Stack,
} from './stack';

const DEV = process.argv.includes('--dev');
const QUEUE = process.argv.includes('--queue');
/** Each shape keeps its own n8n data, so `npm start` and `npm run dev` can run side by side. */
const DEMO_DIR = join(CACHE, DEV ? 'dev' : QUEUE ? 'queue' : 'demo');
const DEMO_FILE = join(DEMO_DIR, 'demo.json');
/** The front desk assistant's public Chat Trigger (examples/front-desk-assistant.json). */
const FRONT_DESK_CHAT = '7d1e0f00-0000-4000-8000-0000000000c1/chat';

interface DemoRecord {
	apiKey: string;
	credentialId: string;
	groupCredentialId?: string;
	webhookCredentialId?: string;
	modelCredentialId?: string;
	mcpCredentialId?: string;
	workflows: Record<string, string>;
}

async function choosePort(preferred: number): Promise<number> {
	return (await portIsFree(preferred)) ? preferred : await freePort();
}

async function exists(client: N8nClient, path: string): Promise<boolean> {
	try {
		await client.api('GET', path);
		return true;
	} catch {
		return false;
	}
}

/**
 * Whether a saved example is there and usable. Demos before the trigger loaded the package as a
 * custom extension (node types `CUSTOM.*`), and an example that calls the emulator's venue
 * stand-ins holds the emulator's address of its import; such a workflow is removed when it no
 * longer fits, so that it is imported again.
 */
async function current(client: N8nClient, id: string, emulatorUrl: string): Promise<boolean> {
	let workflow: { nodes?: Array<{ type: string; parameters?: { url?: unknown } }> };
	try {
		workflow = await client.api('GET', `/workflows/${id}`);
	} catch {
		return false;
	}
	const stale = (node: { type: string; parameters?: { url?: unknown } }) =>
		node.type.startsWith('CUSTOM.') || (typeof node.parameters?.url === 'string' && node.parameters.url.includes('/__emulator/') && !node.parameters.url.startsWith(`${emulatorUrl}/`));
	if (!(workflow.nodes ?? []).some(stale)) return true;
	await client.api('POST', `/workflows/${id}/deactivate`).catch(() => undefined);
	for (let attempt = 1; ; attempt++) {
		try {
			await client.api('DELETE', `/workflows/${id}`);
			return false;
		} catch (error) {
			// n8n answers 409 while it is still unpublishing the workflow.
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- no n8n node here: a dev tool passes the error on as it is
			if (attempt >= 20 || !String(error).includes('409')) throw error;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}
}

/** The credential `id` given `data` (public API PATCH), or, when there is none or it is gone, a new one; its ID. */
async function upsertCredential(client: N8nClient, id: string | undefined, name: string, type: string, data: Record<string, unknown>): Promise<string> {
	if (id) {
		const updated = await client.api('PATCH', `/credentials/${id}`, { name, type, data }).then(
			() => true,
			() => false,
		);
		if (updated) return id;
	}
	return await client.createCredential(name, data, type);
}

/** Credentials and examples are created once and found again on later starts. */
async function prepare(stack: Stack, model: ModelServer): Promise<DemoRecord> {
	const { client, emulator } = stack;
	const saved = existsSync(DEMO_FILE) ? (JSON.parse(readFileSync(DEMO_FILE, 'utf8')) as DemoRecord) : undefined;
	client.apiKey = saved?.apiKey ?? '';
	if (!saved || !(await exists(client, '/workflows?limit=1'))) {
		await client.createApiKey(`demo ${new Date().toISOString()}`);
	}
	const record: DemoRecord = { ...saved, apiKey: client.apiKey, credentialId: saved?.credentialId ?? '', workflows: saved?.workflows ?? {} };
	// The emulator's and the model server's ports may differ from the last start: the credentials follow them.
	record.credentialId = await upsertCredential(client, record.credentialId, CREDENTIAL_NAME, 'signInContextApi', emulatorCredential(emulator));
	const test = await client.testCredential(record.credentialId);
	console.log(`Credential "${CREDENTIAL_NAME}" -> emulator: test ${test.status} (${test.message})`);
	record.groupCredentialId = await upsertCredential(client, record.groupCredentialId, GROUP_CREDENTIAL_NAME, 'signInOrganizationApi', groupCredential(emulator));
	const groupTest = await client.testCredential(record.groupCredentialId);
	console.log(`Credential "${GROUP_CREDENTIAL_NAME}" -> emulator, one key per property: test ${groupTest.status} (${groupTest.message})`);
	if (!record.webhookCredentialId || !(await exists(client, `/credentials/${record.webhookCredentialId}`))) {
		record.webhookCredentialId = await client.createCredential(WEBHOOK_CREDENTIAL_NAME, DEMO_WEBHOOK_HEADER, 'signInWebhookApi');
	}
	const webhookTest = await client.testCredential(record.webhookCredentialId);
	console.log(`Credential "${WEBHOOK_CREDENTIAL_NAME}" (header ${DEMO_WEBHOOK_HEADER.headerName}): test ${webhookTest.status} (${webhookTest.message})`);
	record.modelCredentialId = await upsertCredential(client, record.modelCredentialId, MODEL_CREDENTIAL_NAME, 'openAiApi', modelCredential(model.url));
	const modelTest = await client.testCredential(record.modelCredentialId);
	console.log(`Credential "${MODEL_CREDENTIAL_NAME}" (OpenAI) -> model server ${model.url}: test ${modelTest.status} (${modelTest.message})`);
	if (!record.mcpCredentialId || !(await exists(client, `/credentials/${record.mcpCredentialId}`))) {
		record.mcpCredentialId = await client.createCredential(MCP_CREDENTIAL_NAME, { token: FRONT_DESK_MCP_TOKEN }, 'httpBearerAuth');
	}
	for (const file of exampleFiles()) {
		const id = record.workflows[file];
		if (id && (await current(client, id, emulator.url))) continue;
		record.workflows[file] = await client.createWorkflow(loadWorkflow(file, credentialIds(record), stack.emulator.url), true);
		console.log(`Imported and published example: ${file}`);
	}
	mkdirSync(DEMO_DIR, { recursive: true });
	writeFileSync(DEMO_FILE, JSON.stringify(record, null, 2));
	return record;
}

function credentialIds(record: DemoRecord): CredentialIds {
	return {
		signInContextApi: record.credentialId,
		signInOrganizationApi: record.groupCredentialId,
		signInWebhookApi: record.webhookCredentialId,
		openAiApi: record.modelCredentialId,
		httpBearerAuth: record.mcpCredentialId,
	};
}

/** The emulator's accounts, active whitelisted MACs and policy e-mails. */
function snapshot(emulator: SignInEmulator): Record<string, string[]> {
	const { users, policies } = emulator.store.state;
	return {
		users: Object.keys(users),
		whitelisted: emulator.activeWhitelistings().map((entry) => entry.mac),
		...Object.fromEntries(Object.values(policies).map((policy) => [`policy ${policy.name} e-mails`, [...policy.emails]])),
	};
}

/** Each group Context's active whitelist size, and how many requests carried another Context's key (always 0). */
function groupSummary(emulator: SignInEmulator): string {
	const contexts = [...emulator.contexts.values()].slice(1).map((context) => `${context.name} ${context.activeWhitelistings().length} whitelisted`);
	return `${contexts.join(', ')}; requests with another Context's key: ${emulator.crossContextKeys.length}`;
}

/** What was added (+) and removed (-) between two snapshots. */
function changes(before: Record<string, string[]>, after: Record<string, string[]>): string {
	const lines = Object.keys(after).flatMap((key) => {
		const added = after[key].filter((value) => !(before[key] ?? []).includes(value)).map((value) => `+${value}`);
		const removed = (before[key] ?? []).filter((value) => !after[key].includes(value)).map((value) => `-${value}`);
		return added.length + removed.length > 0 ? [`${key} ${[...added, ...removed].join(' ')}`] : [];
	});
	return lines.join('; ') || 'nothing';
}

/**
 * Webhook-started examples are called like their sources would; trigger examples get a webhook
 * subscription on the emulator (as an admin would set up in the Context) and one simulated event
 * per subscribed event name.
 */
async function runExamples(stack: Stack, record: DemoRecord): Promise<void> {
	const samples = sampleRequests();
	for (const file of exampleFiles()) {
		if (file === APPROVED_SYNC_FILE) {
			await runApprovalExample(stack, record.workflows[file]);
			continue;
		}
		const workflow = loadWorkflow(file, credentialIds(record), stack.emulator.url);
		const chats = workflow.nodes.filter((node) => node.type === CHAT_TRIGGER_TYPE).map((node) => `${String(node.webhookId)}/chat`);
		for (const path of webhookPaths(workflow)) {
			const before = snapshot(stack.emulator);
			const answer = await stack.client.webhook(path, samples[path]);
			const verdict = answer.status === 200 ? 'ok' : `FAILED (${answer.status})`;
			if (!chats.includes(path)) {
				console.log(`  ${path.padEnd(24)} ${verdict}  ${JSON.stringify(answer.body).slice(0, 150)}`);
				continue;
			}
			console.log(`  front desk chat          ${verdict}`);
			console.log(`    staff:     ${(samples[path] as { chatInput: string }).chatInput}`);
			console.log(`    assistant: ${String((answer.body as { output?: unknown }).output ?? JSON.stringify(answer.body))}`);
			console.log(`    emulator:  ${changes(before, snapshot(stack.emulator))}`);
		}
		if (workflow.nodes.some((node) => node.type === MCP_TRIGGER_TYPE)) await runMcpExample(stack);
		for (const { url, events } of triggersOf(workflow, stack.client.webhookUrls[0])) {
			stack.emulator.webhooks.subscribe({
				name: 'n8nDemo',
				url,
				type: 'instant',
				events,
				headers: { [DEMO_WEBHOOK_HEADER.headerName]: DEMO_WEBHOOK_HEADER.secret },
			});
			const deliveries = await stack.emulator.webhooks.simulate(
				events.map((event) => ({ event, data: { mac: 'AA:BB:CC:00:00:42', email: 'guest@example.org' } })),
			);
			for (const delivery of deliveries) {
				const [attempt] = delivery.attempts;
				const verdict = attempt.status === 200 ? 'ok' : `FAILED (${attempt.status ?? attempt.error})`;
				console.log(`  ${String((delivery.body as { event: string }).event).padEnd(24)} ${verdict}  ${attempt.response.slice(0, 150)}`);
			}
		}
	}
}

/** The approved sync example through each branch: within the valve, then held for approval and rejected, stale, approved. */
async function runApprovalExample(stack: Stack, workflowId: string): Promise<void> {
	for (const { branch, run, before, after } of await runEachBranch(stack, workflowId, DEMO_INVENTORY.map((device) => ({ ...device })))) {
		const removed = before.filter((mac) => !after.includes(mac)).map((mac) => `-${mac}`);
		const added = after.filter((mac) => !before.includes(mac)).map((mac) => `+${mac}`);
		console.log(`  ${APPROVED_SYNC_PATH} ${branch}: ${run.status}${run.error ? ` (${run.error.slice(0, 110)}...)` : ''}`);
		if (run.message) console.log(`    approval request: ${run.message.split('\n')[1]}`);
		console.log(`    whitelist tagged ${APPROVED_SYNC_TAG}: ${[...added, ...removed].join(' ') || 'unchanged'}`);
	}
}

/** The front desk over MCP, as an AI client would use it: list the tools, create a guest account. */
async function runMcpExample(stack: Stack): Promise<void> {
	const before = snapshot(stack.emulator);
	const client = await connectMcp(mcpUrl(stack.client.webhookUrls[0]), FRONT_DESK_MCP_TOKEN);
	try {
		const { tools } = await client.listTools();
		console.log(`  front desk MCP           ok  tools: ${tools.map((tool) => tool.name).join(', ')}`);
		const result = await client.callTool({ name: 'Create_or_Update_Guest_Account', arguments: { username: 'room-215' } });
		console.log(`    Create_or_Update_Guest_Account {"username":"room-215"} -> ${toolText(result).slice(0, 150)}`);
		console.log(`    emulator:  ${changes(before, snapshot(stack.emulator))}`);
	} finally {
		await client.close();
	}
}

async function main(): Promise<void> {
	// Queue mode's database lives in a temporary folder, so its n8n data starts afresh each time.
	if (process.argv.includes('--fresh') || QUEUE) rmSync(DEMO_DIR, { recursive: true, force: true });
	mkdirSync(DEMO_DIR, { recursive: true });
	const n8nPort = await choosePort(5678);
	const stack = await (QUEUE ? startQueueStack : startStack)({
		n8nPort,
		brokerPort: await choosePort(n8nPort === 5678 ? 5679 : await freePort()),
		emulatorPort: await choosePort(8787),
		workDir: DEMO_DIR,
		dev: DEV,
		log: (line) => console.log(line),
	});
	// The front desk assistant's chat model: a scripted stand-in (emulator/model/frontDesk.ts), no hosted model.
	const model = new ModelServer({ port: await choosePort(8788), script: frontDeskScript });
	await model.start();
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n and the emulator...');
		await stack.stop();
		await model.stop();
		console.log('Stopped.');
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	try {
		console.log(`n8n ${N8N_VERSION} started in ${(stack.n8n.startupMs / 1000).toFixed(1)} s.`);
		const record = await prepare(stack, model);
		console.log('Running each example once against the emulator:');
		await runExamples(stack, record);
		console.log(`  hotel group: ${groupSummary(stack.emulator)}`);
		if (QUEUE) console.log(['', 'Queue mode, what runs where:', ...describeQueue(stack as QueueStack)].join('\n'));
		const { emulator } = stack;
		console.log(
			[
				'',
				'Ready.',
				`  n8n editor:      ${stack.n8n.url}   (log in as ${OWNER.email} / ${OWNER.password})`,
				`  Examples:        ${Object.keys(record.workflows).length} workflows, published; Overview in the editor`,
				`  Sign-In emulator ${emulator.url}  org ${emulator.options.organizationId}, context ${emulator.options.contextId}, token ${emulator.options.token}`,
				`  Hotel group:     contexts ${[...emulator.contexts.keys()].slice(1).join(', ')} in org ${emulator.options.organizationId}, each with its own key; credential "${GROUP_CREDENTIAL_NAME}"`,
				`  Emulator state:  ${emulator.url}/__emulator/state   (a group Context's: ?context=hotel-oslo; keys sent to another Context: ${emulator.url}/__emulator/cross-context-keys)`,
				`  Front desk chat: ${stack.client.webhookUrls[0]}/webhook/${FRONT_DESK_CHAT}   (open it in a browser; a scripted model server answers: ${model.url})`,
				`  Front desk MCP:  ${mcpUrl(stack.client.webhookUrls[0])}   (Streamable HTTP or SSE; header Authorization: Bearer ${FRONT_DESK_MCP_TOKEN})`,
				`  Approvals:       ${emulator.url}/__emulator/inbox holds the nightly sync's approval requests with their links; run it: curl -X POST ${stack.client.webhookUrls[0]}/webhook/${APPROVED_SYNC_PATH} (cut the inventory short: PUT ${emulator.url}/__emulator/inventory)`,
				`  Webhook events:  curl -X POST ${emulator.url}/__emulator/webhooks/simulate -H 'content-type: application/json' -d '{"events":["signin.session.denied"]}'`,
				`  Try:             curl -X POST ${stack.client.webhookUrls[0]}/webhook/hotel-check-in -H 'content-type: application/json' -d '{"reservationId":"R-1","guestName":"Bo"}'`,
				`  n8n log:         ${stack.n8n.logFile}${QUEUE ? ' (the other processes: see above)' : ''}`,
				...(DEV
					? [`  Dev reload:      edit nodes/ or credentials/: each error-free build is reloaded into this n8n (N8N_DEV_RELOAD), no restart`]
					: []),
				'Press Ctrl-C to stop.',
			].join('\n'),
		);
	} catch (error) {
		console.error(`demo: ${(error as Error).message}`);
		await stop(1);
	}
}

main().catch((error: Error) => {
	console.error(`demo: ${error.message}`);
	process.exit(1);
});
