/**
 * What an error tells the user to fix when the node uses the Sign-In Organization API credential,
 * here with one Context in slot 3: the credential, the field and the Context, for a 401, a 403, a
 * connection that fails and a next-page link; and a request that the credential refused to add
 * its key to, which never left n8n and says so.
 */
import nock from 'nock';
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { NetgraphSignIn } from '../../nodes/NetgraphSignIn/NetgraphSignIn.node';
import { limiterOf } from '../../nodes/NetgraphSignIn/transport';
import { AUTO_START } from '../../nodes/NetgraphSignIn/transport/limiter';
import { BASE_URL, plain, runNode } from '../support/harness';
import { withResettingServer } from '../support/resettingServer';

// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a fake key; the harness checks it never appears in the run
const KEY = 'Oslo-Key-Not-A-Secret-07';
const ORG = 'org-group';
const PATH = `/v1/org/${ORG}/contexts/sign-in/ctx-osl`;
const oneContext = (): ICredentialDataDecryptedObject => ({
	baseUrl: BASE_URL,
	organizationId: ORG,
	contexts: { context3: { name: 'Hotel Oslo', contextId: 'ctx-osl', apiToken: KEY, baseUrl: '' } },
});
const organisation = { authentication: 'signInOrganizationApi', context: { __rl: true, mode: 'id', value: 'Hotel Oslo' } };
const createUser = { resource: 'user', operation: 'create', username: 'alice', passwordMode: 'define', password: 'Pass-1234', ...organisation, requestOptions: { maxAttempts: 1 } };
const BASE_URL_FIELD = 'the Base URL of the Sign-In Organization API credential, which Context "Hotel Oslo" (Context 3) uses';

describe('errors name the credential, the field and the Context (one Context of the organisation credential)', () => {
	/** The error of a User Create that the service answers with `status` and an empty body. */
	async function refusedWith(status: number): Promise<[string | undefined, string | undefined]> {
		nock(BASE_URL).post(`${PATH}/modules/up/create`).reply(status, '');
		const result = await runNode({ parameters: createUser, credentials: oneContext() });
		return [result.error?.message, result.error?.description];
	}

	it('401: the Context in the message, its API Key and slot in the description', async () => {
		expect(await refusedWith(401)).toEqual([
			'The Sign-In API refused the API key of Context "Hotel Oslo" (401 Unauthorized)',
			"Check the API Key of Context \"Hotel Oslo\" (Context 3) in the Sign-In Organization API credential. Keys are enabled and rotated in that Context's Sign-In Context admin under Administration > Configuration > Common Settings; if it was rotated, paste the new key into the credential.",
		]);
	});

	it('403: the Context in the message, the Organization ID and its Context ID in the description', async () => {
		expect(await refusedWith(403)).toEqual([
			'The Sign-In API denied access to Context "Hotel Oslo" (403 Forbidden)',
			"Either this n8n server's public IP address is not on the Organization's Administrator portal IP whitelist (ask an Organization admin to add it under the Admin Portal network access settings), or the Organization ID, or the Context ID of Context \"Hotel Oslo\" (Context 3), in the Sign-In Organization API credential is wrong (copy both from the dashboard instructions on the Organization's admin home page).",
		]);
	});

	it('a reset connection: the Context in the message, the Base URL it uses in the description', async () => {
		const { result } = await withResettingServer(async (baseUrl, port) => ({
			port,
			run: await runNode({ parameters: createUser, credentials: { ...oneContext(), baseUrl } }),
		}));
		expect([result.run.error?.message, result.run.error?.description]).toEqual([
			`Could not reach the Sign-In API at 127.0.0.1:${result.port} for Context "Hotel Oslo"`,
			`The request could not be completed: the connection was reset (ECONNRESET). Check ${BASE_URL_FIELD} and that this n8n server can reach that host. The request may have been applied before its answer was lost.`,
		]);
	});

	it('a next-page link away from the Context: the Context in the message, its key and Base URL in the description', async () => {
		nock(BASE_URL)
			.get(`${PATH}/modules/whitelistings/active`)
			.reply(200, { items: [{ id: 'w-1', mac: 'AA:BB:CC:00:00:01' }], next: 'https://elsewhere.test/list' });
		const result = await runNode({ parameters: { resource: 'whitelisting', operation: 'getAll', returnAll: true, ...organisation }, credentials: oneContext() });
		expect([result.error?.message, result.error?.description]).toEqual([
			"The Sign-In API's next page link on page 1 of the active whitelistings for Context \"Hotel Oslo\" leads to https://elsewhere.test/list, outside the configured Sign-In API",
			`No partial list was used. The API key is only sent to ${BASE_URL}${PATH}, so the rest of the list was not read. Check ${BASE_URL_FIELD}; a proxy in front of the API may rewrite its links.`,
		]);
	});
});

describe('a request the credential refused to add its key to', () => {
	/** The node, telling the test the window its Context's limiter has after the run. */
	function observed(seen: { window?: number }): INodeType {
		const node = new NetgraphSignIn();
		return Object.assign(Object.create(node) as INodeType, {
			async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
				try {
					return await node.execute.call(this);
				} finally {
					seen.window = limiterOf(this, 0).limit;
				}
			},
		});
	}

	it('says it was not sent, is not retried, and does not shrink the window (the credential was edited during the run)', async () => {
		const credentials = oneContext();
		const slot = (credentials.contexts as IDataObject).context3 as IDataObject;
		const sent: unknown[] = [];
		nock(BASE_URL)
			.put(`${PATH}/modules/up/update`)
			.reply(function (_uri, body) {
				sent.push(body);
				// Someone points the slot at another Context while the run goes on.
				slot.contextId = 'ctx-osl-new';
				return [200, body as IDataObject];
			});
		const seen: { window?: number } = {};
		const result = await runNode({
			parameters: { resource: 'user', operation: 'update', username: 'alice', passwordMode: 'define', password: '={{ $json.password }}', ...organisation },
			// The same account twice: the second update waits for the first.
			items: [{ password: 'Pass-1111' }, { password: 'Pass-2222' }],
			credentials,
			continueOnFail: true,
			nodeType: observed(seen),
		});
		expect(sent).toEqual([{ username: 'alice', password: 'Pass-1111' }]);
		expect(plain(result.output)).toEqual([
			{ json: { username: 'alice', passwordGenerated: false, signInContext: 'Hotel Oslo', signInContextId: 'ctx-osl' }, pairedItem: { item: 0 } },
			{
				json: {
					error: `The PUT request for Context "Hotel Oslo" was not sent: No Context of the Sign-In Organization API credential is at ${BASE_URL}${PATH}/modules/up/update. A Context's API key is only sent to that Context's own address, so this request was stopped before it was sent`,
					description: `The Sign-In Organization API credential refused to add its key to the request. It never left n8n, so it changed nothing. It is not retried: it would be refused again. If the credential was edited during the run, run the node again; otherwise check ${BASE_URL_FIELD}.`,
					signInContext: 'Hotel Oslo',
					signInContextId: 'ctx-osl',
				},
				pairedItem: { item: 1 },
			},
		]);
		// The clean answer grew the window by one; the refusal, which the service never saw, took nothing off.
		expect(seen.window).toBe(AUTO_START + 1);
	});
});
