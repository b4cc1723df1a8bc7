/**
 * What a credential test says about a status, for both credentials: the Context credential's
 * declarative test rules and the organisation credential's test of every Context. Kept in step
 * with transport/errors.ts, which explains the same statuses during executions.
 */

export const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/** `keyField`: the field the user fixes, as the form names it. */
export function credentialTestProblem(status: number, keyField: string): string | undefined {
	if (status >= 200 && status < 300) return undefined;
	if (status === 401) {
		return `The API token was refused (401). Check the ${keyField}; if it was rotated, copy the new one from the Sign-In Context admin: Administration > Configuration > Common Settings.`;
	}
	if (status === 403) {
		return "Access denied (403). Either this n8n server's public IP address is not on the Organization's Administrator portal IP whitelist, or the Organization ID or Context ID is wrong (copy both from the dashboard instructions on the Organization's admin home page).";
	}
	if (status === 404) return 'Not found (404). Check the Base URL: it is the API base URL from the dashboard instructions, without /v1/....';
	if (REDIRECT_STATUSES.includes(status)) {
		return `The Base URL answered with a redirect (${status}). Redirects are never followed, so the API token was not sent to the address it pointed to. Enter the address of the Sign-In API itself in Base URL: the API base URL from the dashboard instructions, as it is, with https://.`;
	}
	return `The Sign-In API answered ${status}. Try again later; if it persists, check the Base URL.`;
}
