import {
	DEFAULT_TOOL_CALL_LIMIT,
	DEFAULT_TOOL_VALID_DAYS,
	EMAILS,
	MAC_ADDRESSES,
	deletePatternRefusal,
	isFixedValue,
	isToolType,
	refusalError,
	sizeRefusal,
	syncModeRefusal,
	syncSizeRefusal,
	toolCallLimit,
	toolCallLimitDescription,
	clearingRefusal,
	daysAfter,
	emailPatternRefusal,
	matchesUsername,
	toolRuleDescriptions,
	toolValidDays,
	usernamePatterns,
	usernameRefusal,
	validUntilRefusal,
} from '../../nodes/NetgraphSignIn/actions/toolPolicy';

describe('toolPolicy: what one tool call may do', () => {
	it('knows a tool call by the tool type n8n gives the node (also for custom-folder nodes)', () => {
		expect(isToolType('n8n-nodes-netgraph-sign-in.netgraphSignInTool')).toBe(true);
		expect(isToolType('CUSTOM.netgraphSignInTool')).toBe(true);
		expect(isToolType('n8n-nodes-netgraph-sign-in.netgraphSignIn')).toBe(false);
	});

	it('counts only a plain stored value as fixed by the builder: any expression may come from the model', () => {
		expect(isFixedValue('apply')).toBe(true);
		expect(isFixedValue(10)).toBe(true);
		expect(isFixedValue(undefined)).toBe(true);
		expect(isFixedValue("={{ $fromAI('mode', 'Mode', 'string') }}")).toBe(false);
		expect(isFixedValue("={{ 'apply' }}")).toBe(false);
		expect(isFixedValue('={{ $json.mode }}')).toBe(false);
	});

	it('limits a call to 10 entries unless the builder sets a whole number of at least 1; the option shows only on the tool', () => {
		expect(DEFAULT_TOOL_CALL_LIMIT).toBe(10);
		expect(toolCallLimitDescription.default).toBe(DEFAULT_TOOL_CALL_LIMIT);
		expect(toolCallLimitDescription.displayOptions).toEqual({ show: { '@tool': [true] } });
		expect(toolCallLimit(undefined)).toBe(10);
		expect(toolCallLimit('')).toBe(10);
		expect(toolCallLimit(50)).toBe(50);
		expect(toolCallLimit(1)).toBe(1);
		for (const wrong of [0, -1, 2.5, '={{ 100 }}', "={{ $fromAI('limit') }}", '20']) expect(toolCallLimit(wrong)).toBeUndefined();
	});

	it('refuses a call naming more entries than the limit, and says what to do instead', () => {
		expect(sizeRefusal(10, 10, 'revoke', MAC_ADDRESSES)).toBeUndefined();
		expect(sizeRefusal(11, 10, 'revoke', MAC_ADDRESSES)).toEqual({
			message: 'One tool call may revoke at most 10 MAC addresses; this call names 11',
			description: 'Nothing was sent. Confirm the list with the person you assist, then call again with at most 10 at a time.',
		});
		expect(sizeRefusal(2, 1, 'remove', EMAILS)?.message).toBe('One tool call may remove at most 1 e-mail; this call names 2');
	});

	it("puts the advice in the error's message too, since in queue mode an MCP client gets only the message", () => {
		const error = refusalError({ name: 'Revoke' } as never, 0, { message: 'Refused', description: 'Do this instead.' });
		expect([error.message, error.description]).toEqual(['Refused. Do this instead.', 'Do this instead.']);
	});

	it('lets a sync apply only when the builder fixed Apply or supplies the Approved Plan ID', () => {
		const WS = 'Whitelisting Sync';
		expect(syncModeRefusal(WS, 'preview', undefined, undefined)).toBeUndefined();
		expect(syncModeRefusal(WS, 'preview', "={{ $fromAI('mode') }}", undefined)).toBeUndefined();
		expect(syncModeRefusal(WS, 'apply', 'apply', undefined)).toBeUndefined();
		expect(syncModeRefusal(WS, 'apply', "={{ $fromAI('mode') }}", 'a'.repeat(64))).toBeUndefined();
		expect(syncModeRefusal(WS, 'apply', "={{ $fromAI('mode') }}", "={{ $('Approval').last().json.planId }}")).toBeUndefined();
		const refused = {
			message: 'Whitelisting Sync may only preview in a tool call: Apply is not fixed in the Mode of this tool, and its builder supplies no Approved Plan ID',
			description:
				'Nothing was changed. Call again with Mode Preview to get the plan, and show its summary and planId to the person you assist; a person approves it in n8n, and the workflow applies it. To add or remove single entries, use a tool that adds or removes them one by one.',
		};
		expect(syncModeRefusal(WS, 'apply', "={{ $fromAI('mode', 'Preview or apply', 'string') }}", undefined)).toEqual(refused);
		expect(syncModeRefusal(WS, 'apply', "={{ 'apply' }}", '')).toEqual(refused);
	});

	it.each([
		"={{ $fromAI('planId') }}",
		"={{ $fromAi('planId') }}",
		'={{ $json.planId }}',
		"={{ $input.first().json.planId }}",
		"={{ $('Approval').last().json.planId || $fromai('x') }}",
	])('refuses an Approved Plan ID %s that a model can supply, whatever the Mode', (raw) => {
		expect(syncModeRefusal('Sync E-Mails', 'preview', 'preview', raw)).toEqual({
			message: 'Sync E-Mails may not take an Approved Plan ID from a tool call: only the workflow\'s builder supplies it, from a person\'s approval',
			description:
				"Nothing was changed. Call again with Mode Preview and show the plan's summary and planId to the person you assist; a person approves it in n8n, and the workflow applies it.",
		});
	});

	it('counts every planned create, update and revoke of an applied sync against the limit', () => {
		expect(syncSizeRefusal({ creates: 4, updates: 3, revokes: 3 }, 10)).toBeUndefined();
		expect(syncSizeRefusal({ creates: 4, updates: 3, revokes: 4 }, 10)?.message).toBe(
			'Sync would change 11 whitelist entries (4 to create, 3 to update, 4 to revoke), more than the 10 one tool call may change',
		);
	});

	it('lets Sync E-Mails apply in a tool call only with the Approved Plan ID its builder supplies, even with Apply fixed', () => {
		expect(syncModeRefusal('Sync E-Mails', 'preview', 'preview', undefined, false)).toBeUndefined();
		expect(syncModeRefusal('Sync E-Mails', 'apply', 'apply', 'b'.repeat(64), false)).toBeUndefined();
		expect(syncModeRefusal('Sync E-Mails', 'apply', 'apply', undefined, false)?.message).toBe('Sync E-Mails may only preview in a tool call: its builder supplies no Approved Plan ID');
	});

	it('deletes only a username named exactly, never a pattern', () => {
		expect(deletePatternRefusal('room-214')).toBeUndefined();
		expect(deletePatternRefusal('alice@example.com')).toBeUndefined();
		for (const pattern of ['room-*', 'guest?', '%']) expect(deletePatternRefusal(pattern)?.message).toBe(`Username "${pattern}" looks like a pattern: one tool call deletes only one account it names exactly`);
	});

	it('shows each builder rule only on the tool, for its operations, and never takes an expression', () => {
		expect(toolRuleDescriptions.map(({ name, noDataExpression, default: value, displayOptions }) => ({ name, noDataExpression, value, displayOptions }))).toEqual([
			{ name: 'toolUsernames', noDataExpression: true, value: '', displayOptions: { show: { '@tool': [true], resource: ['user'], operation: ['create', 'upsert', 'update', 'delete'] } } },
			{ name: 'toolAllowPatterns', noDataExpression: true, value: false, displayOptions: { show: { '@tool': [true], resource: ['accessPolicy'], operation: ['addEmails', 'removeEmails'] } } },
			{ name: 'toolMaxValidDays', noDataExpression: true, value: 30, displayOptions: { show: { '@tool': [true], resource: ['whitelisting'], operation: ['create', 'createMany', 'update'] } } },
		]);
	});

	it('reads Allowed Usernames as fixed, comma-separated patterns; an expression or an empty field allows none', () => {
		expect(usernamePatterns(' room-* , guest-*,, ')).toEqual(['room-*', 'guest-*']);
		expect(usernamePatterns('')).toEqual([]);
		expect(usernamePatterns(undefined)).toEqual([]);
		expect(usernamePatterns("={{ $fromAI('allowed') }}")).toEqual([]);
		expect(usernamePatterns('={{ "*" }}')).toEqual([]);
	});

	it('matches a username against the patterns in any case, * standing for any characters and nothing else special', () => {
		expect(matchesUsername('room-214', ['room-*'])).toBe(true);
		expect(matchesUsername('ROOM-214', ['room-*'])).toBe(true);
		expect(matchesUsername('room-', ['room-*'])).toBe(true);
		expect(matchesUsername('staff-anna', ['room-*'])).toBe(false);
		expect(matchesUsername('xroom-214', ['room-*'])).toBe(false);
		expect(matchesUsername('room-214x', ['room-2?4'])).toBe(false);
		expect(matchesUsername('room-2?4', ['room-2?4'])).toBe(true);
		expect(matchesUsername('kiosk.lobby', ['kiosk.lobby'])).toBe(true);
		expect(matchesUsername('kioskXlobby', ['kiosk.lobby'])).toBe(false);
		expect(matchesUsername('anyone', ['*'])).toBe(true);
		expect(matchesUsername('guest-1', ['room-*', 'guest-*'])).toBe(true);
	});

	it('refuses every account change as a tool until the builder fixes Allowed Usernames, then any username outside it', () => {
		expect(usernameRefusal('room-214', 'room-*', 'upsert')).toBeUndefined();
		expect(usernameRefusal('staff-anna', '', 'update')?.message).toBe('This tool may not set the password of any account (refused "staff-anna"): no Allowed Usernames is fixed in it');
		expect(usernameRefusal('staff-anna', 'room-*', 'delete')).toEqual({
			message: 'Username "staff-anna" is outside the accounts this tool may delete (room-*)',
			description: 'Nothing was changed. Call again only with a username matching room-*; any other account, a staff account say, is handled by a person in n8n or the Sign-In admin.',
		});
	});

	it('refuses domain patterns in Add and Remove E-Mails unless Allow Patterns is fixed on, and a Remove that would end a domain\'s sign-ins', () => {
		expect(emailPatternRefusal(['alice@acme.com'], undefined, 'add')).toBeUndefined();
		expect(emailPatternRefusal(['alice@acme.com'], undefined, 'remove', true)).toBeUndefined();
		expect(emailPatternRefusal(['*@acme.com'], false, 'add')?.message).toBe(
			'This tool may not add a domain pattern (*@acme.com): a pattern covers everyone at the domain, and Allow Patterns is not on in this tool',
		);
		expect(emailPatternRefusal(['*@*.acme.com'], '={{ true }}', 'remove', false)?.message).toBe(
			'This tool may not remove a domain pattern (*@*.acme.com): a pattern covers everyone at the domain, and Allow Patterns is not on in this tool',
		);
		expect(emailPatternRefusal(['*@acme.com'], true, 'add')).toBeUndefined();
		expect(emailPatternRefusal(['*@acme.com'], true, 'remove', false)).toBeUndefined();
		expect(emailPatternRefusal(['*@acme.com'], true, 'remove', true)?.message).toBe(
			'Removing *@acme.com would end the active sign-ins of everyone at the domain: this tool removes a pattern only with Revoke Active Sign-Ins off',
		);
	});

	it('requires Valid Until in a tool call, at most Max Days Valid (30 unless fixed) after today in UTC', () => {
		const today = new Date('2026-12-07T23:30:00Z');
		expect(DEFAULT_TOOL_VALID_DAYS).toBe(30);
		expect(toolValidDays(undefined)).toBe(30);
		expect(toolValidDays(7)).toBe(7);
		for (const wrong of [0, 1.5, "={{ $fromAI('days') }}", '7']) expect(toolValidDays(wrong)).toBeUndefined();
		expect(daysAfter(today, 30)).toBe('2027-01-06');
		expect(validUntilRefusal('2027-01-06', 30, today)).toBeUndefined();
		expect(validUntilRefusal('2026-12-08', 1, today)).toBeUndefined();
		expect(validUntilRefusal('2027-01-07', 30, today)).toEqual({
			message: 'Valid Until 2027-01-07 is more than 30 days ahead: the latest this tool may set is 2027-01-06',
			description:
				'Nothing was sent. Call again with Valid Until no later than 2027-01-06; ask the person you assist for the check-out date; a person whitelists a device for longer in n8n or the Sign-In admin.',
		});
		for (const none of [undefined, null, '']) expect(validUntilRefusal(none, 30, today)?.message).toBe('Valid Until is required in a tool call: a tool never whitelists a device permanently');
	});

	it("refuses a tool's Update that would clear Description or Tags", () => {
		expect(clearingRefusal({ description: 'Guest TV', tags: [{ value: 'room-214' }] })).toBeUndefined();
		expect(clearingRefusal({ description: '', tags: [{ value: 'room-214' }] })?.message).toBe(
			'Update in a tool call may not clear Description: this call gives it empty, and Update replaces the whole entry',
		);
		expect(clearingRefusal({ description: '', tags: [] })?.message).toBe(
			'Update in a tool call may not clear Description and Tags: this call gives them empty, and Update replaces the whole entry',
		);
	});
});
