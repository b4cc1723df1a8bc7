import { randomInt } from 'crypto';

/** No 0/O, 1/l/I: guests type these passwords from a card or a screen. */
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '-_.!#%+=';

/**
 * A password from the operating system's cryptographically secure source, with at least one
 * lower-case letter, upper-case letter and digit (and symbol, when asked), so that the usual
 * password policies accept it.
 */
export function generatePassword(length: number, includeSymbols: boolean): string {
	const classes = includeSymbols ? [LOWER, UPPER, DIGITS, SYMBOLS] : [LOWER, UPPER, DIGITS];
	const alphabet = classes.join('');
	const chars = classes.map((set) => set[randomInt(set.length)]);
	while (chars.length < length) chars.push(alphabet[randomInt(alphabet.length)]);
	for (let i = chars.length - 1; i > 0; i--) {
		const j = randomInt(i + 1);
		[chars[i], chars[j]] = [chars[j], chars[i]];
	}
	return chars.join('');
}

export const PASSWORD_ALPHABETS = { LOWER, UPPER, DIGITS, SYMBOLS };
