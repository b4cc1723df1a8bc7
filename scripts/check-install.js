/*
 * First step of `npm start`, `npm run dev` and `npm test`: before `npm install` nothing they run
 * exists yet, so say so (instead of "tsc: not found"). Plain Node, no dependencies. It is not a
 * `prestart` script because the project's .npmrc sets ignore-scripts, under which npm skips
 * pre- and post-scripts.
 */
const { existsSync, readFileSync } = require('fs');
const { join } = require('path');

const root = join(__dirname, '..');
const { devDependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const missing = Object.keys(devDependencies).filter((name) => !existsSync(join(root, 'node_modules', name, 'package.json')));
if (missing.length > 0) {
	const script = process.env.npm_lifecycle_event ?? 'start';
	const command = script === 'start' || script === 'test' ? `npm ${script}` : `npm run ${script}`;
	const state = missing.length === Object.keys(devDependencies).length ? 'are not installed' : `are incomplete (missing: ${missing.join(', ')})`;
	process.stderr.write(`The project's dependencies ${state}.\nRun \`npm install\` first, then \`${command}\`: \`npm install && ${command}\`.\n`);
	process.exit(1);
}
