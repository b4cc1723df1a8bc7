/** End-to-end tests: a real n8n and the emulator, no nock. */
/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	testTimeout: 120000,
	// Installs n8n, Chromium, PostgreSQL and Redis first, outside every test's time limit.
	globalSetup: '<rootDir>/test/e2e/globalSetup.ts',
	// One n8n at a time: each suite starts its own, and the first installs it into .cache/.
	maxWorkers: 1,
};
