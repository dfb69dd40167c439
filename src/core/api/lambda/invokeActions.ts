// Lambda API invocations beside Invoke: InvokeWithResponseStream (event-stream frames) and the legacy InvokeAsync.
import { randomUUID } from 'node:crypto';
import type { EventStreamCodec } from '@smithy/eventstream-codec';
import { ASYNC_PAYLOAD_LIMIT, requestTooLarge, SYNC_PAYLOAD_LIMIT } from '../../service/lambdaService';
import type { InvokeRequest, InvokeResult } from '../../service/invocation';
import { sendJson } from '../apiResponses';
import { readBody } from '../requestBody';
import { str } from './functionActions';
import type { ActionCall, LambdaAction } from './lambdaActionTypes';

let loadedCodec: EventStreamCodec | undefined;

/** The event-stream codec, loaded on the first streamed invocation rather than at every start of the service. */
async function eventStreamCodec(): Promise<EventStreamCodec> {
  if (!loadedCodec) {
    const { EventStreamCodec: Codec } = await import('@smithy/eventstream-codec');
    loadedCodec = new Codec((bytes) => Buffer.from(bytes).toString('utf8'), (text) => Buffer.from(text, 'utf8'));
  }
  return loadedCodec;
}

/** One event of the response's event stream, framed as the SDK's EventStream reader expects it. */
function eventFrame(codec: EventStreamCodec, eventType: 'PayloadChunk' | 'InvokeComplete', contentType: string, body: Uint8Array): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':message-type': { type: 'string', value: 'event' },
      ':content-type': { type: 'string', value: contentType },
    },
    body,
  });
}

async function payloadOf(call: ActionCall, limit: number): Promise<Buffer> {
  const { body } = await readBody(call.req, limit);
  if (body === undefined) throw requestTooLarge(limit);
  return body;
}

/** The function's error as InvokeComplete reports it: its type, and its message when the error body is Lambda's JSON. */
function completion(result: InvokeResult): Record<string, string> {
  const complete: Record<string, string> = {};
  if (result.functionError) {
    complete.ErrorCode = result.errorType ?? result.functionError;
    let details = result.payload.toString('utf8');
    try {
      const parsed = JSON.parse(details) as { errorMessage?: unknown };
      if (typeof parsed.errorMessage === 'string') details = parsed.errorMessage;
    } catch {
      // Not Lambda's error JSON: the body itself is the detail.
    }
    complete.ErrorDetails = details;
  }
  if (result.logResult !== undefined) complete.LogResult = result.logResult;
  return complete;
}

/**
 * InvokeWithResponseStream: 200 and an application/vnd.amazon.eventstream body of PayloadChunk events as the handler
 * streams them (a handler that is not streamified sends its whole response as one chunk), then InvokeComplete with the
 * error, if any, and the log tail. What fails before the function runs (not found, throttled) is an ordinary API error.
 */
const invokeWithResponseStream: LambdaAction = async (call) => {
  const payload = await payloadOf(call, SYNC_PAYLOAD_LIMIT);
  const codec = await eventStreamCodec();
  const { res } = call;
  const requestId = randomUUID();
  let streamed = false;
  const request: InvokeRequest = {
    functionName: str(call.input, 'FunctionName') ?? '',
    payload,
    // DryRun runs the function too: AWS answers it with the streamed response (recorded by SAM's tests against AWS).
    invocationType: 'RequestResponse',
    logType: str(call.input, 'LogType') === 'Tail' ? 'Tail' : 'None',
    requestId,
    onStart: (executedVersion) => {
      res.writeHead(200, {
        'Content-Type': 'application/vnd.amazon.eventstream',
        'X-Amz-Executed-Version': executedVersion,
        'x-amzn-RequestId': requestId,
      });
    },
    onResponseChunk: (chunk) => {
      streamed = true;
      res.write(eventFrame(codec, 'PayloadChunk', 'application/octet-stream', chunk));
    },
  };
  const qualifier = str(call.input, 'Qualifier');
  if (qualifier !== undefined) request.qualifier = qualifier;
  const clientContext = str(call.input, 'ClientContext');
  if (clientContext !== undefined) request.clientContext = clientContext;
  const tenantId = str(call.input, 'TenantId');
  if (tenantId !== undefined) request.tenantId = tenantId;
  const result = await call.context.service.invoke(request);
  if (!streamed && !result.functionError && result.payload.length > 0) {
    res.write(eventFrame(codec, 'PayloadChunk', 'application/octet-stream', result.payload));
  }
  res.end(eventFrame(codec, 'InvokeComplete', 'application/json', Buffer.from(JSON.stringify(completion(result)))));
};

/** InvokeAsync (deprecated): the event is queued as an asynchronous invocation; 202 with {"Status": 202} and its request id. */
const invokeAsync: LambdaAction = async (call) => {
  const payload = await payloadOf(call, ASYNC_PAYLOAD_LIMIT);
  const result = await call.context.service.invoke({ functionName: str(call.input, 'FunctionName') ?? '', payload, invocationType: 'Event' });
  sendJson(call.res, 202, { Status: 202 }, result.requestId);
};

export const INVOKE_ACTIONS: Record<string, LambdaAction> = {
  InvokeWithResponseStream: invokeWithResponseStream,
  InvokeAsync: invokeAsync,
};
