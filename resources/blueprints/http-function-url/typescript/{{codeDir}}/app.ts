// {{functionName}}: a JSON endpoint behind a function URL (payload format 2.0). GET greets, POST echoes the JSON body.

/** The parts of the function URL request event (payload format 2.0) this handler reads. */
export interface FunctionUrlEvent {
  rawPath: string;
  queryStringParameters?: Record<string, string>;
  requestContext: { http: { method: string } };
  body?: string | null;
  isBase64Encoded: boolean;
}

export interface FunctionUrlResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): FunctionUrlResult => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

function readBody(event: FunctionUrlEvent): string {
  const raw = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
}

export const handler = async (event: FunctionUrlEvent): Promise<FunctionUrlResult> => {
  const method = event.requestContext?.http?.method ?? 'GET';
  if (method === 'GET') {
    const name = event.queryStringParameters?.name ?? 'world';
    return json(200, { message: `Hello, ${name}!`, path: event.rawPath });
  }
  if (method === 'POST') {
    try {
      return json(201, { received: JSON.parse(readBody(event)) });
    } catch {
      return json(400, { error: 'The request body must be valid JSON' });
    }
  }
  return json(405, { error: `Method ${method} is not allowed` }, { allow: 'GET, POST' });
};
