import {
	RuleViolation,
	characterCount,
	checkPasswordLength,
	baseDomainOf,
	describeValue,
	isEmailWildcard,
	matchesDomain,
	normalizeCreatedBy,
	normalizeDate,
	normalizeDomain,
	normalizeEmailList,
	normalizeEmailPattern,
	normalizeMac,
	normalizeMacList,
	normalizeTagValue,
	normalizeTags,
	normalizeUsername,
	normalizeUuid,
	normalizeWhitelistingDescription,
	normalizeWhitelistingName,
	requireText,
	splitList,
} from '../../nodes/NetgraphSignIn/validation/rules';

function ruleOf(run: () => unknown): string {
	let thrown: unknown;
	try {
		run();
	} catch (error) {
		thrown = error;
	}
	expect(thrown).toBeInstanceOf(RuleViolation);
	return (thrown as RuleViolation).rule;
}

describe('normalizeMac', () => {
	it.each([
		['AA:BB:CC:DD:EE:FF', 'AA:BB:CC:DD:EE:FF'],
		['aa:bb:cc:dd:ee:ff', 'AA:BB:CC:DD:EE:FF'],
		['AA-BB-CC-DD-EE-FF', 'AA:BB:CC:DD:EE:FF'],
		['aabbccddeeff', 'AA:BB:CC:DD:EE:FF'],
		['aabb.ccdd.eeff', 'AA:BB:CC:DD:EE:FF'],
		['  00:11:22:33:44:55 ', '00:11:22:33:44:55'],
		['\u00a0AA:BB:CC:DD:EE:FF\n', 'AA:BB:CC:DD:EE:FF'],
		['AA:BB:CC:DD:EE:Ff', 'AA:BB:CC:DD:EE:FF'],
		['0a-1B-2c-3D-4e-5F', '0A:1B:2C:3D:4E:5F'],
		['09afAF09afAF', '09:AF:AF:09:AF:AF'],
		['0A1b.2C3d.4E5f', '0A:1B:2C:3D:4E:5F'],
	])('accepts %p as %p', (input, expected) => {
		expect(normalizeMac(input)).toBe(expected);
	});

	it.each([
		'00-11',
		'AA:BB:CC:DD:EE',
		'AA:BB:CC:DD:EE:FF:00',
		'AA:BB-CC:DD:EE:FF',
		'GG:BB:CC:DD:EE:FF',
		'aabbccddeef',
		'aabbccddeeff0',
		'aabb.ccdd.eef',
		'AABB:CCDD:EEFF',
		'AA-BB-CC-DD-EE:FF',
		'AA.BB.CC.DD.EE.FF',
		'AA::BB:CC:DD:EE:F',
		'aabb-ccdd-eeff',
		'aab.bccdd.eeff',
		'aabbccddeef.',
		'AA:BB:CC:DD:EE:F@',
		'AA:BB:CC:DD:EE:F`',
		'AA:BB:CC:DD:EE:Fg',
		'AA:BB:CC:DD:EE:F/',
		'AA:BB:CC:DD:EE:F:',
		'\uff21A:BB:CC:DD:EE:FF',
		'aa bb cc dd ee ff',
		'',
		12,
		null,
	])('rejects %p', (input) => {
		expect(ruleOf(() => normalizeMac(input))).toBe(
			'must be six pairs of hex digits, e.g. AA:BB:CC:DD:EE:FF, AA-BB-CC-DD-EE-FF, aabbccddeeff or aabb.ccdd.eeff',
		);
	});

	it('lists: splits, normalises and de-duplicates, keeping order', () => {
		expect(normalizeMacList('aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF\n001122334455')).toEqual([
			'AA:BB:CC:DD:EE:FF',
			'00:11:22:33:44:55',
		]);
		expect(normalizeMacList(['001122334455'])).toEqual(['00:11:22:33:44:55']);
		expect(ruleOf(() => normalizeMacList(' , '))).toBe('must contain at least one MAC address');
	});
});

describe('normalizeWhitelistingName', () => {
	it('accepts 2 and 100 characters, the Swedish letters and every allowed symbol', () => {
		expect(normalizeWhitelistingName('ab')).toBe('ab');
		expect(normalizeWhitelistingName('x'.repeat(100))).toBe('x'.repeat(100));
		expect(normalizeWhitelistingName('Ålö & Äs, Öb. - 9')).toBe('Ålö & Äs, Öb. - 9');
		expect(normalizeWhitelistingName('  Reception printer  ')).toBe('Reception printer');
	});

	it('rejects 1 and 101 characters', () => {
		expect(ruleOf(() => normalizeWhitelistingName('a'))).toBe('must be 2–100 characters long (is 1)');
		expect(ruleOf(() => normalizeWhitelistingName('x'.repeat(101)))).toBe('must be 2–100 characters long (is 101)');
	});

	it('rejects characters outside the documented set and names them', () => {
		expect(ruleOf(() => normalizeWhitelistingName('Lobby — right/left'))).toBe(
			'may only contain letters a-z, A-Z, å ä ö Å Ä Ö, digits, spaces and & , . - (found — /)',
		);
		expect(ruleOf(() => normalizeWhitelistingName('Café'))).toContain('(found é)');
		expect(ruleOf(() => normalizeWhitelistingName(42))).toBe('must be text of 2–100 characters');
	});
});

describe('normalizeWhitelistingDescription', () => {
	it('accepts 0 and 200 characters', () => {
		expect(normalizeWhitelistingDescription('')).toBe('');
		expect(normalizeWhitelistingDescription(undefined)).toBe('');
		expect(normalizeWhitelistingDescription('d'.repeat(200))).toBe('d'.repeat(200));
	});

	it('rejects 201 characters and the em dash of the vendor example', () => {
		expect(ruleOf(() => normalizeWhitelistingDescription('d'.repeat(201)))).toBe(
			'must be 0–200 characters long (is 201)',
		);
		expect(ruleOf(() => normalizeWhitelistingDescription('Lobby floor — moved to right side'))).toContain('(found —)');
	});
});

describe('tags', () => {
	it('accepts 2 and 30 characters and every allowed symbol', () => {
		expect(normalizeTagValue('ab')).toBe('ab');
		expect(normalizeTagValue('t'.repeat(30))).toBe('t'.repeat(30));
		expect(normalizeTagValue('(a)&,./"+: -åÖ')).toBe('(a)&,./"+: -åÖ');
	});

	it('rejects 1 and 31 characters and other symbols', () => {
		expect(ruleOf(() => normalizeTagValue('a'))).toBe('must be 2–30 characters long (is 1)');
		expect(ruleOf(() => normalizeTagValue('t'.repeat(31)))).toBe('must be 2–30 characters long (is 31)');
		expect(ruleOf(() => normalizeTagValue('floor#3'))).toBe(
			'may only contain letters a-z, A-Z, å ä ö Å Ä Ö, digits, spaces and ( ) & , . / " + : - (found #)',
		);
	});

	it('reads strings, string arrays and { value } arrays, de-duplicated', () => {
		expect(normalizeTags('printer, floor-3\nprinter')).toEqual([{ value: 'printer' }, { value: 'floor-3' }]);
		expect(normalizeTags(['printer', { value: 'lobby' }])).toEqual([{ value: 'printer' }, { value: 'lobby' }]);
		expect(normalizeTags('')).toEqual([]);
	});
});

describe('normalizeDate', () => {
	it.each([
		['2026-12-31', '2026-12-31'],
		['2028-02-29', '2028-02-29'],
		['2026-12-31T00:00:00', '2026-12-31'],
		['2026-12-31T23:30:00-05:00', '2026-12-31'],
		['2026-12-31T23:30:00.000Z', '2026-12-31'],
		[' 2027-01-01 ', '2027-01-01'],
	])('accepts %p as %p', (input, expected) => {
		expect(normalizeDate(input)).toBe(expected);
	});

	it('takes the UTC date of a JavaScript Date and the own-zone date of a DateTime', () => {
		expect(normalizeDate(new Date(Date.UTC(2026, 11, 31, 23, 59)))).toBe('2026-12-31');
		expect(normalizeDate({ toISODate: () => '2027-06-30' })).toBe('2027-06-30');
	});

	it.each(['31.12.2026', '2026/12/31', '2026-1-5', 'tomorrow', '', 20261231])('rejects %p', (input) => {
		expect(ruleOf(() => normalizeDate(input))).toBe(
			'must be a calendar date as YYYY-MM-DD or an ISO 8601 date-time, e.g. 2026-12-31',
		);
	});

	it('rejects dates that do not exist', () => {
		expect(ruleOf(() => normalizeDate('2026-02-29'))).toBe('must be a real calendar date (2026-02-29 does not exist)');
		expect(ruleOf(() => normalizeDate('2026-13-01'))).toBe('must be a real calendar date (2026-13-01 does not exist)');
		expect(ruleOf(() => normalizeDate(new Date('nope')))).toContain('must be a calendar date');
	});
});

describe('normalizeUuid', () => {
	it('accepts a UUID in any case and returns it in lower case', () => {
		expect(normalizeUuid('7F2A0C6E-3B1D-4C5E-9F10-2A3B4C5D6E7F')).toBe('7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7f');
	});

	it.each(['7f2a-...', '7f2a0c6e3b1d4c5e9f102a3b4c5d6e7f', '7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7', 'g'.repeat(36), ''])(
		'rejects %p',
		(input) => {
			expect(ruleOf(() => normalizeUuid(input))).toBe('must be a UUID, e.g. 7f2a0c6e-3b1d-4c5e-9f10-2a3b4c5d6e7f');
		},
	);
});

describe('e-mail patterns', () => {
	it.each([
		['alice@acme.com', 'alice@acme.com'],
		['*@acme.com', '*@acme.com'],
		['*@*.acme.com', '*@*.acme.com'],
		['  Alice.Smith+wifi@ACME.co.uk ', 'alice.smith+wifi@acme.co.uk'],
	])('accepts %p as %p', (input, expected) => {
		expect(normalizeEmailPattern(input)).toBe(expected);
	});

	it.each(['alice', 'alice@', '@acme.com', 'alice@acme', '*@*', 'a*@acme.com', '*.acme.com', '*@acme.*', 'al ice@acme.com', '**@acme.com'])(
		'rejects %p',
		(input) => {
			expect(ruleOf(() => normalizeEmailPattern(input))).toBe(
				'must be an e-mail address (alice@acme.com), a domain wildcard (*@acme.com) or a subdomain wildcard (*@*.acme.com)',
			);
		},
	);

	it('lists: commas, semicolons, new lines and arrays; trimmed and de-duplicated in order', () => {
		expect(normalizeEmailList('alice@acme.com, *@acme.com;\nALICE@acme.com\r\n*@*.acme.com')).toEqual([
			'alice@acme.com',
			'*@acme.com',
			'*@*.acme.com',
		]);
		expect(normalizeEmailList(['bob@acme.com', ' bob@acme.com'])).toEqual(['bob@acme.com']);
		expect(ruleOf(() => normalizeEmailList(''))).toBe('must contain at least one e-mail address or pattern');
		expect(ruleOf(() => normalizeEmailList([]))).toBe('must contain at least one e-mail address or pattern');
	});
});

describe('domains (Sync E-Mails, Matching a Domain)', () => {
	it('normalizeDomain trims and lower-cases a domain and refuses anything else', () => {
		expect(normalizeDomain(' ACME.com ')).toBe('acme.com');
		for (const input of ['acme', '*.acme.com', '@acme.com', 'a@acme.com', 'acme..com', '', 7]) {
			expect(ruleOf(() => normalizeDomain(input))).toBe('must be a domain such as acme.com (no @, no *)');
		}
	});

	it('the base domain of an address or pattern is what follows the @, without the *. of a subdomain wildcard', () => {
		expect(['alice@eu.acme.com', '*@acme.com', '*@*.acme.com', 'Bob@ACME.com'].map(baseDomainOf)).toEqual([
			'eu.acme.com',
			'acme.com',
			'acme.com',
			'acme.com',
		]);
	});

	it('an entry matches a domain when its base domain is that domain or a subdomain of it', () => {
		const entries = ['alice@acme.com', 'bob@eu.acme.com', '*@acme.com', '*@*.acme.com', '*@*.eu.acme.com', 'eve@notacme.com', 'x@acme.com.evil.io'];
		expect(entries.filter((entry) => matchesDomain(entry, 'acme.com'))).toEqual(entries.slice(0, 5));
		expect(entries.filter((entry) => matchesDomain(entry, 'eu.acme.com'))).toEqual(['bob@eu.acme.com', '*@*.eu.acme.com']);
	});

	it('wildcards are the entries starting with *@', () => {
		expect(['*@acme.com', '*@*.acme.com', 'alice@acme.com'].map(isEmailWildcard)).toEqual([true, true, false]);
	});
});

describe('users', () => {
	it('usernames are trimmed and must not be empty', () => {
		expect(normalizeUsername(' alice.smith ')).toBe('alice.smith');
		expect(normalizeUsername(1042)).toBe('1042');
		expect(ruleOf(() => normalizeUsername('   '))).toBe('must not be empty');
		expect(ruleOf(() => normalizeUsername(undefined))).toBe('must not be empty');
	});

	it('passwords are kept as given but must not be blank', () => {
		expect(requireText(' pa ss ')).toBe(' pa ss ');
		expect(ruleOf(() => requireText(''))).toBe('must not be empty');
	});

	it('password length is a whole number from 8 to 128', () => {
		expect(checkPasswordLength(8)).toBe(8);
		expect(checkPasswordLength(128)).toBe(128);
		for (const bad of [7, 129, 12.5, '16']) {
			expect(ruleOf(() => checkPasswordLength(bad))).toBe('must be a whole number from 8 to 128');
		}
	});

	it('createdBy is at most 100 characters', () => {
		expect(normalizeCreatedBy('c'.repeat(100))).toBe('c'.repeat(100));
		expect(ruleOf(() => normalizeCreatedBy('c'.repeat(101)))).toBe('must be at most 100 characters long');
	});

	it('counts characters, not UTF-16 units: an emoji is one, a lone surrogate is one', () => {
		expect(normalizeCreatedBy(`${'c'.repeat(99)}😀`)).toBe(`${'c'.repeat(99)}😀`);
		expect(ruleOf(() => normalizeCreatedBy(`${'c'.repeat(100)}😀`))).toBe('must be at most 100 characters long');
		expect(ruleOf(() => normalizeWhitelistingName('😀'))).toBe('must be 2–100 characters long (is 1)');
		for (const text of ['', 'abc', '😀', 'a😀b', '\ud800', '\udc00', '\ud800a', '\udc00\ud800', '😀\ude00', 'a\ud800']) {
			expect(characterCount(text)).toBe([...text].length);
		}
	});
});

describe('helpers', () => {
	it('splitList drops empty entries', () => {
		expect(splitList(' a ,, b ;\n')).toEqual(['a', 'b']);
		expect(splitList(undefined)).toEqual([]);
		expect(splitList(['a', '', null, 'b'])).toEqual(['a', 'b']);
	});

	it('splitList reads text without separators as one trimmed entry, or none', () => {
		expect(splitList(' a@b.com\t')).toEqual(['a@b.com']);
		expect(splitList(' \t ')).toEqual([]);
		expect(splitList('')).toEqual([]);
		expect(normalizeMacList(' aabbccddeeff ')).toEqual(['AA:BB:CC:DD:EE:FF']);
		expect(normalizeEmailList('Alice@Acme.com')).toEqual(['alice@acme.com']);
	});

	it('describeValue quotes and shortens', () => {
		expect(describeValue('00-11')).toBe('"00-11"');
		expect(describeValue(undefined)).toBe('nothing');
		expect(describeValue(12)).toBe('12');
		expect(describeValue('x'.repeat(100))).toBe(`"${'x'.repeat(76)}...`);
	});
});
