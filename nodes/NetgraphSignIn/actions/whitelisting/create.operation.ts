import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { signInApiRequest } from '../../transport';
import type { Operation } from '../types';
import { macField, nameField, newEntryOptionalFields, readNewEntry, type Entry } from './shared';

const description: INodeProperties[] = [macField('create'), nameField('create'), newEntryOptionalFields('create')];

/** Merges a stored entry the API may return over the one sent; the API documents no body here. */
export function withStoredEntry(sent: Entry, body: unknown): IDataObject {
	const stored = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as IDataObject) : {};
	return { ...sent, ...stored };
}

export const create: Operation<Entry> = {
	description,
	prepare: readNewEntry,
	async send(entry, itemIndex) {
		const response = await signInApiRequest.call(this, {
			method: 'POST',
			path: '/modules/whitelistings',
			body: entry,
			family: 'whitelisting',
			itemIndex,
		});
		return withStoredEntry(entry, response.body);
	},
};
