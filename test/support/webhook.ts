/**
 * Runs the trigger's webhook function the way n8n's webhook service does: a real n8n-core
 * WebhookContext over a Workflow holding the node, its credential and its static data. The request
 * arrives as n8n's body parser leaves it: `body` parsed only for application/json, `rawBody` always.
 */
import { randomUUID } from 'crypto';
import { WebhookContext } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { NetgraphSignInTrigger } from '../../nodes/NetgraphSignInTrigger/NetgraphSignInTrigger.node';
import { nodeTypesOf, TestCredentialsHelper } from './harness';

/** Obviously fake; long enough for the credential's rule. */
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a fake secret for the trigger's tests
export const TEST_SECRET = 'test-secret-not-real-0001';
export const TEST_HEADER = 'X-Webhook-Secret';
export const webhookCredentials: ICredentialDataDecryptedObject = { headerName: TEST_HEADER, secret: TEST_SECRET };
/** Secrets of further Contexts in a venue group's credential; as fake as TEST_SECRET. */
export const OSLO_SECRET = 'test-secret-not-real-oslo';
export const BERGEN_SECRET = 'test-secret-not-real-bergen';
/** A venue group's credential: the main Context and two further ones. */
export const groupCredentials: ICredentialDataDecryptedObject = {
	headerName: TEST_HEADER,
	secret: TEST_SECRET,
	contextName: 'Hotel Stockholm',
	contexts: { context1: { name: 'Hotel Oslo', secret: OSLO_SECRET }, context2: { name: 'Hotel Bergen', secret: BERGEN_SECRET } },
};

export interface DeliveryOptions {
	/** Sent as the raw body; objects and arrays are serialised as JSON. */
	body?: unknown;
	contentType?: string;
	headers?: Record<string, string | string[]>;
	parameters?: IDataObject;
	credentials?: ICredentialDataDecryptedObject;
	/** The workflow's stored static data, as n8n loads it from its database for each delivery. */
	staticData?: IDataObject;
	mode?: WorkflowExecuteMode;
	/**
	 * The trigger also remembers recent events per workflow in the n8n process: the same ID is the
	 * same running n8n, a new ID (the default) is like a freshly started one.
	 */
	workflowId?: string;
}

export interface DeliveryResult {
	/** HTTP status the sender sees (the node answers every delivery itself). */
	status: number;
	/** The JSON body the sender sees. */
	answer: unknown;
	result: IWebhookResponseData;
	/** Items the workflow would start with, or undefined when nothing starts. */
	items?: IDataObject[];
	/** The static data n8n would store after the delivery (only when the node changed it). */
	staticData: IDataObject;
	staticDataChanged: boolean;
	/** What the node wrote to n8n's log, as `level: message`. */
	logged: string[];
}

export async function deliver(options: DeliveryOptions = {}): Promise<DeliveryResult> {
	const nodeType = new NetgraphSignInTrigger();
	const node: INode = {
		id: '9f3b4b1e-0000-4000-8000-000000000002',
		name: 'Sign-In Trigger',
		type: 'netgraphSignInTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: (options.parameters ?? {}) as INode['parameters'],
		credentials: { signInWebhookApi: { id: 'cred-2', name: 'Sign-In Webhook API' } },
		webhookId: 'c0ffee00-0000-4000-8000-000000000003',
	};
	const workflow = new Workflow({
		id: options.workflowId ?? `wf-${randomUUID()}`,
		name: 'trigger test',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: nodeTypesOf({ netgraphSignInTrigger: nodeType }),
		staticData: JSON.parse(JSON.stringify(options.staticData ?? {})) as IDataObject,
	});

	const contentType = options.contentType ?? 'application/json';
	const raw =
		typeof options.body === 'string' || options.body === undefined ? (options.body ?? '') : JSON.stringify(options.body);
	const rawBody = Buffer.from(raw, 'utf8');
	const headers: Record<string, string | string[]> = { 'content-type': contentType };
	for (const [name, value] of Object.entries(options.headers ?? { [TEST_HEADER]: TEST_SECRET })) headers[name.toLowerCase()] = value;
	const request = {
		headers,
		rawBody,
		body: contentType === 'application/json' && raw !== '' ? (JSON.parse(raw) as unknown) : contentType === 'text/plain' && raw !== '' ? raw : {},
		params: {},
		query: {},
	};
	let written: { status: number; body: string } | undefined;
	const response = {
		writeHead(status: number) {
			written = { status, body: '' };
			return response;
		},
		end(body: string) {
			written!.body = body;
			return response;
		},
	};

	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(options.credentials ?? webhookCredentials),
		httpRequest: request,
		httpResponse: response,
		webhookBaseUrl: 'http://n8n.test/webhook',
		webhookTestBaseUrl: 'http://n8n.test/webhook-test',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const webhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: 'webhook',
		webhookDescription: nodeType.description.webhooks![0],
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
	} as unknown as IWebhookData;
	const context = new WebhookContext(workflow, node, additionalData, options.mode ?? 'webhook', webhookData, [], null);
	const logged: string[] = [];
	const log = (level: string) => (message: string) => logged.push(`${level}: ${message}`);
	Object.defineProperty(context, 'logger', { value: { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') } });
	const result = await nodeType.webhook.call(context);

	const staticDataChanged = workflow.staticData.__dataChanged === true;
	const staticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
	delete staticData.__dataChanged;
	const items = result.workflowData?.[0].map((item) => item.json);
	if (!written || result.noWebhookResponse !== true) throw new Error('The trigger must answer every delivery itself');
	return { status: written.status, answer: JSON.parse(written.body), result, items, staticData, staticDataChanged, logged };
}
