import { excerpt } from '../../nodes/NetgraphSignIn/transport/errors';
import { readBody, redact, redactDeep } from '../../nodes/NetgraphSignIn/transport/redact';

const SECRET = 'abc-secret-123';

describe('redact', () => {
	it('replaces every occurrence, and nothing without a secret', () => {
		expect(redact(`${SECRET}/${SECRET}`, SECRET)).toBe('[redacted]/[redacted]');
		expect(redact(`x ${SECRET}`, '')).toBe(`x ${SECRET}`);
	});

	const MIXED = 'Ab-Secret-123';
	const percent = (text: string) => [...text].map((char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`).join('');

	it.each([
		['in another letter case', MIXED.toLowerCase()],
		['in upper case', MIXED.toUpperCase()],
		['URL-encoded, every character', percent(MIXED)],
		['URL-encoded in lower-case hex, in another letter case', percent(MIXED.toLowerCase()).toLowerCase()],
		['URL-encoded in part', `A${percent('b-S')}ecret-123`],
		['as decimal and hex character references', [...MIXED].map((char, i) => (i % 2 ? `&#${char.charCodeAt(0)};` : `&#x${char.charCodeAt(0).toString(16)};`)).join('')],
		['split by HTML tags', 'Ab-Se<b>cre</b>t-1<span class="x">23'],
	])('finds the secret %s', (_, spelled) => {
		expect(redact(`x ${spelled} y`, MIXED)).toBe('x [redacted] y');
	});

	it('finds the secret base64-encoded at any alignment, in the standard and the URL-safe alphabet', () => {
		const secret = 'Ab?Secret>123~';
		for (const lead of ['', 'u', 'us', 'user:']) {
			const encoded = Buffer.from(`${lead}${secret}`).toString('base64');
			const redacted = redact(`Basic ${encoded}`, secret);
			const urlSafe = redact(encoded.replace(/\+/g, '-').replace(/\//g, '_'), secret);
			for (const text of [redacted, urlSafe]) {
				// What is left around it encodes the lead and at most the secret's first and last character, in part.
				expect(text).toMatch(/^(Basic )?[A-Za-z0-9+/_-]{0,8}\[redacted\][A-Za-z0-9+/_=-]{0,4}$/);
			}
		}
	});

	it('leaves text that only resembles the secret', () => {
		expect(redact('Ab-Secret-12 b-Secret-123 Ab-Secret%2D12', MIXED)).toBe('Ab-Secret-12 b-Secret-123 Ab-Secret%2D12');
	});
});

describe('redactDeep', () => {
	it('redacts strings and keys at any depth', () => {
		expect(redactDeep({ [SECRET]: [{ note: `by ${SECRET}` }, 1, null] }, SECRET)).toEqual({ '[redacted]': [{ note: 'by [redacted]' }, 1, null] });
	});

	it('returns the very value when nothing in it holds the secret, so a large answer is not copied', () => {
		const list = Array.from({ length: 3 }, (_, i) => ({ id: `e-${i}`, tags: ['a'] }));
		expect(redactDeep(list, SECRET)).toBe(list);
	});
});

describe('readBody', () => {
	it('redacts the text before parsing, and keeps text that is not JSON as redacted text', () => {
		expect(readBody(`oops ${SECRET}`, SECRET)).toEqual({ text: 'oops [redacted]', body: 'oops [redacted]', isJson: false });
		expect(readBody('  ', SECRET)).toEqual({ text: '  ', body: undefined, isJson: false });
	});

	it('redacts the parsed value when the JSON spells the secret with \\u escapes', () => {
		const raw = `{"by":"\\u0061${SECRET.slice(1)}"}`;
		expect(readBody(raw, SECRET)).toEqual({ text: raw, body: { by: '[redacted]' }, isJson: true });
	});

	it('redacts a secret with a slash written \\/', () => {
		expect(readBody('["a\\/b-123"]', 'a/b-123').body).toEqual(['[redacted]']);
	});

	it('redacts a secret with a quote written \\"', () => {
		expect(readBody('{"by":"a\\"b-123"}', 'a"b-123').body).toEqual({ by: '[redacted]' });
	});
});

describe('excerpt', () => {
	it('decodes character references, then redacts, then cuts', () => {
		const spelled = [...SECRET].map((char) => `&#x${char.charCodeAt(0).toString(16)};`).join('');
		expect(excerpt(`<p>Token ${spelled} &amp; more</p>`, SECRET)).toBe('Token [redacted] & more');
		expect(excerpt(`${'x'.repeat(190)}${SECRET}${'y'.repeat(50)}`, SECRET)).toBe(`${'x'.repeat(190)}[redact...`);
	});

	it('redacts a secret split by HTML tags before stripping them, so that no part of it is left', () => {
		expect(excerpt(`<p>Token ${SECRET.slice(0, 5)}<b>${SECRET.slice(5)}</b> logged</p>`, SECRET)).toBe('Token [redacted] logged');
	});

	it('leaves unknown references as they are', () => {
		expect(excerpt('a &bogus; b &#99999999; c')).toBe('a &bogus; b &#99999999; c');
	});
});
