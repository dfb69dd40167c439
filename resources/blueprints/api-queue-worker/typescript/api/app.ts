// {{functionName}}: POST /orders (HTTP API, payload format 2.0) validates an order and queues it for the worker.

/** The parts of the HTTP API request event this handler reads. */
export interface HttpApiEvent {
  body?: string | null;
  isBase64Encoded: boolean;
}

export interface HttpApiResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface Order {
  orderId: string;
  amount: number;
}

/** Sends a message body to the queue and resolves to the SQS message id. */
export type SendMessage = (body: string) => Promise<string | undefined>;

interface SqsModule {
  SQSClient: new (config: object) => { send(command: unknown): Promise<{ MessageId?: string }> };
  SendMessageCommand: new (input: { QueueUrl?: string; MessageBody: string }) => unknown;
}

// The AWS SDK v3 ships with the Lambda Node.js runtime: it is imported by name at run time, kept out of the bundle
// (External: '@aws-sdk/*' in template.yaml) and out of the unit tests, which pass their own sender.
const SQS_MODULE = '@aws-sdk/client-sqs';
let sqsClient: InstanceType<SqsModule['SQSClient']> | undefined;

const sendToQueue: SendMessage = async (body) => {
  const { SQSClient, SendMessageCommand } = (await import(SQS_MODULE)) as SqsModule;
  sqsClient ??= new SQSClient({});
  const result = await sqsClient.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: body }));
  return result.MessageId;
};

const respond = (statusCode: number, body: unknown): HttpApiResult => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export function validateOrder(order: unknown): string[] {
  if (typeof order !== 'object' || order === null) return ['The order must be a JSON object'];
  const { orderId, amount } = order as Partial<Record<keyof Order, unknown>>;
  const problems: string[] = [];
  if (typeof orderId !== 'string' || orderId === '') problems.push('orderId must be a non-empty string');
  if (typeof amount !== 'number' || !(amount > 0)) problems.push('amount must be a positive number');
  return problems;
}

/** The handler, with the queue sender passed in so tests can run without AWS. */
export function createHandler({ sendMessage }: { sendMessage: SendMessage }): (event: HttpApiEvent) => Promise<HttpApiResult> {
  return async (event) => {
    const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? '';
    let order: unknown;
    try {
      order = JSON.parse(raw);
    } catch {
      return respond(400, { error: 'The request body must be valid JSON' });
    }
    const problems = validateOrder(order);
    if (problems.length > 0) return respond(422, { errors: problems });
    const { orderId } = order as Order;
    const messageId = await sendMessage(JSON.stringify(order));
    console.log(`Queued order ${orderId} as message ${messageId}`);
    return respond(202, { orderId, messageId });
  };
}

export const handler = createHandler({ sendMessage: sendToQueue });
