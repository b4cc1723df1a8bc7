/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev code, never published: n8n Cloud's sandbox rules are for the package */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo, Socket } from 'net';

import { HttpAnswer, UNKNOWN_PATH, failure, familyOf, parseJson } from './answers';
import { SignInContext, todayIn, type PageStyle } from './context';
import { Store, type Session, type State, type StoredWhitelisting } from './store';
import { WebhookSender, type SimulatedEvent } from './webhooks';
import { VenueSystems } from './venue';

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

export type { PageStyle };
export const PAGE_STYLES: PageStyle[] = ['spring', 'next'];

/** One Context of a group: several Contexts under one Organization, each with its own key and state. */
export interface ContextOptions {
	id: string;
	/** How an admin would name it; default: the ID in title case ("hotel-oslo" is "Hotel Oslo"). */
	name?: string;
	/** Its API key; default: the emulator's `token`, a dash and the ID, so that no two Contexts share one. */
	token?: string;
	/** Its state on a first start; default: the emulator's `seed`. */
	seed?: Partial<State>;
}

export interface EmulatorOptions {
	port?: number;
	host?: string;
	token?: string;
	organizationId?: string;
	contextId?: string;
	/**
	 * Group mode: further Contexts of the Organization beside `contextId` (which keeps `token`,
	 * `seed` and `stateFile`), each with its own key and state (a state file each, beside
	 * `stateFile`). Absent: the one Context.
	 */
	contexts?: ContextOptions[];
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
	/** Only requests whose body holds this text (one item's request among several in flight). */
	bodyIncludes?: string;
}

export interface RecordedRequest {
	method: string;
	path: string;
	status: number;
	fault?: Fault;
	body: unknown;
	at: string;
	/** Group mode only: the Context the path names. */
	context?: string;
	/** Group mode only: the Context whose key the request carried; null when it carried none of the group's keys. */
	keyOf?: string | null;
}

/** A key of one Context that arrived at another Context's path (never the key itself). */
export interface CrossContextKey {
	at: string;
	method: string;
	path: string;
	/** The Context the key belongs to. */
	keyOf: string;
	/** The Context the path names (perhaps one the Organization does not have). */
	sentTo: string;
}

const NOT_FOUND_PAGE =
	'<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>';

const HTML_PAGE =
	'<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The upstream server is not responding.</p></body></html>';

export class SignInEmulator {
	/** The state of the Context `contextId` (in group mode, the Organization has others: `contexts`). */
	readonly store: Store;
	readonly options: Required<Omit<EmulatorOptions, 'stateFile' | 'seed' | 'log' | 'contexts'>> & Pick<EmulatorOptions, 'log'>;
	readonly requests: RecordedRequest[] = [];
	/** The Contexts by ID: `contextId`, then the group's further ones in the order given. */
	readonly contexts = new Map<string, SignInContext>();
	/** Every request whose key belongs to another Context than the one its path names. */
	readonly crossContextKeys: CrossContextKey[] = [];
	/** Whether further Contexts were asked for (requests then record `context` and `keyOf`). */
	readonly group: boolean;
	readonly webhooks: WebhookSender;
	/** The venue's inventory export and chat inbox, for the approved sync example (emulator/venue.ts). */
	readonly venue = new VenueSystems();
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
		this.group = (options.contexts ?? []).length > 0;
		const main: ContextOptions = { id: this.options.contextId, token: this.options.token, seed: options.seed };
		for (const member of [main, ...(options.contexts ?? [])]) {
			if (this.contexts.has(member.id)) throw new Error(`Context ${member.id} is given twice`);
			const token = member.token ?? `${this.options.token}-${member.id}`;
			if ([...this.contexts.values()].some((context) => context.token === token)) throw new Error(`Context ${member.id} has the key of another Context`);
			const stateFile = options.stateFile && member !== main ? contextStateFile(options.stateFile, member.id) : options.stateFile;
			const path = `/v1/org/${this.options.organizationId}/contexts/sign-in/${member.id}`;
			const store = new Store(stateFile, member.seed ?? options.seed);
			// The Context reads the options object itself, so changing a knob at run time takes effect.
			this.contexts.set(member.id, new SignInContext(member.id, member.name ?? titleOf(member.id), token, store, path, this.options, () => this.url));
		}
		this.store = this.context(main.id).store;
		// The sender reads the options object itself, so changing a knob at run time takes effect.
		this.webhooks = new WebhookSender(this.options);
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
		for (const context of this.contexts.values()) context.store.flush();
	}

	get contextPath(): string {
		return `/v1/org/${this.options.organizationId}/contexts/sign-in/${this.options.contextId}`;
	}

	/** Today in the Organization's time zone, as YYYY-MM-DD (U-W11). */
	today(): string {
		return todayIn(this.options.timeZone);
	}

	/** One Context of the emulator, by ID. */
	context(id: string): SignInContext {
		const context = this.contexts.get(id);
		if (!context) throw new Error(`the emulator has no Context ${id}; it has ${[...this.contexts.keys()].join(', ')}`);
		return context;
	}

	/** A Context's active whitelist (default: `contextId`'s). */
	activeWhitelistings(contextId: string = this.options.contextId): StoredWhitelisting[] {
		return this.context(contextId).activeWhitelistings();
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
		const whose = this.group ? { context: contextOf(url.pathname)?.contextId, keyOf: this.keyOwner(request)?.id ?? null } : {};
		const record = (status: number, fault?: Fault) =>
			this.requests.push({ method, path: url.pathname, status, fault, body: parseJson(raw).value, at: new Date().toISOString(), ...whose });

		if (this.options.latencyMs > 0) await delay(this.options.latencyMs);
		if (this.rateLimited()) {
			record(429, this.options.omitRetryAfter ? '429bare' : '429');
			return this.tooManyRequests(response);
		}
		const fault = this.nextFault(method, url.pathname, raw);
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

	/** The Context whose key the request carries, if any. */
	private keyOwner(request: IncomingMessage): SignInContext | undefined {
		const token = request.headers['x-auth-token'];
		return [...this.contexts.values()].find((context) => context.token === token);
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

	private nextFault(method: string, path: string, body: string): PlannedFault | undefined {
		const index = this.plan.findIndex(
			(planned) =>
				(!planned.pathSuffix || path.endsWith(planned.pathSuffix)) &&
				(!planned.method || planned.method === method) &&
				(!planned.bodyIncludes || body.includes(planned.bodyIncludes)),
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

	/**
	 * Applies one API request and returns its answer; checks run IP, key, org/context, body (U-G8).
	 * A key is valid for one Context only: a key of another Context of the group is refused 401 and
	 * noted in `crossContextKeys`, as is a valid key sent to a Context the Organization does not have.
	 */
	private answer(method: string, path: string, raw: string, request: IncomingMessage): HttpAnswer {
		const family = familyOf(path);
		const callerIp = (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
		if (this.options.allowIps.length > 0 && !this.options.allowIps.includes(callerIp)) {
			return failure(family, 403, 'FORBIDDEN', `source IP ${callerIp} is not on the Administrator portal IP whitelist`);
		}
		const token = request.headers['x-auth-token'];
		const keyOwner = this.keyOwner(request);
		if (!keyOwner) {
			return failure(family, 401, 'UNAUTHORIZED', token ? 'invalid API key' : 'missing x-auth-token header');
		}
		const named = contextOf(path);
		if (!named) return UNKNOWN_PATH;
		const served = named.organizationId === this.options.organizationId ? this.contexts.get(named.contextId) : undefined;
		if (served !== keyOwner) {
			this.crossContextKeys.push({ at: new Date().toISOString(), method, path, keyOf: keyOwner.id, sentTo: named.contextId });
			return served ? failure(family, 401, 'UNAUTHORIZED', 'invalid API key') : failure(family, 403, 'FORBIDDEN', 'unknown organization or context');
		}
		return served.answer(method, named.rest, raw, new URL(request.url ?? '/', 'http://emulator').searchParams, request.headers.host);
	}

	// ---- Inspection and control, for tests and the demo (no auth; loopback only by default)

	private async control(method: string, url: URL, raw: string, response: ServerResponse): Promise<void> {
		const json = (status: number, value: unknown) =>
			send(response, status, JSON.stringify(value, null, 2), { 'Content-Type': 'application/json' });
		const body = (parseJson(raw).value ?? {}) as Record<string, unknown>;
		const venue = this.venue.route(method, url.pathname, body);
		if (venue) return json(venue.status, venue.value);
		// Group mode: the state, session and reset routes take a Context (`?context=` or `context` in the body); default `contextId`.
		const named = url.searchParams.get('context') ?? (typeof body.context === 'string' ? body.context : undefined);
		const chosen = this.contexts.get(named ?? this.options.contextId);
		if (!chosen) return json(404, { message: `no Context ${named}; the emulator has ${[...this.contexts.keys()].join(', ')}` });
		switch (`${method} ${url.pathname}`) {
			case 'GET /__emulator/health':
				return json(200, { ok: true });
			case 'GET /__emulator/state':
				return json(200, { ...chosen.store.state, activeWhitelistings: chosen.activeWhitelistings(), today: this.today() });
			case 'GET /__emulator/requests':
				return json(200, this.requests);
			case 'GET /__emulator/contexts':
				return json(
					200,
					[...this.contexts.values()].map((context) => ({
						id: context.id,
						name: context.name,
						path: context.path,
						activeWhitelistings: context.activeWhitelistings().length,
						foreignKeysReceived: this.crossContextKeys.filter((entry) => entry.sentTo === context.id).length,
					})),
				);
			case 'GET /__emulator/cross-context-keys':
				return json(200, this.crossContextKeys);
			case 'POST /__emulator/sessions':
				chosen.store.state.sessions.push(...((body.sessions as Session[] | undefined) ?? []));
				chosen.store.save();
				return json(200, { sessions: chosen.store.state.sessions.length });
			case 'POST /__emulator/faults':
				this.planFaults((body.faults as PlannedFault[] | undefined) ?? []);
				return json(200, { planned: this.plan.length });
			case 'POST /__emulator/reset':
				for (const context of named ? [chosen] : this.contexts.values()) context.store.reset((body.state as Partial<State> | undefined) ?? undefined);
				this.requests.length = 0;
				this.crossContextKeys.length = 0;
				this.plan.length = 0;
				this.webhooks.reset();
				this.venue.reset();
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

/** The Organization and Context a Sign-In API path names, and the rest of it; undefined for other paths. */
function contextOf(path: string): { organizationId: string; contextId: string; rest: string } | undefined {
	const match = /^\/v1\/org\/([^/]+)\/contexts\/sign-in\/([^/]+)(\/.*)$/.exec(path);
	return match ? { organizationId: decodeURIComponent(match[1]), contextId: decodeURIComponent(match[2]), rest: match[3] } : undefined;
}

/** "hotel-oslo" is "Hotel Oslo". */
function titleOf(id: string): string {
	return id
		.split(/[-_\s]+/)
		.filter(Boolean)
		.map((word) => word[0].toUpperCase() + word.slice(1))
		.join(' ');
}

/** A group Context's state file: beside the emulator's, with the Context ID before the extension. */
export function contextStateFile(stateFile: string, contextId: string): string {
	return stateFile.replace(/(\.json)?$/, `.${contextId}$1`);
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

