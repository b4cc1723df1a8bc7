import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { listActive } from '../actions/whitelisting/shared';
import { ORGANIZATION_CREDENTIAL, readOrganizationContexts } from '../../shared/organizationContexts';

/**
 * The active entries for the Whitelisting picker, matching the search in name, MAC or ID. A MAC
 * typed in any spelling matches too. Entries without a string ID cannot be updated, so they are
 * not offered.
 */
export async function searchActiveWhitelistings(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const needle = (filter ?? '').trim().toLowerCase();
	const hex = needle.replace(/[^0-9a-f]/g, '');
	const results = (await listActive.call(this, 0))
		.filter((entry): entry is IDataObject & { id: string } => typeof entry.id === 'string')
		.filter((entry) => {
			if (needle === '') return true;
			const text = `${String(entry.name ?? '')} ${entry.id} ${String(entry.mac ?? '')}`.toLowerCase();
			return text.includes(needle) || (hex.length >= 4 && String(entry.mac ?? '').toLowerCase().replace(/[^0-9a-f]/g, '').includes(hex));
		})
		.map((entry) => ({ name: `${String(entry.name ?? '(no name)')} (${String(entry.mac ?? '')})`, value: entry.id }));
	return { results };
}

/**
 * The organisation credential's usable Contexts for the Context picker, by name. The value is the
 * Context ID, which names exactly one slot: `readOrganizationContexts` refuses a credential in
 * which two slots share one, or a name is another slot's ID.
 */
export async function searchContexts(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const read = readOrganizationContexts(await this.getCredentials(ORGANIZATION_CREDENTIAL));
	if ('problem' in read) throw new NodeOperationError(this.getNode(), read.problem.message, { description: read.problem.description });
	const needle = (filter ?? '').trim().toLowerCase();
	const results = read.contexts
		.filter((context) => needle === '' || `${context.name} ${context.id}`.toLowerCase().includes(needle))
		.map((context) => ({ name: context.name, value: context.id }));
	return { results };
}
