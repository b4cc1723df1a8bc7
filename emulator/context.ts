import { randomUUID } from 'crypto';

import { HttpAnswer, UNKNOWN_PATH, failure, familyOf, parseJson, type Family } from './answers';
import {
	EMAIL_PATTERN,
	MAC,
	macKey,
	normalizeEmail,
	patternCovers,
	refusalKey,
	refusedValueErrors,
	whitelistingErrors,
	type FieldError,
} from './rules';
import type { Session, SessionModule, Store, StoredWhitelisting } from './store';

/** How the active list pages: Spring's numbered pages (`page`, `size`), or a cursor with a `next` link. */
export type PageStyle = 'spring' | 'next';

/** The service's behaviour knobs a Context answers by; the emulator's options object, read live so that a knob changed at run time takes effect. */
export interface ContextRules {
	passwordMinLength: number;
	upModuleEnabled: boolean;
	timeZone: string;
	returnStoredEntry: boolean;
	batchLimit: number;
	refuseValues: string[];
	pageSize: number;
	pageStyle: PageStyle;
}

/** Today in a time zone, as YYYY-MM-DD (U-W11). */
export function todayIn(timeZone: string): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
}

/**
 * One Sign-In Context: its API key, its own state, and the API's three families applied to that
 * state. The emulator checks the caller and the key, then hands the request to the Context the
 * path names.
 */
export class SignInContext {
	constructor(
		readonly id: string,
		/** How an admin would name it (the group credential's Context Name). */
		readonly name: string,
		readonly token: string,
		readonly store: Store,
		readonly path: string,
		private readonly options: ContextRules,
		/** Where a next-page link points when the request named no host: the emulator's own URL. */
		private readonly origin: () => string,
	) {}

	/** Applies one request already checked for IP and key; `rest` is the path after the Context's. */
	answer(method: string, rest: string, raw: string, query: URLSearchParams, host: string | undefined): HttpAnswer {
		const family = familyOf(rest);
		const parsed = parseJson(raw);
		const needsBody = method !== 'GET';
		if (needsBody && (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value))) {
			return this.malformed(family);
		}
		const body = (parsed.value ?? {}) as Record<string, unknown>;
		try {
			const route = `${method} ${rest.replace(/\/policies\/[^/]+\/emails$/, '/policies/{id}/emails')}`;
			switch (route) {
				case 'POST /modules/up/create':
					return this.createUser(body);
				case 'PUT /modules/up/update':
					return this.updateUser(body);
				case 'DELETE /modules/up/delete':
					return this.deleteUser(body);
				case 'POST /policies/{id}/emails':
					return this.addEmails(policyIdOf(rest), body);
				case 'DELETE /policies/{id}/emails':
					return this.removeEmails(policyIdOf(rest), body);
				case 'POST /modules/whitelistings':
					return this.createWhitelisting(body);
				case 'PUT /modules/whitelistings':
					return this.updateWhitelisting(body);
				case 'POST /modules/whitelistings/batch/add':
					return this.batchAdd(body);
				case 'POST /modules/whitelistings/batch/remove':
					return this.batchRemove(body);
				case 'GET /modules/whitelistings/active':
					return this.listActive(query, host);
				default:
					return UNKNOWN_PATH;
			}
		} finally {
			this.store.save();
		}
	}

	private malformed(family: Family): HttpAnswer {
		if (family === 'whitelisting') {
			return new HttpAnswer(400, [{ field: 'body', rejectedValue: null, message: 'request body must be a JSON object' }]);
		}
		return failure(family, 400, 'VALIDATION_ERROR', 'request body must be a JSON object');
	}

	// ---- Username & Password

	private createUser(body: Record<string, unknown>): HttpAnswer {
		const invalid = this.checkCredentials(body);
		if (invalid) return invalid;
		const username = body.username as string;
		if (this.store.state.users[username]) {
			return failure('user', 400, 'USERNAME_ALREADY_EXISTS', `username ${username} already exists`);
		}
		const now = new Date().toISOString();
		this.store.state.users[username] = { password: body.password as string, createdAt: now, updatedAt: now };
		return new HttpAnswer(200, { username, password: body.password });
	}

	private updateUser(body: Record<string, unknown>): HttpAnswer {
		const invalid = this.checkCredentials(body);
		if (invalid) return invalid;
		const username = body.username as string;
		const user = this.store.state.users[username];
		if (!user) return failure('user', 400, 'USER_NOT_FOUND', `user ${username} not found`);
		user.password = body.password as string;
		user.updatedAt = new Date().toISOString();
		return new HttpAnswer(200, { username, password: body.password });
	}

	private deleteUser(body: Record<string, unknown>): HttpAnswer {
		if (!this.options.upModuleEnabled) return moduleDisabled();
		if (typeof body.username !== 'string' || body.username === '') {
			return failure('user', 400, 'VALIDATION_ERROR', 'username must not be empty');
		}
		if (!this.store.state.users[body.username]) {
			return failure('user', 400, 'USER_NOT_FOUND', `user ${body.username} not found`);
		}
		delete this.store.state.users[body.username];
		return new HttpAnswer(204);
	}

	private checkCredentials(body: Record<string, unknown>): HttpAnswer | undefined {
		if (!this.options.upModuleEnabled) return moduleDisabled();
		if (typeof body.username !== 'string' || body.username === '') {
			return failure('user', 400, 'VALIDATION_ERROR', 'username must not be empty');
		}
		if (typeof body.password !== 'string' || body.password === '') {
			return failure('user', 400, 'VALIDATION_ERROR', 'password must not be empty');
		}
		if (body.password.length < this.options.passwordMinLength) {
			return failure(
				'user',
				400,
				'PASSWORD_POLICY_VIOLATION',
				`password must be at least ${this.options.passwordMinLength} characters long`,
			);
		}
		return undefined;
	}

	// ---- Access Policy

	private policyEmails(policyId: string, body: Record<string, unknown>): { emails: string[] } | HttpAnswer {
		if (!this.store.state.policies[policyId]) return failure('accessPolicy', 400, 'NOT_FOUND', 'access policy not found');
		if (!Array.isArray(body.emails) || body.emails.length === 0) {
			return failure('accessPolicy', 400, 'VALIDATION_ERROR', 'emails must not be empty');
		}
		for (const email of body.emails) {
			if (typeof email !== 'string' || !EMAIL_PATTERN.test(email.trim())) {
				return failure('accessPolicy', 400, 'VALIDATION_ERROR', `invalid email pattern: ${String(email)}`);
			}
		}
		const refused = refusedValueErrors(body.emails as unknown[], this.refused(), (index) => `emails[${index}]`, 'not allowed');
		if (refused.length) return failure('accessPolicy', 400, 'VALIDATION_ERROR', `email not allowed: ${String(refused[0].rejectedValue)}`);
		return { emails: (body.emails as string[]).map(normalizeEmail) };
	}

	/** The values this service refuses, as it compares them. */
	private refused(): Set<string> {
		return new Set(this.options.refuseValues.map(refusalKey));
	}

	/** The 400 a batch gets when it holds a refused MAC: one field error per refused entry. */
	private refusedMacs(entries: unknown[], field: string): HttpAnswer | undefined {
		const macs = entries.map((entry) => (typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).mac : undefined));
		const errors = refusedValueErrors(macs, this.refused(), (index) => `${field}[${index}].mac`, 'MAC address not allowed');
		return errors.length ? new HttpAnswer(400, errors) : undefined;
	}

	private addEmails(policyId: string, body: Record<string, unknown>): HttpAnswer {
		const checked = this.policyEmails(policyId, body);
		if (checked instanceof HttpAnswer) return checked;
		const policy = this.store.state.policies[policyId];
		const warnings: Array<{ email: string; reason: string }> = [];
		// Only a `*@` pattern covers another entry than itself: look those up alone, in list order.
		const present = new Set(policy.emails);
		const patterns = policy.emails.filter((existing) => existing.startsWith('*@'));
		for (const email of new Set(checked.emails)) {
			if (present.has(email)) {
				warnings.push({ email, reason: 'already in policy' });
				continue;
			}
			const covering = patterns.find((existing) => patternCovers(existing, email));
			if (covering) {
				warnings.push({ email, reason: `covered by existing pattern ${covering}` });
				continue;
			}
			policy.emails.push(email);
			present.add(email);
			if (email.startsWith('*@')) patterns.push(email);
		}
		return new HttpAnswer(200, { policyEmails: [...policy.emails], warnings });
	}

	private removeEmails(policyId: string, body: Record<string, unknown>): HttpAnswer {
		const checked = this.policyEmails(policyId, body);
		if (checked instanceof HttpAnswer) return checked;
		if (body.revokeUserEngagement !== undefined && typeof body.revokeUserEngagement !== 'boolean') {
			return failure('accessPolicy', 400, 'VALIDATION_ERROR', 'revokeUserEngagement must be a boolean');
		}
		const revoke = body.revokeUserEngagement !== false;
		const policy = this.store.state.policies[policyId];
		const removedEmails = [];
		const present = new Set(policy.emails);
		const removed = new Set<string>();
		for (const email of new Set(checked.emails)) {
			if (!present.has(email)) continue;
			removed.add(email);
			const revoked = revoke ? this.revokeSessions((session) => !!session.email && patternCovers(email, session.email)) : [];
			const count = (module: SessionModule) => revoked.filter((session) => session.module === module).length;
			removedEmails.push({
				email,
				revokedLoginsForSelfProvisioning: count('selfProvisioning'),
				revokedLoginsForMeetingHost: count('meetingHost'),
				revokedWhitelisting: count('whitelisting'),
				revokeLoginsforConferences: count('conferences'),
			});
		}
		policy.emails = policy.emails.filter((existing) => !removed.has(existing));
		return new HttpAnswer(200, { policyEmails: [...policy.emails], removedEmails });
	}

	private revokeSessions(matches: (session: Session) => boolean): Session[] {
		const revoked = this.store.state.sessions.filter(matches);
		this.store.state.sessions = this.store.state.sessions.filter((session) => !matches(session));
		return revoked;
	}

	// ---- Whitelisting

	/** Entries by MAC key, rebuilt when the list changed identity or length without `replaceList` (a reset, a seed). */
	private macIndex = { list: [] as StoredWhitelisting[], size: -1, byMac: new Map<string, StoredWhitelisting>() };

	private findByMac(mac: string): StoredWhitelisting | undefined {
		this.indexMacs();
		return this.macIndex.byMac.get(macKey(mac));
	}

	private indexMacs(): void {
		const list = this.store.state.whitelistings;
		if (this.macIndex.list !== list || this.macIndex.size !== list.length) {
			this.macIndex = { list, size: list.length, byMac: new Map(list.map((entry) => [macKey(entry.mac), entry])) };
		}
	}

	private hasId(id: string): boolean {
		return this.findById(id) !== undefined;
	}

	private idIndex = { list: [] as StoredWhitelisting[], size: -1, byId: new Map<string, StoredWhitelisting>() };

	private findById(id: string): StoredWhitelisting | undefined {
		this.indexIds();
		return this.idIndex.byId.get(id);
	}

	private indexIds(): void {
		const list = this.store.state.whitelistings;
		if (this.idIndex.list !== list || this.idIndex.size !== list.length) {
			this.idIndex = { list, size: list.length, byId: new Map(list.map((entry) => [entry.id, entry])) };
		}
	}

	/**
	 * Replaces the list and carries both indexes over to it, changed by `change`, instead of
	 * rebuilding them on the next look-up: a rebuild per request costs the whole list each time,
	 * which at 100,000 entries outweighs the request itself.
	 */
	private replaceList(next: StoredWhitelisting[], change: (byMac: Map<string, StoredWhitelisting>, byId: Map<string, StoredWhitelisting>) => void): void {
		this.indexMacs();
		this.indexIds();
		change(this.macIndex.byMac, this.idIndex.byId);
		this.store.state.whitelistings = next;
		this.macIndex = { ...this.macIndex, list: next, size: next.length };
		this.idIndex = { ...this.idIndex, list: next, size: next.length };
	}

	private addEntry(entry: StoredWhitelisting): void {
		this.store.state.whitelistings.push(entry);
		this.macIndex.byMac.set(macKey(entry.mac), entry);
		this.macIndex.size++;
		this.idIndex.byId.set(entry.id, entry);
		this.idIndex.size++;
	}

	private stored(body: Record<string, unknown>, id: string, createdBy: string | null): StoredWhitelisting {
		return {
			id,
			mac: body.mac as string,
			name: body.name as string,
			description: (body.description as string | undefined) ?? null,
			toDate: (body.toDate as string | undefined) ?? null,
			tags: ((body.tags as Array<{ value: string }> | undefined) ?? []).map((tag) => ({ value: tag.value })),
			createdBy,
		};
	}

	private createWhitelisting(body: Record<string, unknown>): HttpAnswer {
		const errors = whitelistingErrors(body, false);
		if (errors.length) return new HttpAnswer(400, errors);
		const id = typeof body.id === 'string' ? body.id.toLowerCase() : randomUUID();
		if (this.hasId(id)) {
			return new HttpAnswer(400, [{ field: 'id', rejectedValue: body.id, message: 'whitelisting id already exists' }]);
		}
		if (this.findByMac(body.mac as string)) {
			return new HttpAnswer(400, [{ field: 'mac', rejectedValue: body.mac, message: 'MAC already whitelisted' }]);
		}
		const entry = this.stored(body, id, (body.createdBy as string | undefined) ?? null);
		this.addEntry(entry);
		return new HttpAnswer(200, this.options.returnStoredEntry ? entry : undefined);
	}

	private updateWhitelisting(body: Record<string, unknown>): HttpAnswer {
		const errors = whitelistingErrors(body, true);
		if (errors.length) return new HttpAnswer(400, errors);
		const id = (body.id as string).toLowerCase();
		const index = this.store.state.whitelistings.findIndex((entry) => entry.id === id);
		if (index < 0) return new HttpAnswer(400, [{ field: 'id', rejectedValue: body.id, message: 'whitelisting not found' }]);
		const other = this.findByMac(body.mac as string);
		if (other && other.id !== id) {
			return new HttpAnswer(400, [{ field: 'mac', rejectedValue: body.mac, message: 'MAC already whitelisted' }]);
		}
		const previous = this.store.state.whitelistings[index];
		const entry = this.stored(body, id, previous.createdBy);
		this.replaceList(
			this.store.state.whitelistings.map((stored, position) => (position === index ? entry : stored)),
			(byMac, byId) => {
				byMac.delete(macKey(previous.mac));
				byMac.set(macKey(entry.mac), entry);
				byId.set(entry.id, entry);
			},
		);
		return new HttpAnswer(200, this.options.returnStoredEntry ? entry : undefined);
	}

	private batchAdd(body: Record<string, unknown>): HttpAnswer {
		if (!Array.isArray(body.whitelistings)) {
			return new HttpAnswer(400, [{ field: 'whitelistings', rejectedValue: body.whitelistings ?? null, message: 'must be an array' }]);
		}
		if (this.options.batchLimit > 0 && body.whitelistings.length > this.options.batchLimit) {
			return new HttpAnswer(400, [
				{ field: 'whitelistings', rejectedValue: body.whitelistings.length, message: `at most ${this.options.batchLimit} entries per request` },
			]);
		}
		const refused = this.refusedMacs(body.whitelistings as unknown[], 'whitelistings');
		if (refused) return refused;
		const autoTags: Array<{ value: string }> = [];
		if (body.autoGenerateTags === true) autoTags.push({ value: 'api' });
		if (body.autoGenerateDateTag === true) autoTags.push({ value: todayIn(this.options.timeZone) });
		const created: string[] = [];
		const existing: string[] = [];
		const faulty: unknown[] = [];
		for (const item of body.whitelistings as unknown[]) {
			const entry = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
			const id = typeof entry.id === 'string' ? entry.id.toLowerCase() : randomUUID();
			if (whitelistingErrors(entry, false).length || this.hasId(id)) {
				faulty.push(item);
				continue;
			}
			if (this.findByMac(entry.mac as string)) {
				existing.push(entry.mac as string);
				continue;
			}
			const stored = this.stored(entry, id, (entry.createdBy as string | undefined) ?? null);
			stored.tags.push(...autoTags.filter((tag) => !stored.tags.some((own) => own.value === tag.value)));
			this.addEntry(stored);
			created.push(entry.mac as string);
		}
		return new HttpAnswer(200, {
			createdWhitelistingMacs: created,
			existingWhitelistingMacs: existing,
			faultyRequests: faulty,
			updatedLogins: 0,
		});
	}

	private batchRemove(body: Record<string, unknown>): HttpAnswer {
		if (!Array.isArray(body.macs)) {
			return new HttpAnswer(400, [{ field: 'macs', rejectedValue: body.macs ?? null, message: 'must be an array of { mac }' }]);
		}
		if (this.options.batchLimit > 0 && body.macs.length > this.options.batchLimit) {
			return new HttpAnswer(400, [{ field: 'macs', rejectedValue: body.macs.length, message: `at most ${this.options.batchLimit} entries per request` }]);
		}
		const errors: FieldError[] = [];
		const macs: string[] = [];
		(body.macs as unknown[]).forEach((item, index) => {
			const mac = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).mac : undefined;
			if (typeof mac !== 'string' || !MAC.test(mac)) {
				errors.push({ field: `macs[${index}].mac`, rejectedValue: mac ?? null, message: 'invalid MAC address format' });
			} else {
				macs.push(macKey(mac));
			}
		});
		if (errors.length) return new HttpAnswer(400, errors);
		const refused = this.refusedMacs(body.macs as unknown[], 'macs');
		if (refused) return refused;
		const present = new Set([...new Set(macs)].filter((key) => this.findByMac(key)));
		const gone = this.store.state.whitelistings.filter((entry) => present.has(macKey(entry.mac)));
		this.replaceList(
			this.store.state.whitelistings.filter((entry) => !present.has(macKey(entry.mac))),
			(byMac, byId) => {
				for (const entry of gone) {
					byMac.delete(macKey(entry.mac));
					byId.delete(entry.id);
				}
			},
		);
		const revoked = this.revokeSessions((session) => !!session.mac && present.has(macKey(session.mac)));
		const withLogins = new Set(revoked.map((session) => macKey(session.mac!))).size;
		return new HttpAnswer(200, {
			nrOfWhitelistingsInRevokeRequest: body.macs.length,
			nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: withLogins,
		});
	}

	/** The active list, whole or one page of it (U-W1, U-G6: the real shape is undocumented). */
	private listActive(query: URLSearchParams, host: string | undefined): HttpAnswer {
		const all = this.activeWhitelistings();
		const { pageSize, pageStyle } = this.options;
		if (pageSize <= 0) return new HttpAnswer(200, all);
		const whole = (name: string, fallback: number, min: number): number | FieldError => {
			const value = query.get(name);
			if (value === null) return fallback;
			return /^\d+$/.test(value) && Number(value) >= min ? Number(value) : { field: name, rejectedValue: value, message: `must be a whole number of at least ${min}` };
		};
		if (pageStyle === 'next') {
			const from = whole('cursor', 0, 0);
			if (typeof from !== 'number') return new HttpAnswer(400, [from]);
			const rest = from + pageSize < all.length;
			// Absolute, on the host the client called, as a server behind its own name would link.
			const origin = host ? `http://${host}` : this.origin();
			return new HttpAnswer(200, {
				items: all.slice(from, from + pageSize),
				next: rest ? `${origin}${this.path}/modules/whitelistings/active?cursor=${from + pageSize}` : null,
			});
		}
		const number = whole('page', 0, 0);
		const size = whole('size', pageSize, 1);
		const refused = [number, size].filter((value): value is FieldError => typeof value !== 'number');
		if (refused.length) return new HttpAnswer(400, refused);
		const page = number as number;
		const perPage = size as number;
		const totalPages = Math.ceil(all.length / perPage);
		return new HttpAnswer(200, {
			content: all.slice(page * perPage, (page + 1) * perPage),
			number: page,
			size: perPage,
			totalPages,
			totalElements: all.length,
			last: page >= totalPages - 1,
		});
	}

	/** Entries without an end date, or whose end date is still ahead in the Organization's zone (U-W1, U-W6). */
	activeWhitelistings(): StoredWhitelisting[] {
		const today = todayIn(this.options.timeZone);
		return this.store.state.whitelistings.filter((entry) => entry.toDate === null || entry.toDate > today);
	}
}

function policyIdOf(rest: string): string {
	return decodeURIComponent(rest.split('/')[2] ?? '').toLowerCase();
}

function moduleDisabled(): HttpAnswer {
	return failure('user', 400, 'MODULE_NOT_ENABLED', 'the Username & Password module is not enabled on this Sign-In Context');
}
