/** How one answer of the active-whitelistings list says what follows, and the bound on pages. */
import type { IDataObject, ILoadOptionsFunctions, INode } from 'n8n-workflow';

import { MAX_LIST_PAGES, listActive } from '../../nodes/NetgraphSignIn/actions/whitelisting/shared';
import { entryKey, pathBelowContext, readListPage } from '../../nodes/NetgraphSignIn/actions/whitelisting/paging';
import { BASE_URL, CONTEXT_PATH, defaultCredentials } from '../support/harness';

const a = { id: 'A', mac: 'aa-bb-cc-00-00-01' };

describe('readListPage', () => {
	it.each([
		['a top-level array is the whole list', [a], 0, { entries: [a] }],
		['a Spring page with more asks for the next number with the size reported', { content: [a], number: 0, size: 1, totalPages: 2, totalElements: 2, last: false }, 0, { entries: [a], number: 0, total: 2, totalSaid: '"totalElements": 2', next: { page: 1, size: 1 }, claimsMore: '"last": false' }],
		['a Spring page without a number counts from the page asked for', { content: [a], totalPages: 3 }, 1, { entries: [a], number: undefined, total: undefined, next: { page: 2, size: undefined }, claimsMore: '"totalPages": 3 at "number": 1' }],
		['the last Spring page has no next', { content: [a], number: 1, totalPages: 2, last: true }, 1, { entries: [a], number: 1, total: undefined }],
		['"last": true wins over page counts', { content: [a], number: 0, totalPages: 2, last: true }, 0, { entries: [a], number: 0, total: undefined }],
		['a next link wins over everything else', { items: [a], next: '/x', hasMore: true }, 0, { entries: [a], number: undefined, total: undefined, next: { link: '/x' } }],
		['links.next as {href}', { items: [a], links: { next: { href: '/y' } } }, 0, { entries: [a], number: undefined, total: undefined, next: { link: '/y' } }],
		['"has_more": true without a link claims more', { data: [a], has_more: true }, 0, { entries: [a], number: undefined, total: undefined, claimsMore: '"has_more": true' }],
		['a cursor without a link claims more', { data: [a], nextCursor: 'c2' }, 0, { entries: [a], number: undefined, total: undefined, claimsMore: '"nextCursor": "c2"' }],
		['an empty or null next is the end', { items: [a], next: '', nextPageToken: null }, 0, { entries: [a], number: undefined, total: undefined }],
	] as Array<[string, unknown, number, IDataObject]>)('%s', (_, body, requested, page) => {
		expect(readListPage(body, requested)).toEqual(page);
	});

	it.each([
		['a Link header\'s rel="next" among others', [a], { link: '<https://api.test/x?page=1>; rel="prev", <https://api.test/x?page=3>; rel="next"' }, { entries: [a], next: { link: 'https://api.test/x?page=3' } }],
		['rel as a list, unquoted or in capitals', { items: [a] }, { Link: '<https://api.test/y>; title="a, b"; REL="last Next"' }, { entries: [a], next: { link: 'https://api.test/y' } }],
		['a Link header without rel="next" is the end', [a], { link: '<https://api.test/x?page=1>; rel="first", <https://api.test/next>; rel=prev' }, { entries: [a] }],
		['X-Total-Count is the whole list\'s size', [a], { 'x-total-count': '7' }, { entries: [a], total: 7, totalSaid: 'the header "X-Total-Count: 7"' }],
		['totalElements wins over X-Total-Count', { content: [a], totalElements: 1 }, { 'x-total-count': '7' }, { entries: [a], total: 1, totalSaid: '"totalElements": 1' }],
		['a body link wins over a Link header', { items: [a], next: '/x' }, { link: '</y>; rel="next"' }, { entries: [a], next: { link: '/x' } }],
	] as Array<[string, unknown, IDataObject, IDataObject]>)('paging said in headers: %s', (_, body, headers, page) => {
		expect(readListPage(body, 0, headers)).toEqual(page);
	});

	it('an answer without a list is not a page', () => {
		expect(readListPage({ page: 1 }, 0)).toBeUndefined();
	});
});

describe('pathBelowContext', () => {
	const context = `${BASE_URL}${CONTEXT_PATH}`;
	const request = `${context}/modules/whitelistings/active`;
	it.each([
		['an absolute link on the Context', `${context}/modules/whitelistings/active?page=2`, '/modules/whitelistings/active?page=2'],
		['a link relative to the request', 'active?cursor=b', '/modules/whitelistings/active?cursor=b'],
		['a link relative to the host', `${CONTEXT_PATH}/modules/whitelistings/active?cursor=b`, '/modules/whitelistings/active?cursor=b'],
		['another origin', `https://elsewhere.test${CONTEXT_PATH}/modules/whitelistings/active`, undefined],
		['another port', `https://api.signin.test:8443${CONTEXT_PATH}/modules/whitelistings/active`, undefined],
		['a Context whose id starts with this one', `${BASE_URL}${CONTEXT_PATH}0/modules/whitelistings/active`, undefined],
		['encoded dot segments out of the Context', `${context}/%2e%2e/ctx-43/modules/whitelistings/active`, undefined],
		['a link that is no URL', 'http://[', undefined],
	])('%s', (_, link, path) => {
		expect(pathBelowContext(link, request, context)).toBe(path);
	});
});

it('entryKey tells entries apart by id and MAC together, in any spelling', () => {
	expect(entryKey({ id: 'A', mac: 'aa-bb-cc-00-00-01' })).toBe(entryKey({ id: 'a', mac: 'AA:BB:CC:00:00:01' }));
	expect(entryKey({ id: 'A', mac: 'AA:BB:CC:00:00:01' })).not.toBe(entryKey({ id: 'A', mac: 'AA:BB:CC:00:00:02' }));
});

it(`listActive stops after ${MAX_LIST_PAGES} pages of a list that never ends`, async () => {
	const urls: string[] = [];
	const context = {
		getNode: () => ({ name: 'Sign-In', type: 'netgraphSignIn', typeVersion: 1, position: [0, 0], parameters: {} }) as unknown as INode,
		getCredentials: async () => defaultCredentials,
		getNodeParameter: (_: string, fallback: unknown) => fallback,
		logger: { warn: () => undefined },
		helpers: {
			httpRequestWithAuthentication: async (_: string, options: { url: string }) => {
				urls.push(options.url);
				return { statusCode: 200, body: JSON.stringify({ items: [{ id: String(urls.length) }], next: `?cursor=${urls.length}` }) };
			},
		},
	} as unknown as ILoadOptionsFunctions;
	await expect(listActive.call(context, 0)).rejects.toMatchObject({
		message: `The Sign-In API's list of active whitelistings went on past ${MAX_LIST_PAGES} pages`,
		description: "No partial list was used. The paging does not seem to end. Run the node again; if it keeps happening, please report this to the node's maintainers.",
	});
	expect([urls.length, urls[1], urls[MAX_LIST_PAGES - 1]]).toEqual([
		MAX_LIST_PAGES,
		`${BASE_URL}${CONTEXT_PATH}/modules/whitelistings/active?cursor=1`,
		`${BASE_URL}${CONTEXT_PATH}/modules/whitelistings/active?cursor=${MAX_LIST_PAGES - 1}`,
	]);
});
