/**
 * The API token never leaves the transport, not even in part: answers that echo it are redacted
 * before anything is cut, parsed or kept, and a JSON-escaped echo is caught after parsing.
 */
import type { IDataObject } from 'n8n-workflow';

import { defaultCredentials, expectCall, plain, runNode, TEST_TOKEN, type RunResult } from '../support/harness';
import { leakedFragments } from '../support/tokenFragments';

const createUser = {
	resource: 'user',
	operation: 'create',
	username: 'alice',
	passwordMode: 'define',
	password: 'Pass-1234',
	requestOptions: { maxAttempts: 1 },
};
const getAll = { resource: 'whitelisting', operation: 'getAll', returnAll: true, requestOptions: { maxAttempts: 1 } };

function expectNoFragment(result: RunResult, token = TEST_TOKEN): void {
	expect(leakedFragments(result.run, token)).toEqual([]);
}

/** The kept body of a failed call, as n8n records it on the error. */
function keptBody(result: RunResult): unknown {
	return (result.error?.errorResponse as IDataObject | undefined)?.body;
}

const CUT = 197;
const padding = 'y'.repeat(250);
/** Offsets that put the 197-character cut before the token, after it and inside it at each character. */
const offsets = Array.from({ length: TEST_TOKEN.length + 3 }, (_, i) => CUT - TEST_TOKEN.length - 1 + i);
/** What the error keeps of a text body: the text with the token replaced, then cut to 197 characters. */
const cut = (text: string) => (text.length > 200 ? `${text.slice(0, CUT)}...` : text);

describe('a token echoed in an error body', () => {
	it.each(offsets)('plain text, token at offset %p: redacted before the cut', async (offset) => {
		const lead = 'x'.repeat(offset);
		expectCall('POST', '/modules/up/create', 400, `${lead}${TEST_TOKEN} ${padding}`, { 'Content-Type': 'text/plain' });
		const result = await runNode({ parameters: createUser });
		const kept = cut(`${lead}[redacted] ${padding}`);
		expect(result.error?.message).toBe('The Sign-In API rejected the request (400 Bad Request)');
		expect(result.error?.description).toBe(`The API gave no reason. The answer was not JSON: ${kept}`);
		expect(keptBody(result)).toBe(kept);
		expectNoFragment(result);
	});

	it.each(offsets)('HTML page, token at offset %p: redacted before the cut', async (offset) => {
		const lead = 'x'.repeat(offset);
		expectCall('POST', '/modules/up/create', 502, `<!DOCTYPE html><html><body><p>${lead}${TEST_TOKEN} ${padding}</p></body></html>`, {
			'Content-Type': 'text/html',
		});
		const result = await runNode({ parameters: createUser });
		expect(result.error?.message).toBe('The Sign-In API is unavailable (502 Bad Gateway)');
		expect(result.error?.description).toBe(
			"The Sign-In service could not handle the request. This is on the service's side: try again in a few minutes. The answer was an HTML page, not JSON: the Base URL in the Sign-In Context API credential may point at a website, a login page or a proxy instead of the Sign-In API. The request may have been applied: a 502 answer does not say whether the service did the work before it failed.",
		);
		expect(keptBody(result)).toBe(cut(`${lead}[redacted] ${padding}`));
		expectNoFragment(result);
	});

	it.each(offsets)('JSON, token at offset %p of the message: redacted in message and kept body', async (offset) => {
		const lead = 'x'.repeat(offset);
		expectCall('POST', '/modules/up/create', 400, { error_code: 'ECHO', error_message: `${lead}${TEST_TOKEN} ${padding}`, request_id: 'r-1' });
		const result = await runNode({ parameters: createUser });
		expect(result.error?.message).toBe(`The Sign-In API rejected the request: ${lead}[redacted] ${padding}`);
		expect(result.error?.description).toBe('Correct the value it names and run again. Code: ECHO. Request ID: r-1 (quote it if you contact Netgraph support).');
		expect(keptBody(result)).toEqual({ error_code: 'ECHO', error_message: `${lead}[redacted] ${padding}`, request_id: 'r-1' });
		expectNoFragment(result);
	});

	it('HTML page with the token as character references: decoded, then redacted', async () => {
		const escaped = [...TEST_TOKEN].map((char) => `&#${char.charCodeAt(0)};`).join('');
		expectCall('POST', '/modules/up/create', 400, `<html><body>Token ${escaped} is not allowed &amp; was logged</body></html>`);
		const result = await runNode({ parameters: createUser });
		expect(keptBody(result)).toBe('Token [redacted] is not allowed & was logged');
		expectNoFragment(result);
	});

	it('JSON with the token escaped as \\u0074...: redacted after parsing, in message and kept body', async () => {
		const escaped = `\\u0074${TEST_TOKEN.slice(1)}`;
		expectCall('POST', '/modules/up/create', 400, `{"error_code":"ECHO","error_message":"token ${escaped} refused","request_id":"r-2"}`, {
			'Content-Type': 'application/json',
		});
		const result = await runNode({ parameters: createUser });
		expect(result.error?.message).toBe('The Sign-In API rejected the request: token [redacted] refused');
		expect(keptBody(result)).toEqual({ error_code: 'ECHO', error_message: 'token [redacted] refused', request_id: 'r-2' });
		expectNoFragment(result);
	});
});

describe('a token echoed in another spelling (the test token has capitals)', () => {
	const percent = (text: string) => [...text].map((char) => `%${char.charCodeAt(0).toString(16)}`).join('');

	it.each([
		['lower-cased', TEST_TOKEN.toLowerCase()],
		['upper-cased', TEST_TOKEN.toUpperCase()],
		['URL-encoded', percent(TEST_TOKEN)],
	])('%s in a JSON message: redacted in message and kept body', async (_, spelled) => {
		expectCall('POST', '/modules/up/create', 400, { error_code: 'ECHO', error_message: `token ${spelled} refused`, request_id: 'r-3' });
		const result = await runNode({ parameters: createUser });
		expect(result.error?.message).toBe('The Sign-In API rejected the request: token [redacted] refused');
		expect(keptBody(result)).toEqual({ error_code: 'ECHO', error_message: 'token [redacted] refused', request_id: 'r-3' });
		expectNoFragment(result);
	});

	it('split by an HTML tag in a page: redacted before the tags are stripped', async () => {
		expectCall('POST', '/modules/up/create', 400, `<html><body>Token ${TEST_TOKEN.slice(0, 10)}<mark>${TEST_TOKEN.slice(10)}</mark> was logged</body></html>`);
		const result = await runNode({ parameters: createUser });
		expect(keptBody(result)).toBe('Token [redacted] was logged');
		expectNoFragment(result);
	});

	it('base64-encoded in an echoed Basic header: redacted', async () => {
		const basic = Buffer.from(`n8n:${TEST_TOKEN}`).toString('base64');
		expectCall('POST', '/modules/up/create', 400, { error_code: 'ECHO', error_message: `got Authorization: Basic ${basic}` });
		const result = await runNode({ parameters: createUser });
		expect(result.error?.message).toMatch(/^The Sign-In API rejected the request: got Authorization: Basic [A-Za-z0-9+/]{0,6}\[redacted\][A-Za-z0-9+/=]{0,4}$/);
		expectNoFragment(result);
	});
});

describe('a token echoed in a successful answer', () => {
	it('JSON-escaped as \\u0074...: the output carries [redacted]', async () => {
		const escaped = `\\u0074${TEST_TOKEN.slice(1)}`;
		expectCall('GET', '/modules/whitelistings/active', 200, `[{"id":"w-1","mac":"AA:BB:CC:DD:EE:FF","name":"${escaped}"}]`, {
			'Content-Type': 'application/json',
		});
		const result = await runNode({ parameters: getAll });
		expect(plain(result.output)).toEqual([{ json: { id: 'w-1', mac: 'AA:BB:CC:DD:EE:FF', name: '[redacted]' }, pairedItem: { item: 0 } }]);
		expectNoFragment(result);
	});

	it('with its slashes escaped as \\/: the output carries [redacted]', async () => {
		const slashed = 'tok/with/slashes-0002';
		expectCall('GET', '/modules/whitelistings/active', 200, `[{"id":"w-1","mac":"AA:BB:CC:DD:EE:FF","name":"by ${slashed.replace(/\//g, '\\/')}"}]`);
		const result = await runNode({ parameters: getAll, credentials: { ...defaultCredentials, apiToken: slashed } });
		expect(plain(result.output)).toEqual([{ json: { id: 'w-1', mac: 'AA:BB:CC:DD:EE:FF', name: 'by [redacted]' }, pairedItem: { item: 0 } }]);
		expectNoFragment(result, slashed);
	});
});

describe('a token in a header the node reads', () => {
	it('a redirect whose Location names the token: the message names [redacted] instead', async () => {
		expectCall('POST', '/modules/up/create', 301, '', { Location: `https://${TEST_TOKEN}.example.test/v1` });
		const result = await runNode({ parameters: createUser });
		expect(result.error?.message).toBe('The Sign-In API at https://api.signin.test answered 301 Moved Permanently, pointing to https://[redacted].example.test');
		expect(result.error?.description).toBe(
			'This node never follows redirects: nothing, and not the API token, was sent to https://[redacted].example.test. Put the address of the Sign-In API itself into the Base URL in the Sign-In Context API credential: the API base URL from the dashboard instructions, as it is, without /v1/....',
		);
		expectNoFragment(result);
	});
});
