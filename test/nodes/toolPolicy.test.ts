/**
 * Destructive operations called as a tool, through n8n's engine: the node runs under its tool
 * type with one input item holding the call's arguments, as n8n runs it for the AI Agent and the
 * MCP Server Trigger. nock refuses any request not expected, so "nothing was sent" is checked.
 */
import { expectCall, expectWire, plain, runNode, type RecordedRequest } from '../support/harness';
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
		const advice =
			'Nothing was changed. Call again with Mode Preview to get the plan, and show its summary and planId to the person you assist; a person approves it in n8n, and the workflow applies it. To add or remove single entries, use a tool that adds or removes them one by one.';
		expect(result.error?.message).toBe(
			`Whitelisting Sync may only preview in a tool call: Apply is not fixed in the Mode of this tool, and its builder supplies no Approved Plan ID. ${advice}`,
		);
		expect(result.error?.description).toBe(advice);
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
	it('a version 1 node, which applies by default, is refused Apply without an Approved Plan ID, sending nothing', async () => {
		const result = await runNode({
			asTool: true,
			typeVersion: 1,
			parameters: { resource: 'accessPolicy', operation: 'syncEmails', policyId: '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7', emails: "={{ $fromAI('emails', 'E-mails', 'json') }}", scope: 'all' },
			items: [{ emails: ['only@example.com'] }],
		});
		expect(result.error?.message).toBe(
			'Sync E-Mails may only preview in a tool call: its builder supplies no Approved Plan ID. Nothing was changed. Call again with Mode Preview to get the plan, and show its summary and planId to the person you assist; a person approves it in n8n, and the workflow applies it. To add or remove single entries, use a tool that adds or removes them one by one.',
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
	const parameters = { resource: 'user', operation: 'delete', username: "={{ $fromAI('username', 'Exact username', 'string') }}", toolUsernames: 'room-*' };

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

const USERNAME = "={{ $fromAI('username', 'Username of the guest account', 'string') }}";
const noAccountsFixed = (verb: string, username: string) =>
	`This tool may not ${verb} any account (refused "${username}"): no Allowed Usernames is fixed in it. Nothing was changed. Tell the person you assist that a person handles this account in n8n or the Sign-In admin. The workflow's builder sets Allowed Usernames (e.g. room-*) in this tool node to let it change guest accounts.`;

describe('As a tool > User Create, Create or Update, Update and Delete: only the usernames the builder fixed', () => {
	const accountOperations = [
		['create', 'create'],
		['upsert', 'create or set the password of'],
		['update', 'set the password of'],
		['delete', 'delete'],
	] as const;

	it.each(accountOperations)('%s with no Allowed Usernames fixed refuses every call, telling the builder which field to set; nothing is sent', async (operation, verb) => {
		const result = await runNode({ asTool: true, parameters: { resource: 'user', operation, username: USERNAME }, items: [{ username: 'room-214' }] });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(noAccountsFixed(verb, 'room-214'));
		expect(result.error?.description).toBe(
			"Nothing was changed. Tell the person you assist that a person handles this account in n8n or the Sign-In admin. The workflow's builder sets Allowed Usernames (e.g. room-*) in this tool node to let it change guest accounts.",
		);
	});

	it.each(accountOperations)('%s refuses a staff username outside the fixed patterns, whatever its case; nothing is sent', async (operation, verb) => {
		for (const username of ['staff-anna', 'STAFF-ANNA', 'room']) {
			const result = await runNode({ asTool: true, parameters: { resource: 'user', operation, username: USERNAME, toolUsernames: 'room-*, guest-*' }, items: [{ username }] });
			expect(result.error?.message).toBe(
				`Username "${username}" is outside the accounts this tool may ${verb} (room-*, guest-*). Nothing was changed. Call again only with a username matching room-*, guest-*; any other account, a staff account say, is handled by a person in n8n or the Sign-In admin.`,
			);
		}
	});

	it('an expression in Allowed Usernames counts as none: a model cannot widen it', async () => {
		const result = await runNode({
			asTool: true,
			parameters: { resource: 'user', operation: 'upsert', username: USERNAME, toolUsernames: "={{ $fromAI('allowed', 'Allowed', 'string') }}" },
			items: [{ username: 'staff-anna', allowed: '*' }],
		});
		expect(result.error?.message).toBe(
			`This tool may not create or set the password of any account (refused "staff-anna"): its Allowed Usernames is an expression, and only a fixed value counts. Nothing was changed. Tell the person you assist that a person handles this account in n8n or the Sign-In admin. The workflow's builder sets Allowed Usernames (e.g. room-*) in this tool node to let it change guest accounts.`,
		);
	});

	it('Create or Update sends the exact request for a username the patterns allow, in any case', async () => {
		const calls = expectCall('POST', '/modules/up/create', 200, { username: 'Room-214', password: 'Guest-Pass-1' });
		const result = await runNode({
			asTool: true,
			parameters: { resource: 'user', operation: 'upsert', username: USERNAME, passwordMode: 'define', password: 'Guest-Pass-1', toolUsernames: 'room-*' },
			items: [{ username: 'Room-214' }],
		});
		expectWire(calls[0], 'POST', '/modules/up/create', { username: 'Room-214', password: 'Guest-Pass-1' });
		expect(plain(result.output)).toEqual([{ json: { username: 'Room-214', passwordGenerated: false, created: true }, pairedItem: { item: 0 } }]);
	});

	it('Update sends the exact request for an exact username the builder allowed', async () => {
		const calls = expectCall('PUT', '/modules/up/update', 200, { username: 'kiosk-lobby', password: 'Kiosk-Pass-1' });
		await runNode({
			asTool: true,
			parameters: { resource: 'user', operation: 'update', username: USERNAME, passwordMode: 'define', password: 'Kiosk-Pass-1', toolUsernames: 'kiosk-lobby' },
			items: [{ username: 'kiosk-lobby' }],
		});
		expectWire(calls[0], 'PUT', '/modules/up/update', { username: 'kiosk-lobby', password: 'Kiosk-Pass-1' });
	});

	it('outside a tool, a workflow changes any account: the rule is for tool calls', async () => {
		const calls = expectCall('PUT', '/modules/up/update', 200, { username: 'staff-anna', password: 'Rotated-Pass-1' });
		const result = await runNode({ parameters: { resource: 'user', operation: 'update', username: 'staff-anna', passwordMode: 'define', password: 'Rotated-Pass-1' } });
		expect(result.status).toBe('success');
		expectWire(calls[0], 'PUT', '/modules/up/update', { username: 'staff-anna', password: 'Rotated-Pass-1' });
	});
});

describe('As a tool > Access Policy Add and Remove E-Mails: domain patterns', () => {
	const POLICY = '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7';
	const PATH = `/policies/${POLICY}/emails`;
	const EMAILS_FROM_AI = "={{ $fromAI('emails', 'E-mails', 'json') }}";
	const instead = 'Nothing was sent. Call again with the full e-mail addresses (alice@acme.com) the person you assist names; a person changes domain patterns in n8n or the Sign-In admin.';

	it.each(['addEmails', 'removeEmails'])('%s refuses a wildcard unless the builder fixed Allow Patterns; nothing is sent', async (operation) => {
		const verb = operation === 'addEmails' ? 'add' : 'remove';
		for (const toolAllowPatterns of [undefined, false, "={{ $fromAI('allow', 'Allow', 'boolean') }}"]) {
			const result = await runNode({
				asTool: true,
				parameters: { resource: 'accessPolicy', operation, policyId: POLICY, emails: EMAILS_FROM_AI, ...(toolAllowPatterns === undefined ? {} : { toolAllowPatterns }) },
				items: [{ emails: ['alice@acme.com', '*@acme.com', '*@*.acme.com'], allow: true }],
			});
			expect(result.error?.message).toBe(
				`This tool may not ${verb} a domain pattern (*@acme.com, *@*.acme.com): a pattern covers everyone at the domain, and Allow Patterns is not on in this tool. ${instead}`,
			);
			expect(result.error?.description).toBe(instead);
		}
	});

	it('Remove refuses a pattern that would end the sign-ins of a whole domain even with Allow Patterns on', async () => {
		const result = await runNode({
			asTool: true,
			parameters: { resource: 'accessPolicy', operation: 'removeEmails', policyId: POLICY, emails: EMAILS_FROM_AI, toolAllowPatterns: true },
			items: [{ emails: ['*@acme.com'] }],
		});
		expect(result.error?.message).toBe(
			`Removing *@acme.com would end the active sign-ins of everyone at the domain: this tool removes a pattern only with Revoke Active Sign-Ins off. ${instead}`,
		);
	});

	it('with Allow Patterns on, Add sends the pattern, and Remove sends it with Revoke Active Sign-Ins off', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', PATH, 200, { policyEmails: ['*@acme.com'], warnings: [] }, {}, calls);
		expectCall('DELETE', PATH, 200, { policyEmails: [], removedEmails: ['*@acme.com'] }, {}, calls);
		const added = await runNode({ asTool: true, parameters: { resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: EMAILS_FROM_AI, toolAllowPatterns: true }, items: [{ emails: ['*@acme.com'] }] });
		const removed = await runNode({
			asTool: true,
			parameters: { resource: 'accessPolicy', operation: 'removeEmails', policyId: POLICY, emails: EMAILS_FROM_AI, toolAllowPatterns: true, revokeUserEngagement: false },
			items: [{ emails: ['*@acme.com'] }],
		});
		expect([added.status, removed.status]).toEqual(['success', 'success']);
		expectWire(calls.find((call) => call.method === 'POST'), 'POST', PATH, { emails: ['*@acme.com'] });
		expectWire(calls.find((call) => call.method === 'DELETE'), 'DELETE', PATH, { emails: ['*@acme.com'], revokeUserEngagement: false });
	});

	it('full addresses need no switch: Remove sends them and ends their sign-ins as configured', async () => {
		const calls = expectCall('DELETE', PATH, 200, { policyEmails: [], removedEmails: ['alice@acme.com'] });
		await runNode({ asTool: true, parameters: { resource: 'accessPolicy', operation: 'removeEmails', policyId: POLICY, emails: EMAILS_FROM_AI }, items: [{ emails: ['alice@acme.com'] }] });
		expectWire(calls[0], 'DELETE', PATH, { emails: ['alice@acme.com'], revokeUserEngagement: true });
	});
});

describe('As a tool > Whitelisting Create, Create Many and Update: Valid Until within Max Days Valid, nothing cleared', () => {
	const ID = '7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7f';
	const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
	const fromAi = {
		mac: "={{ $fromAI('mac', 'MAC address', 'string') }}",
		name: "={{ $fromAI('deviceName', 'Device name', 'string') }}",
	};
	const validUntil = "={{ $fromAI('validUntil', 'Check-out date', 'string') }}";
	const newEntry = (operation: string, extra: Record<string, unknown> = {}) => ({
		resource: 'whitelisting',
		operation,
		...fromAi,
		additionalFields: { id: ID, toDate: validUntil },
		...extra,
	});
	const ask = 'ask the person you assist for the check-out date; a person whitelists a device for longer in n8n or the Sign-In admin.';

	it.each(['create', 'createMany'])('%s refuses a call with no Valid Until: a tool never whitelists a device permanently', async (operation) => {
		const result = await runNode({ asTool: true, parameters: newEntry(operation), items: [{ mac: 'AA:BB:CC:00:00:01', deviceName: 'Room 214 TV', validUntil: '' }] });
		expect(result.error?.message).toBe(
			`Valid Until is required in a tool call: a tool never whitelists a device permanently. Nothing was sent. Call again with Valid Until (YYYY-MM-DD) no later than ${day(30)}; ${ask}`,
		);
	});

	it('Create refuses a Valid Until more than Max Days Valid (default 30, or as the builder fixed) ahead', async () => {
		const tooFar = await runNode({ asTool: true, parameters: newEntry('create'), items: [{ mac: 'AA:BB:CC:00:00:01', deviceName: 'Room 214 TV', validUntil: day(31) }] });
		expect(tooFar.error?.message).toBe(`Valid Until ${day(31)} is more than 30 days ahead: the latest this tool may set is ${day(30)}. Nothing was sent. Call again with Valid Until no later than ${day(30)}; ${ask}`);
		const builderFixed = await runNode({ asTool: true, parameters: newEntry('create', { toolMaxValidDays: 1 }), items: [{ mac: 'AA:BB:CC:00:00:01', deviceName: 'Room 214 TV', validUntil: day(2) }] });
		expect(builderFixed.error?.message).toBe(`Valid Until ${day(2)} is more than 1 day ahead: the latest this tool may set is ${day(1)}. Nothing was sent. Call again with Valid Until no later than ${day(1)}; ${ask}`);
	});

	it('refuses Max Days Valid that is an expression: the builder fixes it', async () => {
		const result = await runNode({
			asTool: true,
			parameters: newEntry('create', { toolMaxValidDays: "={{ $fromAI('days', 'Days', 'number') }}" }),
			items: [{ mac: 'AA:BB:CC:00:00:01', deviceName: 'Room 214 TV', validUntil: day(400), days: 1000 }],
		});
		expect(result.error?.message).toBe('Max Days Valid "={{ $fromAI(\'days\', \'Days\', \'number\') }}" must be a fixed whole number of at least 1');
	});

	it('Create sends the exact entry for a Valid Until within the limit', async () => {
		const calls = expectCall('POST', '/modules/whitelistings', 200, '');
		const result = await runNode({ asTool: true, parameters: newEntry('create'), items: [{ mac: 'aa-bb-cc-00-00-01', deviceName: 'Room 214 TV', validUntil: day(30) }] });
		const entry = { id: ID, mac: 'AA:BB:CC:00:00:01', name: 'Room 214 TV', toDate: day(30) };
		expectWire(calls[0], 'POST', '/modules/whitelistings', entry);
		expect(plain(result.output)).toEqual([{ json: entry, pairedItem: { item: 0 } }]);
	});

	const update = {
		resource: 'whitelisting',
		operation: 'update',
		id: { __rl: true, mode: 'id', value: ID },
		...fromAi,
		additionalFields: {
			description: "={{ $fromAI('description', 'Description', 'string') }}",
			tags: "={{ $fromAI('tags', 'Tags', 'string') }}",
			toDate: validUntil,
		},
	};

	it('Update refuses empty Description or Tags (they would be cleared) and an empty Valid Until (permanent); nothing is sent', async () => {
		const call = { mac: 'AA:BB:CC:00:00:01', deviceName: 'Room 214 TV', description: 'Guest TV', tags: 'room-214', validUntil: day(3) };
		const permanent = await runNode({ asTool: true, parameters: update, items: [{ ...call, validUntil: '' }] });
		expect(permanent.error?.message).toBe(
			`Valid Until is required in a tool call: a tool never whitelists a device permanently. Nothing was sent. Call again with Valid Until (YYYY-MM-DD) no later than ${day(30)}; ${ask}`,
		);
		const cleared = await runNode({ asTool: true, parameters: update, items: [{ ...call, description: '', tags: '' }] });
		expect(cleared.error?.message).toBe(
			'Update in a tool call may not clear Description and Tags: this call gives them empty, and Update replaces the whole entry. Nothing was sent. Look the entry up first, then call again with its Description and Tags (the current ones, to keep them); a person clears fields in n8n or the Sign-In admin.',
		);
		const noTags = await runNode({ asTool: true, parameters: update, items: [{ ...call, tags: '' }] });
		expect(noTags.error?.message).toBe(
			'Update in a tool call may not clear Tags: this call gives it empty, and Update replaces the whole entry. Nothing was sent. Look the entry up first, then call again with its Tags (the current ones, to keep them); a person clears fields in n8n or the Sign-In admin.',
		);
	});

	it('Update sends the exact entry when every field is given and Valid Until is within the limit', async () => {
		const calls = expectCall('PUT', '/modules/whitelistings', 200);
		await runNode({ asTool: true, parameters: update, items: [{ mac: 'AA:BB:CC:00:00:01', deviceName: 'Room 214 TV', description: 'Guest TV', tags: 'room-214', validUntil: day(3) }] });
		expectWire(calls[0], 'PUT', '/modules/whitelistings', { id: ID, mac: 'AA:BB:CC:00:00:01', name: 'Room 214 TV', description: 'Guest TV', toDate: day(3), tags: [{ value: 'room-214' }] });
	});

	it('outside a tool, a workflow whitelists permanently as before', async () => {
		const calls = expectCall('POST', '/modules/whitelistings', 200, '');
		await runNode({ parameters: { resource: 'whitelisting', operation: 'create', mac: 'AA:BB:CC:00:00:01', name: 'Lobby printer', additionalFields: { id: ID } } });
		expectWire(calls[0], 'POST', '/modules/whitelistings', { id: ID, mac: 'AA:BB:CC:00:00:01', name: 'Lobby printer' });
	});
});
