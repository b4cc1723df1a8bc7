import { frontDeskScript } from '../../emulator/model/frontDesk';
import type { ReplyContext, TextTurn, Turn } from '../../emulator/model/server';

const replyTo = (turn: Turn, toolResult: string) => {
	const { text } = turn as TextTurn;
	const context: ReplyContext = { toolResults: [toolResult], lastUserMessage: '' };
	return typeof text === 'function' ? text(context) : text;
};

describe("the front desk example's model script", () => {
	it('creates room-<n> for a room and hands over the password from the tool result', () => {
		const [call, answer] = frontDeskScript('Please give the guest in room 214 a Wi-Fi account.');
		expect(call).toEqual({ tool: 'Create_Guest_Account', arguments: { username: 'room-214' } });
		expect(replyTo(answer, '[{"username":"room-214","password":"Xy7pQ2mK9a","passwordGenerated":true}]')).toBe(
			'The Wi-Fi account for room 214 is ready. Please hand the guest: username room-214, password Xy7pQ2mK9a.',
		);
	});

	it('whitelists a MAC only with a date, and asks for one otherwise', () => {
		expect(frontDeskScript('Let the printer AA:BB:CC:00:11:22 in until 2099-02-01')[0]).toEqual({
			tool: 'Whitelist_Device',
			arguments: { mac: 'AA:BB:CC:00:11:22', deviceName: 'Printer', validUntil: '2099-02-01' },
		});
		expect(frontDeskScript('Let the printer AA:BB:CC:00:11:22 in')).toEqual([{ text: 'Until which date (YYYY-MM-DD) should device AA:BB:CC:00:11:22 be let in?' }]);
	});

	it('asks before revoking and revokes only after a yes', () => {
		expect(frontDeskScript('Revoke AA:BB:CC:00:11:22')).toEqual([{ text: 'Please confirm: revoke device AA:BB:CC:00:11:22? It will lose access at once.' }]);
		const [call, answer] = frontDeskScript('Yes, revoke AA:BB:CC:00:11:22');
		expect(call).toEqual({ tool: 'Revoke_Device', arguments: { mac: 'AA:BB:CC:00:11:22' } });
		expect(replyTo(answer, '[{"macs":["AA:BB:CC:00:11:22"],"status":"revoked"}]')).toBe('Device AA:BB:CC:00:11:22 is revoked.');
	});

	it("passes a tool error on in plain words and never claims success", () => {
		const [, answer] = frontDeskScript('Allow bo@contractor.example.com');
		expect(replyTo(answer, '[{"error":"[item 0] Emails \\"x\\" must be an e-mail address"}]')).toBe('That did not work: [item 0] Emails "x" must be an e-mail address');
	});
});
