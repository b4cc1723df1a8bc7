import { PASSWORD_ALPHABETS, generatePassword } from '../../nodes/NetgraphSignIn/helpers/password';

describe('generatePassword', () => {
	it('has the asked length and one of each character class', () => {
		for (const length of [8, 16, 128]) {
			const password = generatePassword(length, false);
			expect([...password]).toHaveLength(length);
			expect(password).toMatch(new RegExp(`[${PASSWORD_ALPHABETS.LOWER}]`));
			expect(password).toMatch(new RegExp(`[${PASSWORD_ALPHABETS.UPPER}]`));
			expect(password).toMatch(new RegExp(`[${PASSWORD_ALPHABETS.DIGITS}]`));
			expect(password).toMatch(/^[A-Za-z2-9]+$/);
			expect(password).not.toMatch(/[0O1lI]/);
		}
	});

	it('adds symbols only when asked', () => {
		for (let i = 0; i < 50; i++) expect(generatePassword(16, true)).toMatch(/[-_.!#%+=]/);
	});

	it('does not repeat itself', () => {
		const seen = new Set(Array.from({ length: 1000 }, () => generatePassword(12, false)));
		expect(seen.size).toBe(1000);
	});
});
