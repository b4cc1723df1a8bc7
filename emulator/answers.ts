import { randomUUID } from 'crypto';

/** The API's three families, each with its own error body (spec 2.5). */
export type Family = 'user' | 'accessPolicy' | 'whitelisting';

export class HttpAnswer {
	constructor(
		readonly status: number,
		readonly body?: unknown,
	) {}
}

/** The answer for a path the API does not know: an empty 404, or a web server's page with notFoundHtml. */
export const UNKNOWN_PATH = new HttpAnswer(404);

export function familyOf(path: string): Family {
	if (path.includes('/modules/up/')) return 'user';
	if (path.includes('/policies/')) return 'accessPolicy';
	return 'whitelisting';
}

/** The family's error body; Whitelisting's is only documented for field validation, so 401/403 are empty (U-G3). */
export function failure(family: Family, status: number, code: string, message: string): HttpAnswer {
	const requestId = randomUUID();
	if (family === 'user') return new HttpAnswer(status, { error_code: code, error_message: message, request_id: requestId });
	if (family === 'accessPolicy') return new HttpAnswer(status, { status, message, request_id: requestId });
	return new HttpAnswer(status, status === 400 ? [{ field: 'request', rejectedValue: null, message }] : undefined);
}

export function parseJson(raw: string): { ok: boolean; value: unknown } {
	if (raw.trim() === '') return { ok: false, value: undefined };
	try {
		return { ok: true, value: JSON.parse(raw) };
	} catch {
		return { ok: false, value: raw };
	}
}
