// AWS_IAM routes: the caller's SigV4 signature (service execute-api) is verified with @smithy/signature-v4 against the credentials the gateway knows; API Gateway's 403s otherwise.
import { createHash, timingSafeEqual } from 'node:crypto';
import { WorkbenchError } from '../common/errors';
import type { GatewayIdentity } from './gatewayContext';
import type { GatewayApi } from './gatewayModel';
import { queryPairs, type GatewayRequest } from './gatewayRequest';
import { gatewayError, type GatewayResponse } from './gatewayResponse';

/** Credentials whose signatures the gateway accepts (`start --iam-credentials`, or the environment's AWS_ACCESS_KEY_ID). */
export interface IamCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Who signed: requestContext.identity (payload 1.0) or requestContext.authorizer.iam (2.0). */
export interface IamCaller {
  accessKey: string;
  accountId: string;
  /** A local IAM user: `arn:aws:iam::ACCOUNT:user/local`. */
  userArn: string;
  userId: string;
}

export type IamOutcome = { allowed: true; caller: IamCaller } | { allowed: false; response: GatewayResponse };

/**
 * The credentials AWS_IAM routes accept: `ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]` values (`start
 * --iam-credentials`), then the environment's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (what a
 * local SDK signs with). Errors: USAGE for a value that is not of that form.
 */
export function iamCredentialsFrom(values: readonly string[], env: NodeJS.ProcessEnv): IamCredentials[] {
  const credentials = values.map((value): IamCredentials => {
    const [accessKeyId, secretAccessKey, sessionToken, ...rest] = value.split(':');
    if (!accessKeyId || !secretAccessKey || rest.length) {
      throw new WorkbenchError('USAGE', `--iam-credentials must be ACCESS_KEY_ID:SECRET_ACCESS_KEY (optionally :SESSION_TOKEN), not '${value}'.`, {
        hint: 'For example --iam-credentials AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      });
    }
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  });
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    credentials.push({ accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) });
  }
  return credentials;
}

/** requestContext.authorizer.iam of payload 2.0, as AWS documents it. */
export function iamAuthorizerContext(caller: IamCaller): Record<string, unknown> {
  return { accessKey: caller.accessKey, accountId: caller.accountId, callerId: caller.userId, cognitoIdentity: null, principalOrgId: null, userArn: caller.userArn, userId: caller.userId };
}

/** SigV4 allows 5 minutes of clock skew. */
const SKEW_MS = 5 * 60 * 1000;

/** API Gateway's 403 for an IAM failure, with the error type the SDKs read from x-amzn-ErrorType. */
function refuse(errorType: string, message: string): IamOutcome {
  const response = gatewayError(403, message);
  response.headers['x-amzn-errortype'] = errorType;
  return { allowed: false, response };
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20200211/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=hex`. */
function parseAuthorization(header: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const part of header.replace(/^AWS4-HMAC-SHA256\s*/, '').split(',')) {
    const at = part.indexOf('=');
    if (at > 0) parameters[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return parameters;
}

/** 20200211T205529Z */
function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parseAmzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3], +match[4], +match[5], +match[6])) : undefined;
}

/**
 * Verifies the request's SigV4 signature. Wording as API Gateway answers (403, `{"message"}`): no Authorization header
 * is "Missing Authentication Token" (REST) or "Forbidden" (HTTP APIs); an incomplete header lists what it lacks; an
 * unknown access key is "The security token included in the request is invalid."; a date more than 5 minutes off is
 * "Signature expired: ..."; a wrong signature is "The request signature we calculated does not match ..." (recorded
 * in rpgreen/apigateway-generic-java-sdk#11 with Error Code InvalidSignatureException).
 */
export async function authorizeIam(
  request: GatewayRequest,
  api: GatewayApi,
  credentials: readonly IamCredentials[],
  identity: GatewayIdentity,
  now: Date = new Date(),
): Promise<IamOutcome> {
  const header = headerValues(request, 'authorization');
  if (header === undefined) {
    return api.kind === 'REST'
      ? refuse('MissingAuthenticationTokenException', 'Missing Authentication Token')
      : refuse('ForbiddenException', 'Forbidden');
  }
  const parameters = parseAuthorization(header);
  const date = headerValues(request, 'x-amz-date');
  const missing = [
    parameters.Credential ? '' : "Authorization header requires 'Credential' parameter.",
    parameters.Signature ? '' : "Authorization header requires 'Signature' parameter.",
    parameters.SignedHeaders ? '' : "Authorization header requires 'SignedHeaders' parameter.",
    date ? '' : "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
  ].filter(Boolean);
  if (!header.startsWith('AWS4-HMAC-SHA256 ') || missing.length) {
    return refuse('IncompleteSignatureException', `${missing.join(' ')} Authorization=${header}`.trim());
  }
  const [accessKeyId, , region, service] = (parameters.Credential as string).split('/');
  const known = credentials.find((item) => item.accessKeyId === accessKeyId);
  const sessionToken = headerValues(request, 'x-amz-security-token');
  if (!known || !region || service !== 'execute-api' || (known.sessionToken ?? undefined) !== sessionToken) {
    return refuse('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  const signedAt = parseAmzDate(date as string);
  if (!signedAt) return refuse('IncompleteSignatureException', `Date must be in ISO-8601 'basic format'. Got '${date}'.`);
  if (signedAt.getTime() < now.getTime() - SKEW_MS) {
    return refuse('InvalidSignatureException', `Signature expired: ${date} is now earlier than ${amzDate(new Date(now.getTime() - SKEW_MS))} (${amzDate(now)} - 5 min.)`);
  }
  if (signedAt.getTime() > now.getTime() + SKEW_MS) {
    return refuse('InvalidSignatureException', `Signature not yet current: ${date} is still later than ${amzDate(new Date(now.getTime() + SKEW_MS))} (${amzDate(now)} + 5 min.)`);
  }
  const expected = await signature(request, parameters.SignedHeaders as string, known, region, signedAt);
  const given = Buffer.from(parameters.Signature as string);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return refuse('InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
  }
  return { allowed: true, caller: { accessKey: known.accessKeyId, accountId: identity.accountId, userArn: `arn:aws:iam::${identity.accountId}:user/local`, userId: known.accessKeyId } };
}

/** A header's values as SigV4 reads them: repeated headers joined with commas; undefined when absent. */
function headerValues(request: GatewayRequest, name: string): string | undefined {
  const values = request.headerPairs.filter(([key]) => key.toLowerCase() === name).map(([, value]) => value.trim());
  return values.length ? values.join(',') : undefined;
}

/** The signature the caller should have sent: the request as it arrived, signed again with the known secret. */
async function signature(request: GatewayRequest, signedHeaders: string, credentials: IamCredentials, region: string, signedAt: Date): Promise<Buffer> {
  const [{ SignatureV4 }, { Hash }] = await Promise.all([import('@smithy/signature-v4'), import('@smithy/hash-node')]);
  const names = signedHeaders.split(';').map((name) => name.trim().toLowerCase()).filter(Boolean);
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = headerValues(request, name);
    if (value !== undefined) headers[name] = value;
  }
  // The signer takes a signed x-amz-content-sha256 as the payload's hash: it must be the hash of the body that arrived.
  const declaredHash = headers['x-amz-content-sha256'];
  if (declaredHash !== undefined && declaredHash !== 'UNSIGNED-PAYLOAD') headers['x-amz-content-sha256'] = createHash('sha256').update(request.body).digest('hex');
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of queryPairs(request.rawQueryString)) {
    const existing = query[key];
    query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const signer = new SignatureV4({ service: 'execute-api', region, credentials, sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(
    { method: request.method, protocol: 'https:', hostname: headers.host ?? '', path: request.rawPath, query, headers, body: request.body },
    { signingDate: signedAt, signableHeaders: new Set(names) },
  );
  const authorization = String(signed.headers.authorization ?? signed.headers.Authorization ?? '');
  return Buffer.from(/Signature=([0-9a-f]+)/.exec(authorization)?.[1] ?? '');
}
