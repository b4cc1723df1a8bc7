import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	ALL_EVENTS,
	DEFAULT_REMEMBERED_EVENTS,
	EVENT_CATALOGUE,
	MAX_REMEMBERED_EVENTS,
	MIN_REMEMBERED_EVENTS,
	RecentEvents,
	eventFilter,
	rememberedEventsLimit,
	eventIdOf,
	eventNameOf,
	eventsOfBody,
	passesFilter,
	redeliveryKey,
} from './webhook/events';
import { CONTEXT_NAME_FIELD } from '../shared/signInContext';
import { credentialProblems, originOf, readWebhookContexts } from './webhook/origins';
import { receivedValue } from './webhook/secret';

/** The parts of n8n's Express request and response this node uses. */
interface DeliveryRequest {
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	rawBody?: Buffer;
}
interface DeliveryResponse {
	writeHead(status: number, headers: Record<string, string>): unknown;
	end(body: string): unknown;
}

/**
 * Answers the delivery here, before any execution starts: the platform retries whatever does not
 * get a 200 quickly. With `noWebhookResponse`, n8n sends nothing more and still starts the
 * workflow when `workflowData` is given.
 */
function answer(response: DeliveryResponse, status: number, body: IDataObject, workflowData?: IWebhookResponseData['workflowData']): IWebhookResponseData {
	response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
	response.end(JSON.stringify(body));
	return workflowData === undefined ? { noWebhookResponse: true } : { noWebhookResponse: true, workflowData };
}

/**
 * The body as JSON. n8n has already parsed an `application/json` body; any other content type
 * (the platform's is undocumented) is parsed here from the raw bytes.
 */
function parsedBody(request: DeliveryRequest): { ok: true; value: unknown } | { ok: false; problem: string } {
	const raw = request.rawBody;
	const contentType = (receivedValue(request.headers['content-type']) ?? '').split(';')[0].trim().toLowerCase();
	// n8n parsed a non-empty JSON body already (an empty one becomes `{}`): no need to decode it again.
	if (contentType === 'application/json' && raw !== undefined && raw.length > 0 && typeof request.body === 'object' && request.body !== null) {
		return { ok: true, value: request.body };
	}
	const text = raw?.toString('utf8') ?? (typeof request.body === 'string' ? request.body : '');
	if (text.trim() === '') return { ok: false, problem: 'The delivery has an empty body' };
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false, problem: 'The delivery body is not JSON' };
	}
}

export class NetgraphSignInTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Netgraph Sign-In Trigger',
		name: 'netgraphSignInTrigger',
		icon: { light: 'file:netgraph.svg', dark: 'file:netgraph.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["events"].includes("*") ? "All events" : $parameter["events"].join(", ") }}',
		description: "Starts the workflow when the Sign-In Context's webhook reports sign-in activity",
		defaults: { name: 'Netgraph Sign-In Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'signInWebhookApi', required: true, testedBy: 'signInWebhookHeader' }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName:
					`Netgraph Sign-In has no API for webhook subscriptions, so set this one up by hand: in the Sign-In Context admin open Context > Webhooks, create a webhook (Instant Event Delivery or Batch Delivery both work), paste this node's Production URL as its endpoint, add the custom HTTP header named in this node's credential with the same value, and tick the events below. One trigger can serve several Contexts: add them to the credential under Further Contexts, each with its own secret, and each event says which Context it came from (field ${CONTEXT_NAME_FIELD}).`,
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['*'],
				description: 'Which events start the workflow; others are answered 200 and dropped',
				options: [{ name: 'All Events', value: ALL_EVENTS, description: 'Every event the webhook delivers' }, ...EVENT_CATALOGUE],
			},
			{
				displayName: 'Other Event Names',
				name: 'otherEvents',
				type: 'string',
				default: '',
				placeholder: 'e.g. signin.dhcp.expired, signin.configuration.audit',
				description:
					'Event names missing from the list above (the documentation does not name the lease-expiry and configuration-audit events), separated by commas',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Drop Redeliveries',
						name: 'dropRedeliveries',
						type: 'boolean',
						default: true,
						description:
							'Whether to start nothing for an event already received: the platform redelivers an event when it did not get an HTTP 200 in time. Not applied while listening for a test event.',
					},
					{
						displayName: 'Keep Events Without a Name',
						name: 'keepUnnamedEvents',
						type: 'boolean',
						default: true,
						description:
							'Whether events whose name cannot be found in the payload still start the workflow when specific events are selected',
					},
					{
						displayName: 'Remembered Events',
						name: 'rememberedEvents',
						type: 'number',
						typeOptions: { minValue: MIN_REMEMBERED_EVENTS, maxValue: MAX_REMEMBERED_EVENTS },
						default: DEFAULT_REMEMBERED_EVENTS,
						description:
							'How many of the most recent events are remembered to recognise redeliveries, counted over all the Contexts of the credential (the default holds one whole Batch delivery of 20,000). Each takes 25 bytes of the workflow\'s stored data.',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			async signInWebhookHeader(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const contexts = readWebhookContexts(credential.data ?? {});
				const problems = credentialProblems(contexts);
				if (problems.length > 0) return { status: 'Error', message: `${problems.join('. ')}.` };
				if (contexts.contexts.length === 1) {
					return {
						status: 'OK',
						message: `Header ready. Add the header ${contexts.headerName} with this value to the webhook in the Sign-In Context admin.`,
					};
				}
				const names = contexts.contexts.map((context) => context.name).join(', ');
				return {
					status: 'OK',
					message: `Header ready for ${contexts.contexts.length} Contexts (${names}). Add the header ${contexts.headerName} to the webhook in each Context's admin, with that Context's own secret as its value.`,
				};
			},
		},
	};

	/**
	 * Subscriptions live only in the Sign-In Context admin, so activation has nothing to register:
	 * the lifecycle tells the user, in n8n's log, what to set up and what to switch off.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				this.logger.info(
					`Netgraph Sign-In Trigger "${this.getNode().name}" is listening at ${this.getNodeWebhookUrl('default') ?? ''}: it starts the workflow only for deliveries from a webhook set up with this URL and the credential's header in the Sign-In Context admin (Context > Webhooks).`,
				);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				this.logger.info(
					`Netgraph Sign-In Trigger "${this.getNode().name}" stopped listening: disable its webhook in the Sign-In Context admin (Context > Webhooks), or the platform keeps retrying deliveries that now get 404.`,
				);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject() as unknown as DeliveryRequest;
		const response = this.getResponseObject() as unknown as DeliveryResponse;
		const contexts = readWebhookContexts(await this.getCredentials('signInWebhookApi'));
		const received = contexts.headerProblem === undefined ? receivedValue(request.headers[contexts.headerName.toLowerCase()]) : undefined;
		const origin = originOf(contexts, received);
		if (origin.kind === 'misconfigured') {
			this.logger.error(`Netgraph Sign-In Trigger "${this.getNode().name}": ${origin.problem}. Fix its credential; deliveries get 500 until then, and the platform retries them.`);
			return answer(response, 500, { message: 'The receiving workflow is misconfigured; the delivery was not accepted.' });
		}
		if (origin.kind === 'unknown') {
			return answer(response, 401, { message: 'Missing or wrong webhook authentication header; nothing was started.' });
		}
		const { context } = origin;

		const body = parsedBody(request);
		if (!body.ok) return answer(response, 400, { message: `${body.problem}; nothing was started.` });
		const delivery = eventsOfBody(body.value);
		if (delivery === undefined) {
			return answer(response, 400, { message: 'The delivery body is neither a JSON object nor a JSON array; nothing was started.' });
		}

		const options = this.getNodeParameter('options', {}) as IDataObject;
		const filter = eventFilter(
			this.getNodeParameter('events', []) as string[],
			this.getNodeParameter('otherEvents', '') as string,
			options.keepUnnamedEvents !== false,
		);
		const dropRedeliveries = options.dropRedeliveries !== false && this.getMode() !== 'manual';
		// Reading the node's static data creates it, and n8n then stores it: only when it is used.
		const staticData = dropRedeliveries ? this.getWorkflowStaticData('node') : undefined;
		const limit = rememberedEventsLimit(options.rememberedEvents);
		const recent = staticData && new RecentEvents(staticData.recentEvents, limit, `${this.getWorkflow().id ?? ''}\u0000${this.getNode().id}`);

		const started: IDataObject[] = [];
		let redelivered = 0;
		let filteredOut = 0;
		for (const event of delivery.events) {
			const name = eventNameOf(event);
			if (!passesFilter(filter, name)) {
				filteredOut++;
			} else if (recent && !recent.remember(redeliveryKey(event, name, eventIdOf(event), context.key))) {
				redelivered++;
			} else {
				started.push(context.name === undefined ? event : { ...event, [CONTEXT_NAME_FIELD]: context.name });
			}
		}
		if (staticData && recent && recent.added > 0) staticData.recentEvents = recent.toStored();

		const summary = { received: delivery.events.length, started: started.length, redelivered, filteredOut };
		return answer(response, 200, summary, started.length === 0 ? undefined : [this.helpers.returnJsonArray(started)]);
	}
}
