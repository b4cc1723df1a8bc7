import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, ILoadOptionsFunctions, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, UserError, sleep } from 'n8n-workflow';

import { destinationProblem, redirectTarget } from '../../shared/destination';
import { CONTEXT_CREDENTIAL, ORGANIZATION_CREDENTIAL, keyOf, readOrganizationContexts, resolveContext, type CredentialName } from '../../shared/organizationContexts';
import { contextAddress, type SignInContext } from '../../shared/signInContext';
import {
	ONE_CONTEXT,
	baseUrlField,
	describeFailure,
	describeRedirect,
	excerpt,
	forContext,
	looksLikeHtml,
	parseErrorBody,
	type BodyShape,
	type KeyHolder,
} from './errors';
import { AUTO, Limiter, MAX_CONCURRENCY, SharedPace, type Signal } from './limiter';
import { readBody, redact, redactDeep, type ReadBody } from './redact';
import { savedAtVersion1 } from '../nodeVersion';
import {
	DEFAULT_RETRY_POLICY,
	MAX_RETRY_AFTER_MS,
	backoffMs,
	classify,
	isRead,
	parseRetryAfter,
	rateLimitWaitMs,
	type Failure,
	type RetryPolicy,
} from './retry';


export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below `/v1/org/{org}/contexts/sign-in/{context}`, starting with `/`. */
	path: string;
	body?: IDataObject | IDataObject[];
	itemIndex: number;
}

export interface ApiResponse {
	statusCode: number;
	/** Parsed JSON, `undefined` for an empty body, or the raw text when it was not JSON. */
	body: unknown;
	isJson: boolean;
	/** An earlier attempt may have been applied: its answer was lost, or was a 5xx. */
	uncertain: boolean;
	/** The request's method: a GET changed nothing, whatever its answer. */
	method: IHttpRequestMethods;
	/** The answer's headers (names in lower case), the token redacted from their values. */
	headers: IDataObject;
	/** Whose key the request carried, for messages that say what to check. */
	holder: KeyHolder;
}

/** `{baseUrl}/v1/org/{org}/contexts/sign-in/{context}`, with a trailing slash on the base tolerated. */
export function contextUrl(credentials: IDataObject): string {
	return contextAddress(credentials.baseUrl, credentials.organizationId, credentials.contextId);
}

/**
 * One limiter per node run and Sign-In Context (see `Limiter`): every batch, item and operation
 * of the run to the same Context shares its window, however many run at once; the Contexts of
 * one Organization share a 429's pause and the rate after it (see `SharedPace`). n8n-core gives
 * one node run one functions object (its ExecuteContext) for all its items, so limiters are kept
 * per functions object and forgotten with it.
 */
const limiters = new WeakMap<ApiCaller, { byAddress: Map<string, Limiter>; byOrganization: Map<string, SharedPace> }>();

/** The Organization of a Context's address: its origin and Organization ID ('' with the one-Context credential). */
function organizationOf(address: string): string {
	let url: URL;
	try {
		url = new URL(address);
	} catch {
		return address;
	}
	const organization = /\/v1\/org\/([^/]+)\/contexts\/sign-in\//.exec(url.pathname)?.[1];
	return `${url.origin} ${organization ?? url.pathname}`;
}

/** The limiter of the Context at `address` (the Context's URL; '' with the one-Context credential). */
function limiterAt(caller: ApiCaller, address: string): Limiter {
	let run = limiters.get(caller);
	if (!run) limiters.set(caller, (run = { byAddress: new Map(), byOrganization: new Map() }));
	let limiter = run.byAddress.get(address);
	if (!limiter) {
		const organization = organizationOf(address);
		let shared = run.byOrganization.get(organization);
		if (!shared) run.byOrganization.set(organization, (shared = new SharedPace()));
		run.byAddress.set(address, (limiter = new Limiter(isExecution(caller) ? readConcurrency(caller) : 1, undefined, shared)));
	}
	return limiter;
}

/** The limiter of the Context an item's requests go to, as the node resolved it before any request. */
export function limiterOf(execution: IExecuteFunctions, itemIndex: number): Limiter {
	return limiterAt(execution, usesOrganization(execution) ? (itemContextOf(execution, itemIndex)?.url ?? '') : '');
}

/**
 * Request Options → Concurrency: the number, within 1 and MAX_CONCURRENCY, or AUTO; when not set,
 * AUTO, and one at a time for a node saved at version 1.
 */
function readConcurrency(execution: IExecuteFunctions): number {
	const value = execution.getNodeParameter('requestOptions.concurrency', 0, savedAtVersion1(execution) ? 1 : AUTO) as number;
	return Number.isInteger(value) && value >= 1 ? Math.min(MAX_CONCURRENCY, value) : AUTO;
}

/** What the transport knows about a failed call, kept on the NodeApiError for operations to act on. */
export interface ApiFailure {
	status?: number;
	errorCode?: string;
	detail?: string;
	fields: string[];
	/** Which of the API's documented error shapes the body had ('none': empty, HTML or foreign). */
	bodyShape: BodyShape;
	/** An attempt of this call may have been applied: its answer was lost, or was a 5xx. */
	uncertain: boolean;
	/** An attempt of this call was sent and no answer came (a reset or timeout). */
	lost: boolean;
	attempts: number;
}

const FAILURE_KEY = 'signInFailure';

/**
 * Errors reach n8n as its own error classes; anything else (a bug) is wrapped, never lost, and
 * names the item it happened on when there is one.
 */
export function asNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error), itemIndex === undefined ? {} : { itemIndex });
}

export function failureOf(error: unknown): ApiFailure | undefined {
	if (!(error instanceof NodeApiError)) return undefined;
	return error.context[FAILURE_KEY] as ApiFailure | undefined;
}

/** An execution, or the editor asking for a list (a resource locator): both may call the API. */
export type ApiCaller = IExecuteFunctions | ILoadOptionsFunctions;

function isExecution(caller: ApiCaller): caller is IExecuteFunctions {
	return 'getInputData' in caller;
}

/** Where one item's requests go, and the one key they may carry (kept only to redact answers). */
export interface Target {
	credential: CredentialName;
	/** `{baseUrl}/v1/org/{org}/contexts/sign-in/{context}` of the item's Context. */
	url: string;
	token: string;
	/** The credential, and the organisation credential's Context, that errors name. */
	holder: KeyHolder;
}

/** Whether the node's Authentication is the organisation credential (nodes saved before it use one Context). */
export function usesOrganization(caller: ApiCaller): boolean {
	const authentication = isExecution(caller)
		? caller.getNodeParameter('authentication', 0, CONTEXT_CREDENTIAL)
		: caller.getNodeParameter('authentication', CONTEXT_CREDENTIAL);
	return authentication === ORGANIZATION_CREDENTIAL;
}

/** Each run's items' Contexts as the node resolved them before any request; undefined: none found. */
const itemContextsByRun = new WeakMap<IExecuteFunctions, Array<SignInContext | undefined>>();

export function rememberItemContexts(execution: IExecuteFunctions, contexts: Array<SignInContext | undefined>): void {
	itemContextsByRun.set(execution, contexts);
}

/** The Context the node resolved for an item of this run, if it did. */
export function itemContextOf(execution: IExecuteFunctions, itemIndex: number): SignInContext | undefined {
	return itemContextsByRun.get(execution)?.[itemIndex];
}

/**
 * The Context an item's requests are for: the one-Context credential's, or the one the item
 * names in an organisation credential (as `contextsOfItems` resolved it before any request;
 * resolved here only for the editor's list searches). The credential's `authenticate` then adds
 * only that Context's key, chosen by the address.
 */
export async function targetOf(caller: ApiCaller, itemIndex: number): Promise<Target> {
	if (!usesOrganization(caller)) {
		const credentials = await caller.getCredentials(CONTEXT_CREDENTIAL, itemIndex);
		const url = contextUrl(credentials);
		const refused = destinationProblem(credentials, url);
		if (refused) throw new NodeOperationError(caller.getNode(), refused.message, { description: refused.description, itemIndex });
		return { credential: CONTEXT_CREDENTIAL, url, token: String(credentials.apiToken ?? ''), holder: ONE_CONTEXT };
	}
	const credentials = await caller.getCredentials(ORGANIZATION_CREDENTIAL, itemIndex);
	const resolved = (isExecution(caller) ? itemContextOf(caller, itemIndex) : undefined) ?? resolveNamed(caller, credentials, itemIndex);
	return {
		credential: ORGANIZATION_CREDENTIAL,
		url: resolved.url,
		token: keyOf(credentials, resolved),
		holder: { credential: 'Sign-In Organization API', context: { name: resolved.name, slot: resolved.slot } },
	};
}

function resolveNamed(caller: ApiCaller, credentials: IDataObject, itemIndex: number): SignInContext {
	const read = readOrganizationContexts(credentials);
	const chosen = isExecution(caller)
		? caller.getNodeParameter('context', itemIndex, '', { extractValue: true })
		: caller.getNodeParameter('context', '', { extractValue: true });
	const resolved = 'problem' in read ? read.problem : resolveContext(read.contexts, chosen, read.broken);
	if (!('slot' in resolved)) {
		throw new NodeOperationError(caller.getNode(), resolved.message, { description: resolved.description, itemIndex });
	}
	return resolved;
}

/** Retry settings of an item, from the node's Request Options. */
export function readRetryPolicy(caller: ApiCaller, itemIndex: number): RetryPolicy {
	// The editor's list searches use the defaults: the user is waiting for the list.
	if (!isExecution(caller)) return { ...DEFAULT_RETRY_POLICY, waitOutRateLimits: false };
	const options = caller.getNodeParameter('requestOptions', itemIndex, {}) as Partial<{
		maxAttempts: number;
		initialDelayMs: number;
		timeoutSeconds: number;
	}>;
	const whole = (value: unknown, min: number, fallback: number) =>
		typeof value === 'number' && Number.isFinite(value) && value >= min ? Math.floor(value) : fallback;
	return {
		// A node saved at version 1 retries only when told to.
		maxAttempts: whole(options.maxAttempts, 1, savedAtVersion1(caller) ? 1 : DEFAULT_RETRY_POLICY.maxAttempts),
		initialDelayMs: whole(options.initialDelayMs, 0, DEFAULT_RETRY_POLICY.initialDelayMs),
		timeoutMs: whole(options.timeoutSeconds, 1, DEFAULT_RETRY_POLICY.timeoutMs / 1000) * 1000,
		waitOutRateLimits: true,
	};
}

type Attempt =
	| { response: { statusCode: number; body: unknown; headers?: IDataObject } }
	| { cause: unknown };

/**
 * The only place that talks to the Sign-In API. Sends JSON exactly as given, reads any answer
 * (JSON, empty, HTML) without failing on its shape, retries what is safe to retry (429 after its
 * Retry-After, or on `rateLimitWaitMs`'s schedule without one; 502/503/504, resets and timeouts,
 * with exponential backoff and jitter; never 400, 401 or 403), and turns what still fails into a
 * NodeApiError whose message says what happened and whose description says what to do. A 429
 * pauses every request of the run to the same Organization, and every answer tells the Context's
 * limiter how loaded the service is (`limiters`). `uncertain` in the answer
 * tells the operation that an earlier attempt may have been applied, so that it can account for
 * that. The token is redacted from every answer before it is read (see `readBody`). A request
 * the credential refused to add its key to never left: it fails saying so, is not retried, and
 * tells the limiter nothing, since the service did not see it.
 */
export async function signInApiRequest(this: ApiCaller, request: ApiRequest): Promise<ApiResponse> {
	const target = await targetOf(this, request.itemIndex);
	const { token, holder } = target;
	const url = `${target.url}${request.path}`;
	const policy = readRetryPolicy(this, request.itemIndex);
	const headers: IDataObject = { Accept: 'application/json' };
	if (request.body !== undefined) headers['Content-Type'] = 'application/json';
	const body = request.body === undefined ? undefined : JSON.stringify(request.body);

	const limiter = limiterAt(this, target.credential === ORGANIZATION_CREDENTIAL ? target.url : '');
	const kind = `${request.method} ${request.path.split('?')[0]}`;
	/** An attempt may have been applied; `lost`: one was sent and its answer never came. */
	let uncertain = false;
	let lost = false;
	/** Tries that count against Max Attempts: all but the 429s without Retry-After. */
	let counted = 0;
	let rateLimited: { since: number; tries: number } | undefined;
	for (let attempt = 1; ; attempt++) {
		await limiter.pace();
		const sentAt = Date.now();
		let outcome: Attempt;
		try {
			outcome = {
				response: (await this.helpers.httpRequestWithAuthentication.call(this, target.credential, {
					method: request.method,
					url,
					headers,
					body,
					encoding: 'text',
					json: false,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					// A redirect would carry x-auth-token to wherever it points: n8n strips only
					// Authorization and Cookie on a cross-origin hop.
					disableFollowRedirect: true,
					timeout: policy.timeoutMs,
				})) as { statusCode: number; body: unknown; headers?: IDataObject },
			};
		} catch (cause) {
			outcome = { cause };
		}

		if ('cause' in outcome && refusedBeforeSending(outcome.cause)) {
			throw notSentFailure(this, outcome.cause, request, holder, token, { uncertain, lost, attempts: attempt });
		}
		limiter.answered(kind, sentAt, signalOf(outcome));
		if ('response' in outcome) {
			const { statusCode } = outcome.response;
			const received = outcome.response.body;
			const answer = readBody(typeof received === 'string' ? received : received == null ? '' : String(received), token);
			if (statusCode >= 200 && statusCode < 300) {
				return { statusCode, body: answer.body, isJson: answer.isJson, uncertain, method: request.method, headers: redactDeep(outcome.response.headers ?? {}, token), holder };
			}
			if (statusCode >= 300 && statusCode < 400) {
				throw redirectFailure(this, request, statusCode, url, outcome.response.headers?.location, token, holder, { uncertain, lost, attempts: attempt });
			}
			const retryAfter = outcome.response.headers?.['retry-after'];
			const failure: Failure = { status: statusCode, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined };
			const verdict = classify(failure, request.method);
			let wait: number | undefined;
			if (statusCode === 429 && parseRetryAfter(failure.retryAfter) === undefined && policy.waitOutRateLimits && policy.maxAttempts > 1) {
				rateLimited ??= { since: Date.now(), tries: 0 };
				rateLimited.tries++;
				const waited = Date.now() - rateLimited.since;
				wait = rateLimitWaitMs(rateLimited.tries, waited, policy.initialDelayMs);
				if (wait === undefined) {
					throw httpFailure(this, request, statusCode, answer, token, holder, {
						uncertain,
						lost,
						attempts: attempt,
						waitTooLong: false,
						limitedFor: { seconds: Math.round(waited / 1000), tries: attempt },
					});
				}
			} else {
				counted++;
				wait = retryWait(failure, counted, policy);
				if (!verdict.retry || counted >= policy.maxAttempts || wait === undefined) {
					throw httpFailure(this, request, statusCode, answer, token, holder, {
						uncertain: uncertain || verdict.mayHaveApplied,
						lost,
						attempts: attempt,
						waitTooLong: verdict.retry && wait === undefined,
					});
				}
			}
			uncertain ||= verdict.mayHaveApplied;
			logRetry(this, request, `${statusCode}`, attempt, wait);
			// The run's other requests to the Organization wait with this one (see `limiters`); the loop waits it out.
			if (statusCode === 429) limiter.pause(Date.now() + wait);
			else await sleep(wait);
		} else {
			const failure: Failure = { networkCode: networkCode(outcome.cause) };
			const verdict = classify(failure, request.method);
			counted++;
			lost ||= verdict.mayHaveApplied;
			uncertain ||= verdict.mayHaveApplied;
			if (!verdict.retry || counted >= policy.maxAttempts) {
				throw networkFailure(this, outcome.cause, request, url, policy, holder, { uncertain, lost, attempts: attempt });
			}
			const wait = retryWait(failure, counted, policy)!;
			logRetry(this, request, failure.networkCode ?? 'connection failure', attempt, wait);
			await sleep(wait);
		}
	}
}

/**
 * Whether a failure came before the request left: the credential's `authenticate` refused to add
 * a key (n8n wraps the UserError it throws), so the service never saw the request.
 */
function refusedBeforeSending(cause: unknown): UserError | undefined {
	for (let current = cause, depth = 0; current && depth < 5; depth++) {
		if (current instanceof UserError) return current;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/**
 * Why an attempt may have been applied, for a description: an answer that never came was lost;
 * a 5xx that did come (`status`, when it is the last answer) says only that the service failed,
 * maybe after doing the work.
 */
function appliedNote({ uncertain, lost }: { uncertain: boolean; lost: boolean }, status?: number): string[] {
	if (lost) return ['The request may have been applied before its answer was lost.'];
	if (!uncertain) return [];
	const why = 'does not say whether the service did the work before it failed.';
	return [status !== undefined && status >= 500 ? `The request may have been applied: a ${status} answer ${why}` : `An earlier attempt may have been applied: its answer of 500 or above ${why}`];
}

/** What an attempt's outcome says about the service's load: only answers it gave in time are clean. */
function signalOf(outcome: Attempt): Signal {
	if (!('response' in outcome)) return 'overloaded';
	const { statusCode } = outcome.response;
	if (statusCode === 429) return 'limited';
	return statusCode === 502 || statusCode === 503 || statusCode === 504 ? 'overloaded' : 'clean';
}

/** The wait before the next attempt; undefined when the service asks for longer than we wait. */
function retryWait(failure: Failure, attempt: number, policy: RetryPolicy): number | undefined {
	if ('status' in failure && (failure.status === 429 || failure.status === 503)) {
		const asked = parseRetryAfter(failure.retryAfter);
		if (asked !== undefined) return asked <= MAX_RETRY_AFTER_MS ? asked : undefined;
	}
	return backoffMs(attempt, policy.initialDelayMs);
}

function logRetry(caller: ApiCaller, request: ApiRequest, reason: string, attempt: number, waitMs: number): void {
	caller.logger.warn(`Sign-In API ${request.method} ${request.path} failed (${reason}) on attempt ${attempt}; retrying in ${waitMs} ms`);
}

/** How an attempt ended, for the error: whether it may have been applied and how often it was tried. */
interface Tries {
	uncertain: boolean;
	lost: boolean;
	attempts: number;
}

function httpFailure(
	caller: ApiCaller,
	request: ApiRequest,
	statusCode: number,
	answer: ReadBody,
	token: string,
	holder: KeyHolder,
	{ uncertain, lost, attempts, waitTooLong, limitedFor }: Tries & { waitTooLong: boolean; limitedFor?: { seconds: number; tries: number } },
): NodeApiError {
	const json = answer.isJson ? answer.body : undefined;
	const failure = describeFailure(statusCode, json, answer.text, token, limitedFor, holder);
	const notes: string[] = [];
	if (attempts > 1 && !limitedFor) notes.push(`Tried ${attempts} times.`);
	if (waitTooLong) notes.push(`The service asked to wait longer than ${MAX_RETRY_AFTER_MS / 1000} seconds before trying again.`);
	notes.push(...appliedNote({ uncertain, lost }, statusCode));
	// Redacted once more as composed: the parts were, but a message must never depend on that.
	const error = new NodeApiError(
		caller.getNode(),
		{ httpCode: String(statusCode), body: (answer.isJson ? answer.body : excerpt(answer.text, token)) as JsonObject },
		{
			message: redact(failure.message, token),
			description: redact([failure.description, ...notes].join(' '), token),
			httpCode: String(statusCode),
			itemIndex: request.itemIndex,
		},
	);
	const detail = parseErrorBody(json);
	error.context[FAILURE_KEY] = redactDeep(
		{
			status: statusCode,
			errorCode: detail.code,
			detail: detail.detail,
			fields: Array.isArray(json) ? json.map((entry) => String((entry as IDataObject)?.field ?? '')) : [],
			bodyShape: detail.shape,
			uncertain,
			lost,
			attempts,
		} satisfies ApiFailure,
		token,
	);
	return error;
}

/** A 3xx is never followed and never retried: it names where the server pointed, nothing more. */
function redirectFailure(
	caller: ApiCaller,
	request: ApiRequest,
	statusCode: number,
	url: string,
	location: unknown,
	token: string,
	holder: KeyHolder,
	{ uncertain, lost, attempts }: Tries,
): NodeApiError {
	// The target is the server's to name, and a hostile one may name the token in it.
	const text = redactDeep(describeRedirect(statusCode, new URL(url), redirectTarget(location, url), holder), token);
	const notes = [...(attempts > 1 ? [`Tried ${attempts} times.`] : []), ...appliedNote({ uncertain, lost })];
	const error = new NodeApiError(caller.getNode(), { httpCode: String(statusCode) } as JsonObject, {
		message: text.message,
		description: [text.description, ...notes].join(' '),
		httpCode: String(statusCode),
		itemIndex: request.itemIndex,
	});
	error.context[FAILURE_KEY] = { status: statusCode, fields: [], bodyShape: 'none', uncertain, lost, attempts } satisfies ApiFailure;
	return error;
}

const NETWORK_REASONS: Record<string, string> = {
	ECONNRESET: 'the connection was reset',
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name could not be found',
	EAI_AGAIN: 'the host name could not be looked up',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	EPIPE: 'the connection was closed while sending',
	CERT_HAS_EXPIRED: 'the TLS certificate has expired',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'the TLS certificate is self-signed',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the TLS certificate could not be verified',
	ERR_TLS_CERT_ALTNAME_INVALID: 'the TLS certificate does not match the host name',
};
export const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/** The low-level code (ECONNRESET, ...) of a failure, looked up through any wrapping errors. */
export function networkCode(error: unknown): string | undefined {
	for (let current = error, depth = 0; current && depth < 5; depth++) {
		const { code, cause } = current as { code?: unknown; cause?: unknown };
		if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
		current = cause;
	}
	return undefined;
}

function networkFailure(
	caller: ApiCaller,
	cause: unknown,
	request: ApiRequest,
	url: string,
	policy: RetryPolicy,
	holder: KeyHolder,
	{ uncertain, lost, attempts }: Tries,
): NodeApiError {
	const code = networkCode(cause);
	const host = (() => {
		try {
			return new URL(url).host;
		} catch {
			return 'the Base URL';
		}
	})();
	const timedOut = code !== undefined && TIMEOUT_CODES.has(code);
	const message = timedOut
		? `The Sign-In API at ${host} did not answer within ${policy.timeoutMs / 1000} seconds${forContext(holder)}`
		: `Could not reach the Sign-In API at ${host}${forContext(holder)}`;
	const reason = code ? `${NETWORK_REASONS[code] ?? 'the connection failed'} (${code})` : 'the connection failed';
	const description = timedOut
		? `The ${request.method} request timed out (${code}). The service may be slow or unreachable from this n8n server; try again later.`
		: `The request could not be completed: ${reason}. Check ${baseUrlField(holder)} and that this n8n server can reach that host.`;
	const notes = [...(attempts > 1 ? [`Tried ${attempts} times.`] : []), ...appliedNote({ uncertain, lost })];
	const error = new NodeApiError(caller.getNode(), { networkCode: code ?? null } as JsonObject, {
		message,
		description: [description, ...notes].join(' '),
		itemIndex: request.itemIndex,
	});
	error.context[FAILURE_KEY] = { fields: [], bodyShape: 'none', uncertain, lost, attempts } satisfies ApiFailure;
	return error;
}

/**
 * A request the credential's `authenticate` refused to add its key to: it never left n8n, so the
 * service neither saw nor applied it; only an earlier attempt of it may have been.
 */
function notSentFailure(caller: ApiCaller, cause: unknown, request: ApiRequest, holder: KeyHolder, token: string, tries: Tries): NodeApiError {
	const refusal = redact(refusedBeforeSending(cause)!.message, token).replace(/\.$/, '');
	const sentBefore = tries.attempts > 1 ? `This attempt never left n8n (the ${tries.attempts - 1} before it did).` : 'It never left n8n, so it changed nothing.';
	const error = new NodeApiError(caller.getNode(), {} as JsonObject, {
		message: `The ${request.method} request${forContext(holder)} was not sent: ${refusal}`,
		description: [
			`The ${holder.credential} credential refused to add its key to the request. ${sentBefore} It is not retried: it would be refused again. If the credential was edited during the run, run the node again; otherwise check ${baseUrlField(holder)}.`,
			...appliedNote(tries),
		].join(' '),
		itemIndex: request.itemIndex,
	});
	error.context[FAILURE_KEY] = { fields: [], bodyShape: 'none', uncertain: tries.uncertain, lost: tries.lost, attempts: tries.attempts } satisfies ApiFailure;
	return error;
}

/** For answers that must carry a JSON object: anything else is explained, never passed on. */
export function expectJsonObject(
	this: ApiCaller,
	response: ApiResponse,
	itemIndex: number,
	what: string,
): IDataObject {
	if (response.isJson && typeof response.body === 'object' && response.body !== null && !Array.isArray(response.body)) {
		return response.body as IDataObject;
	}
	const got = !response.isJson
		? response.body === undefined
			? 'an empty body'
			: looksLikeHtml(String(response.body))
				? 'an HTML page'
				: 'a body that is not JSON'
		: 'JSON of another shape';
	throw new NodeApiError(
		this.getNode(),
		{ httpCode: String(response.statusCode) } as JsonObject,
		{
			message: `The Sign-In API answered ${response.statusCode} with ${got} instead of ${what}`,
			description: isRead(response.method)
				? `Nothing was changed: this was a read. Check ${baseUrlField(response.holder)} (a proxy or web page answers like this).`
				: `The change may or may not have been applied. Check ${baseUrlField(response.holder)} (a proxy or web page answers like this), then look at the Sign-In Context admin before running again.`,
			httpCode: String(response.statusCode),
			itemIndex,
		},
	);
}
