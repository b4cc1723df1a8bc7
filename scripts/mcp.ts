/*
 * An MCP client of n8n's MCP Server Trigger, as an AI client outside n8n would be one: shared by
 * `npm start` (it lists the front desk's tools and calls one) and the end-to-end tests.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { FRONT_DESK_MCP_PATH } from './stack';

export type McpTransport = 'streamableHttp' | 'sse';

/**
 * The production URL of an MCP Server Trigger of node version 2 or later: `<base>/mcp/<path>`
 * (N8N_ENDPOINT_MCP; `/mcp-test/` while the editor listens). Streamable HTTP posts to it; SSE
 * opens it with GET and posts to it with `?sessionId=`.
 */
export function mcpUrl(baseUrl: string, path = FRONT_DESK_MCP_PATH): string {
	return `${baseUrl}/mcp/${path}`;
}

/**
 * A connected client (initialised); `token` goes in `Authorization: Bearer`. `send` replaces the
 * fetch of every request, e.g. to spread one session's requests over several n8n processes.
 */
export async function connectMcp(url: string, token: string | undefined, transport: McpTransport = 'streamableHttp', send: typeof fetch = fetch): Promise<Client> {
	const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
	const client = new Client({ name: 'netgraph-front-desk-e2e', version: '1.0.0' });
	const requestInit = { headers };
	// SSE opens its stream with a fetch of its own: the header is added there as well.
	const eventSourceInit = { fetch: async (input: string | URL, init?: RequestInit) => await send(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }) };
	await client.connect(
		transport === 'sse'
			? new SSEClientTransport(new URL(url), { requestInit, eventSourceInit, fetch: send })
			: new StreamableHTTPClientTransport(new URL(url), { requestInit, fetch: send }),
	);
	return client;
}

/** A tool call's text content (n8n answers with one text part: the tool's JSON output, or an error). */
export function toolText(result: unknown): string {
	const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
	return content.map((part) => (part.type === 'text' ? (part.text ?? '') : '')).join('');
}
