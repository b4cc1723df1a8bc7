import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { asNodeError, failureOf, signInApiRequest } from '../../transport';
import type { Operation } from '../types';
import { confirmCreated, macField, nameField, newEntryOptionalFields, readNewEntry, type Entry } from './shared';

const description: INodeProperties[] = [macField('create'), nameField('create'), newEntryOptionalFields('create')];

/** Merges a stored entry the API may return over the one sent; the API documents no body here. */
export function withStoredEntry(sent: Entry, body: unknown): IDataObject {
	const stored = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as IDataObject) : {};
	return { ...sent, ...stored };
}

export const create: Operation<Entry> = {
	option: { name: 'Create', value: 'create', description: 'Whitelist one device by MAC address so it skips the captive portal', action: 'Whitelist a device by MAC address' },
	description,
	prepare: readNewEntry,
	orderKey: (entry) => entry.mac,
	async send(entry, itemIndex) {
		try {
			const response = await signInApiRequest.call(this, {
				method: 'POST',
				path: '/modules/whitelistings',
				body: entry,
				itemIndex,
			});
			return withStoredEntry(entry, response.body);
		} catch (error) {
			// Re-sent after a lost answer, the create meets its own entry (same client UUID): the
			// active list tells that apart from a MAC that someone else whitelisted.
			const failure = failureOf(error);
			const conflict = failure?.status === 400 && failure.fields.some((field) => field === 'id' || field === 'mac');
			if (!failure?.uncertain || !conflict) throw asNodeError(this.getNode(), error);
			if (!(await confirmCreated.call(this, [entry], itemIndex)).has(entry.id)) throw asNodeError(this.getNode(), error);
			return { ...entry, firstAnswerLost: true };
		}
	},
};
