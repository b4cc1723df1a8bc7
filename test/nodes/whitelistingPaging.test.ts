/**
 * The active-whitelistings list over several pages (U-W1, U-G6): every operation that reads it
 * follows each page, and an answer that claims more without a way to it, a link away from the
 * configured API or a page that repeats is an error, never a partial list.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { SignInEmulator, type PageStyle } from '../../emulator/server';
import { BASE_URL, CONTEXT_PATH, expectCall, expectWire, plain, runNode, type RecordedRequest } from '../support/harness';
import { planItem, syncMac, syncParameters, taggedEntry } from '../support/sync';

const LIST = '/modules/whitelistings/active';
const entry = (n: number) => ({ id: `c0000000-0000-4000-8000-00000000000${n}`, mac: `AA:BB:CC:00:01:0${n}`, name: `Device ${n}` });
const getAll = (extra: IDataObject = {}) => ({ resource: 'whitelisting', operation: 'getAll', returnAll: true, ...extra });
const revokeMany = { resource: 'whitelisting', operation: 'revokeMany', macs: '={{ $json.mac }}' };

/** Spring Data's page of `entries`, page `number` of `totalPages` pages of 2. */
function springPage(entries: IDataObject[], number: number, totalPages: number, totalElements: number) {
	return { content: entries, number, size: 2, totalPages, totalElements, last: number === totalPages - 1 };
}

/** Answers the list's pages in order; each path is the one the node must ask for. */
function expectPages(pages: Array<[string, IDataObject | IDataObject[]]>, recorded: RecordedRequest[] = []): RecordedRequest[] {
	for (const [path, body] of pages) expectCall('GET', path, 200, body, {}, recorded);
	return recorded;
}

const NO_PARTIAL = 'No partial list was used.';
const REPORT = "please report this answer's shape to the node's maintainers.";
const FOLLOWED =
	'The node follows page numbers ("content" with "number", "totalPages" or "last") and next links ("next", "links.next", "_links.next.href", a Link header\'s rel="next") on the Base URL.';
const NOT_MOVING = "The paging does not move on. Run the node again; if it keeps happening, please report this to the node's maintainers.";

/** Every request that reached no interceptor (nock refuses it), so a test can assert there was none. */
const unmatched: string[] = [];
nock.emitter.on('no match', (request: { method?: string; path?: string; options?: { method?: string; path?: string } }) => {
	unmatched.push(`${request.method ?? request.options?.method} ${request.path ?? request.options?.path}`);
});
beforeEach(() => {
	unmatched.length = 0;
});

describe('Whitelisting > Get Many over pages', () => {
	it('Return All follows Spring pages with ?page= and the size the server reported, and returns every entry once', async () => {
		const calls = expectPages([
			[LIST, springPage([entry(1), entry(2)], 0, 3, 5)],
			[`${LIST}?page=1&size=2`, springPage([entry(3), entry(4)], 1, 3, 5)],
			[`${LIST}?page=2&size=2`, springPage([entry(5)], 2, 3, 5)],
		]);
		const result = await runNode({ parameters: getAll() });
		expectWire(calls[0], 'GET', LIST);
		expectWire(calls[1], 'GET', `${LIST}?page=1&size=2`);
		expectWire(calls[2], 'GET', `${LIST}?page=2&size=2`);
		expect(plain(result.output)).toEqual([1, 2, 3, 4, 5].map((n) => ({ json: entry(n), pairedItem: { item: 0 } })));
	});

	it('asks for ?page= alone when the server reports no size, and counts pages from totalPages when it reports no number', async () => {
		const calls = expectPages([
			[LIST, { content: [entry(1), entry(2)], totalPages: 3 }],
			[`${LIST}?page=1`, { content: [entry(3), entry(4)], totalPages: 3 }],
			[`${LIST}?page=2`, { content: [entry(5)], totalPages: 3 }],
		]);
		const result = await runNode({ parameters: getAll() });
		expect(calls.map((call) => call.path)).toEqual([LIST, `${LIST}?page=1`, `${LIST}?page=2`].map((path) => `${CONTEXT_PATH}${path}`));
		expect(result.output.map((item) => item.json.name)).toEqual(['Device 1', 'Device 2', 'Device 3', 'Device 4', 'Device 5']);
	});

	it.each([
		['next, absolute', (path: string) => ({ next: `${BASE_URL}${CONTEXT_PATH}${path}` })],
		['links.next, relative to the host', (path: string) => ({ links: { next: `${CONTEXT_PATH}${path}` } })],
		['_links.next.href (HAL)', (path: string) => ({ _links: { next: { href: `${BASE_URL}${CONTEXT_PATH}${path}` } } })],
	])('Return All follows %s links over three pages to the last, which has none', async (_, link) => {
		const calls = expectPages([
			[LIST, { items: [entry(1), entry(2)], ...link(`${LIST}?cursor=b2`) }],
			[`${LIST}?cursor=b2`, { items: [entry(3), entry(4)], ...link(`${LIST}?cursor=c3`) }],
			[`${LIST}?cursor=c3`, { items: [entry(5)], next: null }],
		]);
		const result = await runNode({ parameters: getAll() });
		expectWire(calls[1], 'GET', `${LIST}?cursor=b2`);
		expectWire(calls[2], 'GET', `${LIST}?cursor=c3`);
		expect(plain(result.output)).toEqual([1, 2, 3, 4, 5].map((n) => ({ json: entry(n), pairedItem: { item: 0 } })));
	});

	it('with a Limit, stops after the first page when it holds enough entries', async () => {
		const calls = expectPages([[LIST, springPage([entry(1), entry(2)], 0, 3, 5)]]);
		const result = await runNode({ parameters: getAll({ returnAll: false, limit: 2 }) });
		expect(calls).toHaveLength(1);
		expect(unmatched).toEqual([]);
		expect(plain(result.output)).toEqual([1, 2].map((n) => ({ json: entry(n), pairedItem: { item: 0 } })));
	});

	it('with a Limit and a filter, reads pages until enough entries match, and no further', async () => {
		const calls = expectPages([
			[LIST, springPage([entry(1), entry(2)], 0, 3, 5)],
			[`${LIST}?page=1&size=2`, springPage([entry(3), entry(4)], 1, 3, 5)],
		]);
		const result = await runNode({ parameters: getAll({ returnAll: false, limit: 1, filters: { name: 'device 3' } }) });
		expect(calls).toHaveLength(2);
		expect(unmatched).toEqual([]);
		expect(plain(result.output)).toEqual([{ json: entry(3), pairedItem: { item: 0 } }]);
	});

	it('an entry listed again on the next page (the list shifted while it was read) is returned once', async () => {
		expectPages([
			[LIST, springPage([entry(1), entry(2)], 0, 2, 3)],
			[`${LIST}?page=1&size=2`, springPage([entry(2), entry(3)], 1, 2, 3)],
		]);
		const result = await runNode({ parameters: getAll() });
		expect(result.output.map((item) => item.json.name)).toEqual(['Device 1', 'Device 2', 'Device 3']);
	});

	it('more entries than the last totalElements (entries that left the list while it was read) are returned', async () => {
		expectPages([
			[LIST, springPage([entry(1), entry(2)], 0, 2, 3)],
			[`${LIST}?page=1&size=2`, springPage([entry(3)], 1, 2, 2)],
		]);
		const result = await runNode({ parameters: getAll() });
		expect(result.output.map((item) => item.json.name)).toEqual(['Device 1', 'Device 2', 'Device 3']);
	});

	it.each([
		[
			'hasMore',
			{ content: [entry(1), entry(2)], hasMore: true },
			'The Sign-In API answered page 1 of the active whitelistings with "hasMore": true, but gave no way to ask for the next page',
			`${NO_PARTIAL} ${FOLLOWED} If the Base URL is right, ${REPORT}`,
		],
		[
			'page counts outside Spring\'s content',
			{ data: [entry(1), entry(2)], number: 0, totalPages: 3 },
			'The Sign-In API answered page 1 of the active whitelistings with "totalPages": 3 at "number": 0, but gave no way to ask for the next page',
			`${NO_PARTIAL} ${FOLLOWED} If the Base URL is right, ${REPORT}`,
		],
		[
			'a page token',
			{ items: [entry(1), entry(2)], nextPageToken: 'b2' },
			'The Sign-In API answered page 1 of the active whitelistings with "nextPageToken": "b2", but gave no way to ask for the next page',
			`${NO_PARTIAL} ${FOLLOWED} If the Base URL is right, ${REPORT}`,
		],
		[
			'totalElements beyond the entries',
			{ content: [entry(1), entry(2)], totalElements: 5 },
			'The Sign-In API listed 2 active whitelistings on 1 page, but its last answer says "totalElements": 5',
			`${NO_PARTIAL} The whitelist may have changed while it was read. Run the node again; if it keeps happening, ${REPORT}`,
		],
	])('an answer that says there is more (%s) but gives no way on is an error', async (_, body, message, description) => {
		expectPages([[LIST, body]]);
		const result = await runNode({ parameters: getAll() });
		expect(unmatched).toEqual([]);
		expect([result.status, result.error?.message, result.error?.description]).toEqual(['error', message, description]);
	});

	it('paging said only in headers counts: a Link header\'s rel="next" is followed, and X-Total-Count is checked', async () => {
		const calls: RecordedRequest[] = [];
		expectCall('GET', LIST, 200, [entry(1), entry(2)], { Link: `<${BASE_URL}${CONTEXT_PATH}${LIST}?page=2>; rel="next", <${BASE_URL}${CONTEXT_PATH}${LIST}?page=2>; rel="last"`, 'X-Total-Count': '3' }, calls);
		expectCall('GET', `${LIST}?page=2`, 200, [entry(3)], { Link: `<${BASE_URL}${CONTEXT_PATH}${LIST}?page=1>; rel="first"`, 'X-Total-Count': '3' }, calls);
		const result = await runNode({ parameters: getAll() });
		expect(calls.map((call) => call.path)).toEqual([`${CONTEXT_PATH}${LIST}`, `${CONTEXT_PATH}${LIST}?page=2`]);
		expect(plain(result.output)).toEqual([1, 2, 3].map((n) => ({ json: entry(n), pairedItem: { item: 0 } })));
	});

	it('a plain list whose X-Total-Count header says the whole list holds more is an error, not a partial list', async () => {
		expectCall('GET', LIST, 200, [entry(1), entry(2)], { 'X-Total-Count': '5' });
		const result = await runNode({ parameters: getAll() });
		expect([result.status, result.error?.message, result.error?.description]).toEqual([
			'error',
			'The Sign-In API listed 2 active whitelistings on 1 page, but its last answer says the header "X-Total-Count: 5"',
			`${NO_PARTIAL} The whitelist may have changed while it was read. Run the node again; if it keeps happening, ${REPORT}`,
		]);
	});

	it('fewer entries over all pages than the last totalElements is an error, not a partial list', async () => {
		expectPages([
			[LIST, springPage([entry(1), entry(2)], 0, 2, 4)],
			[`${LIST}?page=1&size=2`, springPage([entry(3)], 1, 2, 4)],
		]);
		const result = await runNode({ parameters: getAll() });
		expect([result.error?.message, result.error?.description]).toEqual([
			'The Sign-In API listed 3 active whitelistings on 2 pages, but its last answer says "totalElements": 4',
			`${NO_PARTIAL} The whitelist may have changed while it was read. Run the node again; if it keeps happening, ${REPORT}`,
		]);
	});

	it.each([
		['another origin', 'https://elsewhere.test', `${CONTEXT_PATH}${LIST}?cursor=b2`, `https://elsewhere.test${CONTEXT_PATH}${LIST}`],
		['http on the same host', 'http://api.signin.test', `${CONTEXT_PATH}${LIST}?cursor=b2`, `http://api.signin.test${CONTEXT_PATH}${LIST}`],
		['another Context on the same origin', BASE_URL, `/v1/org/org-4711/contexts/sign-in/ctx-43${LIST}`, `${BASE_URL}/v1/org/org-4711/contexts/sign-in/ctx-43${LIST}`],
		['a path that climbs out of the Context', BASE_URL, `${CONTEXT_PATH}/../ctx-43${LIST}`, `${BASE_URL}/v1/org/org-4711/contexts/sign-in/ctx-43${LIST}`],
	])('a next link to %s is refused: no request goes there', async (_, origin, path, shown) => {
		const reached: string[] = [];
		expectPages([[LIST, { items: [entry(1), entry(2)], next: `${origin}${path}` }]]);
		nock(origin)
			.get((requested) => requested !== `${CONTEXT_PATH}${LIST}`)
			.optionally()
			.reply(function () {
				reached.push(this.req.path);
				return [200, []];
			});
		const result = await runNode({ parameters: getAll() });
		expect([reached, unmatched]).toEqual([[], []]);
		expect([result.error?.message, result.error?.description]).toEqual([
			`The Sign-In API's next page link on page 1 of the active whitelistings leads to ${shown}, outside the configured Sign-In API`,
			`${NO_PARTIAL} The API token is only sent to ${BASE_URL}${CONTEXT_PATH}, so the rest of the list was not read. Check the Base URL in the Sign-In Context API credential; a proxy in front of the API may rewrite its links.`,
		]);
	});

	it.each([
		[
			'the same page number (the server ignores ?page=)',
			[
				[LIST, springPage([entry(1), entry(2)], 0, 2, 4)],
				[`${LIST}?page=1&size=2`, springPage([entry(1), entry(2)], 0, 2, 4)],
			],
			'The Sign-In API answered page 2 of the active whitelistings with page number 0 again',
		],
		[
			'the same entries',
			[
				[LIST, { items: [entry(1), entry(2)], next: `${CONTEXT_PATH}${LIST}?cursor=b2` }],
				[`${LIST}?cursor=b2`, { items: [entry(1), entry(2)], next: `${CONTEXT_PATH}${LIST}?cursor=c3` }],
			],
			'The Sign-In API answered page 2 of the active whitelistings with the same entries as page 1',
		],
		[
			'a next link back to a page it gave',
			[
				[LIST, { items: [entry(1), entry(2)], next: `${CONTEXT_PATH}${LIST}?cursor=b2` }],
				[`${LIST}?cursor=b2`, { items: [entry(3), entry(4)], next: `${CONTEXT_PATH}${LIST}` }],
			],
			'The Sign-In API answered page 2 of the active whitelistings with a next link to a page it had already given',
		],
		[
			'an empty page that claims more',
			[
				[LIST, springPage([entry(1), entry(2)], 0, 3, 5)],
				[`${LIST}?page=1&size=2`, springPage([], 1, 3, 5)],
			],
			'The Sign-In API answered page 2 of the active whitelistings with no entries, yet with "last": false',
		],
	] as Array<[string, Array<[string, IDataObject]>, string]>)('a page that does not move on (%s) is an error', async (_, pages, message) => {
		expectPages(pages);
		const result = await runNode({ parameters: getAll() });
		expect(unmatched).toEqual([]);
		expect([result.error?.message, result.error?.description]).toEqual([message, `${NO_PARTIAL} ${NOT_MOVING}`]);
	});
});

describe('Whitelisting > Revoke Many over pages', () => {
	const pages = (): Array<[string, IDataObject]> => [
		[LIST, springPage([entry(1), entry(2)], 0, 2, 3)],
		[`${LIST}?page=1&size=2`, springPage([entry(3)], 1, 2, 3)],
	];

	it('checks the whitelist over every page: a MAC listed on page 2 is revoked, not notWhitelisted', async () => {
		const calls = expectPages(pages());
		expectCall('POST', '/modules/whitelistings/batch/remove', 200, { nrOfWhitelistingsInRevokeRequest: 2, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0 }, {}, calls);
		const result = await runNode({ parameters: revokeMany, items: [{ mac: entry(3).mac }, { mac: 'AA:BB:CC:00:01:09' }] });
		expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual([
			`GET ${CONTEXT_PATH}${LIST}`,
			`GET ${CONTEXT_PATH}${LIST}?page=1&size=2`,
			`POST ${CONTEXT_PATH}/modules/whitelistings/batch/remove`,
		]);
		expectWire(calls[2], 'POST', '/modules/whitelistings/batch/remove', { macs: [{ mac: 'AA:BB:CC:00:01:03' }, { mac: 'AA:BB:CC:00:01:09' }] });
		const batch = { nrOfWhitelistingsInRevokeRequest: 2, nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: 0 };
		expect(plain(result.output)).toEqual([
			{ json: { macs: ['AA:BB:CC:00:01:03'], status: 'revoked', revokedMacs: ['AA:BB:CC:00:01:03'], notWhitelistedMacs: [], batch, firstAnswerLost: false }, pairedItem: { item: 0 } },
			{ json: { macs: ['AA:BB:CC:00:01:09'], status: 'notWhitelisted', revokedMacs: [], notWhitelistedMacs: ['AA:BB:CC:00:01:09'], batch, firstAnswerLost: false }, pairedItem: { item: 1 } },
		]);
	});

	it('totals that disagree after the last page stop it before anything is revoked, even with more entries than claimed', async () => {
		expectPages([
			[LIST, springPage([entry(1), entry(2)], 0, 2, 3)],
			[`${LIST}?page=1&size=2`, springPage([entry(3)], 1, 2, 2)],
		]);
		const result = await runNode({ parameters: revokeMany, items: [{ mac: entry(3).mac }] });
		expect(unmatched).toEqual([]);
		expect([result.error?.message, result.error?.description]).toEqual([
			'The Sign-In API listed 3 active whitelistings on 2 pages, but its last answer says "totalElements": 2',
			`${NO_PARTIAL} The whitelist may have changed while it was read. Run the node again; if it keeps happening, ${REPORT} Nothing was revoked: the active whitelist is read first to tell which MAC addresses were whitelisted. Turn off Check Whitelist First to revoke without it.`,
		]);
	});
});

describe('Whitelisting > Sync over pages', () => {
	const stored = taggedEntry;

	it('Preview plans on every page: entries on page 3 are unchanged, not created, and only the undesired one is revoked', async () => {
		const calls = expectPages([
			[LIST, springPage([stored(1), stored(2)], 0, 3, 5)],
			[`${LIST}?page=1&size=2`, springPage([stored(3), stored(4)], 1, 3, 5)],
			[`${LIST}?page=2&size=2`, springPage([stored(5)], 2, 3, 5)],
		]);
		const items = [1, 2, 3, 5].map((n) => ({ mac: syncMac(n), name: `Device ${n}` }));
		const result = await runNode({ parameters: syncParameters({ mode: 'preview' }), items });
		expect(calls).toHaveLength(3);
		expect(plain(result.output)).toEqual([
			{ json: { ...stored(1), status: 'unchanged' }, pairedItem: { item: 0 } },
			{ json: { ...stored(2), status: 'unchanged' }, pairedItem: { item: 1 } },
			{ json: { ...stored(3), status: 'unchanged' }, pairedItem: { item: 2 } },
			{ json: { ...stored(5), status: 'unchanged' }, pairedItem: { item: 3 } },
			{ json: { id: stored(4).id, mac: syncMac(4), name: 'Device 4', status: 'revoke' }, pairedItem: { item: 0 } },
			{ json: planItem({ unchanged: 4, revokes: 1, inScope: 5, destructiveShare: 20 }), pairedItem: { item: 0 } },
		]);
	});

	it('Apply sends nothing after a read that says there is more but gives no way on', async () => {
		expectPages([[LIST, { items: [stored(1), stored(2)], last: false }]]);
		const result = await runNode({ parameters: syncParameters(), items: [{ mac: syncMac(1), name: 'Device 1' }] });
		expect(unmatched).toEqual([]);
		expect([result.error?.message, result.error?.description]).toEqual([
			'The Sign-In API answered page 1 of the active whitelistings with "last": false, but gave no way to ask for the next page',
			`${NO_PARTIAL} ${FOLLOWED} If the Base URL is right, ${REPORT} Nothing was changed: Sync reads the active whitelist before anything else.`,
		]);
	});
});

describe('Whitelisting > Sync against the emulator\'s paged list', () => {
	beforeAll(() => nock.enableNetConnect(/127\.0\.0\.1/));

	it.each(['spring', 'next'] as PageStyle[])('%s: Apply revokes only the undesired entry, which is on page 3, and creates nothing', async (pageStyle) => {
		const token = 'paging-test-token';
		const emulator = new SignInEmulator({ token, pageSize: 2, pageStyle, seed: { whitelistings: [1, 2, 3, 4, 5].map((n) => taggedEntry(n)) } });
		await emulator.start();
		try {
			const result = await runNode({
				parameters: syncParameters(),
				items: [1, 2, 3, 4].map((n) => ({ mac: syncMac(n), name: `Device ${n}` })),
				credentials: { baseUrl: emulator.url, organizationId: 'demo-org', contextId: 'demo-context', apiToken: token },
			});
			expect(emulator.requests.map((request) => `${request.method} ${request.path.split('/modules')[1]} ${request.status}`)).toEqual([
				'GET /whitelistings/active 200',
				'GET /whitelistings/active 200',
				'GET /whitelistings/active 200',
				'POST /whitelistings/batch/remove 200',
			]);
			expect(emulator.requests[3].body).toEqual({ macs: [{ mac: syncMac(5) }] });
			expect(result.output.map((item) => [item.json.status, item.pairedItem])).toEqual([
				['unchanged', { item: 0 }],
				['unchanged', { item: 1 }],
				['unchanged', { item: 2 }],
				['unchanged', { item: 3 }],
				['revoked', { item: 0 }],
			]);
			expect(emulator.store.state.whitelistings.map((entry) => entry.mac)).toEqual([1, 2, 3, 4].map(syncMac));
		} finally {
			await emulator.stop();
		}
	});
});
