import type { Linter } from 'eslint';

import { rules } from './ruleTester';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { configs } = require('../../lint') as { configs: { strict: Linter.Config[] } };

describe('the strict configuration (npm run lint, the tarball lint)', () => {
	it('turns every rule of lint/ on as an error, on the sources and the compiled package or on package.json', () => {
		const enabled = new Map<string, string[]>();
		for (const config of configs.strict) {
			for (const [rule, level] of Object.entries(config.rules ?? {})) {
				if (level === 'error') enabled.set(rule, [...(enabled.get(rule) ?? []), ...((config.files ?? []) as string[])]);
			}
		}
		for (const name of Object.keys(rules)) {
			expect({ name, files: enabled.get(`netgraph/${name}`) }).toEqual({
				name,
				files: expect.arrayContaining([expect.stringMatching(/^\*\*\/(nodes\/\*\*|package\.json)/)]),
			});
		}
	});

	it('turns off only non-required-fields-in-collection, and only for the trigger', () => {
		const off = configs.strict.flatMap((config) =>
			Object.entries(config.rules ?? {})
				.filter(([, level]) => level === 'off')
				.map(([rule]) => ({ rule, files: config.files })),
		);
		expect(off).toEqual([{ rule: 'netgraph/non-required-fields-in-collection', files: ['**/NetgraphSignInTrigger.node.{ts,js}'] }]);
	});
});
