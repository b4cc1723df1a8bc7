/**
 * The fast parameter path (`readValue`) against n8n's own evaluation: a probe node calls both for
 * every parameter and item, through n8n-core's real WorkflowExecute, and they must agree exactly
 * (the same value, undefined and null told apart, -0 and 0 too, or the same error).
 */
import { DateTime } from 'luxon';
import {
	NodeConnectionTypes,
	NodeHelpers,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeProperties,
	type INodeType,
} from 'n8n-workflow';

import { operations } from '../../nodes/NetgraphSignIn/actions';
import { readValue } from '../../nodes/NetgraphSignIn/actions/params';
import { NetgraphSignIn } from '../../nodes/NetgraphSignIn/NetgraphSignIn.node';
import { runNode } from '../support/harness';

type Outcome = { value: unknown } | { error: string };

interface Observation {
	name: string;
	itemIndex: number;
	fast: Outcome;
	engine: Outcome;
	/** Whether the fast path asked n8n for its answer. */
	askedN8n: boolean;
}

function outcome(read: () => unknown): Outcome {
	try {
		return { value: read() };
	} catch (error) {
		return { error: `${(error as Error).constructor.name}: ${(error as Error).message}` };
	}
}

/** A node that reads each of `names` for each item both ways and records what it got. */
function probeNode(properties: INodeProperties[], names: string[], observations: Observation[]): INodeType {
	return {
		description: {
			displayName: 'Parameter Probe',
			name: 'parameterProbe',
			group: ['transform'],
			version: 1,
			description: 'Reads parameters through the fast path and through n8n',
			defaults: { name: 'Parameter Probe' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties,
		},
		async execute(this: IExecuteFunctions) {
			const items = this.getInputData();
			const n8n = this.getNodeParameter;
			let asked = 0;
			this.getNodeParameter = ((...args: Parameters<typeof n8n>) => {
				asked++;
				return n8n(...args);
			}) as typeof n8n;
			for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
				for (const name of names) {
					const before = asked;
					const fast = outcome(() => readValue(this, itemIndex, name));
					const askedN8n = asked > before;
					const engine = outcome(() => n8n(name, itemIndex, null, { extractValue: true }));
					observations.push({ name, itemIndex, fast, engine, askedN8n });
				}
			}
			return [items.map((_, item) => ({ json: {}, pairedItem: { item } }))];
		},
	};
}

async function probe(properties: INodeProperties[], names: string[], parameters: IDataObject, items: IDataObject[]) {
	const observations: Observation[] = [];
	const result = await runNode({ parameters, items, nodeType: probeNode(properties, names, observations) });
	expect(result.error).toBeUndefined();
	expect(observations).toHaveLength(names.length * items.length);
	return observations;
}

const PROBE_PROPERTIES: INodeProperties[] = [
	{ displayName: 'Value', name: 'value', type: 'string', default: '' },
	{ displayName: 'Count', name: 'count', type: 'number', default: 0 },
	{ displayName: 'Flag', name: 'flag', type: 'boolean', default: false },
	{ displayName: 'Data', name: 'data', type: 'json', default: '{}' },
	{
		displayName: 'Target',
		name: 'target',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'search' } },
			{ displayName: 'By ID', name: 'id', type: 'string' },
			{ displayName: 'By URL', name: 'url', type: 'string', extractValue: { type: 'regex', regex: 'id=([\\w-]+)' } },
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		default: {},
		options: [
			{ displayName: 'X', name: 'x', type: 'string', default: '' },
			{ displayName: 'N', name: 'n', type: 'number', default: 0 },
		],
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		default: {},
		options: [
			{ displayName: 'X', name: 'x', type: 'string', default: '' },
			{ displayName: 'Tags', name: 'tags', type: 'string', default: '' },
		],
	},
];
const PROBE_NAMES = ['value', 'count', 'flag', 'data', 'target', 'options.x', 'options.n', 'additionalFields.x', 'additionalFields.tags'];
/** Read too, though the probe does not declare them. */
const UNDECLARED_NAMES = ['options.undeclared', 'undeclared'];

describe('what n8n returns, and the fast path with it', () => {
	const read = async (parameter: unknown, json: IDataObject, name = 'value') => {
		const [group, option] = name.split('.');
		const parameters = (option ? { [group]: { [option]: parameter } } : { [name]: parameter }) as IDataObject;
		const [observation] = await probe(PROBE_PROPERTIES, [name], parameters, [json]);
		return observation;
	};

	// Each of these is a case where the fast path used to disagree with n8n.
	it.each<[string, unknown, IDataObject, Outcome]>([
		['a missing field is undefined, not null', '={{ $json.missing }}', {}, { value: undefined }],
		['a field read through null is undefined', '={{ $json.a.b }}', { a: null }, { value: undefined }],
		['a field read through a missing one is undefined', '={{ $json.a.b.c }}', { a: {} }, { value: undefined }],
		['an inherited method is refused', '={{ $json.toString }}', {}, { error: 'UserError: this is a function, please add ()' }],
		['hasOwnProperty too', '={{ $json.hasOwnProperty }}', { a: 1 }, { error: 'UserError: this is a function, please add ()' }],
		['a method of an array too', '={{ $json.arr.map }}', { arr: [1] }, { error: 'UserError: this is a function, please add ()' }],
		['__proto__', '={{ $json.__proto__ }}', {}, { error: 'ExpressionError: Cannot access "__proto__" due to security concerns' }],
		['constructor', '={{ $json.constructor }}', {}, { error: 'ExpressionError: Expression contains invalid constructor function call' }],
		[
			'constructor in brackets',
			'={{ $json["constructor"] }}',
			{},
			{ error: 'ExpressionError: Cannot access "constructor" due to security concerns' },
		],
		[
			'a key starting with constructor',
			'={{ $json.constructorName }}',
			{ constructorName: 'c' },
			{ error: 'ExpressionError: Expression contains invalid constructor function call' },
		],
		['an own prototype key', '={{ $json.prototype }}', { prototype: 'p' }, { error: 'ExpressionError: Cannot access "prototype" due to security concerns' }],
		['an own mainModule key', '={{ $json.mainModule }}', { mainModule: 'm' }, { error: 'ExpressionError: Cannot access "mainModule" due to security concerns' }],
		['an own caller key', '={{ $json["caller"] }}', { caller: 'c' }, { error: 'ExpressionError: Cannot access "caller" due to security concerns' }],
		['a length of a string', '={{ $json.a.length }}', { a: 'xy' }, { value: 2 }],
		['a leading zero index is octal-free JavaScript', '={{ $json.arr[01] }}', { arr: [10, 11] }, { value: 11 }],
		['an index beyond 2^53', '={{ $json[99999999999999999999] }}', { '100000000000000000000': 'big' }, { value: 'big' }],
		['}} inside a quoted key', '={{ $json["}}"] }}', { '}}': 'braces' }, { error: 'UserError: invalid syntax' }],
		['a line break inside a quoted key', '={{ $json["a\nb"] }}', { 'a\nb': 'nl' }, { error: 'UserError: invalid syntax' }],
		['a bare $ key', '={{ $json.$["a"] }}', { $: { a: 1 } }, { error: 'ExpressionError: Cannot access "$" without calling it as a function' }],
		[
			'a date inside a field becomes a string',
			'={{ $json.when }}',
			{ when: { at: DateTime.fromMillis(0, { zone: 'utc' }) } as never },
			{ value: { at: '1970-01-01T00:00:00.000Z' } },
		],
	])('%s', async (_, parameter, json, expected) => {
		const observation = await read(parameter, json);
		expect(observation.engine).toStrictEqual(expected);
		expect(observation.fast).toStrictEqual(expected);
	});

	it.each<[string, unknown, IDataObject, Outcome]>([
		['an own field', '={{ $json.mac }}', { mac: 'AA-BB' }, { value: 'AA-BB' }],
		['a nested field', '={{$json.device.mac}}', { device: { mac: 'AA-BB' } }, { value: 'AA-BB' }],
		['a quoted key', '={{ $json["MAC address"] }}', { 'MAC address': 'AA-BB' }, { value: 'AA-BB' }],
		['an array element', "={{ $json['a'][0].b }}", { a: [{ b: 0 }] }, { value: 0 }],
		['an array', '={{ $json.tags }}', { tags: ['lobby', 'kiosk'] }, { value: ['lobby', 'kiosk'] }],
		['a null field', '={{ $json.a }}', { a: null }, { value: null }],
		['a missing field', '={{ $json.a }}', {}, { value: undefined }],
		['a field missing in an array', '={{ $json.arr[5] }}', { arr: [] }, { value: undefined }],
		['-0', '={{ $json.a }}', { a: -0 }, { value: -0 }],
		['a field holding an expression', '={{ $json.a }}', { a: '={{ $json.b }}' }, { value: '={{ $json.b }}' }],
		['a unicode key', '={{ $json["名前"] }}', { 名前: 'n' }, { value: 'n' }],
		['a numeric-string key', '={{ $json["10"] }}', { '10': 'ten' }, { value: 'ten' }],
	])('the fast path reads %s without n8n', async (_, parameter, json, expected) => {
		const observation = await read(parameter, json);
		expect(observation.engine).toStrictEqual(expected);
		expect(observation.fast).toStrictEqual(expected);
		expect(observation.askedN8n).toBe(false);
	});

	it.each<[string, IDataObject, Outcome]>([
		['={{ $json.toString }}', { toString: 'own' }, { value: 'own' }],
		['={{ $json.valueOf }}', { valueOf: 1 }, { value: 1 }],
		['={{ $json.a.hasOwnProperty }}', { a: { hasOwnProperty: 'x' } }, { value: 'x' }],
	])('%s, an own field named like a method every object has, is left to n8n (its vm and quickjs engines refuse it)', async (parameter, json, expected) => {
		const observation = await read(parameter, json);
		expect(observation.engine).toStrictEqual(expected);
		expect(observation.fast).toStrictEqual(expected);
		expect(observation.askedN8n).toBe(true);
	});

	it('a fixed value in a URL resource locator is what its regex extracts, as n8n returns it', async () => {
		const observation = await read({ __rl: true, mode: 'url', value: 'https://x.test/?id=abc-1' }, {}, 'target');
		expect(observation.engine).toStrictEqual({ value: 'abc-1' });
		expect(observation.fast).toStrictEqual({ value: 'abc-1' });
	});

	it('an option the collection does not declare is refused as n8n refuses it', async () => {
		const observation = await read(undefined, {}, 'options.undeclared');
		expect(observation.engine).toStrictEqual({ error: 'NodeOperationError: Could not find property' });
		expect(observation.fast).toStrictEqual(observation.engine);
	});

	it('a declared option left out is null', async () => {
		const observation = await read(undefined, {}, 'options.x');
		expect(observation.engine).toStrictEqual({ value: null });
		expect(observation.fast).toStrictEqual({ value: null });
	});

	it('over 2,000 items, a field reference never asks n8n and a fixed value asks it once', async () => {
		const items = Array.from({ length: 2000 }, (_, index) => ({ mac: `mac-${index}` }));
		const observations = await probe(PROBE_PROPERTIES, ['value', 'options.x'], { value: '={{ $json.mac }}', options: { x: 'fixed' } }, items);
		const value = observations.filter((observation) => observation.name === 'value');
		const fixed = observations.filter((observation) => observation.name === 'options.x');
		expect(value.map((observation) => observation.fast)).toStrictEqual(items.map((item) => ({ value: item.mac })));
		expect(value.filter((observation) => observation.askedN8n)).toHaveLength(0);
		expect(fixed.every((observation) => 'value' in observation.fast && observation.fast.value === 'fixed')).toBe(true);
		expect(fixed.filter((observation) => observation.askedN8n).map((observation) => observation.itemIndex)).toStrictEqual([0]);
	});
});

/** mulberry32: a small seeded generator, so every run draws the same cases. */
function generator(seed: number) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
	const chance = (probability: number) => next() < probability;
	const count = (max: number) => Math.floor(next() * (max + 1));
	return { pick, chance, count };
}
type Generator = ReturnType<typeof generator>;

const KEYS = [
	'a', 'b', 'c', 'mac', 'arr', 'x', 'a-b', 'MAC address', 'a.b', 'a b', "it's", 'a"b', 'é', 'ключ', '名前', '0', '1', '10', '01',
	'toString', 'hasOwnProperty', 'valueOf', 'constructor', 'prototype', '__proto__', 'length', 'isEmpty', '$', '_', 'caller',
	'mainModule', '}}', '{{', 'line\nbreak', 'tab\there',
] as const;

class Box {
	inner = 1;
}

function leaf(random: Generator): unknown {
	return random.pick([
		null, undefined, 0, -0, 1, 42, 3.5, -7, NaN, Infinity, '', ' ', 'x', 'AA-BB-CC-00-00-01', '=x', '={{ $json.a }}', '{{ 1 }}',
		'constructor', false, true,
	]);
}

function jsonValue(random: Generator, depth: number): unknown {
	const roll = random.count(19);
	if (depth > 2 || roll < 10) return leaf(random);
	if (roll < 14) return Array.from({ length: random.count(3) }, () => jsonValue(random, depth + 1));
	if (roll < 18) return jsonObject(random, depth + 1, 4);
	return random.pick([() => new Date(0), () => new Box(), () => DateTime.fromMillis(0, { zone: 'utc' }), () => Object.create(null) as object])();
}

function jsonObject(random: Generator, depth: number, maxKeys: number): IDataObject {
	const object: IDataObject = {};
	for (let index = random.count(maxKeys); index > 0; index--) {
		// defineProperty makes even `__proto__` an own key, as JSON.parse does.
		Object.defineProperty(object, random.pick(KEYS), { value: jsonValue(random, depth), enumerable: true, writable: true, configurable: true });
	}
	return object;
}

function quoted(random: Generator, key: string): string {
	if (!key.includes('"') && (random.chance(0.5) || key.includes("'"))) return `"${key}"`;
	if (!key.includes("'")) return `'${key}'`;
	return JSON.stringify(key);
}

function pathPart(random: Generator, key: string): string {
	if (/^\d+$/.test(key) && random.chance(0.5)) return `[${random.pick([key, key, ` ${key} `, `0${key}`, `${key}.0`])}]`;
	if (/^[A-Za-z_$][\w$]*$/.test(key) && random.chance(0.6)) return `.${key}`;
	if (random.chance(0.05)) return `.${key}`;
	return `[${quoted(random, key)}]`;
}

/** A `$json` path, mostly through keys the items have. */
function jsonPath(random: Generator, items: IDataObject[]): string {
	let path = '$json';
	let here: unknown = random.pick(items);
	for (let depth = 1 + random.count(2); depth > 0; depth--) {
		const own = here !== null && typeof here === 'object' ? Object.keys(here) : [];
		const key = own.length && random.chance(0.75) ? random.pick(own) : random.pick(KEYS);
		path += pathPart(random, key);
		here = here !== null && typeof here === 'object' ? (here as IDataObject)[key] : undefined;
	}
	return path;
}

const SPACES = ['', '', ' ', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\ufeff'];

function expression(random: Generator, items: IDataObject[]): string {
	const path = jsonPath(random, items);
	const inner = random.pick([
		path, path, path, path, path, path,
		`${path}.toUpperCase()`, `${path}?.x`, `${path} || 'none'`, `${path} + ''`, `${path}.length`, `${path}.isEmpty()`,
		'$json', `$input.item.json${path.slice(5)}`, `$("Parameter Probe").item.json${path.slice(5)}`, `${path}[0]`,
	]);
	const braces = `{{${random.pick(SPACES)}${inner}${random.pick(SPACES)}}}`;
	return random.pick([
		`=${braces}`, `=${braces}`, `=${braces}`, `=${braces}`, `=${braces}`,
		`=x${braces}`, `=${braces} `, `= ${braces}`, `=${braces}${braces}`, `=${braces}{{ $json.b }}`, braces,
		`=${braces.slice(0, -1)}`, `={${braces}}`,
	]);
}

function parameterValue(random: Generator, items: IDataObject[]): unknown {
	const roll = random.count(19);
	if (roll < 11) return expression(random, items);
	if (roll < 15) return leaf(random);
	if (roll < 16) return random.pick([['a', 'b'], [], [1, null], { a: 1 }, { nested: { x: 'y' } }]);
	if (roll < 17) return random.pick([{ a: '={{ $json.a }}' }, ['={{ $json.a }}', 'x']]);
	const mode = random.pick(['list', 'id', 'url', 'unknown']);
	const value = random.pick([
		'abc', '', 'https://x.test/?id=abc-1', 'https://x.test/', 42, null, expression(random, items), '={{ "https://x.test/?id=" + $json.a }}',
	]);
	return { __rl: true, mode, value };
}

describe('the fast path agrees with n8n over generated parameters and items', () => {
	const RUNS = 300;

	it(`${RUNS} generated runs of the probe node`, async () => {
		const random = generator(0x5eed);
		const all: Observation[] = [];
		for (let run = 0; run < RUNS; run++) {
			const items = Array.from({ length: 1 + random.count(5) }, () => jsonObject(random, 0, 6));
			const parameters: IDataObject = { options: {}, additionalFields: {} };
			for (const name of PROBE_NAMES) {
				if (random.chance(0.15)) continue;
				const [group, option] = name.split('.');
				if (option) (parameters[group] as IDataObject)[option] = parameterValue(random, items) as never;
				else parameters[name] = parameterValue(random, items) as never;
			}
			const observations = await probe(PROBE_PROPERTIES, [...PROBE_NAMES, ...UNDECLARED_NAMES], parameters, items);
			const label = (observation: Observation) => `run ${run} ${JSON.stringify(parameters)} ${observation.name} [item ${observation.itemIndex}]`;
			expect(observations.map((observation) => [label(observation), observation.fast])).toStrictEqual(
				observations.map((observation) => [label(observation), observation.engine]),
			);
			all.push(...observations);
		}
		// Not a test that passes by always asking n8n: most field references are read directly.
		const answeredAlone = all.filter((observation) => !observation.askedN8n);
		expect(all.length).toBeGreaterThan(10000);
		expect(answeredAlone.length).toBeGreaterThan(all.length / 5);
		expect(answeredAlone.some((observation) => 'value' in observation.fast && observation.fast.value === undefined)).toBe(true);
	});
});

function propertiesOf(properties: readonly unknown[]): INodeProperties[] {
	return properties.filter((entry): entry is INodeProperties => typeof entry === 'object' && entry !== null && 'type' in entry);
}

/** Every property of the description, nested ones (collection options, fixedCollection values) included. */
function everyProperty(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => {
		const nested = ((property.options ?? []) as unknown[]).flatMap((option) =>
			propertiesOf([option]).length ? propertiesOf([option]) : propertiesOf((option as { values?: unknown[] }).values ?? []),
		);
		return [property, ...everyProperty(nested)];
	});
}

/**
 * A generated value for one of the node's own fields. Options keep their default, so that what
 * is shown stays what was read; a required field is never empty, or n8n would not run the node.
 */
function fieldValue(random: Generator, items: IDataObject[], property: INodeProperties): unknown {
	if (property.type === 'options') return property.default;
	if (!property.required) return parameterValue(random, items);
	const value = random.chance(0.7) ? expression(random, items) : random.pick(['x', 'AA-BB-CC-00-00-01', 'guest@example.test']);
	return property.type === 'resourceLocator' ? { __rl: true, mode: random.pick(['list', 'id']), value } : value;
}

describe("the node's own parameters", () => {
	const description = new NetgraphSignIn().description;

	it('have nothing n8n converts after evaluating them, which the fast path relies on', () => {
		const all = everyProperty(description.properties);
		expect(all.length).toBeGreaterThan(40);
		expect(all.filter((property) => 'extractValue' in property || 'validateType' in property).map((property) => property.name)).toStrictEqual([]);
		expect(all.filter((property) => ['filter', 'resourceMapper', 'fixedCollection'].includes(property.type)).map((property) => property.name)).toStrictEqual([]);
		const modes = all.flatMap((property) => property.modes ?? []);
		expect(modes.length).toBeGreaterThan(0);
		expect(modes.filter((mode) => mode.extractValue !== undefined).map((mode) => mode.name)).toStrictEqual([]);
	});

	const node = { name: 'Probe', type: 'parameterProbe', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
	const cases = Object.entries(operations).flatMap(([resource, byName]) => Object.keys(byName).map((operation) => [resource, operation]));

	it.each(cases)('%s %s: generated values read the same both ways', async (resource, operation) => {
		const shown = NodeHelpers.getNodeParameters(description.properties, { resource, operation }, true, false, node, description)!;
		const fields = Object.keys(shown)
			.filter((name) => name !== 'resource' && name !== 'operation')
			.flatMap((name): Array<[string, INodeProperties]> => {
				const property = description.properties.find(
					(candidate) => candidate.name === name && NodeHelpers.displayParameter(shown, candidate, node, description),
				)!;
				if (property.type === 'notice') return [];
				if (property.type !== 'collection') return [[name, property]];
				return propertiesOf(property.options ?? []).map((option) => [`${name}.${option.name}`, option]);
			});
		expect(fields.length).toBeGreaterThan(0);
		const random = generator(resource.length * 131 + operation.length);
		for (let run = 0; run < 12; run++) {
			const items = Array.from({ length: 1 + random.count(3) }, () => jsonObject(random, 0, 6));
			const parameters: IDataObject = { resource, operation };
			for (const [name, property] of fields) {
				if (!property.required && random.chance(0.2)) continue;
				const [group, option] = name.split('.');
				const value = fieldValue(random, items, property) as never;
				if (option) parameters[group] = { ...(parameters[group] as IDataObject), [option]: value };
				else parameters[name] = value;
			}
			const names = fields.map(([name]) => name);
			const observations = await probe(description.properties, names, parameters, items);
			const label = (observation: Observation) => `${JSON.stringify(parameters)} ${observation.name} [item ${observation.itemIndex}]`;
			expect(observations.map((observation) => [label(observation), observation.fast])).toStrictEqual(
				observations.map((observation) => [label(observation), observation.engine]),
			);
		}
	});
});
