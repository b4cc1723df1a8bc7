/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev code, never published: n8n Cloud's sandbox rules are for the package */
import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';

/** The repository root, found from source (`emulator/`) and compiled (`build/emulator/`) files alike. */
export function projectRoot(from: string = __dirname): string {
	for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
		const manifest = join(dir, 'package.json');
		if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'n8n-nodes-netgraph-sign-in') {
			return dir;
		}
	}
	throw new Error(`cannot find the n8n-nodes-netgraph-sign-in repository above ${from}`);
}
