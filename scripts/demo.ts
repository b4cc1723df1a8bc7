/* `npm start`: the emulator and a real n8n with this package, its credential and the examples. */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';

import { CACHE, N8N_VERSION, freePort, portIsFree, type N8nClient } from './n8n';
import {
	CREDENTIAL_NAME,
	OWNER,
	emulatorCredential,
	exampleFiles,
	loadWorkflow,
	sampleRequests,
	startStack,
	webhookPaths,
	type Stack,
} from './stack';

const DEMO_DIR = join(CACHE, 'demo');
const DEMO_FILE = join(DEMO_DIR, 'demo.json');

interface DemoRecord {
	apiKey: string;
	credentialId: string;
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

/** Credential and examples are created once and found again on later starts. */
async function prepare(stack: Stack): Promise<DemoRecord> {
	const { client, emulator } = stack;
	const saved = existsSync(DEMO_FILE) ? (JSON.parse(readFileSync(DEMO_FILE, 'utf8')) as DemoRecord) : undefined;
	client.apiKey = saved?.apiKey ?? '';
	if (!saved || !(await exists(client, '/workflows?limit=1'))) {
		await client.createApiKey(`demo ${new Date().toISOString()}`);
	}
	const record: DemoRecord = { apiKey: client.apiKey, credentialId: saved?.credentialId ?? '', workflows: saved?.workflows ?? {} };
	const credential = emulatorCredential(emulator);
	if (record.credentialId) {
		await client.api('PATCH', `/credentials/${record.credentialId}`, { name: CREDENTIAL_NAME, type: 'signInContextApi', data: credential }).catch(
			() => (record.credentialId = ''),
		);
	}
	if (!record.credentialId) record.credentialId = await client.createCredential(CREDENTIAL_NAME, credential);
	const test = await client.testCredential(record.credentialId);
	console.log(`Credential "${CREDENTIAL_NAME}" -> emulator: test ${test.status} (${test.message})`);
	for (const file of exampleFiles()) {
		const id = record.workflows[file];
		if (id && (await exists(client, `/workflows/${id}`))) continue;
		record.workflows[file] = await client.createWorkflow(loadWorkflow(file, record.credentialId), true);
		console.log(`Imported and published example: ${file}`);
	}
	mkdirSync(DEMO_DIR, { recursive: true });
	writeFileSync(DEMO_FILE, JSON.stringify(record, null, 2));
	return record;
}

async function runExamples(stack: Stack): Promise<void> {
	const samples = sampleRequests();
	for (const file of exampleFiles()) {
		for (const path of webhookPaths(loadWorkflow(file, ''))) {
			const answer = await stack.client.webhook(path, samples[path]);
			const verdict = answer.status === 200 ? 'ok' : `FAILED (${answer.status})`;
			console.log(`  ${path.padEnd(24)} ${verdict}  ${JSON.stringify(answer.body).slice(0, 150)}`);
		}
	}
}

async function main(): Promise<void> {
	if (process.argv.includes('--fresh')) rmSync(DEMO_DIR, { recursive: true, force: true });
	mkdirSync(DEMO_DIR, { recursive: true });
	const n8nPort = await choosePort(5678);
	const stack = await startStack({
		n8nPort,
		brokerPort: await choosePort(n8nPort === 5678 ? 5679 : await freePort()),
		emulatorPort: await choosePort(8787),
		workDir: DEMO_DIR,
		log: (line) => console.log(line),
	});
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n and the emulator...');
		await stack.stop();
		console.log('Stopped.');
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	try {
		console.log(`n8n ${N8N_VERSION} started in ${(stack.n8n.startupMs / 1000).toFixed(1)} s.`);
		const record = await prepare(stack);
		console.log('Running each example once against the emulator:');
		await runExamples(stack);
		const { emulator } = stack;
		console.log(
			[
				'',
				'Ready.',
				`  n8n editor:      ${stack.n8n.url}   (log in as ${OWNER.email} / ${OWNER.password})`,
				`  Examples:        ${Object.keys(record.workflows).length} workflows, published; Overview in the editor`,
				`  Sign-In emulator ${emulator.url}  org ${emulator.options.organizationId}, context ${emulator.options.contextId}, token ${emulator.options.token}`,
				`  Emulator state:  ${emulator.url}/__emulator/state`,
				`  Try:             curl -X POST ${stack.n8n.url}/webhook/hotel-check-in -H 'content-type: application/json' -d '{"reservationId":"R-1","guestName":"Bo"}'`,
				`  n8n log:         ${stack.n8n.logFile}`,
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
