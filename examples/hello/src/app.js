// Hello world handler: logs the event and echoes it back in an API Gateway-style response.
exports.handler = async (event, context) => {
  console.log('Received event', JSON.stringify(event));
  const message = `${process.env.GREETING ?? 'Hello'}, ${event.name ?? 'world'}!`;
  console.log(`Request ${context.awsRequestId}: ${message}`);
  return {
    statusCode: 200,
    body: JSON.stringify({ message, input: event }),
  };
};
