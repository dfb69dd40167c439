// Hello world handler in TypeScript: logs the event and echoes it back in an API Gateway-style response.

interface HelloEvent {
  name?: string;
}

interface LambdaContext {
  awsRequestId: string;
  functionName: string;
}

interface HelloResponse {
  statusCode: number;
  body: string;
}

function greet(name: string | undefined): string {
  return `${process.env.GREETING ?? 'Hello'}, ${name ?? 'world'}!`;
}

export const handler = async (event: HelloEvent, context: LambdaContext): Promise<HelloResponse> => {
  console.log('Received event', JSON.stringify(event));
  const message = greet(event.name);
  console.log(`Request ${context.awsRequestId}: ${message}`);
  return {
    statusCode: 200,
    body: JSON.stringify({ message, input: event }),
  };
};
