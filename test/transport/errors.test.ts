import {
	FORBIDDEN_HELP,
	TOKEN_HELP,
	describeFailure,
	parseErrorBody,
} from '../../nodes/NetgraphSignIn/transport/errors';

describe('parseErrorBody', () => {
	it('reads the Username & Password shape', () => {
		expect(
			parseErrorBody({ error_code: 'USERNAME_ALREADY_EXISTS', error_message: 'username already exists', request_id: 'r-1' }),
		).toEqual({ detail: 'username already exists', code: 'USERNAME_ALREADY_EXISTS', requestId: 'r-1', shape: 'usernamePassword' });
	});

	it('reads the Access Policy shape', () => {
		expect(parseErrorBody({ status: 400, message: 'emails must not be empty', request_id: '6f5e4d3c-...' })).toEqual({
			detail: 'emails must not be empty',
			requestId: '6f5e4d3c-...',
			shape: 'accessPolicy',
		});
	});

	it('reads the Whitelisting array shape, one part per field', () => {
		expect(
			parseErrorBody([
				{ field: 'mac', rejectedValue: '00-11', message: 'invalid MAC address format' },
				{ field: 'name', rejectedValue: 'x', message: 'size must be between 2 and 100' },
			]),
		).toEqual({ detail: 'mac "00-11": invalid MAC address format; name "x": size must be between 2 and 100', shape: 'whitelisting' });
	});

	it('tolerates anything else', () => {
		expect(parseErrorBody(undefined)).toEqual({ shape: 'none' });
		expect(parseErrorBody('oops')).toEqual({ shape: 'none' });
		expect(parseErrorBody([])).toEqual({ shape: 'none' });
		expect(parseErrorBody({ unexpected: true })).toEqual({ detail: undefined, requestId: undefined, shape: 'none' });
		expect(parseErrorBody({ message: 'Not Found' })).toEqual({ detail: 'Not Found', requestId: undefined, shape: 'none' });
	});
});

describe('describeFailure', () => {
	it('401 says where to rotate the token', () => {
		expect(describeFailure(401, undefined, '')).toEqual({
			message: 'The Sign-In API refused the API token (401 Unauthorized)',
			description: TOKEN_HELP,
			requestId: undefined,
		});
	});

	it('403 names the IP allow-list and the IDs, with the request ID when there is one', () => {
		expect(describeFailure(403, { status: 403, message: 'forbidden', request_id: 'r-9' }, '')).toEqual({
			message: 'The Sign-In API denied access to this Sign-In Context (403 Forbidden)',
			description: `${FORBIDDEN_HELP} Request ID: r-9 (quote it if you contact Netgraph support).`,
			requestId: 'r-9',
		});
	});

	it('400 carries the API message, code and request ID', () => {
		expect(
			describeFailure(400, { error_code: 'PASSWORD_POLICY_VIOLATION', error_message: 'password too short', request_id: 'r-2' }, ''),
		).toEqual({
			message: 'The Sign-In API rejected the request: password too short',
			description:
				'Correct the value it names and run again. Code: PASSWORD_POLICY_VIOLATION. Request ID: r-2 (quote it if you contact Netgraph support).',
			requestId: 'r-2',
		});
	});

	it('an HTML page is called out as a Base URL or proxy issue', () => {
		const failure = describeFailure(502, undefined, '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>');
		expect(failure.message).toBe('The Sign-In API is unavailable (502 Bad Gateway)');
		expect(failure.description).toBe(
			"The Sign-In service could not handle the request. This is on the service's side: try again in a few minutes. The answer was an HTML page, not JSON: the Base URL in the Sign-In Context API credential may point at a website, a login page or a proxy instead of the Sign-In API.",
		);
	});

	it('plain text bodies are quoted, shortened', () => {
		const failure = describeFailure(400, undefined, `bad ${'x'.repeat(300)}`);
		expect(failure.message).toBe('The Sign-In API rejected the request (400 Bad Request)');
		expect(failure.description).toBe(`The API gave no reason. The answer was not JSON: bad ${'x'.repeat(193)}...`);
	});

	it('404 without a body points at the Base URL; 429 at the rate', () => {
		expect(describeFailure(404, undefined, '').message).toBe('The Sign-In API has no such endpoint (404 Not Found)');
		expect(describeFailure(404, undefined, '').description).toContain('Check the Base URL');
		expect(describeFailure(429, undefined, '').message).toBe('The Sign-In API is limiting the request rate (429 Too Many Requests)');
		expect(describeFailure(418, undefined, '').message).toBe('The Sign-In API rejected the request (status 418)');
	});
});
