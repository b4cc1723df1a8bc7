/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev code, never published: n8n Cloud's sandbox rules are for the package */
import { randomUUID } from 'crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo, Socket } from 'net';

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
import { Store, type Session, type SessionModule, type State, type StoredWhitelisting } from './store';
import { WebhookSender, type SimulatedEvent } from './webhooks';

/**
 * Faults the service (or something in front of it) can answer with. Besides outages: '429bare' is
 * a 429 without any header, as the API documents it (U-G5); '404' and '404html' answer as an
 * address that is not the API would; '301' and '307' redirect to `redirectTo`; 'echo400' to
 * 'echo500' are the family's error body and a header echoing the x-auth-token the request
 * carried; 'echo400text' and 'echo502html' echo it in a plain-text body and in an HTML page, at
 * the place where a client that cuts long bodies to 197 characters would cut.
 */
export type Fault =
	| '429'
	| '429bare'
	| '500'
	| '502'
	| '503'
	| 'reset'
	| 'hang'
	| 'html'
	| 'empty200'
	| '404'
	| '404html'
	| '301'
	| '307'
	| 'echo400'
	| 'echo401'
	| 'echo403'
	| 'echo500'
	| 'echo400text'
	| 'echo502html';
export const FAULTS: Fault[] = [
	'429',
	'429bare',
	'500',
	'502',
	'503',
	'reset',
	'hang',
	'html',
	'empty200',
	'404',
	'404html',
	'301',
	'307',
	'echo400',
	'echo401',
	'echo403',
	'echo500',
	'echo400text',
	'echo502html',
];

export type PageStyle = 'spring' | 'next';
export const PAGE_STYLES: PageStyle[] = ['spring', 'next'];

export interface EmulatorOptions {
	port?: number;
	host?: string;
	token?: string;
	organizationId?: string;
	contextId?: string;
	/** Caller IPs allowed; empty means every caller. */
	allowIps?: string[];
	/** 0: any non-empty password (U-UP1). */
	passwordMinLength?: number;
	upModuleEnabled?: boolean;
	timeZone?: string;
	latencyMs?: number;
	/** Probability per API request of each fault, 0..1. */
	faultRates?: Partial<Record<Fault, number>>;
	retryAfterSeconds?: number;
	/** 429s (of the rate limit and of the '429' fault) carry no Retry-After, as the API documents them (U-G5). */
	omitRetryAfter?: boolean;
	/** Requests per second before 429; 0 = unlimited. */
	rateLimitPerSecond?: number;
	/** U-W2: answer create/update with the stored entry instead of an empty body. */
	returnStoredEntry?: boolean;
	/** U-W7: largest batch accepted; 0 = unlimited. */
	batchLimit?: number;
	/**
	 * MACs and e-mails that pass the documented rules but that the service refuses: a request to an
	 * e-mail or batch endpoint holding one is refused whole, with the family's 400 body.
	 */
	refuseValues?: string[];
	/**
	 * U-G6: entries per page of the active-whitelistings list; 0 (the default) answers the whole
	 * list as one top-level array, as before.
	 */
	pageSize?: number;
	/**
	 * How a paged list answers: 'spring' is Spring Data's `{content, number, size, totalPages,
	 * totalElements, last}` asked with `?page=&size=`; 'next' is `{items, next}` with an absolute
	 * link to the next page (null on the last).
	 */
	pageStyle?: PageStyle;
	/** Where the '301' and '307' faults point: this origin plus the request's path (default: the emulator itself). */
	redirectTo?: string;
	/** Paths the API does not know answer 404 with an HTML page instead of an empty body, as a web server would. */
	notFoundHtml?: boolean;
	/** Multiplies the webhook retry schedule (2, 4, 8, 16, 32 minutes); 1 = real time. */
	webhookRetryScale?: number;
	/** How long a webhook receiver has to answer before the attempt counts as failed. */
	webhookTimeoutMs?: number;
	/** Largest number of events in one Batch delivery. */
	webhookMaxBatchSize?: number;
	stateFile?: string;
	seed?: Partial<State>;
	/** Where log lines go; silent when absent. */
	log?: (line: string) => void;
}

interface PlannedFault {
	fault: Fault;
	/** 'before': the request is not applied; 'after': applied, then the answer is lost. */
	phase: 'before' | 'after';
	/** Only requests whose path ends with this. */
	pathSuffix?: string;
	method?: string;
}

export interface RecordedRequest {
	method: string;
	path: string;
	status: number;
	fault?: Fault;
	body: unknown;
	at: string;
}

type Family = 'user' | 'accessPolicy' | 'whitelisting';

class HttpAnswer {
	constructor(
		readonly status: number,
		readonly body?: unknown,
	) {}
}

const NOT_FOUND_PAGE =
	'<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>';

const HTML_PAGE =
	'<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The upstream server is not responding.</p></body></html>';

export class SignInEmulator {
	readonly store: Store;
	readonly options: Required<Omit<EmulatorOptions, 'stateFile' | 'seed' | 'log'>> & Pick<EmulatorOptions, 'log'>;
	readonly requests: RecordedRequest[] = [];
	readonly webhooks: WebhookSender;
	private readonly plan: PlannedFault[] = [];
	private readonly server: Server;
	private readonly sockets = new Set<Socket>();
	private windowStart = 0;
	private windowCount = 0;
	url = '';

	constructor(options: EmulatorOptions = {}) {
		this.options = {
			port: options.port ?? 0,
			host: options.host ?? '127.0.0.1',
			token: options.token ?? 'emulator-token',
			organizationId: options.organizationId ?? 'demo-org',
			contextId: options.contextId ?? 'demo-context',
			allowIps: options.allowIps ?? [],
			passwordMinLength: options.passwordMinLength ?? 0,
			upModuleEnabled: options.upModuleEnabled ?? true,
			timeZone: options.timeZone ?? 'UTC',
			latencyMs: options.latencyMs ?? 0,
			faultRates: options.faultRates ?? {},
			retryAfterSeconds: options.retryAfterSeconds ?? 1,
			omitRetryAfter: options.omitRetryAfter ?? false,
			rateLimitPerSecond: options.rateLimitPerSecond ?? 0,
			returnStoredEntry: options.returnStoredEntry ?? false,
			batchLimit: options.batchLimit ?? 0,
			refuseValues: options.refuseValues ?? [],
			pageSize: options.pageSize ?? 0,
			pageStyle: options.pageStyle ?? 'spring',
			redirectTo: options.redirectTo ?? '',
			notFoundHtml: options.notFoundHtml ?? false,
			webhookRetryScale: options.webhookRetryScale ?? 1,
			webhookTimeoutMs: options.webhookTimeoutMs ?? 10_000,
			webhookMaxBatchSize: options.webhookMaxBatchSize ?? 20_000,
			log: options.log,
		};
		// The sender reads the options object itself, so changing a knob at run time takes effect.
		this.webhooks = new WebhookSender(this.options);
		this.store = new Store(options.stateFile, options.seed);
		this.server = createServer((request, response) => void this.handle(request, response));
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	async start(): Promise<string> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(this.options.port, this.options.host, resolve);
		});
		const { port } = this.server.address() as AddressInfo;
		this.url = `http://${this.options.host}:${port}`;
		return this.url;
	}

	async stop(): Promise<void> {
		this.webhooks.stop();
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
		this.store.flush();
	}

	get contextPath(): string {
		return `/v1/org/${this.options.organizationId}/contexts/sign-in/${this.options.contextId}`;
	}

	/** Today in the Organization's time zone, as YYYY-MM-DD (U-W11). */
	today(): string {
		return new Intl.DateTimeFormat('en-CA', { timeZone: this.options.timeZone }).format(new Date());
	}

	planFaults(faults: PlannedFault[]): void {
		this.plan.push(...faults);
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const url = new URL(request.url ?? '/', 'http://emulator');
		const raw = await readBody(request);
		if (url.pathname.startsWith('/__emulator/')) {
			await this.control(request.method ?? 'GET', url, raw, response);
			return;
		}
		const method = request.method ?? 'GET';
		const record = (status: number, fault?: Fault) =>
			this.requests.push({ method, path: url.pathname, status, fault, body: parseJson(raw).value, at: new Date().toISOString() });

		if (this.options.latencyMs > 0) await delay(this.options.latencyMs);
		if (this.rateLimited()) {
			record(429, this.options.omitRetryAfter ? '429bare' : '429');
			return this.tooManyRequests(response);
		}
		const fault = this.nextFault(method, url.pathname);
		if (fault?.phase === 'before') {
			record(faultStatus(fault.fault), fault.fault);
			return this.deliverFault(fault.fault, response, request);
		}
		const answer = this.answer(method, url.pathname, raw, request);
		if (fault?.phase === 'after') {
			record(faultStatus(fault.fault), fault.fault);
			return this.deliverFault(fault.fault, response, request);
		}
		record(answer.status);
		this.options.log?.(`${method} ${url.pathname} -> ${answer.status}`);
		if (answer === UNKNOWN_PATH && this.options.notFoundHtml) return send(response, 404, NOT_FOUND_PAGE, { 'Content-Type': 'text/html' });
		if (answer.body === undefined) return send(response, answer.status, '');
		return send(response, answer.status, JSON.stringify(answer.body), { 'Content-Type': 'application/json' });
	}

	private rateLimited(): boolean {
		const limit = this.options.rateLimitPerSecond;
		if (limit <= 0) return false;
		const now = Date.now();
		if (now - this.windowStart >= 1000) {
			this.windowStart = now;
			this.windowCount = 0;
		}
		this.windowCount++;
		return this.windowCount > limit;
	}

	private nextFault(method: string, path: string): PlannedFault | undefined {
		const index = this.plan.findIndex(
			(planned) => (!planned.pathSuffix || path.endsWith(planned.pathSuffix)) && (!planned.method || planned.method === method),
		);
		if (index >= 0) return this.plan.splice(index, 1)[0];
		for (const fault of FAULTS) {
			const rate = this.options.faultRates[fault] ?? 0;
			if (rate > 0 && Math.random() < rate) return { fault, phase: 'before' };
		}
		return undefined;
	}

	private tooManyRequests(response: ServerResponse): void {
		send(response, 429, '', this.options.omitRetryAfter ? {} : { 'Retry-After': String(this.options.retryAfterSeconds) });
	}

	private deliverFault(fault: Fault, response: ServerResponse, request: IncomingMessage): void {
		switch (fault) {
			case '429':
				return this.tooManyRequests(response);
			case '429bare':
				return send(response, 429, '');
			case '500':
			case '502':
			case '503':
				return send(response, Number(fault), '');
			case 'html':
				return send(response, 502, HTML_PAGE, { 'Content-Type': 'text/html' });
			case 'empty200':
				return send(response, 200, '');
			case 'reset':
				request.socket.resetAndDestroy();
				return;
			case 'hang':
				// Never answers; the socket is destroyed when the client gives up or the emulator stops.
				return;
			case '404':
				return send(response, 404, '');
			case '404html':
				return send(response, 404, NOT_FOUND_PAGE, { 'Content-Type': 'text/html' });
			case '301':
			case '307':
				return send(response, Number(fault), '', { Location: `${this.options.redirectTo || this.url}${request.url ?? '/'}` });
			case 'echo400':
			case 'echo401':
			case 'echo403':
			case 'echo500': {
				const status = faultStatus(fault);
				const token = String(request.headers['x-auth-token'] ?? '');
				const echoed = failure(familyOf(request.url ?? '/'), status, 'ECHO', `request with x-auth-token ${token} failed`);
				const body = echoed.body ?? { message: `request with x-auth-token ${token} failed`, token };
				return send(response, status, JSON.stringify(body), { 'Content-Type': 'application/json', 'X-Echo-Token': token });
			}
			case 'echo400text':
				return send(response, 400, echoText(String(request.headers['x-auth-token'] ?? '')), { 'Content-Type': 'text/plain' });
			case 'echo502html':
				return send(response, 502, `<!DOCTYPE html><html><body><p>${echoText(String(request.headers['x-auth-token'] ?? ''))}</p></body></html>`, {
					'Content-Type': 'text/html',
				});
		}
	}

	/** Applies one API request and returns its answer; checks run IP, token, org/context, body (U-G8). */
	private answer(method: string, path: string, raw: string, request: IncomingMessage): HttpAnswer {
		const family = familyOf(path);
		const callerIp = (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
		if (this.options.allowIps.length > 0 && !this.options.allowIps.includes(callerIp)) {
			return failure(family, 403, 'FORBIDDEN', `source IP ${callerIp} is not on the Administrator portal IP whitelist`);
		}
		const token = request.headers['x-auth-token'];
		if (token !== this.options.token) {
			return failure(family, 401, 'UNAUTHORIZED', token ? 'invalid API key' : 'missing x-auth-token header');
		}
		const match = /^\/v1\/org\/([^/]+)\/contexts\/sign-in\/([^/]+)(\/.*)$/.exec(path);
		if (!match) return UNKNOWN_PATH;
		const [, org, context, rest] = match;
		if (decodeURIComponent(org) !== this.options.organizationId || decodeURIComponent(context) !== this.options.contextId) {
			return failure(family, 403, 'FORBIDDEN', 'unknown organization or context');
		}
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
					return this.listActive(new URL(request.url ?? '/', 'http://emulator').searchParams, request);
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

	/** Entries by MAC key, rebuilt when the list changed identity or length (cheap at 10,000 entries). */
	private macIndex = { list: [] as StoredWhitelisting[], size: -1, byMac: new Map<string, StoredWhitelisting>() };

	private findByMac(mac: string): StoredWhitelisting | undefined {
		const list = this.store.state.whitelistings;
		if (this.macIndex.list !== list || this.macIndex.size !== list.length) {
			this.macIndex = { list, size: list.length, byMac: new Map(list.map((entry) => [macKey(entry.mac), entry])) };
		}
		return this.macIndex.byMac.get(macKey(mac));
	}

	private hasId(id: string): boolean {
		return this.findById(id) !== undefined;
	}

	private idIndex = { list: [] as StoredWhitelisting[], size: -1, byId: new Map<string, StoredWhitelisting>() };

	private findById(id: string): StoredWhitelisting | undefined {
		const list = this.store.state.whitelistings;
		if (this.idIndex.list !== list || this.idIndex.size !== list.length) {
			this.idIndex = { list, size: list.length, byId: new Map(list.map((entry) => [entry.id, entry])) };
		}
		return this.idIndex.byId.get(id);
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
		const entry = this.stored(body, id, this.store.state.whitelistings[index].createdBy);
		this.store.state.whitelistings = this.store.state.whitelistings.map((stored, position) => (position === index ? entry : stored));
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
		if (body.autoGenerateDateTag === true) autoTags.push({ value: this.today() });
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
		this.store.state.whitelistings = this.store.state.whitelistings.filter((entry) => !present.has(macKey(entry.mac)));
		const revoked = this.revokeSessions((session) => !!session.mac && present.has(macKey(session.mac)));
		const withLogins = new Set(revoked.map((session) => macKey(session.mac!))).size;
		return new HttpAnswer(200, {
			nrOfWhitelistingsInRevokeRequest: body.macs.length,
			nrOfWhitelistingsThatHadActiveLoginsThatWereRevoked: withLogins,
		});
	}

	/** The active list, whole or one page of it (U-W1, U-G6: the real shape is undocumented). */
	private listActive(query: URLSearchParams, request: IncomingMessage): HttpAnswer {
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
			const origin = request.headers.host ? `http://${request.headers.host}` : this.url;
			return new HttpAnswer(200, {
				items: all.slice(from, from + pageSize),
				next: rest ? `${origin}${this.contextPath}/modules/whitelistings/active?cursor=${from + pageSize}` : null,
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
		const today = this.today();
		return this.store.state.whitelistings.filter((entry) => entry.toDate === null || entry.toDate > today);
	}

	// ---- Inspection and control, for tests and the demo (no auth; loopback only by default)

	private async control(method: string, url: URL, raw: string, response: ServerResponse): Promise<void> {
		const json = (status: number, value: unknown) =>
			send(response, status, JSON.stringify(value, null, 2), { 'Content-Type': 'application/json' });
		const body = (parseJson(raw).value ?? {}) as Record<string, unknown>;
		switch (`${method} ${url.pathname}`) {
			case 'GET /__emulator/health':
				return json(200, { ok: true });
			case 'GET /__emulator/state':
				return json(200, { ...this.store.state, activeWhitelistings: this.activeWhitelistings(), today: this.today() });
			case 'GET /__emulator/requests':
				return json(200, this.requests);
			case 'POST /__emulator/sessions':
				this.store.state.sessions.push(...((body.sessions as Session[] | undefined) ?? []));
				this.store.save();
				return json(200, { sessions: this.store.state.sessions.length });
			case 'POST /__emulator/faults':
				this.planFaults((body.faults as PlannedFault[] | undefined) ?? []);
				return json(200, { planned: this.plan.length });
			case 'POST /__emulator/reset':
				this.store.reset((body.state as Partial<State> | undefined) ?? undefined);
				this.requests.length = 0;
				this.plan.length = 0;
				this.webhooks.reset();
				return json(200, { ok: true });
			case 'GET /__emulator/webhooks':
				return json(200, this.webhooks.subscriptions);
			case 'POST /__emulator/webhooks': {
				const subscription = this.webhooks.subscribe(body);
				return 'error' in subscription ? json(400, { message: subscription.error }) : json(201, subscription);
			}
			case 'POST /__emulator/webhooks/simulate': {
				const events = body.events;
				if (!Array.isArray(events)) return json(400, { message: 'events must be a list of event names or event objects' });
				return json(200, { deliveries: await this.webhooks.simulate(events as SimulatedEvent[]) });
			}
			case 'GET /__emulator/webhooks/deliveries':
				return json(200, this.webhooks.deliveries);
		}
		const [, webhookId] = /^\/__emulator\/webhooks\/([^/]+)$/.exec(url.pathname) ?? [];
		if (method === 'DELETE' && webhookId) {
			return this.webhooks.unsubscribe(webhookId) ? json(200, { deleted: true }) : json(404, { message: 'no such webhook' });
		}
		const [, deliveryId] = /^\/__emulator\/webhooks\/deliveries\/([^/]+)\/redeliver$/.exec(url.pathname) ?? [];
		if (method === 'POST' && deliveryId) {
			const delivery = await this.webhooks.redeliver(deliveryId);
			return delivery ? json(200, delivery) : json(404, { message: 'no such delivery' });
		}
		return json(404, { message: 'unknown emulator route' });
	}
}

/** The answer for a path the API does not know: an empty 404, or a web server's page with notFoundHtml. */
const UNKNOWN_PATH = new HttpAnswer(404);

function familyOf(path: string): Family {
	if (path.includes('/modules/up/')) return 'user';
	if (path.includes('/policies/')) return 'accessPolicy';
	return 'whitelisting';
}

function policyIdOf(rest: string): string {
	return decodeURIComponent(rest.split('/')[2] ?? '').toLowerCase();
}

/** The family's error body; Whitelisting's is only documented for field validation, so 401/403 are empty (U-G3). */
function failure(family: Family, status: number, code: string, message: string): HttpAnswer {
	const requestId = randomUUID();
	if (family === 'user') return new HttpAnswer(status, { error_code: code, error_message: message, request_id: requestId });
	if (family === 'accessPolicy') return new HttpAnswer(status, { status, message, request_id: requestId });
	return new HttpAnswer(status, status === 400 ? [{ field: 'request', rejectedValue: null, message }] : undefined);
}

function moduleDisabled(): HttpAnswer {
	return failure('user', 400, 'MODULE_NOT_ENABLED', 'the Username & Password module is not enabled on this Sign-In Context');
}

/** A long text with the token starting at character 190, so that a cut at 197 would fall inside it. */
function echoText(token: string): string {
	return `${'x'.repeat(183)} token ${token} was refused; ${'y'.repeat(120)}`;
}

function faultStatus(fault: Fault): number {
	if (fault.startsWith('echo')) return Number(fault.slice(4, 7));
	if (fault === '429bare') return 429;
	if (fault === '404html') return 404;
	if (fault === 'html') return 502;
	if (fault === 'empty200') return 200;
	if (fault === 'reset' || fault === 'hang') return 0;
	return Number(fault);
}

function parseJson(raw: string): { ok: boolean; value: unknown } {
	if (raw.trim() === '') return { ok: false, value: undefined };
	try {
		return { ok: true, value: JSON.parse(raw) };
	} catch {
		return { ok: false, value: raw };
	}
}

function readBody(request: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

function send(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
	response.writeHead(status, { 'Content-Length': Buffer.byteLength(body), ...headers });
	response.end(body);
}

function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

