'use strict';
// What the rules in ./rules share: which file a rule looks at, and how a node, a credential or a
// parameter reads in the syntax tree, in TypeScript sources and in the compiled JavaScript alike.
const path = require('path');

const NODE_FILE = /\.node\.(ts|js)$/;
const CREDENTIALS_FILE = /\.credentials\.(ts|js)$/;

const isNodeFile = (filename) => NODE_FILE.test(filename);
const isCredentialsFile = (filename) => CREDENTIALS_FILE.test(filename);
const isPackageJson = (filename) => path.basename(filename) === 'package.json';

/** The name of an object or class member's key, when it is written out (`a`, `'a'`, `['a']`). */
function keyName(member) {
	const key = member && member.key;
	if (!key) return null;
	if (key.type === 'Identifier' && !member.computed) return key.name;
	if (key.type === 'Literal' && typeof key.value === 'string') return key.value;
	return null;
}

/** A string written as a literal (`'a'` or a template without `${}`), or null. */
function stringValue(node) {
	if (!node) return null;
	if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
	if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
	return null;
}

function findProperty(object, name) {
	if (!object || object.type !== 'ObjectExpression') return null;
	return object.properties.find((property) => property.type === 'Property' && keyName(property) === name) || null;
}

/** The value written for `name` in an object literal, or null. */
const propertyValue = (object, name) => (findProperty(object, name) || {}).value || null;

/** The root object of a JSON file that the TypeScript parser read as an expression. */
function jsonRoot(program) {
	const statement = program.body[0];
	return statement && statement.type === 'ExpressionStatement' && statement.expression.type === 'ObjectExpression'
		? statement.expression
		: null;
}

/**
 * A class member's value: a TypeScript field (`description = {...}`) or, in compiled JavaScript,
 * the constructor's `this.description = {...}`.
 */
function classMemberValue(classNode, name) {
	for (const member of classNode.body.body) {
		if (member.type === 'PropertyDefinition' && !member.static && keyName(member) === name) return member.value;
	}
	const constructor = classMethod(classNode, 'constructor');
	if (!constructor || !constructor.body) return null;
	for (const statement of constructor.body.body) {
		const expression = statement.type === 'ExpressionStatement' ? statement.expression : null;
		if (
			expression &&
			expression.type === 'AssignmentExpression' &&
			expression.left.type === 'MemberExpression' &&
			expression.left.object.type === 'ThisExpression' &&
			keyName({ key: expression.left.property, computed: expression.left.computed }) === name
		) {
			return expression.right;
		}
	}
	return null;
}

function classMethod(classNode, name) {
	const method = classNode.body.body.find((member) => member.type === 'MethodDefinition' && keyName(member) === name);
	return method ? method.value : null;
}

const implementsName = (classNode, names) =>
	(classNode.implements || []).some(
		(clause) => clause.expression && clause.expression.type === 'Identifier' && names.includes(clause.expression.name),
	);

/** The node's description object, when the class is a node type with a literal description. */
function nodeDescription(classNode) {
	const description = classMemberValue(classNode, 'description');
	return description && description.type === 'ObjectExpression' ? description : null;
}

/** A node type class: implements INodeType, or (compiled, where `implements` is gone) has a description. */
const isNodeClass = (classNode) =>
	implementsName(classNode, ['INodeType', 'IVersionedNodeType']) || nodeDescription(classNode) !== null;

const isCredentialClass = (classNode) =>
	implementsName(classNode, ['ICredentialType']) ||
	(classMemberValue(classNode, 'name') !== null && classMemberValue(classNode, 'properties') !== null);

/** Calls visit(node) for the node and every node below it. */
function walk(node, visit) {
	visit(node);
	for (const key of Object.keys(node)) {
		if (key === 'parent') continue;
		const value = node[key];
		if (Array.isArray(value)) {
			for (const child of value) if (child && typeof child.type === 'string') walk(child, visit);
		} else if (value && typeof value.type === 'string') walk(value, visit);
	}
}

/** `Name` of `new Name(...)` or of `new module.Name(...)` (what TypeScript compiles an import to). */
function constructedName(newExpression) {
	const callee = newExpression.callee;
	if (callee.type === 'Identifier') return callee.name;
	if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') return callee.property.name;
	return null;
}

/** `this.<method>(...)` */
const isThisCall = (node, method) =>
	node.type === 'CallExpression' &&
	node.callee.type === 'MemberExpression' &&
	node.callee.object.type === 'ThisExpression' &&
	keyName({ key: node.callee.property, computed: node.callee.computed }) === method;

/** n8n's parameter types (NodePropertyTypes): an object with a `name` and one of these is a parameter. */
const PARAMETER_TYPES = new Set([
	'assignmentCollection',
	'boolean',
	'button',
	'callout',
	'collection',
	'color',
	'credentials',
	'credentialsSelect',
	'curlImport',
	'dateTime',
	'filter',
	'fixedCollection',
	'hidden',
	'icon',
	'json',
	'multiOptions',
	'notice',
	'number',
	'options',
	'resourceLocator',
	'resourceMapper',
	'string',
	'workflowSelector',
]);

/** A mode of a resource locator (`modes: [{ name: 'id', type: 'string' }]`): no parameter, it has no default. */
const isLocatorMode = (object) =>
	object.parent && object.parent.type === 'ArrayExpression' && object.parent.parent && object.parent.parent.type === 'Property' && keyName(object.parent.parent) === 'modes';

/** The parameter's type when the object literal is a node or credential parameter, else null. */
function parameterType(object) {
	if (isLocatorMode(object)) return null;
	const type = stringValue(propertyValue(object, 'type'));
	return type && PARAMETER_TYPES.has(type) && stringValue(propertyValue(object, 'name')) !== null ? type : null;
}

/** The literal option objects of an `options` or `multiOptions` parameter. */
function literalOptions(parameter) {
	const options = propertyValue(parameter, 'options');
	if (!options || options.type !== 'ArrayExpression') return [];
	return options.elements.filter((element) => element && element.type === 'ObjectExpression');
}

module.exports = {
	classMemberValue,
	classMethod,
	constructedName,
	findProperty,
	isCredentialClass,
	isCredentialsFile,
	isNodeClass,
	isNodeFile,
	isPackageJson,
	isThisCall,
	jsonRoot,
	keyName,
	literalOptions,
	nodeDescription,
	parameterType,
	propertyValue,
	stringValue,
	walk,
};
