/* eslint-disable @n8n/community-nodes/no-restricted-imports -- servers on this machine's loopback, as the harness starts them */
/**
 * The ports the e2e harness gives the n8n processes it starts later: below the range the kernel
 * hands to outgoing connections (so that no connection can take one before its server listens),
 * never the same one twice, and free when handed out.
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

import { ephemeralPortsFrom, freePort } from '../../scripts/n8n';

describe('ephemeralPortsFrom', () => {
	const dir = mkdtempSync(join(tmpdir(), 'ports-'));
	const file = (content: string) => {
		const path = join(dir, `range-${Math.random()}`);
		writeFileSync(path, content);
		return path;
	};

	it('reads the first port of Linux ip_local_port_range', () => {
		expect(ephemeralPortsFrom(file('40000\t60999\n'))).toBe(40000);
	});

	it('assumes 32768 where the range cannot be read', () => {
		expect(ephemeralPortsFrom(join(dir, 'missing'))).toBe(32768);
		expect(ephemeralPortsFrom(file('garbage\n'))).toBe(32768);
		expect(ephemeralPortsFrom(file('80 90\n'))).toBe(32768);
	});
});

describe('freePort', () => {
	it('hands out 30 different ports below the ephemeral range, each of which a server can then listen on', async () => {
		const ports: number[] = [];
		for (let i = 0; i < 30; i++) ports.push(await freePort());
		expect(new Set(ports).size).toBe(30);
		for (const port of ports) expect([port, port > 1024 && port < ephemeralPortsFrom()]).toEqual([port, true]);
		for (const port of ports) {
			const server = createServer();
			await new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, '127.0.0.1', resolve);
			});
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
});
