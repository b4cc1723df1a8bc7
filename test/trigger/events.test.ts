import {
	eventIdOf,
	eventNameOf,
	eventsOfBody,
	parseEventNames,
	RecentEvents,
	rememberedEventsLimit,
	redeliveryKey,
} from '../../nodes/NetgraphSignInTrigger/webhook/events';
import { secretMatches } from '../../nodes/NetgraphSignInTrigger/webhook/secret';

describe('event name', () => {
	it.each([
		[{ event: 'signin.session.denied', type: 'other' }, 'signin.session.denied'],
		[{ eventName: 'Signin.Session.Denied' }, 'signin.session.denied'],
		[{ event_name: 'signin.dhcp.granted' }, 'signin.dhcp.granted'],
		[{ eventType: 'signin.session.created' }, 'signin.session.created'],
		[{ event_type: 'signin.session.created' }, 'signin.session.created'],
		[{ type: 'signin.session.revoked' }, 'signin.session.revoked'],
		[{ topic: 'signin.arenasession.login' }, 'signin.arenasession.login'],
		[{ event: { name: 'signin.session.approved' } }, 'signin.session.approved'],
		[{ event: { type: 'signin.session.verified' } }, 'signin.session.verified'],
		[{ event: '  ', type: 'signin.session.denied' }, 'signin.session.denied'],
		[{ event: 7 }, undefined],
		[{ data: { event: 'signin.session.denied' } }, undefined],
	])('of %j is %s', (event, name) => {
		expect(eventNameOf(event)).toBe(name);
	});
});

describe('event ID', () => {
	it.each([
		[{ eventId: 'a', id: 'b' }, 'a'],
		[{ event_id: 'a', id: 'b' }, 'a'],
		[{ eventID: 'a' }, 'a'],
		[{ id: 'b', uuid: 'c' }, 'b'],
		[{ id: 12345 }, '12345'],
		[{ uuid: 'c' }, 'c'],
		[{ event: { id: 'd' } }, 'd'],
		[{ id: '' }, undefined],
		[{ id: Number.NaN }, undefined],
		[{ data: { id: 'x' } }, undefined],
	])('of %j is %s', (event, id) => {
		expect(eventIdOf(event)).toBe(id);
	});
});

describe('events of a body', () => {
	it('reads instant, array and wrapped batches', () => {
		expect(eventsOfBody({ event: 'x' })).toEqual({ shape: 'instant', events: [{ event: 'x' }] });
		expect(eventsOfBody([{ event: 'x' }])).toEqual({ shape: 'batch', events: [{ event: 'x' }] });
		expect(eventsOfBody({ events: [{ event: 'x' }], size: 1 })).toEqual({ shape: 'batch', events: [{ event: 'x' }] });
		expect(eventsOfBody('x')).toBeUndefined();
		expect(eventsOfBody(null)).toBeUndefined();
	});
});

describe('other event names', () => {
	it('splits on commas, semicolons and white space and lower-cases', () => {
		expect(parseEventNames(' A.b, c.d;e.f\n\ng.h ,, ')).toEqual(['a.b', 'c.d', 'e.f', 'g.h']);
		expect(parseEventNames('')).toEqual([]);
	});
});

describe('redelivery key', () => {
	it('is 22 characters, the same for the same name and ID, different otherwise', () => {
		const key = redeliveryKey({ a: 1 }, 'n', 'i');
		expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);
		expect(redeliveryKey({ b: 2 }, 'n', 'i')).toBe(key);
		expect(redeliveryKey({ a: 1 }, 'm', 'i')).not.toBe(key);
		expect(redeliveryKey({ a: 1 }, undefined, undefined)).not.toBe(redeliveryKey({ a: 2 }, undefined, undefined));
		expect(redeliveryKey({ a: 1 }, undefined, undefined)).toBe(redeliveryKey({ a: 1 }, undefined, undefined));
	});
});

describe('recent events', () => {
	it('ignores stored junk, keeps the newest up to the limit and counts additions', () => {
		const recent = new RecentEvents(['a', 3, null, 'b'], 3);
		expect(recent.remember('a')).toBe(false);
		expect(recent.added).toBe(0);
		expect(recent.remember('c')).toBe(true);
		expect(recent.remember('d')).toBe(true);
		expect(recent.added).toBe(2);
		expect(recent.toStored()).toEqual(['b', 'c', 'd']);
		expect(new RecentEvents({ not: 'an array' }, 3).toStored()).toEqual([]);
	});

	it('merges what this process saw with the stored list oldest first, so the oldest key is the one forgotten', () => {
		const seen = new RecentEvents([], 10, 'workflow-1\u0000node-1');
		for (const key of ['a', 'b', 'c']) seen.remember(key);
		expect(seen.toStored()).toEqual(['a', 'b', 'c']);
		// Another delivery meanwhile stored b, c, d (a already forgotten there).
		const loaded = new RecentEvents(['b', 'c', 'd'], 3, 'workflow-1\u0000node-1');
		expect(loaded.added).toBe(1);
		expect(loaded.remember('a')).toBe(false);
		expect(loaded.toStored()).toEqual(['b', 'c', 'd']);
	});

	it('places a key only this process saw after the last key both saw before it', () => {
		const seen = new RecentEvents([], 10, 'workflow-2\u0000node-1');
		for (const key of ['x', 'b', 'y', 'z', 'd']) seen.remember(key);
		seen.toStored();
		expect(new RecentEvents(['a', 'b', 'c', 'd', 'e'], 10, 'workflow-2\u0000node-1').toStored()).toEqual(['x', 'a', 'b', 'y', 'z', 'c', 'd', 'e']);
	});
});

describe('Remembered Events option', () => {
	it.each<[unknown, number]>([
		[undefined, 20_000],
		[null, 20_000],
		['', 20_000],
		['many', 20_000],
		[Number.NaN, 20_000],
		[Number.POSITIVE_INFINITY, 20_000],
		[{}, 20_000],
		[true, 20_000],
		['5000', 5000],
		[5000.9, 5000],
		[0, 100],
		[-3, 100],
		[99, 100],
		[100, 100],
		[100_000, 100_000],
		[1_000_000, 100_000],
	])('%p remembers %p events', (value, limit) => {
		expect(rememberedEventsLimit(value)).toBe(limit);
	});
});

describe('secret comparison', () => {
	it('matches only the exact value', () => {
		expect(secretMatches('abc', 'abc')).toBe(true);
		expect(secretMatches('abd', 'abc')).toBe(false);
		expect(secretMatches('abcd', 'abc')).toBe(false);
		expect(secretMatches('', 'abc')).toBe(false);
		expect(secretMatches(undefined, 'abc')).toBe(false);
	});
});
