import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { describeFailure, excerpt, looksLikeHtml, type ApiFamily } from './errors';

export const CREDENTIAL_NAME = 'signInContextApi';
export const REQUEST_TIMEOUT_MS = 30_000;

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below `/v1/org/{org}/contexts/sign-in/{context}`, starting with `/`. */
	path: string;
	body?: IDataObject | IDataObject[];
	family: ApiFamily;
	itemIndex: number;
}

export interface ApiResponse {
	statusCode: number;
	/** Parsed JSON, `undefined` for an empty body, or the raw text when it was not JSON. */
	body: unknown;
	isJson: boolean;
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
	return secret.length >= 4 ? value.split(secret).join('[redacted]') : value;
}

/**
 * The only place that talks to the Sign-In API. Sends JSON exactly as given, reads any answer
 * (JSON, empty, HTML) without failing on its shape, and turns non-2xx answers and network
 * failures into a NodeApiError whose message says what happened and whose description says what
 * to do.
 */
export async function signInApiRequest(this: IExecuteFunctions, request: ApiRequest): Promise<ApiResponse> {
	const credentials = await this.getCredentials(CREDENTIAL_NAME, request.itemIndex);
	const token = String(credentials.apiToken ?? '');
	const url = `${contextUrl(credentials)}${request.path}`;
	const headers: IDataObject = { Accept: 'application/json' };
	if (request.body !== undefined) headers['Content-Type'] = 'application/json';

	let response: { statusCode: number; body: unknown };
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_NAME, {
			method: request.method,
			url,
			headers,
			body: request.body === undefined ? undefined : JSON.stringify(request.body),
			encoding: 'text',
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: REQUEST_TIMEOUT_MS,
		})) as { statusCode: number; body: unknown };
	} catch (cause) {
		throw networkFailure(this, cause, request, url);
	}

	const raw = typeof response.body === 'string' ? response.body : response.body === undefined ? '' : String(response.body);
	const { body, isJson } = parseBody(raw);
	if (response.statusCode >= 200 && response.statusCode < 300) {
		return { statusCode: response.statusCode, body, isJson };
	}

	const failure = describeFailure(response.statusCode, isJson ? body : undefined, raw);
	throw new NodeApiError(
		this.getNode(),
		{ httpCode: String(response.statusCode), body: (isJson ? body : excerpt(raw)) as JsonObject } as JsonObject,
		{
			message: redact(failure.message, token),
			description: redact(failure.description, token),
			httpCode: String(response.statusCode),
			itemIndex: request.itemIndex,
		},
	);
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

function networkFailure(context: IExecuteFunctions, cause: unknown, request: ApiRequest, url: string): NodeApiError {
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
		? `The Sign-In API at ${host} did not answer within ${REQUEST_TIMEOUT_MS / 1000} seconds`
		: `Could not reach the Sign-In API at ${host}`;
	const reason = code ? `${NETWORK_REASONS[code] ?? 'the connection failed'} (${code})` : 'the connection failed';
	const description = timedOut
		? `The ${request.method} request timed out (${code}). The service may be slow or unreachable from this n8n server; try again later.`
		: `The request could not be completed: ${reason}. Check the Base URL in the Sign-In Context API credential and that this n8n server can reach that host.`;
	return new NodeApiError(context.getNode(), { networkCode: code ?? null } as JsonObject, {
		message,
		description,
		itemIndex: request.itemIndex,
	});
}

/** For answers that must carry a JSON object: anything else is explained, never passed on. */
export function expectJsonObject(
	this: IExecuteFunctions,
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
