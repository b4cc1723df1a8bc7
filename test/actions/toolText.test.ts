/**
 * What a model sees of each operation when the node is a tool of n8n's AI Agent, and n8n's own
 * rules for the texts and keys involved. The tool description comes from n8n-workflow's
 * NodeHelpers.getToolDescriptionForNode (the function n8n-core's createNodeAsTool calls); the
 * rules are eslint-plugin-n8n-nodes-base's node-param rules (the ones `n8n-node lint` applies to
 * nodes/), run over the Operation pickers written out as literals, since the node builds them
 * from its operation table and the linter cannot see through that.
 */
import { Linter } from 'eslint';
import { NodeHelpers, type INode, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';

import { operations } from '../../nodes/NetgraphSignIn/actions';
import { NetgraphSignIn } from '../../nodes/NetgraphSignIn/NetgraphSignIn.node';

// eslint-disable-next-line @typescript-eslint/no-require-imports, @n8n/community-nodes/no-restricted-imports -- test code, never published; the plugin ships CommonJS without types; it is what @n8n/node-cli's lint config loads
const n8nNodesBase = require('eslint-plugin-n8n-nodes-base') as { configs: { nodes: { rules: Record<string, Linter.RuleEntry> } } };

const description: INodeTypeDescription = new NetgraphSignIn().description;
const pickers = description.properties.filter((property) => property.name === 'operation');

/** The description n8n gives a tool node whose Tool Description is left on "Set Automatically". */
function toolDescription(resource: string, operation: string): string {
	const node: INode = {
		id: 'tool',
		name: 'Tool',
		type: 'n8n-nodes-netgraph-sign-in.netgraphSignInTool',
		typeVersion: 1,
		position: [0, 0],
		parameters: { descriptionType: 'auto', resource, operation },
	};
	return NodeHelpers.getToolDescriptionForNode(node, { description } as never);
}

/** The $fromAI key n8n's editor writes for a field on "Let the model define this parameter": the display name, anything but letters, digits and - turned into _. */
const editorKey = (displayName: string) => displayName.replace(/[^a-zA-Z0-9-]/g, '_').slice(0, 63);

/** Fields an agent can fill: n8n's editor offers no model override on options and credential pickers. */
function modelFillable(fields: INodeProperties[]): Array<{ displayName: string; type: string }> {
	return fields.flatMap((field) => {
		if (field.type === 'collection' || field.type === 'fixedCollection') {
			return modelFillable((field.options ?? []).filter((option): option is INodeProperties => 'type' in option));
		}
		return field.type === 'options' || field.type === 'notice' || field.noDataExpression ? [] : [{ displayName: field.displayName, type: field.type }];
	});
}

describe('Netgraph Sign-In as an AI Agent tool', () => {
	it('describes each operation to a model as "<action> in Netgraph Sign-In"', () => {
		const described = Object.fromEntries(
			Object.entries(operations).flatMap(([resource, table]) => Object.keys(table).map((operation) => [`${resource}.${operation}`, toolDescription(resource, operation)])),
		);
		expect(described).toEqual({
			'accessPolicy.addEmails': 'Add emails or patterns to an access policy in Netgraph Sign-In',
			'accessPolicy.removeEmails': 'Remove emails or patterns from an access policy in Netgraph Sign-In',
			'accessPolicy.syncEmails': 'Sync emails of an access policy in Netgraph Sign-In',
			'user.create': 'Create a user with a password in Netgraph Sign-In',
			'user.update': 'Set a new password for a user in Netgraph Sign-In',
			'user.upsert': 'Create a user or set its password in Netgraph Sign-In',
			'user.delete': 'Delete a user and end its sessions in Netgraph Sign-In',
			'whitelisting.create': 'Whitelist a device by MAC address in Netgraph Sign-In',
			'whitelisting.createMany': 'Whitelist many devices by MAC address in Netgraph Sign-In',
			'whitelisting.getAll': 'Get many whitelisted devices in Netgraph Sign-In',
			'whitelisting.revokeMany': 'Revoke whitelisted devices by MAC address in Netgraph Sign-In',
			'whitelisting.sync': 'Sync whitelisted devices with the input items in Netgraph Sign-In',
			'whitelisting.update': 'Update a whitelisted device by ID in Netgraph Sign-In',
		});
	});

	it("the Operation pickers pass n8n's node-param lint rules (sentence-cased actions, Get many, sorted options)", () => {
		const rules = Object.fromEntries(Object.entries(n8nNodesBase.configs.nodes.rules).filter(([rule]) => rule.startsWith('n8n-nodes-base/node-param-')));
		expect(Object.keys(rules)).toEqual(expect.arrayContaining(['n8n-nodes-base/node-param-operation-option-action-miscased', 'n8n-nodes-base/node-param-operation-option-action-wrong-for-get-many']));
		const source = pickers.map((picker, index) => `export const picker${index} = ${JSON.stringify(picker, null, '\t').replace(/"(\w+)":/g, '$1:')};`).join('\n');
		const messages = new Linter({ configType: 'flat' }).verify(source, [{ files: ['**/*.js'], plugins: { 'n8n-nodes-base': n8nNodesBase as never }, rules }], 'nodes/Pickers.node.js');
		expect(messages.map(({ ruleId, message, line }) => ({ ruleId, message, line }))).toEqual([]);
		expect(pickers).toHaveLength(Object.keys(operations).length);
	});

	it("every field an agent can fill gives a valid $fromAI key by n8n's editor, and no operation has two keys alike with different types", () => {
		const keyRule = /^[a-zA-Z0-9_-]{1,64}$/;
		for (const [resource, table] of Object.entries(operations)) {
			for (const [operation, handler] of Object.entries(table)) {
				const keys = new Map<string, string>();
				for (const field of modelFillable(handler.description)) {
					const key = editorKey(field.displayName);
					expect({ resource, operation, key, valid: keyRule.test(key) }).toEqual({ resource, operation, key, valid: true });
					expect({ resource, operation, key, type: keys.get(key) ?? field.type }).toEqual({ resource, operation, key, type: field.type });
					keys.set(key, field.type);
				}
			}
		}
		expect(editorKey('MAC Address')).toBe('MAC_Address');
		expect(modelFillable(operations.whitelisting.create.description).map((field) => editorKey(field.displayName))).toEqual(
			expect.arrayContaining(['MAC_Address', 'Name', 'Valid_Until']),
		);
	});
});
