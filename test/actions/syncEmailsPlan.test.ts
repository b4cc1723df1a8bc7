import { inEmailScope, planPolicyRemoves } from '../../nodes/NetgraphSignIn/actions/accessPolicy/syncEmailsPlan';

const lower = (emails: string[]) => new Set(emails.map((email) => email.toLowerCase()));

describe('Sync E-Mails plan (pure)', () => {
	it('removes what is in Scope and named by no item; Addresses Only leaves wildcards alone', () => {
		expect(
			planPolicyRemoves({
				scope: { kind: 'addresses' },
				policyEmails: ['old@acme.com', 'keep@acme.com', '*@partner.example', 'new@acme.com'],
				desired: lower(['keep@acme.com', 'new@acme.com']),
				mayHaveAdded: lower(['new@acme.com']),
			}),
		).toEqual({ removes: ['old@acme.com'], kept: [], ownedBefore: 2 });
	});

	it('the valve base leaves out what this run may have added, and keeps what the policy held as it spells it', () => {
		expect(
			planPolicyRemoves({
				scope: { kind: 'all' },
				policyEmails: ['Old@Acme.com', 'a@x.com', 'b@x.com'],
				desired: lower(['a@x.com', 'b@x.com']),
				mayHaveAdded: lower(['a@x.com', 'b@x.com']),
			}),
		).toEqual({ removes: ['Old@Acme.com'], kept: [], ownedBefore: 1 });
	});

	it('keeps a wildcard that may be what lets in an input e-mail the policy does not hold as itself', () => {
		expect(
			planPolicyRemoves({
				scope: { kind: 'all' },
				policyEmails: ['*@acme.com', '*@*.other.io', 'x@other.io'],
				desired: lower(['alice@acme.com']),
				mayHaveAdded: new Set(),
			}),
		).toEqual({ removes: ['*@*.other.io', 'x@other.io'], kept: [{ email: '*@acme.com', covers: ['alice@acme.com'] }], ownedBefore: 3 });
	});

	it('e-mails held by invalid items (in desired) are never removed', () => {
		expect(
			planPolicyRemoves({
				scope: { kind: 'addresses' },
				policyEmails: ['held@x.com', 'old@x.com'],
				desired: lower(['held@x.com']),
				mayHaveAdded: new Set(),
			}).removes,
		).toEqual(['old@x.com']);
	});

	it.each([
		[{ kind: 'addresses' } as const, 'bob@acme.com', true],
		[{ kind: 'addresses' } as const, '*@acme.com', false],
		[{ kind: 'all' } as const, '*@*.acme.com', true],
		[{ kind: 'domain', domain: 'acme.com' } as const, 'bob@eu.acme.com', true],
		[{ kind: 'domain', domain: 'acme.com' } as const, '*@*.acme.com', true],
		[{ kind: 'domain', domain: 'acme.com' } as const, 'x@acme.com.evil.io', false],
		[{ kind: 'domain', domain: 'acme.com' } as const, 'eve@notacme.com', false],
	])('Scope %j holds %s: %s', (scope, email, expected) => {
		expect(inEmailScope(scope, email)).toBe(expected);
	});

	it('Matching a Domain removes only the entries for that domain or a subdomain', () => {
		expect(
			planPolicyRemoves({
				scope: { kind: 'domain', domain: 'acme.com' },
				policyEmails: ['a@acme.com', 'b@eu.acme.com', 'c@other.io', '*@acme.com'],
				desired: new Set(),
				mayHaveAdded: new Set(),
			}),
		).toEqual({ removes: ['a@acme.com', 'b@eu.acme.com', '*@acme.com'], kept: [], ownedBefore: 3 });
	});
});
