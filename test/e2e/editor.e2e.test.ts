/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * The path a user takes in n8n's editor, in a real browser: Debian's Chromium (installed with
 * apt-get when missing) driven by playwright-core against a real n8n with the package installed.
 * Screenshots of every step go to screenshots/editor/ (git-ignored); their paths are printed.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { chromium, selectors, type Browser, type Page } from 'playwright-core';
import type { INodeProperties } from 'n8n-workflow';

import { NetgraphSignIn } from '../../nodes/NetgraphSignIn/NetgraphSignIn.node';
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/chromium';
import { ROOT, freePort } from '../../scripts/n8n';
import { triggeredItems, triggerWorkflows, VENUE_GROUP } from './drive';
import { CREDENTIAL_NAME, MODEL_CREDENTIAL_NAME, NODE_TYPE, NODE_VERSION, OWNER, emulatorCredential, loadWorkflow, modelCredential, startStack, type Stack } from '../../scripts/stack';

const SHOTS = join(ROOT, 'screenshots', 'editor');
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- the local emulator's token for this test
const TOKEN = 'editor-e2e-emulator-token';
let stack: Stack;
let workDir: string;
let browser: Browser;
let page: Page;
const shots: string[] = [];

beforeAll(async () => {
	const log = (line: string) => process.stdout.write(`${line}\n`);
	const executablePath = ensureChromium(log);
	workDir = mkdtempSync(join(tmpdir(), 'netgraph-editor-e2e-'));
	stack = await startStack({
		n8nPort: await freePort(),
		brokerPort: await freePort(),
		emulatorPort: await freePort(),
		workDir,
		emulator: { token: TOKEN },
		log,
	});
	rmSync(SHOTS, { recursive: true, force: true });
	mkdirSync(SHOTS, { recursive: true });
	selectors.setTestIdAttribute('data-test-id');
	browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
	page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	page.setDefaultTimeout(30_000);
}, 20 * 60 * 1000);

afterAll(async () => {
	await browser?.close();
	await stack?.stop();
	rmSync(workDir, { recursive: true, force: true });
	process.stdout.write(`Editor screenshots:\n${shots.map((file) => `  ${file}`).join('\n')}\n`);
});

async function shot(name: string): Promise<void> {
	const file = join(SHOTS, `${String(shots.length + 1).padStart(2, '0')}-${name}.png`);
	await page.screenshot({ path: file });
	shots.push(file);
}

/** Polls until `read` gives `expected` (the editor filters and renders asynchronously), then returns what it read last. */
async function settled<T>(read: () => Promise<T>, expected: T, timeoutMs = 10_000): Promise<T> {
	let value = await read();
	for (let waited = 0; JSON.stringify(value) !== JSON.stringify(expected) && waited < timeoutMs; waited += 200) {
		await page.waitForTimeout(200);
		value = await read();
	}
	return value;
}

/** The options of an n8n select, opened by clicking it; closed again with Escape. */
async function optionsOf(parameter: string): Promise<string[]> {
	await page.getByTestId(`parameter-input-${parameter}`).click();
	const options = page.locator('.el-select-dropdown:visible .el-select-dropdown__item');
	await options.first().waitFor();
	const names = (await options.allInnerTexts()).map((text) => text.split('\n')[0].trim());
	await page.keyboard.press('Escape');
	return names;
}

async function choose(parameter: string, option: string): Promise<void> {
	await page.getByTestId(`parameter-input-${parameter}`).click();
	await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: new RegExp(`^${option}`) }).first().click();
}

const description = new NetgraphSignIn().description;
const property = (name: string) => description.properties.find((candidate) => candidate.name === name)!;
const optionNames = (prop: INodeProperties) => (prop.options as Array<{ name: string }>).map((option) => option.name);

/** Display names of the fields an operation shows by itself (not those that wait for another field's value). */
function fieldsOf(resource: string, operation: string): string[] {
	return description.properties
		.filter((prop) => {
			const show = prop.displayOptions?.show;
			if (!show || prop.type === 'notice' || prop.name === 'operation') return false;
			const keys = Object.keys(show);
			return (
				keys.every((key) => key === 'resource' || key === 'operation') &&
				(show.resource as string[] | undefined)?.includes(resource) === true &&
				(show.operation === undefined || (show.operation as string[]).includes(operation))
			);
		})
		.map((prop) => prop.displayName);
}

function operationsOf(resource: string): Array<{ name: string; value: string }> {
	const picker = description.properties.find((prop) => prop.name === 'operation' && (prop.displayOptions?.show?.resource as string[]).includes(resource))!;
	return picker.options as Array<{ name: string; value: string }>;
}

describe('Netgraph Sign-In in the n8n editor', () => {
	it('logs in and opens a new workflow', async () => {
		await page.goto(`${stack.n8n.url}/signin`);
		await page.getByTestId('emailOrLdapLoginId').locator('input').fill(OWNER.email);
		await page.getByTestId('password').locator('input').fill(OWNER.password);
		await shot('sign-in');
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL(/\/home|\/workflows/);
		await page.goto(`${stack.n8n.url}/workflow/new`);
		await page.getByTestId('canvas-add-button').waitFor({ timeout: 60_000 });
		await shot('new-workflow');
	});

	it('finds the node and its trigger by searching "Netgraph" in the node panel', async () => {
		await page.getByTestId('canvas-add-button').click();
		await page.getByTestId('node-creator-search-bar').fill('Netgraph');
		const names = () => page.getByTestId('node-creator-item-name').allInnerTexts();
		expect(await settled(names, ['Netgraph Sign-In'])).toEqual(['Netgraph Sign-In']);
		await expect(page.getByTestId('node-creator-item-description').first().innerText()).resolves.toBe(
			"Starts the workflow when the Sign-In Context's webhook reports sign-in activity",
		);
		await shot('node-panel-trigger-search');
		await page.getByTestId('node-creator-search-bar').fill('Manual Trigger');
		await page.getByTestId('node-creator-item-name').getByText('Manual Trigger', { exact: true }).click();
		await page.getByTestId('canvas-handle-plus').click();
		await page.getByTestId('node-creator-search-bar').fill('Netgraph');
		await page.getByTestId('node-creator-item-name').getByText('Netgraph Sign-In', { exact: true }).first().click();
		const panel = await page.getByTestId('node-creator').innerText();
		for (const action of [
			'Add emails or patterns to an access policy',
			'Remove emails or patterns from an access policy',
			'Sync emails of an access policy',
			'Create a user with a password',
			'Delete a user and end its sessions',
			'Set a new password for a user',
			'Create a user or set its password',
			'Whitelist a device by MAC address',
			'Whitelist many devices by MAC address',
			'Get many whitelisted devices',
			'Revoke whitelisted devices by MAC address',
			'Sync whitelisted devices with the input items',
			'Update a whitelisted device by ID',
		]) {
			expect(panel).toContain(action);
		}
		expect(panel).toContain('Actions (13)');
		await shot('node-panel-actions');
		await page.getByTestId('node-creator').getByText('Get many whitelisted devices', { exact: true }).click();
		await page.getByTestId('ndv').waitFor();
		await shot('node-added');
	});

	it('shows the credential form with the four fields, the token masked, and its test succeeds', async () => {
		await page.getByTestId('node-credentials-empty-state').click();
		const dialog = page.getByTestId('credential-edit-dialog');
		await dialog.waitFor();
		const labels = await dialog.getByTestId('credential-connection-parameter').locator('label').allInnerTexts();
		expect(labels.map((label) => label.split('\n')[0].replace(/\*$/, '').trim()).slice(0, 4)).toEqual(['Base URL', 'Organization ID', 'Context ID', 'API Token']);
		const credential = emulatorCredential(stack.emulator);
		await dialog.getByTestId('parameter-input-baseUrl').locator('input').fill(credential.baseUrl);
		await dialog.getByTestId('parameter-input-organizationId').locator('input').fill(credential.organizationId);
		await dialog.getByTestId('parameter-input-contextId').locator('input').fill(credential.contextId);
		const token = dialog.getByTestId('parameter-input-apiToken').locator('input');
		await token.fill(credential.apiToken);
		await expect(token.getAttribute('type')).resolves.toBe('password');
		await shot('credential-form');
		// Saving tests the credential; on success n8n closes the dialog.
		const tested = page.waitForResponse((response) => response.url().endsWith('/rest/credentials/test'));
		await page.getByTestId('credential-save-button').click();
		expect(await (await tested).json()).toEqual({ data: { status: 'OK', message: 'Connection successful!' } });
		await dialog.waitFor({ state: 'hidden' });
		// Opened again, the dialog tests once more and shows the result, with the stored token masked.
		await page.getByTestId('credential-edit-button').click();
		const banner = dialog.getByTestId('credentials-config-container-test-success');
		await banner.waitFor();
		expect(await banner.innerText()).toContain('Connection tested successfully');
		await expect(dialog.getByTestId('parameter-input-apiToken').locator('input').getAttribute('type')).resolves.toBe('password');
		await shot('credential-tested');
		await page.locator('[data-test-id="editCredential-modal"] .el-dialog__headerbtn').click();
		await dialog.waitFor({ state: 'hidden' });
		await page.getByTestId('ndv').waitFor();
	});

	it('offers every resource with exactly its documented operations, each with its fields', async () => {
		// n8n appends "Custom API Call" only for credentials whose `authenticate` is declarative; this
		// one's is a function (token for the Base URL's origin only, no redirects), so n8n adds none.
		expect(await optionsOf('resource')).toEqual(optionNames(property('resource')));
		for (const resource of property('resource').options as Array<{ name: string; value: string }>) {
			await choose('resource', resource.name);
			const operations = operationsOf(resource.value);
			expect([resource.name, await optionsOf('operation')]).toEqual([resource.name, operations.map((operation) => operation.name)]);
			for (const operation of operations) {
				await choose('operation', operation.name);
				const shown = (await page.getByTestId('node-parameters').innerText()).split('\n').map((line) => line.replace(/\*$/, '').trim());
				for (const field of fieldsOf(resource.value, operation.value)) {
					expect([resource.name, operation.name, shown.includes(field) ? field : `missing: ${field}`]).toEqual([resource.name, operation.name, field]);
				}
				await shot(`fields-${resource.value}-${operation.value}`);
			}
		}
	});

	it('Sync Emails says how it reads a policy, and Matching a Domain asks for the Scope Domain', async () => {
		await choose('resource', 'Access Policy');
		await choose('operation', 'Sync Emails');
		const parameters = page.getByTestId('node-parameters');
		expect(await parameters.innerText()).toContain('The API has no read: Preview, and Apply with an Approved Plan ID, read a policy by asking it to remove n8n-sync-read@policy.invalid');
		expect(await parameters.innerText()).not.toContain('Scope Domain');
		await choose('scope', 'Matching a Domain');
		await parameters.getByText('Scope Domain').first().waitFor();
		await shot('fields-accessPolicy-syncEmails-domain');
	});

	it('Whitelisting Sync shows Scope, Scope Tag, Mode and its options, and warns under All Active Entries', async () => {
		await choose('resource', 'Whitelisting');
		await choose('operation', 'Sync');
		const parameters = page.getByTestId('node-parameters');
		const lines = async () => (await parameters.innerText()).split('\n').map((line) => line.replace(/\*$/, '').trim());
		const allNotice = 'With All Active Entries, every active entry whose MAC address no input item names is revoked, including entries made by hand or by other tools';
		expect(await parameters.innerText()).toContain('Sync reads the active whitelist once, then creates what is missing, updates what differs, and revokes the entries in Scope that no item names.');
		expect(await lines()).toEqual(expect.arrayContaining(['Scope', 'Scope Tag', 'Mode', 'MAC Address', 'Name', 'Additional Fields', 'Options']));
		expect(await lines()).not.toContain('Scope Created By');
		expect(await parameters.innerText()).not.toContain(allNotice);
		expect(await optionsOf('scope')).toEqual(['All Active Entries', 'Entries Created By', 'Entries With Tag']);
		// Let the Scope list finish closing, so that only the Mode list is read next.
		expect(await settled(() => page.locator('.el-select-dropdown:visible').count(), 0)).toBe(0);
		expect(await optionsOf('mode')).toEqual(['Apply', 'Preview']);
		// The select shows its value in an input: Preview is the default.
		await expect(page.getByTestId('parameter-input-mode').evaluate((select) => `${select.querySelector('input')?.value ?? ''}${select.textContent ?? ''}`)).resolves.toContain('Preview');
		// Additional Fields, Options, Request Options: the second "add" select is the Options collection's.
		const addOption = parameters.getByTestId('collection-parameter-add').nth(1);
		await addOption.click();
		const offered = page.locator('.el-select-dropdown:visible [data-test-id="collection-parameter-option"]');
		await offered.first().waitFor();
		expect((await offered.allInnerTexts()).map((text) => text.trim()).sort()).toEqual(['Adopt Out-of-Scope Entries', 'Approved Plan ID', 'Batch Size', 'Max Destructive Share (%)']);
		await offered.filter({ hasText: 'Max Destructive Share (%)' }).click();
		await expect(page.getByTestId('parameter-input-maxShare').locator('input').inputValue()).resolves.toBe('50');
		await shot('fields-whitelisting-sync-options');
		await choose('scope', 'Entries Created By');
		await parameters.getByText('Scope Created By').first().waitFor();
		expect(await lines()).not.toContain('Scope Tag');
		await choose('scope', 'All Active Entries');
		await parameters.getByText(allNotice).waitFor();
		expect(await lines()).not.toContain('Scope Tag');
		expect(await lines()).not.toContain('Scope Created By');
		await shot('fields-whitelisting-sync-all-notice');
	});

	it('picks the entry to update from a list of the active whitelistings', async () => {
		await choose('resource', 'Whitelisting');
		await choose('operation', 'Update');
		await page.getByTestId('node-parameters').getByTestId('rlc-input').click();
		const item = page.getByTestId('rlc-item').filter({ hasText: 'Old kiosk (00:1B:63:84:45:D1)' });
		await item.waitFor();
		await shot('update-pick-from-list');
		await item.click();
		await expect(page.getByTestId('node-parameters').getByTestId('rlc-input').inputValue()).resolves.toBe('Old kiosk (00:1B:63:84:45:D1)');
	});

	it('executes Whitelisting: Get Many from the editor and shows the output', async () => {
		await choose('resource', 'Whitelisting');
		await choose('operation', 'Get Many');
		await page.getByTestId('node-execute-button').click();
		const output = page.getByTestId('output-panel');
		await output.getByText('00:1B:63:84:45:D1').first().waitFor();
		await shot('executed-output');
		expect(await output.innerText()).toContain('Old kiosk');
		expect(stack.emulator.requests.at(-1)).toMatchObject({ method: 'GET', path: `${stack.emulator.contextPath}/modules/whitelistings/active`, status: 200 });
	});

	it("shows the front desk example's canvas, and the node with its actions in the AI Agent's tool picker", async () => {
		await stack.client.createApiKey('editor e2e');
		const signIn = await stack.client.createCredential(CREDENTIAL_NAME, emulatorCredential(stack.emulator));
		// The canvas needs no model answer: the credential only has to exist.
		const openAiApi = await stack.client.createCredential(MODEL_CREDENTIAL_NAME, modelCredential('http://127.0.0.1:9'), 'openAiApi');
		const id = await stack.client.createWorkflow(loadWorkflow('front-desk-assistant.json', { signInContextApi: signIn, openAiApi }), false);
		await page.goto(`${stack.n8n.url}/workflow/${id}`);
		const canvasNodes = () => page.locator('[data-test-id="canvas-node"]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-node-name')).sort());
		const expected = ['Allow Contractor Email', 'Chat model', 'Conversation memory', 'Create Guest Account', 'Front desk assistant', 'Front desk chat', 'Revoke Device', 'Whitelist Device'];
		expect(await settled(canvasNodes, expected, 60_000)).toEqual(expected);
		await page.getByTestId('zoom-to-fit').click();
		await shot('agent-example-canvas');

		const toolHandle = page.locator('[data-test-id="canvas-node-input-handle"][data-connection-type="ai_tool"][data-node-name="Front desk assistant"]');
		// Fit view animates the canvas: click the plus once it has stopped moving.
		await page.waitForTimeout(1000);
		await toolHandle.getByTestId('canvas-handle-plus').click();
		await page.getByTestId('node-creator').getByText('Tools', { exact: true }).first().waitFor();
		await page.getByTestId('node-creator-search-bar').fill('Netgraph');
		const names = () => page.getByTestId('node-creator-item-name').allInnerTexts();
		expect(await settled(names, ['Netgraph Sign-In Tool'])).toEqual(['Netgraph Sign-In Tool']);
		await shot('agent-tool-picker-search');
		// The tool picker adds the tool node at once (no action list, unlike the node panel) and opens it.
		await page.getByTestId('node-creator-item-name').getByText('Netgraph Sign-In Tool', { exact: true }).click();
		await page.getByTestId('ndv').waitFor();
		const parameters = page.getByTestId('node-parameters');
		await parameters.getByText('Tool Description').first().waitFor();
		// Each list is read once the one before has finished closing.
		const closed = async () => expect(await settled(() => page.locator('.el-select-dropdown:visible').count(), 0)).toBe(0);
		expect(await optionsOf('descriptionType')).toEqual(['Set Automatically', 'Set Manually']);
		await closed();
		expect(await optionsOf('resource')).toEqual(optionNames(property('resource')));
		await closed();
		for (const resource of property('resource').options as Array<{ name: string; value: string }>) {
			await choose('resource', resource.name);
			await closed();
			expect([resource.name, await optionsOf('operation')]).toEqual([resource.name, operationsOf(resource.value).map((operation) => operation.name)]);
			await closed();
		}
		await choose('resource', 'User');
		await choose('operation', 'Create');
		// n8n names a tool node added from the picker after its default operation's tool description.
		expect(await page.getByTestId('ndv').innerText()).toContain('Create a user with a password in Netgraph Sign-In');
		await shot('agent-tool-added');
	});

	it('a node saved at version 1 says which defaults it keeps; a node added now does not', async () => {
		const node = (name: string, typeVersion: number, x: number) => ({
			id: name,
			name,
			type: NODE_TYPE,
			typeVersion,
			position: [x, 0],
			parameters: { resource: 'user', operation: 'create', username: 'guest-1', passwordMode: 'generate' },
		});
		const id = await stack.client.createWorkflow({ name: 'Node versions', nodes: [node('Saved with 0.1.0', 1, 0), node('Added now', NODE_VERSION, 300)], connections: {} }, false);
		const notice = property('version1Notice').displayName;
		const parametersOf = async (name: string) => {
			await page.goto(`${stack.n8n.url}/workflow/${id}`);
			await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
			const parameters = page.getByTestId('node-parameters');
			await parameters.getByText('Username').first().waitFor();
			return await parameters.innerText();
		};
		expect(await parametersOf('Saved with 0.1.0')).toContain(notice);
		await shot('version-1-notice');
		expect(await parametersOf('Added now')).not.toContain(notice);
	});

	it('with Several Contexts, the organisation credential takes named Contexts with masked keys, tests each, and the Context picker lists them by name', async () => {
		// A second Context of the same Organization, at the same Base URL with its own key, beside the stack's.
		const oslo = stack.emulator.context('hotel-oslo');
		const since = stack.emulator.requests.length;
		const osloRequests = () => stack.emulator.requests.slice(since).filter((request) => request.context === oslo.id);
		await page.goto(`${stack.n8n.url}/workflow/new`);
		await page.getByTestId('canvas-add-button').click();
		await page.getByTestId('node-creator-search-bar').fill('Manual Trigger');
		await page.getByTestId('node-creator-item-name').getByText('Manual Trigger', { exact: true }).click();
		await page.getByTestId('canvas-handle-plus').click();
		await page.getByTestId('node-creator-search-bar').fill('Netgraph');
		await page.getByTestId('node-creator-item-name').getByText('Netgraph Sign-In', { exact: true }).first().click();
		await page.getByTestId('node-creator').getByText('Get many whitelisted devices', { exact: true }).click();
		await page.getByTestId('ndv').waitFor();
		// n8n shows a node's Authentication in the credential dialog, as the kind of credential to
		// set up: a new node either has no credential yet, or takes the Context credential made
		// earlier in this suite, and then a new one is asked for from its list.
		const empty = page.getByTestId('node-credentials-empty-state');
		const select = page.getByTestId('node-credentials-select');
		await empty.or(select).first().waitFor();
		if (await empty.isVisible()) await empty.click();
		else {
			await select.click();
			await page.getByTestId('node-credentials-select-item-new').click();
		}
		const dialog = page.getByTestId('credential-edit-dialog');
		await dialog.waitFor();
		await shot('organisation-credential-kind');
		await dialog.getByTestId('credential-mode-dropdown-trigger').click();
		const several = page.getByText('Several Contexts (Sign-In Organization API)', { exact: true }).last();
		await several.waitFor();
		await shot('organisation-credential-kinds');
		await several.click();
		const addContext = dialog.getByPlaceholder('Add Context');
		await addContext.waitFor();
		await shot('organisation-credential-empty');
		const credential = emulatorCredential(stack.emulator);
		await dialog.getByTestId('parameter-input-baseUrl').first().locator('input').fill(credential.baseUrl);
		await dialog.getByTestId('parameter-input-organizationId').locator('input').fill(credential.organizationId);
		const contexts = [
			{ slot: 'Context 1', name: 'Hotel Stockholm', contextId: credential.contextId, key: credential.apiToken },
			{ slot: 'Context 2', name: 'Hotel Oslo', contextId: oslo.id, key: oslo.token },
		];
		for (const [index, context] of contexts.entries()) {
			await addContext.click();
			await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: new RegExp(`^${context.slot}$`) }).first().click();
			await dialog.getByTestId('parameter-input-name').nth(index).waitFor();
			await dialog.getByTestId('parameter-input-name').nth(index).locator('input').fill(context.name);
			await dialog.getByTestId('parameter-input-contextId').nth(index).locator('input').fill(context.contextId);
			const key = dialog.getByTestId('parameter-input-apiToken').nth(index).locator('input');
			await key.fill(context.key);
			await expect(key.getAttribute('type')).resolves.toBe('password');
		}
		await shot('organisation-credential-form');
		const tested = page.waitForResponse((response) => response.url().endsWith('/rest/credentials/test'));
		await page.getByTestId('credential-save-button').click();
		expect(await (await tested).json()).toEqual({ data: { status: 'OK', message: 'All 2 Contexts answered: "Hotel Stockholm" and "Hotel Oslo".' } });
		await dialog.waitFor({ state: 'hidden' });
		expect(osloRequests().map((request) => [request.method, request.path, request.status, request.keyOf])).toEqual([['GET', `${oslo.path}/modules/whitelistings/active`, 200, oslo.id]]);
		const picker = page.getByTestId('node-parameters').getByTestId('resource-locator-context');
		await picker.getByTestId('rlc-input').click();
		const items = page.getByTestId('rlc-item');
		await items.first().waitFor();
		expect((await items.allInnerTexts()).map((text) => text.trim())).toEqual(['Hotel Stockholm', 'Hotel Oslo']);
		await shot('organisation-context-picker');
		await items.filter({ hasText: 'Hotel Oslo' }).click();
		oslo.store.state.whitelistings.push({ id: 'oslo-1', mac: 'AA:BB:CC:0A:51:01', name: 'Oslo kiosk', description: null, toDate: null, tags: [], createdBy: null });
		await page.getByTestId('node-execute-button').click();
		const output = page.getByTestId('output-panel');
		await output.getByText('AA:BB:CC:0A:51:01').first().waitFor();
		expect(await output.innerText()).toContain('Hotel Oslo');
		await shot('organisation-executed-output');

		// Removing the first Context in the saved credential leaves the second one its own key:
		// n8n gives the hidden keys back by slot, not by position.
		await page.getByTestId('credential-edit-button').click();
		await dialog.waitFor();
		await dialog.getByTestId('parameter-input-name').first().hover();
		await dialog.getByTestId('fixed-collection-delete').first().click();
		expect(await dialog.getByTestId('parameter-input-name').count()).toBe(1);
		await shot('organisation-credential-first-removed');
		const retested = page.waitForResponse((response) => response.url().endsWith('/rest/credentials/test'));
		await page.getByTestId('credential-save-button').click();
		expect(await (await retested).json()).toEqual({ data: { status: 'OK', message: 'The Context answered: "Hotel Oslo".' } });
		expect(osloRequests().filter((request) => request.status !== 200 || request.keyOf !== oslo.id)).toEqual([]);
	});

	it("edits a venue group's webhook credential: Context slots with masked secrets; deleting one and adding another keeps each secret with its Context", async () => {
		await stack.client.createApiKey('editor e2e group');
		const id = await stack.client.createCredential('Sign-In Webhook group', VENUE_GROUP, 'signInWebhookApi');
		await page.goto(`${stack.n8n.url}/home/credentials/${id}`);
		const dialog = page.getByTestId('credential-edit-dialog');
		const field = (path: string) => dialog.locator(`[data-parameter-path="${path}"] input`);
		await field('contexts.context2.secret').waitFor();
		await shot('webhook-group-credential');
		expect(await field('contextName').inputValue()).toBe('Hotel Stockholm');
		expect([await field('contexts.context1.name').inputValue(), await field('contexts.context2.name').inputValue()]).toEqual(['Hotel Oslo', 'Hotel Bergen']);
		for (const path of ['secret', 'contexts.context1.secret', 'contexts.context2.secret']) {
			expect([path, await field(path).getAttribute('type'), (await field(path).inputValue()).includes(VENUE_GROUP.secret)]).toEqual([path, 'password', false]);
		}

		const save = async (): Promise<Record<string, unknown>> => {
			const saved = page.waitForResponse((response) => response.url().includes(`/rest/credentials/${id}`) && response.request().method() === 'PATCH');
			await page.getByTestId('credential-save-button').click();
			const response = await saved;
			expect(response.status()).toBe(200);
			return (JSON.parse(response.request().postData() ?? '{}') as { data: Record<string, unknown> }).data;
		};
		// Delete Context 1 (Hotel Oslo): the editor sends Context 2 back under its own key, its secret still blanked.
		await dialog.getByTestId('fixed-collection-delete').first().click();
		expect((await save()).contexts).toEqual({ context2: { name: 'Hotel Bergen', secret: expect.stringMatching(/^__n8n_BLANK_VALUE_/) } });
		await shot('webhook-group-context-deleted');

		// The freed slot is offered again, and comes back empty.
		await dialog.getByPlaceholder('Add Context').click();
		const offered = page.locator('.el-select-dropdown:visible .el-select-dropdown__item');
		await offered.first().waitFor();
		expect([await offered.count(), (await offered.allInnerTexts()).slice(0, 3)]).toEqual([49, ['Context 1', 'Context 3', 'Context 4']]);
		await offered.filter({ hasText: /^Context 1$/ }).click();
		expect(await field('contexts.context1.secret').inputValue()).toBe('');
		await field('contexts.context1.name').fill('Hotel Tromsø');
		await field('contexts.context1.secret').fill(`${VENUE_GROUP.secret}-tromso`);
		await shot('webhook-group-context-added');
		expect(JSON.stringify((await save()).contexts)).not.toContain(VENUE_GROUP.contexts.context1.secret);

		const workflow = await triggerWorkflows(stack, id)({});
		const deliver = async (secret: string, eventId: string) =>
			(await fetch(workflow.url, { method: 'POST', headers: { 'content-type': 'application/json', [VENUE_GROUP.headerName]: secret }, body: JSON.stringify({ event: 'signin.session.denied', id: eventId }) })).status;
		expect(await deliver(VENUE_GROUP.contexts.context1.secret, 'o-1')).toBe(401);
		expect(await deliver(VENUE_GROUP.contexts.context2.secret, 'b-1')).toBe(200);
		expect(await deliver(`${VENUE_GROUP.secret}-tromso`, 't-1')).toBe(200);
		const items = (await triggeredItems(stack, workflow.id, 2)).flat();
		expect(items).toEqual(
			expect.arrayContaining([
				{ event: 'signin.session.denied', id: 'b-1', signInContext: 'Hotel Bergen' },
				{ event: 'signin.session.denied', id: 't-1', signInContext: 'Hotel Tromsø' },
			]),
		);
		expect(items).toHaveLength(2);
	});
});
