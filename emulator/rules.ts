/**
 * The Sign-In API's documented validation rules as the service enforces them: strict, no
 * normalisation. These are the patterns of the spec (and its OpenAPI file), deliberately kept
 * apart from the node's generous client-side rules so that the emulator can catch the node
 * sending something the service would refuse.
 */

export const MAC = /^(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$|^(?:[0-9A-Fa-f]{2}-){5}[0-9A-Fa-f]{2}$/;
export const NAME = /^[A-Za-z0-9åäöÅÄÖ&,. -]{2,100}$/;
export const DESCRIPTION = /^[A-Za-z0-9åäöÅÄÖ&,. -]{0,200}$/;
export const TAG_VALUE = /^[A-Za-z0-9åäöÅÄÖ()&,./"+: -]{2,30}$/;
export const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const EMAIL_PATTERN =
	/^(?:\*@(?:\*\.)?|[^\s@*]+@)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export interface FieldError {
	field: string;
	rejectedValue: unknown;
	message: string;
}

/** The service's duplicate-detection key for a MAC (U-W3): upper case, colon-separated. */
export function macKey(mac: string): string {
	return mac.toUpperCase().replace(/-/g, ':');
}

export function isRealDate(value: string): boolean {
	if (!DATE.test(value)) return false;
	const [year, month, day] = value.split('-').map(Number);
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

type Body = Record<string, unknown>;

/** Field errors of a whitelisting body; `requireId` for update. */
export function whitelistingErrors(body: Body, requireId: boolean): FieldError[] {
	const errors: FieldError[] = [];
	const fail = (field: string, message: string) => errors.push({ field, rejectedValue: body[field] ?? null, message });
	if (body.id !== undefined && body.id !== null) {
		if (typeof body.id !== 'string' || !UUID.test(body.id)) fail('id', 'must be a UUID');
	} else if (requireId) {
		fail('id', 'must not be null');
	}
	if (typeof body.mac !== 'string' || !MAC.test(body.mac)) fail('mac', 'invalid MAC address format');
	if (typeof body.name !== 'string' || !NAME.test(body.name)) {
		fail('name', 'must be 2-100 characters of letters, digits, å ä ö, space and & , . -');
	}
	if (body.description !== undefined && body.description !== null) {
		if (typeof body.description !== 'string' || !DESCRIPTION.test(body.description)) {
			fail('description', 'must be 0-200 characters of letters, digits, å ä ö, space and & , . -');
		}
	}
	if (body.toDate !== undefined && body.toDate !== null) {
		if (typeof body.toDate !== 'string' || !isRealDate(body.toDate)) fail('toDate', 'must be a date as YYYY-MM-DD');
	}
	if (body.tags !== undefined && body.tags !== null) {
		if (!Array.isArray(body.tags)) {
			fail('tags', 'must be an array of { value }');
		} else {
			body.tags.forEach((tag, index) => {
				const value = typeof tag === 'object' && tag !== null ? (tag as Body).value : undefined;
				if (typeof value !== 'string' || !TAG_VALUE.test(value)) {
					errors.push({ field: `tags[${index}].value`, rejectedValue: value ?? null, message: 'must be 2-30 characters of the tag character set' });
				}
			});
		}
	}
	if (body.createdBy !== undefined && body.createdBy !== null) {
		if (typeof body.createdBy !== 'string' || body.createdBy.length > 100) fail('createdBy', 'must be at most 100 characters');
	}
	return errors;
}

/** Lower-cased and trimmed (U-AP1). */
export function normalizeEmail(pattern: string): string {
	return pattern.trim().toLowerCase();
}

function domainOf(pattern: string): string {
	return pattern.slice(pattern.indexOf('@') + 1);
}

/** Whether `pattern` matches the concrete or wildcard address `email`. */
export function patternCovers(pattern: string, email: string): boolean {
	if (pattern === email) return true;
	if (!pattern.startsWith('*@')) return false;
	const domain = domainOf(email);
	if (pattern.startsWith('*@*.')) {
		const parent = pattern.slice(4);
		return domain.endsWith(`.${parent}`) && !email.startsWith('*@*.');
	}
	return !email.startsWith('*@') && domain === pattern.slice(2);
}

/** How the service compares a value it refuses (`refuseValues`): MACs by their key, e-mails lower-cased. */
export function refusalKey(value: string): string {
	return value.includes('@') ? normalizeEmail(value) : macKey(value.trim());
}

/** One field error per value of `values` that is among `refused`, named `field[index].key` as the family does. */
export function refusedValueErrors(values: unknown[], refused: Set<string>, field: (index: number) => string, message: string): FieldError[] {
	const errors: FieldError[] = [];
	values.forEach((value, index) => {
		if (typeof value === 'string' && refused.has(refusalKey(value))) errors.push({ field: field(index), rejectedValue: value, message });
	});
	return errors;
}
