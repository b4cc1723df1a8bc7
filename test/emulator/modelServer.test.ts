import nock from 'nock';

import { MODEL_ID, ModelServer } from '../../emulator/model/server';

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1/));

const TOOLS = [{ type: 'function', function: { name: 'Create_User', description: 'Create a user', parameters: { type: 'object', properties: { email: { type: 'string' } } } } }];

let server: ModelServer;
beforeEach(async () => {
	server = new ModelServer();
	await server.start();
});
afterEach(async () => await server.stop());

async function post(body: unknown): Promise<{ status: number; json: unknown; text: string }> {
	const response = await fetch(`${server.url}/v1/chat/completions`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: 'Bearer sk-local' },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, json, text };
}

describe('model server', () => {
	it('lists its model', async () => {
		const response = await fetch(`${server.url}/v1/models`);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ object: 'list', data: [{ id: MODEL_ID, object: 'model', created: 0, owned_by: 'local' }] });
	});

	it('first calls the scripted tool, then answers with text quoting the tool result, and records both requests', async () => {
		server.setScript([{ tool: 'Create_User', arguments: { email: 'guest@example.com' } }, { text: ({ toolResults }) => `Done: ${toolResults.join(' | ')}` }]);
		const first = await post({ model: MODEL_ID, messages: [{ role: 'user', content: 'make guest' }], tools: TOOLS });
		expect(first.status).toBe(200);
		expect(first.json).toMatchObject({
			object: 'chat.completion',
			model: MODEL_ID,
			choices: [
				{
					index: 0,
					finish_reason: 'tool_calls',
					message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_local_1', type: 'function', function: { name: 'Create_User', arguments: '{"email":"guest@example.com"}' } }] },
				},
			],
		});
		const second = await post({
			model: MODEL_ID,
			messages: [
				{ role: 'user', content: 'make guest' },
				{ role: 'assistant', content: null, tool_calls: (first.json as { choices: Array<{ message: { tool_calls: unknown } }> }).choices[0].message.tool_calls },
				{ role: 'tool', tool_call_id: 'call_local_1', content: '{"password":"abc"}' },
			],
			tools: TOOLS,
		});
		expect(second.json).toMatchObject({ choices: [{ finish_reason: 'stop', message: { role: 'assistant', content: 'Done: {"password":"abc"}' } }] });
		expect(server.requests.map((request) => [request.method, request.path, request.headers.authorization])).toEqual([
			['POST', '/v1/chat/completions', 'Bearer sk-local'],
			['POST', '/v1/chat/completions', 'Bearer sk-local'],
		]);
		expect(server.chatRequests()[0].tools).toEqual(TOOLS);
	});

	it('refuses to call a tool the request does not offer, naming the ones it does', async () => {
		server.setScript([{ tool: 'Delete_User', arguments: {} }]);
		const answer = await post({ messages: [{ role: 'user', content: 'x' }], tools: TOOLS });
		expect(answer.status).toBe(400);
		expect(answer.json).toEqual({
			error: { message: 'The script calls the tool "Delete_User", which this request does not offer (offered: Create_User).', type: 'invalid_request_error', param: null, code: null },
		});
	});

	it('streams a tool call and a text as server-sent events when asked', async () => {
		server.setScript([{ tool: 'Create_User', arguments: { email: 'a@b.c' } }, { text: 'ok' }]);
		const streamed = await post({ stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'x' }], tools: TOOLS });
		const events = streamed.text.split('\n\n').filter(Boolean);
		expect(events.at(-1)).toBe('data: [DONE]');
		const chunks = events.slice(0, -1).map((event) => JSON.parse(event.replace(/^data: /, '')) as { choices: Array<{ delta: unknown; finish_reason: unknown }>; usage?: unknown });
		expect(chunks.map((chunk) => (chunk.choices.length ? chunk.choices[0].finish_reason : 'usage'))).toEqual([null, 'tool_calls', 'usage']);
		expect(chunks[0].choices[0].delta).toEqual({
			role: 'assistant',
			content: null,
			tool_calls: [{ index: 0, id: 'call_local_1', type: 'function', function: { name: 'Create_User', arguments: '{"email":"a@b.c"}' } }],
		});
		const text = await post({
			stream: true,
			messages: [{ role: 'user', content: 'x' }, { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'Create_User', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c', content: 'r' }],
		});
		expect(JSON.parse(text.text.split('\n\n')[0].replace(/^data: /, ''))).toMatchObject({ choices: [{ delta: { role: 'assistant', content: 'ok' } }] });
	});

	it('picks turns from the user message when the script is a function, and says when it has none', async () => {
		server.setScript((message) => (message.includes('guest') ? [{ text: 'guest script' }] : []));
		expect(await post({ messages: [{ role: 'user', content: [{ type: 'text', text: 'a guest' }] }] })).toMatchObject({ json: { choices: [{ message: { content: 'guest script' } }] } });
		expect(await post({ messages: [{ role: 'user', content: 'hello' }] })).toMatchObject({
			json: { choices: [{ finish_reason: 'stop', message: { content: 'This local model server has no scripted turn 1 for: hello' } }] },
		});
	});

	it('answers unknown routes and bad bodies with an OpenAI-shaped error', async () => {
		expect((await fetch(`${server.url}/v1/responses`, { method: 'POST', body: '{}' })).status).toBe(404);
		const bad = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: 'not json' });
		expect(bad.status).toBe(400);
		expect(server.requests.at(-1)).toMatchObject({ raw: 'not json', body: undefined });
	});
});
