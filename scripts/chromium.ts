/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev code, never published: n8n Cloud's sandbox rules are for the package */
/* Debian's Chromium for the editor test: installed with apt-get when missing (no browser downloads). */
import { spawnSync } from 'child_process';
import { existsSync } from 'fs';

import type { Log } from './n8n';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * The flags this machine needs: no sandbox as root, and no background networking, whose
 * connections the closed network refuses by the dozen.
 */
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

function apt(args: string[], log: Log): void {
	const root = process.getuid?.() === 0;
	const command = root ? 'apt-get' : 'sudo';
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- a dev tool starting a fixed program with fixed arguments
	const result = spawnSync(command, root ? args : ['-n', 'apt-get', ...args], {
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		encoding: 'utf8',
	});
	if (result.status !== 0) {
		throw new Error(`apt-get ${args.join(' ')} failed (${result.status ?? result.error?.message}): ${(result.stderr || result.stdout).slice(-2000)}`);
	}
	log(`apt-get ${args.join(' ')}: done`);
}

export function ensureChromium(log: Log): string {
	if (existsSync(CHROMIUM)) return CHROMIUM;
	const started = Date.now();
	log('Installing Debian chromium with apt-get (first run only, about 1-2 minutes)...');
	apt(['update', '-qq'], log);
	apt(['install', '-y', '-qq', 'chromium'], log);
	if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is missing`);
	log(`chromium installed in ${Math.round((Date.now() - started) / 1000)} s`);
	return CHROMIUM;
}
