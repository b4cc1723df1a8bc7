import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { itemContextOf, rememberItemContexts, usesOrganization } from '../transport';
import { ORGANIZATION_CREDENTIAL, readOrganizationContexts, resolveContext } from '../../shared/organizationContexts';
import type { SignInContext } from '../../shared/signInContext';
import { readLocatorValue } from './params';

/** Which credential the node uses; `authentication` picks it, and nodes saved before it use one Context. */
export const authenticationDescription: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'One Context (Sign-In Context API)', value: 'signInContextApi' },
		{ name: 'Several Contexts (Sign-In Organization API)', value: 'signInOrganizationApi' },
	],
	default: 'signInContextApi',
	description: 'Whether the credential holds one Sign-In Context, or an organisation\'s Contexts with a key each',
};

export const contextDescription: INodeProperties = {
	displayName: 'Context',
	name: 'context',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	displayOptions: { show: { authentication: ['signInOrganizationApi'] } },
	description:
		"The Sign-In Context (property, campus, site) each item is for: picked from the credential's Contexts, or a name or Context ID, fixed or from an expression per item. Empty uses the credential's only Context, when it holds no other slot (usable or not).",
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchContexts', searchable: true },
		},
		{
			displayName: 'By Name or ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. Hotel Stockholm',
		},
	],
};

/**
 * Whether an item may be meant for the same Context as another: always with one Context, and
 * when either item names no Context of the credential (it could have meant any).
 */
export function mayShareContext(execution: IExecuteFunctions, itemIndex: number, otherIndex: number): boolean {
	const [one, other] = [itemContextOf(execution, itemIndex), itemContextOf(execution, otherIndex)];
	return !one || !other || one.url === other.url;
}

/**
 * The Context each item is for, or the error that names the item, its value and the Contexts the
 * credential holds; undefined with a one-Context credential. Read before any request is sent. A
 * slot that cannot be used (no key, no or a bad Context ID) fails only the items that name it; a
 * credential whose Contexts are ambiguous (the same Context ID or name twice) fails the whole run.
 */
export async function contextsOfItems(this: IExecuteFunctions, count: number): Promise<Array<SignInContext | NodeOperationError> | undefined> {
	if (!usesOrganization(this)) return undefined;
	const read = readOrganizationContexts(await this.getCredentials(ORGANIZATION_CREDENTIAL));
	if ('problem' in read) throw new NodeOperationError(this.getNode(), read.problem.message, { description: read.problem.description });
	const found: Array<SignInContext | NodeOperationError> = [];
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		const resolved = resolveContext(read.contexts, readLocatorValue(this, itemIndex, 'context'), read.broken);
		found.push(
			'slot' in resolved
				? resolved
				: new NodeOperationError(this.getNode(), `[item ${itemIndex}] ${resolved.message}`, {
						itemIndex,
						description: `${resolved.description} Nothing was sent for this item.`,
					}),
		);
	}
	rememberItemContexts(this, found.map((itemContext) => (itemContext instanceof NodeOperationError ? undefined : itemContext)));
	return found;
}
