/**
 * The Sign-In Organization API credential's test, through n8n-core's own credential-test context
 * (its request helper is the one n8n runs), with nock at the HTTP boundary: Contexts checked side
 * by side, and a test that ends at its bound, naming every Context that failed, did not answer
 * in time or was not checked. The bounds are made small here; the editor's are CHECK_BOUNDS.
 */
import { CredentialTestContext } from 'n8n-core';
import nock from 'nock';
import type { ICredentialDataDecryptedObject, IDataObject, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { CHECK_BOUNDS, testContextsWithin, testOrganizationContexts, type CheckBounds } from '../../nodes/NetgraphSignIn/methods/credentialTest';
import { BASE_URL } from '../support/harness';

const ORG = 'org-group';
const HOTELS = ['Stockholm', 'Oslo', 'Bergen', 'Tromso', 'Malmo'];
const idOf = (hotel: string) => `ctx-${hotel.toLowerCase()}`;
const keyOfHotel = (hotel: string) => `key-${hotel.toLowerCase()}-not-a-secret`;
const activePath = (hotel: string) => `/v1/org/${ORG}/contexts/sign-in/${idOf(hotel)}/modules/whitelistings/active`;

function credential(hotels: string[]): ICredentialDataDecryptedObject {
	const contexts: IDataObject = {};
	hotels.forEach((hotel, index) => (contexts[`context${index + 1}`] = { name: `Hotel ${hotel}`, contextId: idOf(hotel), apiToken: keyOfHotel(hotel), baseUrl: '' }));
	return { baseUrl: BASE_URL, organizationId: ORG, contexts };
}

const tester = () => new CredentialTestContext({} as IWorkflowExecuteAdditionalData);
const decrypted = (data: ICredentialDataDecryptedObject) => ({ id: 'c', name: 'n', type: 'signInOrganizationApi', data });
const testWithin = async (data: ICredentialDataDecryptedObject, bounds: CheckBounds) => await testContextsWithin.call(tester(), decrypted(data), bounds);

afterEach(() => {
	// Answers held back past the test's bound are never sent.
	nock.abortPendingRequests();
});

describe('the Sign-In Organization API credential test, side by side and bounded', () => {
	it('sends every Context its check before any of them answers, each with its own key', async () => {
		const hotels = HOTELS.slice(0, 3);
		const arrived: Array<{ path: string; key: unknown }> = [];
		const held: Array<() => void> = [];
		for (const hotel of hotels) {
			nock(BASE_URL)
				.get(activePath(hotel))
				.reply(function (uri, _body, callback) {
					arrived.push({ path: uri, key: this.req.headers['x-auth-token'] });
					held.push(() => callback(null, [200, '[]']));
					// Each answer waits until all checks were sent: one after another, the first would wait forever.
					if (held.length === hotels.length) for (const release of held) release();
				});
		}
		expect(await testOrganizationContexts.call(tester(), decrypted(credential(hotels)))).toEqual({
			status: 'OK',
			message: 'All 3 Contexts answered: "Hotel Stockholm", "Hotel Oslo" and "Hotel Bergen".',
		});
		expect(arrived).toHaveLength(3);
		expect(arrived).toEqual(expect.arrayContaining(hotels.map((hotel) => ({ path: activePath(hotel), key: keyOfHotel(hotel) }))));
	});

	it('ends at its bound, naming each Context that failed and each that did not answer in time', async () => {
		nock(BASE_URL).get(activePath('Stockholm')).reply(200, '[]');
		nock(BASE_URL).get(activePath('Oslo')).reply(401, '{}');
		nock(BASE_URL).get(activePath('Bergen')).delay(60_000).reply(200, '[]');
		nock(BASE_URL).get(activePath('Tromso')).delay(60_000).reply(200, '[]');
		expect(await testWithin(credential(HOTELS.slice(0, 4)), { atOnce: 10, perContextMs: 5_000, overallMs: 3_000 })).toEqual({
			status: 'Error',
			message:
				'3 of 4 Contexts failed or did not answer in time. Hotel Oslo: The API token was refused (401). Check the API Key; if it was rotated, copy the new one from the Sign-In Context admin: Administration > Configuration > Common Settings. No answer in time (the test waits 5 seconds for each Context and 3 seconds in all) from "Hotel Bergen" and "Hotel Tromso": check that this n8n server can reach their Base URL, then test again.',
		});
	});

	it('names the Contexts it had no time left to check', async () => {
		nock(BASE_URL).get(activePath('Stockholm')).delay(60_000).reply(200, '[]');
		nock(BASE_URL).get(activePath('Oslo')).delay(60_000).reply(200, '[]');
		expect(await testWithin(credential(HOTELS), { atOnce: 2, perContextMs: 2_000, overallMs: 500 })).toEqual({
			status: 'Error',
			message:
				'5 of 5 Contexts failed or did not answer in time. No answer in time (the test waits 2 seconds for each Context and 0.5 seconds in all) from "Hotel Stockholm" and "Hotel Oslo": check that this n8n server can reach their Base URL, then test again. Not checked, as the test\'s 0.5 seconds ran out first: "Hotel Bergen", "Hotel Tromso" and "Hotel Malmo".',
		});
	});

	it('counts a Context whose own check timed out as not answering', async () => {
		nock(BASE_URL).get(activePath('Oslo')).delay(60_000).reply(200, '[]');
		expect(await testWithin(credential(['Oslo']), { atOnce: 10, perContextMs: 200, overallMs: 20_000 })).toEqual({
			status: 'Error',
			message:
				'1 of 1 Context failed or did not answer in time. No answer in time (the test waits 0.2 seconds for each Context and 20 seconds in all) from "Hotel Oslo": check that this n8n server can reach their Base URL, then test again.',
		});
	});

	it("keeps the editor's test within half of a common proxy's 60-second limit, a few Contexts at a time", () => {
		expect(CHECK_BOUNDS).toEqual({ atOnce: 10, perContextMs: 15_000, overallMs: 30_000 });
	});
});
