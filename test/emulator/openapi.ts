/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * Validates bodies against the Sign-In API's OpenAPI file (a copy of shared/spec, checked
 * identical when that folder is present), so that the emulator cannot drift from the spec.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';

export const SPEC_FILE = join(__dirname, '..', '..', 'emulator', 'spec', 'sign-in-api.openapi.yaml');
export const SHARED_SPEC_FILE = join(__dirname, '..', '..', '..', 'shared', 'spec', 'sign-in-api.openapi.yaml');

type Doc = { paths: Record<string, Record<string, Operation>>; components: { responses: Record<string, Response> } };
type Operation = { requestBody?: { content: Record<string, unknown> }; responses: Record<string, Response | { $ref: string }> };
type Response = { content?: Record<string, { schema: unknown }> };

const doc = parse(readFileSync(SPEC_FILE, 'utf8')) as Doc;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(doc as object, 'openapi.json');

const pointer = (...parts: string[]) => parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export const PATH_PREFIX = '/v1/org/{organizationId}/contexts/sign-in/{contextId}';

/** Errors of `body` against the request schema of `method path` (path after the context prefix). */
export function requestErrors(method: string, path: string, body: unknown): string[] {
	const validate = ajv.getSchema(
		`openapi.json#/${pointer('paths', PATH_PREFIX + path, method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema')}`,
	);
	if (!validate) throw new Error(`no request schema for ${method} ${path}`);
	return validate(body) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

/**
 * Errors of a response against the spec: the status must be documented for the operation, and
 * a body must match its schema (or be absent when none is documented).
 */
export function responseErrors(method: string, path: string, status: number, body: unknown): string[] {
	const operation = doc.paths[PATH_PREFIX + path]?.[method.toLowerCase()];
	if (!operation) return [`${method} ${path} is not in the spec`];
	let response = operation.responses[String(status)];
	let location = pointer('paths', PATH_PREFIX + path, method.toLowerCase(), 'responses', String(status));
	if (!response) return [`status ${status} is not documented for ${method} ${path}`];
	if ('$ref' in response) {
		const name = response.$ref.split('/').pop()!;
		location = pointer('components', 'responses', name);
		response = doc.components.responses[name];
	}
	if (!(response as Response).content) return body === undefined ? [] : [`no body is documented, got ${JSON.stringify(body)}`];
	if (body === undefined) return [];
	const validate = ajv.getSchema(`openapi.json#/${location}/${pointer('content', 'application/json', 'schema')}`);
	if (!validate) throw new Error(`no response schema at ${location}`);
	return validate(body) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}
