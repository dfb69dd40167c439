// AuthType AWS_IAM on function URLs: the request must carry a valid SigV4 signature (service lambda), checked with @smithy/signature-v4.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The secret access key every access key id may sign with locally. Requests signed with the AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY of the process that serves the URL are accepted as well (docs/ARCHITECTURE.md, README).
 */
const DEFAULT_LOCAL_SECRET = 'local';

/** SigV4 allows the signing time to be this far from the server's clock. */
const CLOCK_SKEW_MS = 15 * 60_000;

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/** The caller a valid signature identifies. */
export interface SignedCaller {
  accessKeyId: string;
}

/** The secret for an access key id: the environment's pair when it names that key, else the default local secret. */
function localSecretFor(accessKeyId: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_ACCESS_KEY_ID === accessKeyId && env.AWS_SECRET_ACCESS_KEY ? env.AWS_SECRET_ACCESS_KEY : DEFAULT_LOCAL_SECRET;
}

/** The caller when `req` (with `body`) carries a valid SigV4 signature for service lambda; undefined otherwise. */
export async function verifySignature(req: IncomingMessage, body: Buffer, secretFor: (accessKeyId: string) => string = localSecretFor): Promise<SignedCaller | undefined> {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? AUTHORIZATION.exec(header) : null;
  if (!match) return undefined;
  const [, accessKeyId, shortDate, region, service, signedList, signature] = match as unknown as string[];
  const amzDate = req.headers['x-amz-date'];
  if (service !== 'lambda' || typeof amzDate !== 'string' || !amzDate.startsWith(shortDate as string)) return undefined;
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate || Math.abs(Date.now() - signingDate.getTime()) > CLOCK_SKEW_MS) return undefined;
  const signed = (signedList as string).split(';');
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = req.headers[name];
    if (value === undefined) return undefined;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const url = new URL(req.url ?? '/', 'http://local');
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const existing = query[key];
    query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  // Loaded on the first signed request: most runs never verify one, and the library is a large part of the CLI's startup.
  const [{ SignatureV4 }, { Hash }] = await Promise.all([import('@smithy/signature-v4'), import('@smithy/hash-node')]);
  const signer = new SignatureV4({
    credentials: { accessKeyId: accessKeyId as string, secretAccessKey: secretFor(accessKeyId as string) },
    region: region as string,
    service: 'lambda',
    sha256: Hash.bind(null, 'sha256'),
  });
  let expected: string;
  try {
    const request = await signer.sign(
      { method: req.method ?? 'GET', protocol: 'http:', hostname: headers.host ?? '', path: decodedPath(url.pathname), query, headers, body },
      { signingDate, signableHeaders: new Set(signed) },
    );
    expected = /Signature=([0-9a-f]{64})$/.exec(String(request.headers.authorization ?? ''))?.[1] ?? '';
  } catch {
    return undefined;
  }
  const given = Buffer.from(signature as string);
  const computed = Buffer.from(expected);
  return given.length === computed.length && timingSafeEqual(given, computed) ? { accessKeyId: accessKeyId as string } : undefined;
}

/** SigV4 signs the path before percent-encoding; the request line carries it encoded. */
function decodedPath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

/** 20240101T120000Z */
function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
}
