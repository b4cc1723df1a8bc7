import { excerpt } from '../../nodes/NetgraphSignIn/transport/errors';
import { readBody, redact, redactDeep } from '../../nodes/NetgraphSignIn/transport/redact';

const SECRET = 'abc-secret-123';

describe('redact', () => {
	it('replaces every occurrence, and nothing without a secret', () => {
		expect(redact(`${SECRET}/${SECRET}`, SECRET)).toBe('[redacted]/[redacted]');
		expect(redact(`x ${SECRET}`, '')).toBe(`x ${SECRET}`);
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

	it('leaves unknown references as they are', () => {
		expect(excerpt('a &bogus; b &#99999999; c')).toBe('a &bogus; b &#99999999; c');
	});
});
