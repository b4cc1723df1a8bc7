import {
	DEFAULT_TOOL_CALL_LIMIT,
	EMAILS,
	MAC_ADDRESSES,
	deletePatternRefusal,
	isFixedValue,
	isToolType,
	refusalError,
	sizeRefusal,
	syncEmailsRefusal,
	syncModeRefusal,
	syncSizeRefusal,
	toolCallLimit,
	toolCallLimitDescription,
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

	it('lets Whitelisting Sync apply only when the builder fixed Apply', () => {
		expect(syncModeRefusal('preview', undefined)).toBeUndefined();
		expect(syncModeRefusal('preview', "={{ $fromAI('mode') }}")).toBeUndefined();
		expect(syncModeRefusal('apply', 'apply')).toBeUndefined();
		const refused = {
			message: 'Whitelisting Sync may only preview in a tool call: Apply is not fixed in the Mode of this tool',
			description:
				'Nothing was changed. Call again with Mode Preview to get the plan and show it to the person you assist; a person applies it in n8n. To add or remove single devices, use a tool that whitelists or revokes devices by MAC address.',
		};
		expect(syncModeRefusal('apply', "={{ $fromAI('mode', 'Preview or apply', 'string') }}")).toEqual(refused);
		expect(syncModeRefusal('apply', "={{ 'apply' }}")).toEqual(refused);
	});

	it('counts every planned create, update and revoke of an applied sync against the limit', () => {
		expect(syncSizeRefusal({ creates: 4, updates: 3, revokes: 3 }, 10)).toBeUndefined();
		expect(syncSizeRefusal({ creates: 4, updates: 3, revokes: 4 }, 10)?.message).toBe(
			'Sync would change 11 whitelist entries (4 to create, 3 to update, 4 to revoke), more than the 10 one tool call may change',
		);
	});

	it('never runs Sync E-Mails as a tool, and names the tools to use instead', () => {
		expect(syncEmailsRefusal()).toEqual({
			message: 'Sync E-Mails cannot run as a tool: it removes every e-mail in its Scope that the call leaves out, and it has no Preview',
			description:
				'Nothing was changed. To allow or remove e-mails a person names, use tools that add or remove e-mails (a few per call); a person runs Sync E-Mails in a workflow.',
		});
	});

	it('deletes only a username named exactly, never a pattern', () => {
		expect(deletePatternRefusal('room-214')).toBeUndefined();
		expect(deletePatternRefusal('alice@example.com')).toBeUndefined();
		for (const pattern of ['room-*', 'guest?', '%']) expect(deletePatternRefusal(pattern)?.message).toBe(`Username "${pattern}" looks like a pattern: one tool call deletes only one account it names exactly`);
	});
});
