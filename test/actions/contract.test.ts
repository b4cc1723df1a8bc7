import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { operationFor, operations } from '../../nodes/NetgraphSignIn/actions';
import { NetgraphSignIn } from '../../nodes/NetgraphSignIn/NetgraphSignIn.node';

const properties = new NetgraphSignIn().description.properties;

function optionValues(property: INodeProperties | undefined): string[] {
	return ((property?.options ?? []) as INodePropertyOptions[]).map((option) => String(option.value)).sort();
}

function operationPicker(resource: string): INodeProperties | undefined {
	const pickers = properties.filter((property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource));
	expect(pickers).toHaveLength(1);
	return pickers[0];
}

describe('Operation contract', () => {
	it('every resource in the Resource picker has a table of handlers, and every table a Resource option', () => {
		expect(optionValues(properties.find((property) => property.name === 'resource'))).toEqual(Object.keys(operations).sort());
	});

	describe.each(Object.keys(operations))('%s', (resource) => {
		it('every operation in its picker has a handler, and every handler an option', () => {
			const picker = operationPicker(resource);
			expect(optionValues(picker)).toEqual(Object.keys(operations[resource as keyof typeof operations]).sort());
			for (const value of optionValues(picker)) expect(operationFor(resource, value)).toBeDefined();
		});

		it("each handler's option carries the value that selects it and the picker's default is one of them", () => {
			const table = operations[resource as keyof typeof operations] as Record<string, { option: INodePropertyOptions }>;
			for (const [value, handler] of Object.entries(table)) expect(handler.option.value).toBe(value);
			expect(optionValues(operationPicker(resource))).toContain(operationPicker(resource)?.default);
		});

		it("each handler's fields show only for its own resource and operation", () => {
			const table = operations[resource as keyof typeof operations] as Record<string, { description: INodeProperties[] }>;
			for (const [value, handler] of Object.entries(table)) {
				for (const field of handler.description) {
					expect({ field: field.name, show: field.displayOptions?.show }).toMatchObject({
						field: field.name,
						show: { resource: [resource], operation: [value] },
					});
					expect(properties).toContain(field);
				}
			}
		});
	});

	it('a resource or operation the table does not have has no handler, whatever the prototype holds', () => {
		expect(operationFor('whitelisting', 'toString')).toBeUndefined();
		expect(operationFor('constructor', 'create')).toBeUndefined();
		expect(operationFor('whitelisting', 'delete')).toBeUndefined();
	});
});
