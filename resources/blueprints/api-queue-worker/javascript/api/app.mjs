// {{functionName}}: POST /orders (HTTP API, payload format 2.0) validates an order and queues it for the worker.
let sqsClient;

/** Sends one message to the orders queue with the AWS SDK that the Lambda Node.js runtime includes. */
async function sendToQueue(body) {
  const { SQSClient, SendMessageCommand } = await import('@aws-sdk/client-sqs');
  sqsClient ??= new SQSClient({});
  const result = await sqsClient.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: body }));
  return result.MessageId;
}

const respond = (statusCode, body) => ({ statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export function validateOrder(order) {
  const problems = [];
  if (typeof order !== 'object' || order === null) return ['The order must be a JSON object'];
  if (typeof order.orderId !== 'string' || order.orderId === '') problems.push('orderId must be a non-empty string');
  if (typeof order.amount !== 'number' || !(order.amount > 0)) problems.push('amount must be a positive number');
  return problems;
}

/** The handler, with the queue sender passed in so tests can run without AWS. */
export function createHandler({ sendMessage }) {
  return async (event) => {
    const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? '';
    let order;
    try {
      order = JSON.parse(raw);
    } catch {
      return respond(400, { error: 'The request body must be valid JSON' });
    }
    const problems = validateOrder(order);
    if (problems.length > 0) return respond(422, { errors: problems });
    const messageId = await sendMessage(JSON.stringify(order));
    console.log(`Queued order ${order.orderId} as message ${messageId}`);
    return respond(202, { orderId: order.orderId, messageId });
  };
}

export const handler = createHandler({ sendMessage: sendToQueue });
