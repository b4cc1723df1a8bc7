/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev code, never published: n8n Cloud's sandbox rules are for the package */
/*
 * A local OpenAI-compatible model server for the end-to-end tests and the demo: GET /v1/models and
 * POST /v1/chat/completions (plain or streamed as server-sent events), answering from a script of
 * turns instead of a model. It records every request so tests can assert what a client sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo, Socket } from 'net';

export const MODEL_ID = 'netgraph-local';

/** Call one of the tools the request offers, with these arguments. */
export interface ToolCallTurn {
	tool: string;
	arguments: Record<string, unknown>;
}

/** What the final answer sees: the tool results the request carries, oldest first. */
export interface ReplyContext {
	toolResults: string[];
	lastUserMessage: string;
}

/** Answer with text; a function gets the tool results the request carries. */
export interface TextTurn {
	text: string | ((context: ReplyContext) => string);
}

export type Turn = ToolCallTurn | TextTurn;

/** Picks the turns for a conversation from its last user message (the demo's keyword script). */
export type Script = Turn[] | ((lastUserMessage: string) => Turn[]);

export interface RecordedRequest {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	/** The raw body as received. */
	raw: string;
	/** The parsed JSON body, or undefined when it was not JSON. */
	body: ChatRequest | undefined;
}

export interface ChatMessage {
	role: string;
	content?: unknown;
	tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
}

export interface OfferedTool {
	type: string;
	function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export interface ChatRequest {
	model?: string;
	messages?: ChatMessage[];
	tools?: OfferedTool[];
	stream?: boolean;
	stream_options?: { include_usage?: boolean };
}

export interface ModelServerOptions {
	port?: number;
	host?: string;
	script?: Script;
}

/** The text content of a message, whether a string or a list of text parts. */
export function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		return content.map((part) => (typeof (part as { text?: unknown })?.text === 'string' ? (part as { text: string }).text : '')).join('');
	}
	return '';
}

export class ModelServer {
	readonly requests: RecordedRequest[] = [];
	private script: Script;
	private server: Server | undefined;
	private readonly sockets = new Set<Socket>();
	private calls = 0;
	url = '';

	constructor(readonly options: ModelServerOptions = {}) {
		this.script = options.script ?? [];
	}

	/** Replaces the script; recorded requests stay. */
	setScript(script: Script): void {
		this.script = script;
	}

	/** The chat completion requests recorded so far, in order. */
	chatRequests(): ChatRequest[] {
		return this.requests.filter((request) => request.path === '/v1/chat/completions' && request.body).map((request) => request.body as ChatRequest);
	}

	async start(): Promise<void> {
		this.server = createServer((request, response) => {
			void this.handle(request, response);
		});
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
		});
		const { address, port } = this.server.address() as AddressInfo;
		this.url = `http://${address}:${port}`;
	}

	async stop(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks).toString('utf8');
		let body: ChatRequest | undefined;
		try {
			body = raw ? (JSON.parse(raw) as ChatRequest) : undefined;
		} catch {
			body = undefined;
		}
		const path = (request.url ?? '/').split('?')[0].replace(/\/+$/, '');
		this.requests.push({ method: request.method ?? 'GET', path, headers: request.headers, raw, body });
		if (request.method === 'GET' && path === '/v1/models') {
			return send(response, 200, { object: 'list', data: [{ id: MODEL_ID, object: 'model', created: 0, owned_by: 'local' }] });
		}
		if (request.method === 'POST' && path === '/v1/chat/completions') {
			if (!body || !Array.isArray(body.messages)) return sendError(response, 400, 'The body must be JSON with a messages array.');
			return this.complete(body, response);
		}
		return sendError(response, 404, `No route ${request.method ?? ''} ${path} on this model server (it has GET /v1/models and POST /v1/chat/completions).`);
	}

	private complete(body: ChatRequest, response: ServerResponse): void {
		const messages = body.messages ?? [];
		const lastUserMessage = textOf([...messages].reverse().find((message) => message.role === 'user')?.content);
		const toolResults = messages.filter((message) => message.role === 'tool').map((message) => textOf(message.content));
		// Each tool call the conversation already holds is one turn done: the agent resends the whole conversation.
		const done = messages.filter((message) => message.role === 'assistant').reduce((count, message) => count + (message.tool_calls?.length ?? 0), 0);
		const turns = typeof this.script === 'function' ? this.script(lastUserMessage) : this.script;
		const turn: Turn = turns[done] ?? { text: `This local model server has no scripted turn ${done + 1} for: ${lastUserMessage}` };
		const model = body.model ?? MODEL_ID;
		const id = `chatcmpl-local-${++this.calls}`;
		let message: ChatMessage;
		let finishReason: string;
		if ('tool' in turn) {
			const offered = (body.tools ?? []).map((tool) => tool.function.name);
			if (!offered.includes(turn.tool)) {
				return sendError(response, 400, `The script calls the tool "${turn.tool}", which this request does not offer (offered: ${offered.join(', ') || 'none'}).`);
			}
			message = {
				role: 'assistant',
				content: null,
				tool_calls: [{ id: `call_local_${this.calls}`, type: 'function', function: { name: turn.tool, arguments: JSON.stringify(turn.arguments) } }],
			};
			finishReason = 'tool_calls';
		} else {
			const text = typeof turn.text === 'function' ? turn.text({ toolResults, lastUserMessage }) : turn.text;
			message = { role: 'assistant', content: text };
			finishReason = 'stop';
		}
		const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
		const created = Math.floor(Date.now() / 1000);
		if (!body.stream) {
			return send(response, 200, { id, object: 'chat.completion', created, model, choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }], usage });
		}
		response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
		const chunk = (choices: unknown[], extra: object = {}) =>
			response.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...extra })}\n\n`);
		const delta = message.tool_calls
			? { role: 'assistant', content: null, tool_calls: message.tool_calls.map((call, index) => ({ index, ...call })) }
			: { role: 'assistant', content: message.content };
		chunk([{ index: 0, delta, logprobs: null, finish_reason: null }]);
		chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }]);
		if (body.stream_options?.include_usage) chunk([], { usage });
		response.end('data: [DONE]\n\n');
	}
}

function send(response: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
	response.end(text);
}

function sendError(response: ServerResponse, status: number, message: string): void {
	send(response, status, { error: { message, type: 'invalid_request_error', param: null, code: null } });
}
