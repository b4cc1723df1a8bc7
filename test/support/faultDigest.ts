/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * A fingerprint of one emulator-backed run, for proving that a change to the code's shape left its
 * behaviour alone: with `FAULT_DIGEST=<file>` set, each call appends `test name<TAB>sha256` of
 * what the node sent and what it gave back. Unset, it does nothing.
 *
 * Usage: record a baseline (`FAULT_DIGEST=/tmp/a.tsv npx jest test/faults`), change the code,
 * record again, and `diff <(sort /tmp/a.tsv) <(sort /tmp/b.tsv)` must be empty. A run whose
 * requests time out (1 s in the fault tests) on a busy machine takes another path; record the
 * baseline twice and rerun a differing test alone before calling it a change. To see what a
 * test's digest covers, set `FAULT_DIGEST_DUMP` to part of its name: the hashed text goes to
 * `<file>.dump`.
 *
 * What is hashed: every request the emulator recorded (method, path, status, fault, body, and in
 * group mode which Context's path and key), sorted, because requests in flight side by side
 * arrive in any order and their set is the behaviour; the output items (`json`, `pairedItem`) in
 * order; and the error's message and description. Masked in every string: the emulators' URLs
 * (random ports), UUIDs (client IDs, the emulator's request IDs), elapsed seconds, and `id` keys.
 */
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import type { RecordedRequest } from '../../emulator/server';
import type { RunResult } from './harness';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const SECONDS = /\b\d+(\.\d+)? s\b/g;

const calls = new Map<string, number>();

export function recordDigest(emulator: { url: string; requests: RecordedRequest[] }, result: RunResult, otherUrls: string[] = []): void {
	const file = process.env.FAULT_DIGEST;
	if (!file) return;
	const test = expect.getState().currentTestName ?? '(unnamed)';
	const call = (calls.get(test) ?? 0) + 1;
	calls.set(test, call);
	const urls = [emulator.url, ...otherUrls].filter(Boolean);
	const mask = (text: string) => urls.reduce((masked, url, i) => masked.split(url).join(`<url${i}>`), text).replace(UUID, '<uuid>').replace(SECONDS, '<n> s');
	// Without `at`, the time it arrived.
	const requests = emulator.requests.map((request) => JSON.stringify({ ...request, at: undefined })).sort();
	const output = result.output.map(({ json, pairedItem }) => ({ json, pairedItem }));
	const error = result.error ? { message: result.error.message, description: result.error.description } : null;
	const text = JSON.stringify([requests, output, error], (key, value: unknown) => (key === 'id' ? '<id>' : typeof value === 'string' ? mask(value) : value));
	if (process.env.FAULT_DIGEST_DUMP && test.includes(process.env.FAULT_DIGEST_DUMP)) appendFileSync(`${file}.dump`, `${text}\n`);
	appendFileSync(file, `${test}#${call}\t${createHash('sha256').update(text).digest('hex')}\n`);
}
