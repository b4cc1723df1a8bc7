import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, ILoadOptionsFunctions, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { destinationProblem, redirectTarget } from './destination';
import { describeFailure, describeRedirect, excerpt, looksLikeHtml, parseErrorBody, type BodyShape } from './errors';
import {
	DEFAULT_RETRY_POLICY,
	MAX_RETRY_AFTER_MS,
	backoffMs,
	classify,
	parseRetryAfter,
	type Failure,
	type RetryPolicy,
} from './retry';

export const CREDENTIAL_NAME = 'signInContextApi';

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
	/** An earlier attempt may have been applied before its answer was lost. */
	uncertain: boolean;
}

/** `{baseUrl}/v1/org/{org}/contexts/sign-in/{context}`, with a trailing slash on the base tolerated. */
export function contextUrl(credentials: IDataObject): string {
	const base = String(credentials.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	const org = encodeURIComponent(String(credentials.organizationId ?? '').trim());
	const context = encodeURIComponent(String(credentials.contextId ?? '').trim());
	return `${base}/v1/org/${org}/contexts/sign-in/${context}`;
}

function parseBody(raw: string): { body: unknown; isJson: boolean } {
	if (raw.trim() === '') return { body: undefined, isJson: false };
	try {
		return { body: JSON.parse(raw) as unknown, isJson: true };
	} catch {
		return { body: raw, isJson: false };
	}
}

/** Replaces every occurrence of the secret so that no error can carry it. */
function redact(value: string, secret: string): string {
	return secret !== '' ? value.split(secret).join('[redacted]') : value;
}

/** The same through any JSON value: a service that echoes the token must not put it in n8n's data. */
export function redactDeep<T>(value: T, secret: string): T {
	if (secret === '') return value;
	if (typeof value === 'string') return redact(value, secret) as T;
	if (Array.isArray(value)) return value.map((entry: unknown) => redactDeep(entry, secret)) as T;
	if (typeof value === 'object' && value !== null) {
		return Object.fromEntries(
			Object.entries(value).map(([key, entry]) => [redact(key, secret), redactDeep(entry, secret)]),
		) as T;
	}
	return value;
}

/** What the transport knows about a failed call, kept on the NodeApiError for operations to act on. */
export interface FailureContext {
	status?: number;
	errorCode?: string;
	detail?: string;
	fields: string[];
	/** Which of the API's documented error shapes the body had ('none': empty, HTML or foreign). */
	bodyShape: BodyShape;
	/** An earlier attempt of this call may have been applied before its answer was lost. */
	uncertain: boolean;
	attempts: number;
}

const FAILURE_KEY = 'signInFailure';

/** Errors reach n8n as its own error classes; anything else (a bug) is wrapped, never lost. */
export function asNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error));
}

export function failureOf(error: unknown): FailureContext | undefined {
	if (!(error instanceof NodeApiError)) return undefined;
	return error.context[FAILURE_KEY] as FailureContext | undefined;
}

/** Retry settings of an item, from the node's Request Options. */
/** An execution, or the editor asking for a list (a resource locator): both may call the API. */
export type SignInContext = IExecuteFunctions | ILoadOptionsFunctions;

function isExecution(context: SignInContext): context is IExecuteFunctions {
	return 'getInputData' in context;
}

export function readRetryPolicy(context: SignInContext, itemIndex: number): RetryPolicy {
	// The editor's list searches use the defaults: the user is waiting for the list.
	if (!isExecution(context)) return DEFAULT_RETRY_POLICY;
	const options = context.getNodeParameter('requestOptions', itemIndex, {}) as Partial<{
		maxAttempts: number;
		initialDelayMs: number;
		timeoutSeconds: number;
	}>;
	const whole = (value: unknown, min: number, fallback: number) =>
		typeof value === 'number' && Number.isFinite(value) && value >= min ? Math.floor(value) : fallback;
	return {
		maxAttempts: whole(options.maxAttempts, 1, DEFAULT_RETRY_POLICY.maxAttempts),
		initialDelayMs: whole(options.initialDelayMs, 0, DEFAULT_RETRY_POLICY.initialDelayMs),
		timeoutMs: whole(options.timeoutSeconds, 1, DEFAULT_RETRY_POLICY.timeoutMs / 1000) * 1000,
	};
}

type Attempt =
	| { response: { statusCode: number; body: unknown; headers?: IDataObject } }
	| { cause: unknown };

/**
 * The only place that talks to the Sign-In API. Sends JSON exactly as given, reads any answer
 * (JSON, empty, HTML) without failing on its shape, retries what is safe to retry (429 after its
 * Retry-After, 502/503/504, resets and timeouts, with exponential backoff and jitter; never 400,
 * 401 or 403), and turns what still fails into a NodeApiError whose message says what happened
 * and whose description says what to do. `uncertain` in the answer tells the operation that an
 * earlier attempt may have been applied, so that it can account for that.
 */
export async function signInApiRequest(this: SignInContext, request: ApiRequest): Promise<ApiResponse> {
	const credentials = await this.getCredentials(CREDENTIAL_NAME, request.itemIndex);
	const token = String(credentials.apiToken ?? '');
	const url = `${contextUrl(credentials)}${request.path}`;
	const refused = destinationProblem(credentials, url);
	if (refused) {
		throw new NodeOperationError(this.getNode(), refused.message, { description: refused.description, itemIndex: request.itemIndex });
	}
	const policy = readRetryPolicy(this, request.itemIndex);
	const headers: IDataObject = { Accept: 'application/json' };
	if (request.body !== undefined) headers['Content-Type'] = 'application/json';
	const body = request.body === undefined ? undefined : JSON.stringify(request.body);

	let uncertain = false;
	for (let attempt = 1; ; attempt++) {
		let outcome: Attempt;
		try {
			outcome = {
				response: (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_NAME, {
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

		let failure: Failure;
		if ('response' in outcome) {
			const { statusCode } = outcome.response;
			const raw = typeof outcome.response.body === 'string' ? outcome.response.body : outcome.response.body == null ? '' : String(outcome.response.body);
			const parsed = parseBody(raw);
			if (statusCode >= 200 && statusCode < 300) {
				const body = token !== '' && raw.includes(token) ? redactDeep(parsed.body, token) : parsed.body;
				return { statusCode, body, isJson: parsed.isJson, uncertain };
			}
			if (statusCode >= 300 && statusCode < 400) {
				throw redirectFailure(this, request, statusCode, url, outcome.response.headers?.location, { uncertain, attempts: attempt });
			}
			const retryAfter = outcome.response.headers?.['retry-after'];
			failure = { status: statusCode, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined };
			const verdict = classify(failure);
			const wait = retryWait(failure, attempt, policy);
			if (!verdict.retry || attempt >= policy.maxAttempts || wait === undefined) {
				throw httpFailure(this, request, statusCode, parsed, raw, token, {
					uncertain: uncertain || verdict.mayHaveApplied,
					attempts: attempt,
					waitTooLong: verdict.retry && wait === undefined,
				});
			}
			uncertain ||= verdict.mayHaveApplied;
			await pause(this, request, `${statusCode}`, attempt, policy, wait);
		} else {
			failure = { networkCode: networkCode(outcome.cause) };
			const verdict = classify(failure);
			if (!verdict.retry || attempt >= policy.maxAttempts) {
				throw networkFailure(this, outcome.cause, request, url, policy, { uncertain: uncertain || verdict.mayHaveApplied, attempts: attempt });
			}
			uncertain ||= verdict.mayHaveApplied;
			await pause(this, request, failure.networkCode ?? 'connection failure', attempt, policy, retryWait(failure, attempt, policy)!);
		}
	}
}

/** The wait before the next attempt; undefined when the service asks for longer than we wait. */
function retryWait(failure: Failure, attempt: number, policy: RetryPolicy): number | undefined {
	if ('status' in failure && (failure.status === 429 || failure.status === 503)) {
		const asked = parseRetryAfter(failure.retryAfter);
		if (asked !== undefined) return asked <= MAX_RETRY_AFTER_MS ? asked : undefined;
	}
	return backoffMs(attempt, policy.initialDelayMs);
}

async function pause(
	context: SignInContext,
	request: ApiRequest,
	reason: string,
	attempt: number,
	policy: RetryPolicy,
	waitMs: number,
): Promise<void> {
	context.logger.warn(
		`Sign-In API ${request.method} ${request.path} failed (${reason}) on attempt ${attempt} of ${policy.maxAttempts}; retrying in ${waitMs} ms`,
	);
	await sleep(waitMs);
}

function httpFailure(
	context: SignInContext,
	request: ApiRequest,
	statusCode: number,
	parsed: { body: unknown; isJson: boolean },
	raw: string,
	token: string,
	{ uncertain, attempts, waitTooLong }: { uncertain: boolean; attempts: number; waitTooLong: boolean },
): NodeApiError {
	const failure = describeFailure(statusCode, parsed.isJson ? parsed.body : undefined, raw);
	const notes: string[] = [];
	if (attempts > 1) notes.push(`Tried ${attempts} times.`);
	if (waitTooLong) notes.push(`The service asked to wait longer than ${MAX_RETRY_AFTER_MS / 1000} seconds before trying again.`);
	if (uncertain) notes.push('The request may have been applied before its answer was lost.');
	const error = new NodeApiError(
		context.getNode(),
		redactDeep({ httpCode: String(statusCode), body: (parsed.isJson ? parsed.body : excerpt(raw)) as JsonObject }, token) as JsonObject,
		{
			message: redact(failure.message, token),
			description: redact([failure.description, ...notes].join(' '), token),
			httpCode: String(statusCode),
			itemIndex: request.itemIndex,
		},
	);
	const detail = parseErrorBody(parsed.isJson ? parsed.body : undefined);
	error.context[FAILURE_KEY] = redactDeep(
		{
			status: statusCode,
			errorCode: detail.code,
			detail: detail.detail,
			fields: Array.isArray(parsed.body) ? parsed.body.map((entry) => String((entry as IDataObject)?.field ?? '')) : [],
			bodyShape: detail.shape,
			uncertain,
			attempts,
		} satisfies FailureContext,
		token,
	);
	return error;
}

/** A 3xx is never followed and never retried: it names where the server pointed, nothing more. */
function redirectFailure(
	context: SignInContext,
	request: ApiRequest,
	statusCode: number,
	url: string,
	location: unknown,
	{ uncertain, attempts }: { uncertain: boolean; attempts: number },
): NodeApiError {
	const text = describeRedirect(statusCode, new URL(url), redirectTarget(location, url));
	const notes = [
		...(attempts > 1 ? [`Tried ${attempts} times.`] : []),
		...(uncertain ? ['The request may have been applied before its answer was lost.'] : []),
	];
	const error = new NodeApiError(context.getNode(), { httpCode: String(statusCode) } as JsonObject, {
		message: text.message,
		description: [text.description, ...notes].join(' '),
		httpCode: String(statusCode),
		itemIndex: request.itemIndex,
	});
	error.context[FAILURE_KEY] = { status: statusCode, fields: [], bodyShape: 'none', uncertain, attempts } satisfies FailureContext;
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
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

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
	context: SignInContext,
	cause: unknown,
	request: ApiRequest,
	url: string,
	policy: RetryPolicy,
	{ uncertain, attempts }: { uncertain: boolean; attempts: number },
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
		? `The Sign-In API at ${host} did not answer within ${policy.timeoutMs / 1000} seconds`
		: `Could not reach the Sign-In API at ${host}`;
	const reason = code ? `${NETWORK_REASONS[code] ?? 'the connection failed'} (${code})` : 'the connection failed';
	const description = timedOut
		? `The ${request.method} request timed out (${code}). The service may be slow or unreachable from this n8n server; try again later.`
		: `The request could not be completed: ${reason}. Check the Base URL in the Sign-In Context API credential and that this n8n server can reach that host.`;
	const notes = [
		...(attempts > 1 ? [`Tried ${attempts} times.`] : []),
		...(uncertain ? ['The request may have been applied before its answer was lost.'] : []),
	];
	const error = new NodeApiError(context.getNode(), { networkCode: code ?? null } as JsonObject, {
		message,
		description: [description, ...notes].join(' '),
		itemIndex: request.itemIndex,
	});
	error.context[FAILURE_KEY] = { fields: [], bodyShape: 'none', uncertain, attempts } satisfies FailureContext;
	return error;
}

/** For answers that must carry a JSON object: anything else is explained, never passed on. */
export function expectJsonObject(
	this: SignInContext,
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
			description:
				'The change may or may not have been applied. Check the Base URL in the credential (a proxy or web page answers like this), then look at the Sign-In Context admin before running again.',
			httpCode: String(response.statusCode),
			itemIndex,
		},
	);
}
