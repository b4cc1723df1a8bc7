/**
 * Upgrading from 0.1.0: the workflows 0.1.0 saved (its examples and one saved node for each of
 * its operations and options, scripts/upgrade.ts) run with today's package in n8n 2.41.1 and in
 * the n8n 1.x of the compatibility suite, and must send the Sign-In API the same requests and give
 * the same outputs as 0.1.0 did (test/e2e/fixtures/upgrade-0.1.0.json, `npm run
 * upgrade:baseline`), except for the breaking changes below, each applied to 0.1.0's recording
 * by a function named after it, for the cases it reaches.
 */
import { ADDED_UNKNOWN } from '../../nodes/NetgraphSignIn/actions/accessPolicy/shared';
import type { StoredWhitelisting } from '../../emulator/store';
import { N8N_1X_VERSION, N8N_VERSION, majorOf } from '../../scripts/n8n';
import { UPGRADE_CASES, readFixture, runUpgradeCases, type CaseRecord, type UpgradeCase } from '../../scripts/upgrade';
import { useStack } from './drive';

type Item = Record<string, unknown>;
type Change = (baseline: CaseRecord, upgradeCase: UpgradeCase) => CaseRecord;

/** The items `node` gave, changed by `change` where it is not an error item (Continue On Fail). */
function changeItems(node: string, change: (item: Item) => Item): Change {
	return (baseline) => ({
		...baseline,
		output: { ...baseline.output, [node]: baseline.output[node].map((item) => ('error' in (item as Item) ? item : change(item as Item))) },
	});
}

const lowerCased = (emails: string[]) => new Set(emails.map((email) => email.toLowerCase()));

/** Which requested e-mails the policy holds after the request, and its size. */
function policyKeys(item: Item): Item {
	const policy = lowerCased(item.policyEmails as string[]);
	const requested = item.requestedEmails as string[];
	return {
		presentEmails: requested.filter((email) => policy.has(email.toLowerCase())),
		absentEmails: requested.filter((email) => !policy.has(email.toLowerCase())),
		firstAnswerLost: false,
		policyEmailCount: (item.policyEmails as string[]).length,
	};
}

/** Breaking: Add Emails' `addedEmails` is null (0.1.0 claimed a list the API never gives); `acceptedEmails` and the policy keys are new. */
const addEmailsSaysAddedEmailsUnknown = (node: string) =>
	changeItems(node, (item) => {
		const warned = lowerCased((item.warnings as Array<{ email: string }>).map((warning) => warning.email));
		return {
			...item,
			addedEmails: null,
			acceptedEmails: (item.requestedEmails as string[]).filter((email) => !warned.has(email.toLowerCase())),
			addedEmailsUnknown: ADDED_UNKNOWN,
			...policyKeys(item),
		};
	});

/** Breaking: Remove Emails' output gains presentEmails, absentEmails, firstAnswerLost and policyEmailCount. */
const removeEmailsGainsPolicyKeys = (node: string) => changeItems(node, (item) => ({ ...item, ...policyKeys(item) }));

/** The case's start state's active whitelist, as the emulator lists it (entries without an end date or ending after today, UTC). */
function activeWhitelist(upgradeCase: UpgradeCase): StoredWhitelisting[] {
	const today = new Date().toISOString().slice(0, 10);
	return (upgradeCase.state.whitelistings ?? []).filter((entry) => entry.toDate === null || entry.toDate > today);
}

/**
 * Breaking: Revoke Many reads the active list once before its first request and reports each MAC
 * as revoked or notWhitelisted (0.1.0 said `revoked` always). Whitelisted means active in the
 * case's start state (none of these cases whitelists a MAC it revokes).
 */
const revokeManyReadsTheWhitelistFirst =
	(node: string): Change =>
	(baseline, upgradeCase) => {
		const first = baseline.requests.findIndex((request) => request.path === '/modules/whitelistings/batch/remove');
		const requests = [...baseline.requests];
		requests.splice(first, 0, { method: 'GET', path: '/modules/whitelistings/active', body: null });
		const active = new Set(activeWhitelist(upgradeCase).map((entry) => entry.mac));
		return changeItems(node, (item) => {
			const macs = item.macs as string[];
			const revokedMacs = macs.filter((mac) => active.has(mac));
			const notWhitelistedMacs = macs.filter((mac) => !active.has(mac));
			const status = revokedMacs.length === macs.length ? 'revoked' : notWhitelistedMacs.length === macs.length ? 'notWhitelisted' : 'mixed';
			return { ...item, status, revokedMacs, notWhitelistedMacs, firstAnswerLost: false };
		})({ ...baseline, requests }, upgradeCase);
	};

/**
 * Breaking: Revoke Many batches by MAC: a MAC named by several items is sent once, so a request
 * of 0.1.0 that only repeated MACs already sent is gone, and an item whose MACs an earlier item
 * named shares that item's request and counts.
 */
const revokeManySendsEachMacOnce =
	(node: string): Change =>
	(baseline) => {
		const sent = new Set<string>();
		const requests = baseline.requests.filter((request) => {
			if (request.path !== '/modules/whitelistings/batch/remove') return true;
			const macs = (request.body as { macs: Array<{ mac: string }> }).macs.map((entry) => entry.mac);
			const repeats = macs.every((mac) => sent.has(mac));
			for (const mac of macs) sent.add(mac);
			return !repeats;
		});
		const items = baseline.output[node] as Item[];
		const output = items.map((item, index) => {
			const earlier = items.slice(0, index).find((other) => (item.macs as string[]).every((mac) => (other.macs as string[]).includes(mac)));
			return earlier ? { ...item, batch: earlier.batch } : item;
		});
		return { ...baseline, requests, output: { ...baseline.output, [node]: output } };
	};

/**
 * Breaking: User Delete takes "not found" only from the API's own error body; a bare 404 (an
 * address that is not the API) is an error, here an error item under Continue On Fail.
 */
const userDeleteNotFoundOnlyFromTheApisBody = (node: string) =>
	changeItems(node, () => ({
		error: 'The Sign-In API has no such endpoint (404 Not Found)',
		description:
			"The answer is not in any of the Sign-In API's error formats, so it does not say that a user or entry is missing: the address is probably not the Sign-In API. Check the Base URL in the Sign-In Context API credential: it is the API base URL from the dashboard instructions (scheme and host, plus a path prefix if your Organization has one), without /v1/....",
	}));

/** Breaking: Get Many follows the list's pages (0.1.0 took the first page for the whole list): one GET per page, every entry. */
const getManyFollowsPaging =
	(node: string): Change =>
	(baseline, upgradeCase) => {
		const entries = activeWhitelist(upgradeCase);
		const pages = Math.ceil(entries.length / (upgradeCase.emulator?.pageSize ?? entries.length));
		const read = baseline.requests[0];
		return { ...baseline, requests: Array.from({ length: pages }, () => read), output: { ...baseline.output, [node]: entries } };
	};

/** Breaking: Get Many's Limit must be a whole number of at least 1 (0.1.0 gave no entries for 0); the run fails before any request. */
const getManyRefusesALimitBelowOne =
	(node: string): Change =>
	(baseline) => ({
		requests: [],
		output: Object.fromEntries(Object.entries(baseline.output).filter(([name]) => name !== node)),
		error: { node, message: '[item 0] Limit 0 must be a whole number of at least 1' },
	});

/** Breaking (wording): the Access Policy field's label is "Emails", in error texts too (0.1.0: "E-Mails"). */
const errorTextsSayEmails =
	(node: string): Change =>
	(baseline) => ({
		...baseline,
		output: {
			...baseline.output,
			[node]: baseline.output[node].map((item) =>
				'error' in (item as Item) ? Object.fromEntries(Object.entries(item as Item).map(([key, value]) => [key, String(value).split('E-Mails').join('Emails')])) : item,
			),
		},
	});

/** The breaking changes each case meets; a case not listed must behave exactly as in 0.1.0. */
const BREAKING: Record<string, Change[]> = {
	'example attendee access policy sync': [addEmailsSaysAddedEmailsUnknown('Allow registered attendees'), removeEmailsGainsPolicyKeys('Remove cancelled attendees')],
	'example device inventory whitelist sync': [revokeManyReadsTheWhitelistFirst('Revoke retired devices')],
	'User Delete: Succeed If Not Found and a bare 404, under Continue On Fail': [userDeleteNotFoundOnlyFromTheApisBody('Sign-In')],
	'Access Policy Add Emails: two items for one policy': [addEmailsSaysAddedEmailsUnknown('Sign-In')],
	'Access Policy Add Emails: 101 items for one policy': [addEmailsSaysAddedEmailsUnknown('Sign-In')],
	'Access Policy Add Emails: an invalid e-mail under Continue On Fail': [addEmailsSaysAddedEmailsUnknown('Sign-In'), errorTextsSayEmails('Sign-In')],
	'Access Policy Remove Emails: two items for one policy, revoking sign-ins': [removeEmailsGainsPolicyKeys('Sign-In')],
	'Access Policy Remove Emails: two items for one policy, keeping sign-ins': [removeEmailsGainsPolicyKeys('Sign-In')],
	'Whitelisting Revoke Many: batch size 2, three items, a MAC not whitelisted': [revokeManyReadsTheWhitelistFirst('Sign-In')],
	'Whitelisting Get Many: Return All from a list answered in pages of 2': [getManyFollowsPaging('Sign-In')],
	'Whitelisting Get Many: Limit 0 by expression': [getManyRefusesALimitBelowOne('Sign-In')],
	'Whitelisting Revoke Many: one MAC named by two items in two batches': [revokeManySendsEachMacOnce('Sign-In'), revokeManyReadsTheWhitelistFirst('Sign-In')],
};

const fixture = readFixture();

describe('the upgrade recording', () => {
	it('holds every upgrade case, recorded from release 0.1.0', () => {
		expect(Object.keys(fixture.cases).sort()).toEqual(UPGRADE_CASES.map((upgradeCase) => upgradeCase.name).sort());
		expect(fixture.header).toMatchObject({ recordedFrom: expect.stringContaining('bca0ff3'), n8nVersion: N8N_VERSION, command: 'npm run upgrade:baseline' });
	});

	it('names only cases it has in its breaking changes', () => {
		expect(Object.keys(BREAKING).filter((name) => !(name in fixture.cases))).toEqual([]);
	});
});

for (const n8nVersion of [N8N_VERSION, N8N_1X_VERSION]) {
	describe(`0.1.0 workflows with today's package in n8n ${n8nVersion}`, () => {
		const context = useStack(`upgrade-${majorOf(n8nVersion)}x`, { n8nVersion });
		let records: Record<string, CaseRecord> = {};
		beforeAll(async () => {
			records = await runUpgradeCases(context.stack, context.credentialId);
		}, 15 * 60 * 1000);

		for (const upgradeCase of UPGRADE_CASES) {
			it(upgradeCase.name, () => {
				const expected = (BREAKING[upgradeCase.name] ?? []).reduce((record, change) => change(record, upgradeCase), fixture.cases[upgradeCase.name]);
				expect(records[upgradeCase.name]).toEqual(expected);
			});
		}
	});
}
