/* eslint-disable @n8n/community-nodes/no-restricted-imports -- a local server on a free port stands in for a host that resets connections */
import { createServer, type AddressInfo } from 'net';
import nock from 'nock';

/**
 * Runs `use` against a local server that resets every connection it gets (ECONNRESET on the
 * client), with nock letting that one port through; says how many connections it reset.
 */
export async function withResettingServer<T>(use: (baseUrl: string, port: number) => Promise<T>): Promise<{ result: T; connections: number }> {
	let connections = 0;
	const server = createServer((socket) => {
		connections++;
		socket.resetAndDestroy();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	nock.enableNetConnect(`127.0.0.1:${port}`);
	try {
		const result = await use(`http://127.0.0.1:${port}`, port);
		return { result, connections };
	} finally {
		nock.disableNetConnect();
		server.close();
	}
}
