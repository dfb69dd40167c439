// Builds the payload format 1.0 event: REST API Lambda proxy integrations, and HTTP API integrations with PayloadFormatVersion "1.0".
import { clfTime } from '../api/functionUrlEvent';
import { apiId, domainName, forwardedHeaders, isTextBody, matchesMediaType, resourceId, stagePath, type GatewayIdentity } from './gatewayContext';
import { headerValue, queryPairs, type GatewayRequest } from './gatewayRequest';
import type { IamCaller } from './iamAuthorization';
import type { RouteMatch } from './routeMatcher';

/** Single-value maps keep the last value; multi-value maps keep all; both are null when empty. */
function valueMaps(pairs: [string, string][]): { single: Record<string, string> | null; multi: Record<string, string[]> | null } {
  if (!pairs.length) return { single: null, multi: null };
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of pairs) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}

export interface ProxyV1Extras {
  /** requestContext.authorizer (Lambda authorizer context with principalId, or JWT claims). */
  authorizer?: unknown;
  /** The API key the caller sent, for routes that require one. */
  apiKey?: string;
  /** The SigV4 signer of an AWS_IAM route. */
  iamCaller?: IamCaller;
}

export function proxyEventV1(request: GatewayRequest, match: RouteMatch, identity: GatewayIdentity, extras: ProxyV1Extras = {}): Record<string, unknown> {
  const { route } = match;
  const { api } = route;
  const rest = api.kind === 'REST';
  // REST keeps header names as sent; HTTP APIs lower-case them.
  const headerPairs = forwardedHeaders(request).map(([name, value]): [string, string] => [rest ? name : name.toLowerCase(), value]);
  const headers = valueMaps(headerPairs);
  const query = valueMaps(queryPairs(request.rawQueryString));
  const base64 = rest ? matchesMediaType(headerValue(request, 'content-type'), api.binaryMediaTypes) : !isTextBody(request);
  const id = apiId(api);
  const resource = route.path === '$default' ? '$default' : route.path;
  const stageVariables = Object.keys(api.stageVariables).length ? api.stageVariables : null;
  return {
    ...(rest ? {} : { version: '1.0' }),
    resource,
    path: match.path,
    httpMethod: request.method,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    requestContext: {
      accountId: identity.accountId,
      apiId: id,
      authorizer: extras.authorizer ?? (rest ? undefined : { claims: null, scopes: null }),
      domainName: domainName(api, identity),
      domainPrefix: id,
      extendedRequestId: request.requestId.replace(/-/g, '').slice(0, 16) + '=',
      httpMethod: request.method,
      identity: {
        accessKey: extras.iamCaller?.accessKey ?? null,
        accountId: extras.iamCaller?.accountId ?? null,
        ...(rest ? { apiKey: extras.apiKey ?? null, apiKeyId: extras.apiKey ? 'local-api-key' : null } : {}),
        caller: extras.iamCaller?.userId ?? null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: extras.iamCaller?.userId ?? null,
        userAgent: headerValue(request, 'user-agent') ?? '',
        userArn: extras.iamCaller?.userArn ?? null,
      },
      path: stagePath(api, match.path),
      protocol: request.protocol,
      requestId: request.requestId,
      requestTime: clfTime(request.time),
      requestTimeEpoch: request.time.getTime(),
      resourceId: rest ? resourceId(route) : null,
      resourcePath: resource,
      stage: api.stageName,
    },
    pathParameters: match.pathParameters ?? null,
    stageVariables,
    body: request.body.length ? (base64 ? request.body.toString('base64') : request.body.toString('utf8')) : null,
    isBase64Encoded: base64,
  };
}
