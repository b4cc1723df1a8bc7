/**
 * Runs a node through n8n-core's real WorkflowExecute, with credentials applied the way n8n's
 * CLI applies a generic `authenticate`. nock sits at the HTTP boundary; nothing of the node or of
 * the engine is mocked.
 */
import 'reflect-metadata';
import nock from 'nock';
import { ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { SignInContextApi } from '../../credentials/SignInContextApi.credentials';
import { SignInOrganizationApi } from '../../credentials/SignInOrganizationApi.credentials';
import { NetgraphSignIn } from '../../nodes/NetgraphSignIn/NetgraphSignIn.node';

export const BASE_URL = 'https://api.signin.test';
export const ORG_ID = 'org-4711';
export const CONTEXT_ID = 'ctx-42';
/** Obviously fake; tests assert that it never reaches an output or an error. */
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a fake token; the tests assert it never leaks
export const TEST_TOKEN = 'Test-Token-Not-A-Real-Secret-0001';
export const CONTEXT_PATH = `/v1/org/${ORG_ID}/contexts/sign-in/${CONTEXT_ID}`;

export const defaultCredentials: ICredentialDataDecryptedObject = {
	baseUrl: BASE_URL,
	organizationId: ORG_ID,
	contextId: CONTEXT_ID,
	apiToken: TEST_TOKEN,
};

const credentialTypes: Record<string, ICredentialType> = {
	signInContextApi: new SignInContextApi(),
	signInOrganizationApi: new SignInOrganizationApi(),
};

/** Every key a credential holds: the Context credential's token, or each Context's key. */
export function keysOf(credentials: ICredentialDataDecryptedObject): string[] {
	const contexts = Object.values((credentials.contexts ?? {}) as Record<string, IDataObject>);
	return [credentials.apiToken, ...contexts.map((context) => context.apiToken)].filter((key): key is string => typeof key === 'string' && key !== '');
}

export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	/** Same steps as n8n's CLI for an `IAuthenticateGeneric`: resolve each `=` expression with $credentials. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const authenticate = credentialTypes[typeName]?.authenticate;
		if (!authenticate) throw new Error(`No authenticate on ${typeName}`);
		// As n8n's CLI does: a function authenticates the request itself.
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		const options = requestOptions as unknown as Record<string, IDataObject | undefined>;
		for (const [section, values] of Object.entries(authenticate.properties) as Array<[string, IDataObject]>) {
			const target = (options[section] ??= {});
			for (const [key, value] of Object.entries(values)) {
				target[key] =
					typeof value === 'string' && value.startsWith('=')
						? workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '')
						: value;
			}
		}
		return requestOptions;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these tests');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		return { ...this.data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string) {
		return credentialTypes[type]?.properties ?? [];
	}
}

export function nodeTypesOf(types: Record<string, INodeType>): INodeTypes {
	return {
		getByName: (type: string) => types[type],
		getByNameAndVersion: (type: string, version?: number) => NodeHelpers.getVersionedNodeType(types[type], version),
		getKnownTypes: () => ({}),
	} as INodeTypes;
}

/** n8n-core's real functions object (its LoadOptionsContext) for a node's list search in the editor, on a node with these parameters. */
export function loadOptionsCaller(parameters: IDataObject, credentials: ICredentialDataDecryptedObject, path: string) {
	const nodeType = new NetgraphSignIn();
	const node: INode = {
		id: '9f3b4b1e-0000-4000-8000-000000000009',
		name: 'Sign-In',
		type: 'netgraphSignIn',
		typeVersion: 1.1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials:
			credentials.contexts === undefined
				? { signInContextApi: { id: 'cred-1', name: 'Sign-In Context API' } }
				: { signInOrganizationApi: { id: 'cred-2', name: 'Sign-In Organization API' } },
	};
	const workflow = new Workflow({ id: 'wf-list', nodes: [node], connections: {}, active: false, nodeTypes: nodeTypesOf({ netgraphSignIn: nodeType }) });
	const additionalData = { credentialsHelper: new TestCredentialsHelper(credentials), variables: {} } as unknown as IWorkflowExecuteAdditionalData;
	return { nodeType, caller: new LoadOptionsContext(workflow, node, additionalData, path) };
}

export interface RunOptions {
	parameters: IDataObject;
	items?: IDataObject[];
	continueOnFail?: boolean;
	credentials?: ICredentialDataDecryptedObject;
	nodeType?: INodeType;
	/**
	 * Run the node as n8n runs it as a tool (AI Agent, MCP Server Trigger): under its tool type,
	 * `<name>Tool`, with one input item made of the call's arguments, which $fromAI() reads.
	 */
	asTool?: boolean;
	/** The node's saved version; 1.1 (today's, what a node added now gets) unless given. */
	typeVersion?: number;
	/**
	 * Only for n8n's own declarative request path (the credential test), whose errors carry the
	 * request headers; n8n shows just the rule message from such a run, never its data.
	 */
	tokenMayAppear?: boolean;
}

export interface RunResult {
	run: IRun;
	status: IRun['status'];
	output: INodeExecutionData[];
	error?: IDataObject & { message: string; description?: string; httpCode?: string };
}

const NODE_NAME = 'Sign-In';

/** Runs one node over the given input items and returns the engine's own record of the run. */
export async function runNode(options: RunOptions): Promise<RunResult> {
	const baseType = options.nodeType ?? new NetgraphSignIn();
	const nodeType: INodeType = options.asTool
		? Object.assign(Object.create(baseType) as INodeType, { description: { ...baseType.description, name: `${baseType.description.name}Tool` } })
		: baseType;
	const typeName = nodeType.description.name;
	const node: INode = {
		id: '9f3b4b1e-0000-4000-8000-000000000001',
		name: NODE_NAME,
		type: typeName,
		typeVersion: options.typeVersion ?? 1.1,
		position: [0, 0],
		parameters: options.parameters as INode['parameters'],
		credentials:
			(options.credentials ?? defaultCredentials).contexts === undefined
				? { signInContextApi: { id: 'cred-1', name: 'Sign-In Context API' } }
				: { signInOrganizationApi: { id: 'cred-2', name: 'Sign-In Organization API' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const workflow = new Workflow({
		id: 'wf-test',
		name: 'test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypesOf({ [typeName]: nodeType }),
	});
	const mode: WorkflowExecuteMode = 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, 'exec-1', {
		id: 'wf-test',
		name: 'test',
		nodes: [node],
		connections: {},
		active: false,
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)));
	const additionalData = {
		hooks,
		credentialsHelper: new TestCredentialsHelper(options.credentials ?? defaultCredentials),
		restApiUrl: '',
		webhookBaseUrl: '',
		webhookWaitingBaseUrl: '',
		webhookTestBaseUrl: '',
		formWaitingBaseUrl: '',
		instanceBaseUrl: '',
		variables: {},
		executeWorkflow: async () => ({}),
		currentNodeExecutionIndex: 0,
	} as unknown as IWorkflowExecuteAdditionalData;
	const inputItems = (options.items ?? [{}]).map((json) => ({ json }));
	const runExecutionData = {
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [{ node, data: { main: [inputItems] }, source: null }],
		},
	} as unknown as IRunExecutionData;
	await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
	const run = await finished;
	// In any letter case: a host name, for one, is lower-cased when parsed.
	const recorded = JSON.stringify(run).toLowerCase();
	if (!options.tokenMayAppear && keysOf(options.credentials ?? defaultCredentials).some((key) => recorded.includes(key.toLowerCase()))) {
		throw new Error('An API token appears in the execution data');
	}
	const taskData = run.data.resultData.runData[NODE_NAME]?.[0];
	const error = (taskData?.error ?? run.data.resultData.error) as RunResult['error'];
	return {
		run,
		status: run.status,
		output: taskData?.data?.main?.[0] ?? [],
		error,
	};
}

/** The Context an output item says it belongs to, as `{ name, id }`; undefined when it names none. */
export function contextLabel(json: IDataObject): { name: unknown; id: unknown } | undefined {
	return json.signInContext === undefined ? undefined : { name: json.signInContext, id: json.signInContextId };
}

/** Output items as plain `{ json, pairedItem }` objects, for exact comparison. */
export function plain(items: INodeExecutionData[]): Array<{ json: IDataObject; pairedItem: unknown }> {
	return items.map(({ json, pairedItem }) => ({ json, pairedItem }));
}

export interface RecordedRequest {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/**
 * Expects one call to the Sign-In API and answers it; every request that reaches it is recorded
 * with its method, path, headers and parsed JSON body.
 */
export function expectCall(
	method: string,
	path: string,
	status: number,
	responseBody?: string | IDataObject | IDataObject[],
	responseHeaders: Record<string, string> = {},
	recorded: RecordedRequest[] = [],
	times = 1,
): RecordedRequest[] {
	return expectCalls(method, path, times, () => [status, responseBody ?? '', responseHeaders], recorded);
}

/**
 * Expects `times` calls to the Sign-In API whose answers depend on what was sent: `answer` gets
 * the parsed body and returns the status and body to reply with. Every request is recorded.
 */
export function expectCalls(
	method: string,
	path: string,
	times: number,
	answer: (body: unknown) => [number, string | IDataObject | IDataObject[], Record<string, string>?],
	recorded: RecordedRequest[] = [],
): RecordedRequest[] {
	nock(BASE_URL)
		.intercept(`${CONTEXT_PATH}${path}`, method)
		.times(times)
		.reply(function (uri, body) {
			recorded.push({ method: this.req.method, path: uri, headers: this.req.headers, body });
			return answer(body);
		});
	return recorded;
}

/**
 * The request as it went over the wire: method, full URL path, the x-auth-token header, JSON
 * content type, and a body whose serialisation (key order included, compact) and byte length
 * are exactly those of `body`.
 */
export function expectWire(request: RecordedRequest | undefined, method: string, path: string, body?: unknown) {
	expect(request).toBeDefined();
	const { headers } = request!;
	expect(request!.method).toBe(method);
	expect(request!.path).toBe(`${CONTEXT_PATH}${path}`);
	expect(headers['x-auth-token']).toBe(TEST_TOKEN);
	expect(headers.accept).toBe('application/json');
	if (body === undefined) {
		expect(request!.body).toBe('');
		expect(headers['content-type']).toBeUndefined();
	} else {
		expect(headers['content-type']).toBe('application/json');
		expect(JSON.stringify(request!.body)).toBe(JSON.stringify(body));
		expect(headers['content-length']).toBe(String(Buffer.byteLength(JSON.stringify(body))));
	}
}
