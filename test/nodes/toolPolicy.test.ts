/**
 * Destructive operations called as a tool, through n8n's engine: the node runs under its tool
 * type with one input item holding the call's arguments, as n8n runs it for the AI Agent and the
 * MCP Server Trigger. nock refuses any request not expected, so "nothing was sent" is checked.
 */
import { expectCall, expectWire, runNode, type RecordedRequest } from '../support/harness';
import { syncMac, syncParameters, taggedEntry } from '../support/sync';

const macs = (count: number) => Array.from({ length: count }, (_, n) => `AA:BB:CC:00:01:${String(n).padStart(2, '0')}`);
const REVOKE = { resource: 'whitelisting', operation: 'revokeMany', macs: "={{ $fromAI('macs', 'MAC addresses to revoke', 'json') }}" };

describe('As a tool > Whitelisting Revoke Many', () => {
	it('refuses a call naming more MAC addresses than Max Changes per Tool Call (10), sending nothing', async () => {
		const result = await runNode({ asTool: true, parameters: REVOKE, items: [{ macs: macs(11) }] });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('One tool call may revoke at most 10 MAC addresses; this call names 11. Nothing was sent. Confirm the list with the person you assist, then call again with at most 10 at a time.');
		expect(result.error?.description).toBe('Nothing was sent. Confirm the list with the person you assist, then call again with at most 10 at a time.');
	});

	it('revokes up to the limit the builder set', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', '/modules/whitelistings/batch/remove', 200, { nrOfWhitelistingsInRevokeRequest: 12, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0 }, {}, calls);
		const result = await runNode({ asTool: true, parameters: { ...REVOKE, toolCallLimit: 12, options: { checkWhitelistFirst: false } }, items: [{ macs: macs(12) }] });
		expect(result.status).toBe('success');
		expectWire(calls[0], 'POST', '/modules/whitelistings/batch/remove', { macs: macs(12).map((mac) => ({ mac })) });
	});

	it('outside a tool, a workflow revokes any number in one run', async () => {
		expectCall('POST', '/modules/whitelistings/batch/remove', 200, { nrOfWhitelistingsInRevokeRequest: 11, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0 });
		const result = await runNode({ parameters: { ...REVOKE, macs: '={{ $json.macs }}', options: { checkWhitelistFirst: false } }, items: [{ macs: macs(11) }] });
		expect(result.status).toBe('success');
	});

	it('refuses a limit that is an expression: the builder fixes it', async () => {
		const result = await runNode({ asTool: true, parameters: { ...REVOKE, toolCallLimit: "={{ $fromAI('limit', 'Limit', 'number') }}" }, items: [{ macs: macs(1), limit: 1000 }] });
		expect(result.error?.message).toBe('Max Changes per Tool Call "={{ $fromAI(\'limit\', \'Limit\', \'number\') }}" must be a fixed whole number of at least 1');
	});
});

describe('As a tool > Whitelisting Sync', () => {
	const active = [taggedEntry(1), taggedEntry(2)];

	it('refuses Apply that the model chose, before reading anything', async () => {
		const result = await runNode({
			asTool: true,
			parameters: syncParameters({ mode: "={{ $fromAI('mode', 'preview or apply', 'string') }}", mac: "={{ $fromAI('mac') }}", name: "={{ $fromAI('name') }}" }),
			items: [{ mode: 'apply', mac: syncMac(1), name: 'Device 1' }],
		});
		expect(result.error?.message).toBe('Whitelisting Sync may only preview in a tool call: Apply is not fixed in the Mode of this tool. Nothing was changed. Call again with Mode Preview to get the plan and show it to the person you assist; a person applies it in n8n. To add or remove single devices, use a tool that whitelists or revokes devices by MAC address.');
		expect(result.error?.description).toBe(
			'Nothing was changed. Call again with Mode Preview to get the plan and show it to the person you assist; a person applies it in n8n. To add or remove single devices, use a tool that whitelists or revokes devices by MAC address.',
		);
	});

	it('previews when the model asks for Preview: one read, the plan', async () => {
		expectCall('GET', '/modules/whitelistings/active', 200, active);
		const result = await runNode({
			asTool: true,
			parameters: syncParameters({ mode: "={{ $fromAI('mode', 'preview or apply', 'string') }}", mac: "={{ $fromAI('mac') }}", name: "={{ $fromAI('name') }}" }),
			items: [{ mode: 'preview', mac: syncMac(1), name: 'Device 1' }],
		});
		expect(result.status).toBe('success');
		expect(result.output.at(-1)?.json).toMatchObject({ status: 'plan', revokes: 1, unchanged: 1, applyAllowed: true });
	});

	it('with Apply fixed by the builder, refuses a plan changing more than the limit after the read', async () => {
		expectCall('GET', '/modules/whitelistings/active', 200, active);
		const result = await runNode({
			asTool: true,
			parameters: syncParameters({ toolCallLimit: 1, mac: "={{ $fromAI('mac') }}", name: "={{ $fromAI('name') }}", options: { maxShare: 100 } }),
			items: [{ mac: syncMac(3), name: 'Device 3' }],
		});
		expect(result.error?.message).toBe(
			'Sync would change 3 whitelist entries (1 to create, 0 to update, 2 to revoke), more than the 1 one tool call may change. Nothing was changed. Call again with Mode Preview to get the plan and show it to the person you assist; a person applies it in n8n. A sync that revokes what a call leaves out is no tool for partial lists.',
		);
	});
});

describe('As a tool > Access Policy Sync E-Mails', () => {
	it('is refused whatever the call names, sending nothing', async () => {
		const result = await runNode({
			asTool: true,
			parameters: { resource: 'accessPolicy', operation: 'syncEmails', policyId: '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7', emails: "={{ $fromAI('emails', 'E-mails', 'json') }}", scope: 'all' },
			items: [{ emails: ['only@example.com'] }],
		});
		expect(result.error?.message).toBe(
			'Sync E-Mails cannot run as a tool: it removes every e-mail in its Scope that the call leaves out, and it has no Preview. Nothing was changed. To allow or remove e-mails a person names, use tools that add or remove e-mails (a few per call); a person runs Sync E-Mails in a workflow.',
		);
	});
});

describe('As a tool > Access Policy Add and Remove E-Mails', () => {
	it('refuses a call naming more e-mails than the limit', async () => {
		const emails = Array.from({ length: 11 }, (_, n) => `guest${n}@example.com`);
		for (const operation of ['addEmails', 'removeEmails']) {
			const result = await runNode({
				asTool: true,
				parameters: { resource: 'accessPolicy', operation, policyId: '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7', emails: "={{ $fromAI('emails', 'E-mails', 'json') }}" },
				items: [{ emails }],
			});
			expect(result.error?.message).toBe(`One tool call may ${operation === 'addEmails' ? 'add' : 'remove'} at most 10 e-mails; this call names 11. Nothing was sent. Confirm the list with the person you assist, then call again with at most 10 at a time.`);
		}
	});
});

describe('As a tool > User Delete', () => {
	const parameters = { resource: 'user', operation: 'delete', username: "={{ $fromAI('username', 'Exact username', 'string') }}" };

	it('refuses a pattern, sending nothing', async () => {
		const result = await runNode({ asTool: true, parameters, items: [{ username: 'room-*' }] });
		expect(result.error?.message).toBe('Username "room-*" looks like a pattern: one tool call deletes only one account it names exactly. Nothing was deleted. Call again with the exact username of one account; ask the person you assist for it.');
		expect(result.error?.description).toBe('Nothing was deleted. Call again with the exact username of one account; ask the person you assist for it.');
	});

	it('deletes the one account the call names', async () => {
		const calls = expectCall('DELETE', '/modules/up/delete', 204);
		const result = await runNode({ asTool: true, parameters, items: [{ username: 'room-214' }] });
		expectWire(calls[0], 'DELETE', '/modules/up/delete', { username: 'room-214' });
		expect(result.output[0].json).toEqual({ username: 'room-214', deleted: true });
	});
});
