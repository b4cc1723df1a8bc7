import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { allAdded } from '../support/policy';
import { BASE_URL, CONTEXT_PATH, expectCall, expectCalls, expectWire, plain, runNode, type RecordedRequest } from '../support/harness';

/**
 * A node saved at version 1 (every node of 0.1.0) keeps 0.1.0's ways where they were safe and
 * true, unless the node sets the option; a node at 1.1 (what the editor adds today) runs with
 * today's defaults. Each pair below runs the same node at both versions.
 */

const POLICY = '3c9e1f2a-5b6d-4e7f-8091-a2b3c4d5e6f7';
const EMAILS_PATH = `/policies/${POLICY}/emails`;
const CREATE_PATH = '/modules/up/create';

const createUser = (extra: IDataObject = {}) => ({ resource: 'user', operation: 'create', username: '={{ $json.username }}', passwordMode: 'define', password: 'Bx7-qMfeQ9', ...extra });
const guests = (count: number) => Array.from({ length: count }, (_, i) => ({ username: `guest-${i}` }));

/**
 * User Create answered after 30 ms each, counting requests in flight; `status` picks an answer
 * per username. Returns the usernames in the order they arrived, and the most in flight at once.
 */
function serveCreates(times: number, status: (username: string) => number = () => 200) {
	const seen = { arrived: [] as string[], most: 0 };
	let inFlight = 0;
	nock(BASE_URL)
		.post(`${CONTEXT_PATH}${CREATE_PATH}`)
		.times(times)
		.reply(async (_uri, body) => {
			const { username } = body as { username: string };
			seen.arrived.push(username);
			seen.most = Math.max(seen.most, ++inFlight);
			await sleep(30);
			inFlight--;
			const code = status(username);
			return code === 200 ? [200, { username, password: 'Bx7-qMfeQ9' }] : [code, [{ field: 'username', rejectedValue: username, message: 'not allowed' }]];
		});
	return seen;
}

describe('Concurrency not set', () => {
	it('version 1 sends one request at a time, in item order', async () => {
		const seen = serveCreates(3);
		const result = await runNode({ typeVersion: 1, parameters: createUser(), items: guests(3) });
		expect(result.status).toBe('success');
		expect(seen).toEqual({ arrived: ['guest-0', 'guest-1', 'guest-2'], most: 1 });
	});

	it('version 1.1 runs Auto: several at once from the start', async () => {
		const seen = serveCreates(3);
		const result = await runNode({ typeVersion: 1.1, parameters: createUser(), items: guests(3) });
		expect(result.status).toBe('success');
		expect(seen.most).toBe(3);
	});

	it('version 1 without Continue On Fail: an item the service refuses stops the run before the next item is sent', async () => {
		// The service would take a third request; it never comes.
		const seen = serveCreates(3, (username) => (username === 'guest-1' ? 400 : 200));
		const result = await runNode({ typeVersion: 1, parameters: createUser(), items: guests(3) });
		expect(seen.arrived).toEqual(['guest-0', 'guest-1']);
		expect(result.error?.message).toBe('The Sign-In API rejected the request: username "guest-1": not allowed');
		nock.cleanAll();
	});

	it('a version 1 node that sets Concurrency runs at it', async () => {
		const seen = serveCreates(3);
		await runNode({ typeVersion: 1, parameters: createUser({ requestOptions: { concurrency: 3 } }), items: guests(3) });
		expect(seen.most).toBe(3);
	});
});

describe('Max Attempts not set', () => {
	// Initial Retry Delay set (to keep the test short) leaves Max Attempts unset.
	const parameters = createUser({ username: 'guest-0', requestOptions: { initialDelayMs: 1 } });
	const unavailableOnce = () => {
		const calls: RecordedRequest[] = [];
		expectCall('POST', CREATE_PATH, 503, '', {}, calls);
		expectCall('POST', CREATE_PATH, 200, { username: 'guest-0', password: 'Bx7-qMfeQ9' }, {}, calls);
		return calls;
	};

	it('version 1 tries once: a 503 fails the item', async () => {
		const calls = unavailableOnce();
		const result = await runNode({ typeVersion: 1, parameters });
		expect(calls).toHaveLength(1);
		expect(result.error?.message).toBe('The Sign-In API is unavailable (503 Service Unavailable)');
		nock.cleanAll();
	});

	it('version 1.1 tries again after a 503', async () => {
		const calls = unavailableOnce();
		const result = await runNode({ typeVersion: 1.1, parameters });
		expect(calls).toHaveLength(2);
		expect(plain(result.output)).toEqual([{ json: { username: 'guest-0', passwordGenerated: false }, pairedItem: { item: 0 } }]);
	});

	it('a version 1 node that sets Max Attempts retries', async () => {
		const calls = unavailableOnce();
		const result = await runNode({ typeVersion: 1, parameters: createUser({ username: 'guest-0', requestOptions: { initialDelayMs: 1, maxAttempts: 2 } }) });
		expect(calls).toHaveLength(2);
		expect(result.status).toBe('success');
	});
});

describe('Access Policy items for one policy', () => {
	const addEmails = (extra: IDataObject = {}) => ({ resource: 'accessPolicy', operation: 'addEmails', policyId: POLICY, emails: '={{ $json.emails }}', ...extra });
	/** A policy that starts with `held` and adds what each request names, answering with its whole list. */
	function policyService(held: string[] = []) {
		const policy = [...held];
		return (body: unknown): [number, IDataObject] => {
			for (const email of (body as { emails: string[] }).emails) if (!policy.includes(email)) policy.push(email);
			return [200, { policyEmails: [...policy], warnings: [] }];
		};
	}
	const added = (emails: string[], policyEmails: string[], item: number) => ({ json: allAdded(emails, policyEmails), pairedItem: { item } });

	it('version 1 sends each item in a request of its own, in item order, and each item has its own answer', async () => {
		const calls = expectCalls('POST', EMAILS_PATH, 2, policyService(['bob@acme.com']));
		const result = await runNode({ typeVersion: 1, parameters: addEmails(), items: [{ emails: 'a@acme.com' }, { emails: 'b@acme.com' }] });
		expectWire(calls[0], 'POST', EMAILS_PATH, { emails: ['a@acme.com'] });
		expectWire(calls[1], 'POST', EMAILS_PATH, { emails: ['b@acme.com'] });
		expect(plain(result.output)).toEqual([
			added(['a@acme.com'], ['bob@acme.com', 'a@acme.com'], 0),
			added(['b@acme.com'], ['bob@acme.com', 'a@acme.com', 'b@acme.com'], 1),
		]);
	});

	it('version 1.1 sends them together in one request', async () => {
		const calls = expectCalls('POST', EMAILS_PATH, 1, policyService(['bob@acme.com']));
		const result = await runNode({ typeVersion: 1.1, parameters: addEmails(), items: [{ emails: 'a@acme.com' }, { emails: 'b@acme.com' }] });
		expectWire(calls[0], 'POST', EMAILS_PATH, { emails: ['a@acme.com', 'b@acme.com'] });
		const policy = ['bob@acme.com', 'a@acme.com', 'b@acme.com'];
		expect(plain(result.output)).toEqual([added(['a@acme.com'], policy, 0), added(['b@acme.com'], policy, 1)]);
	});

	it('version 1 sends an item of 600 e-mails in one request; 1.1 in requests of 500 at most', async () => {
		const emails = Array.from({ length: 600 }, (_, i) => `guest${i}@acme.com`);
		const sizes = async (typeVersion: number) => {
			const calls = expectCalls('POST', EMAILS_PATH, typeVersion === 1 ? 1 : 2, policyService());
			await runNode({ typeVersion, parameters: addEmails(), items: [{ emails }] });
			return calls.map((call) => (call.body as { emails: string[] }).emails.length);
		};
		expect(await sizes(1)).toEqual([600]);
		expect(await sizes(1.1)).toEqual([500, 100]);
	});

	it('version 1 with Concurrency set still sends one policy\'s requests one after another', async () => {
		let inFlight = 0;
		let most = 0;
		const service = policyService();
		nock(BASE_URL)
			.post(`${CONTEXT_PATH}${EMAILS_PATH}`)
			.times(3)
			.reply(async (_uri, body) => {
				most = Math.max(most, ++inFlight);
				await sleep(30);
				inFlight--;
				return service(body);
			});
		const result = await runNode({
			typeVersion: 1,
			parameters: addEmails({ requestOptions: { concurrency: 3 } }),
			items: [{ emails: 'a@acme.com' }, { emails: 'b@acme.com' }, { emails: 'c@acme.com' }],
		});
		expect(result.output.map((item) => item.json.policyEmailCount)).toEqual([1, 2, 3]);
		expect(most).toBe(1);
	});

	it('version 1 Remove Emails sends each item in a request of its own, with its Revoke Active Sign-Ins', async () => {
		const calls = expectCalls('DELETE', EMAILS_PATH, 2, (body) => {
			const { emails } = body as { emails: string[] };
			return [200, { policyEmails: [], removedEmails: emails.map((email) => ({ email })) }];
		});
		const result = await runNode({
			typeVersion: 1,
			parameters: { resource: 'accessPolicy', operation: 'removeEmails', policyId: POLICY, emails: '={{ $json.emails }}' },
			items: [{ emails: 'a@acme.com' }, { emails: 'b@acme.com' }],
		});
		expectWire(calls[0], 'DELETE', EMAILS_PATH, { emails: ['a@acme.com'], revokeUserEngagement: true });
		expectWire(calls[1], 'DELETE', EMAILS_PATH, { emails: ['b@acme.com'], revokeUserEngagement: true });
		expect(result.output.map((item) => item.json.removedEmails)).toEqual([[{ email: 'a@acme.com' }], [{ email: 'b@acme.com' }]]);
	});

	it('with 101 items, version 1 puts the policy list on every item; 1.1 only its count, unless the node sets it', async () => {
		const items = Array.from({ length: 101 }, (_, i) => ({ emails: `guest${i}@acme.com` }));
		const lists = async (typeVersion: number, options: IDataObject = {}) => {
			expectCalls('POST', EMAILS_PATH, typeVersion === 1 ? 101 : 1, policyService());
			const result = await runNode({ typeVersion, parameters: addEmails({ options }), items });
			return result.output.map((item) => [item.json.policyEmailCount, Array.isArray(item.json.policyEmails)]);
		};
		expect(await lists(1)).toEqual(items.map((_, i) => [i + 1, true]));
		expect(await lists(1.1)).toEqual(items.map(() => [101, false]));
		expect(await lists(1, { policyEmailsOutput: 'never' })).toEqual(items.map((_, i) => [i + 1, false]));
	});
});

describe('A batch refused with 400, with Continue On Fail', () => {
	const items = [0, 1, 2].map((i) => ({ mac: `AA:BB:CC:00:00:0${i}` }));
	const parameters = { resource: 'whitelisting', operation: 'createMany', mac: '={{ $json.mac }}', name: 'Device' };
	/** Refuses any request holding the second MAC, naming it by its place in that request. */
	const refuseSecond = (body: unknown): [number, IDataObject | IDataObject[]] => {
		const entries = (body as { whitelistings: Array<{ mac: string }> }).whitelistings;
		const bad = entries.findIndex((entry) => entry.mac === 'AA:BB:CC:00:00:01');
		if (bad >= 0) return [400, [{ field: `whitelistings[${bad}].mac`, rejectedValue: entries[bad].mac, message: 'MAC address not allowed' }]];
		return [200, { createdWhitelistingMacs: entries.map((entry) => entry.mac), existingWhitelistingMacs: [], faultyRequests: [], updatedLogins: 0 }];
	};
	const refused = {
		error: 'The Sign-In API rejected the request: whitelistings[1].mac "AA:BB:CC:00:00:01": MAC address not allowed',
		description: 'Correct the value it names and run again.',
	};

	it('version 1 fails every item of the batch, as the service refused the batch: nothing of it is sent again', async () => {
		const calls = expectCalls('POST', '/modules/whitelistings/batch/add', 1, refuseSecond);
		const result = await runNode({ typeVersion: 1, parameters, items, continueOnFail: true });
		expect(calls).toHaveLength(1);
		expect(plain(result.output)).toEqual(items.map((_, item) => ({ json: refused, pairedItem: { item } })));
	});

	it('version 1.1 splits it, so that only the refused entry fails', async () => {
		const calls = expectCalls('POST', '/modules/whitelistings/batch/add', 5, refuseSecond);
		const result = await runNode({ typeVersion: 1.1, parameters, items, continueOnFail: true });
		expect(calls.map((call) => (call.body as { whitelistings: Array<{ mac: string }> }).whitelistings.map((entry) => entry.mac.slice(-1)))).toEqual([
			['0', '1', '2'],
			['0', '1'],
			['2'],
			['0'],
			['1'],
		]);
		expect(result.output.map((item) => item.json.status ?? item.json.error)).toEqual([
			'created',
			'The Sign-In API rejected the request: whitelistings[0].mac "AA:BB:CC:00:00:01": MAC address not allowed',
			'created',
		]);
	});
});
