/* eslint-disable @n8n/community-nodes/no-restricted-imports -- a local HTTP server standing in for n8n's API */
/**
 * The e2e harness's n8n client: a 503 "Database is not ready!" (n8n refuses every request so while
 * its database monitor counts the database as lost) is asked again; any other answer is not.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';
import nock from 'nock';

import { N8nClient } from '../../scripts/n8n';

beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1/));

const NOT_READY = JSON.stringify({ code: 503, message: 'Database is not ready!' });

/** A server that gives `answers` in turn (the last one from then on) and records each request. */
async function fakeN8n(answers: Array<{ status: number; body: string }>) {
	const received: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders; body: string }> = [];
	const server: Server = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += chunk.toString()));
		req.on('end', () => {
			received.push({ method: req.method, url: req.url, headers: req.headers, body });
			const answer = answers[Math.min(received.length - 1, answers.length - 1)];
			res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const client = new N8nClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
	client.apiKey = 'test-api-key';
	return { client, received, close: async () => await new Promise<void>((resolve) => server.close(() => resolve())) };
}

it('asks again while n8n answers 503 "Database is not ready!", the same request each time', async () => {
	const n8n = await fakeN8n([
		{ status: 503, body: NOT_READY },
		{ status: 503, body: NOT_READY },
		{ status: 200, body: JSON.stringify({ id: 'wf-1' }) },
	]);
	try {
		await expect(n8n.client.api('POST', '/workflows', { name: 'A' })).resolves.toEqual({ id: 'wf-1' });
		expect(n8n.received.map(({ method, url, headers, body }) => ({ method, url, key: headers['x-n8n-api-key'], body }))).toEqual(
			Array.from({ length: 3 }, () => ({ method: 'POST', url: '/api/v1/workflows', key: 'test-api-key', body: '{"name":"A"}' })),
		);
	} finally {
		await n8n.close();
	}
});

it('does not ask again after any other 503 or error', async () => {
	const n8n = await fakeN8n([{ status: 503, body: JSON.stringify({ code: 503, message: 'Service Unavailable' }) }]);
	try {
		await expect(n8n.client.api('GET', '/workflows/wf-1')).rejects.toThrow('n8n GET /api/v1/workflows/wf-1 answered 503: {"code":503,"message":"Service Unavailable"}');
		expect(n8n.received).toHaveLength(1);
	} finally {
		await n8n.close();
	}
});
