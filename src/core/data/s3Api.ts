// S3 on the AWS endpoint: path-style and virtual-host-style requests go to s3rver unsigned (any credentials sign in), aws-chunked bodies decoded.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AwsService, EndpointRequest } from '../api/awsEndpoint';
import { AwsChunkedDecoder, isAwsChunked, remainingContentEncoding } from './awsChunked';
import type { S3Engine } from './s3Engine';
import { readBody } from '../api/requestBody';
import { bucketAndKey, deleteObjectsKeys, sendS3Error, storagePathProblem } from './s3StoragePaths';

/** What happened to an object, for S3 event notifications (the names S3 gives them, without the s3: prefix). */
export interface ObjectEvent {
  eventName: 'ObjectCreated:Put' | 'ObjectCreated:Copy' | 'ObjectCreated:CompleteMultipartUpload' | 'ObjectRemoved:Delete';
  bucket: string;
  key: string;
  sourceIp: string;
}

/** Signature parameters of presigned URLs (SigV4 and SigV2): s3rver would check them against its own key. */
const SIGNATURE_QUERY = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token', 'AWSAccessKeyId', 'Signature', 'Expires'];
/** Request headers that belong to this hop or to the signature. */
const DROPPED_HEADERS = new Set(['host', 'authorization', 'connection', 'keep-alive', 'x-amz-security-token', 'expect']);

/** The methods of S3's REST API, refused as S3 refuses them before s3rver sees them. */
const S3_METHODS = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS']);

/** The query parameters that name S3's POST operations on an object. */
const OBJECT_POST_OPERATIONS = ['uploads', 'uploadId', 'restore', 'select'];

/** `<bucket>.localhost:<port>`: a virtual-host-style request. */
const VIRTUAL_HOST = /^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\.localhost(?::\d+)?$/;

/** A DeleteObjects body: at most 1,000 keys of up to 1,024 bytes each, in XML. */
const DELETE_OBJECTS_LIMIT = 2 * 1024 * 1024;

/** Mounted last: S3's path-style requests take any path the other services left. */
export function s3Api(engine: S3Engine, onObjectEvent: (event: ObjectEvent) => void): AwsService {
  return {
    name: 'S3',
    accepts: () => true,
    handle: async (request: EndpointRequest, res: ServerResponse) => {
      const virtualBucket = VIRTUAL_HOST.exec(request.req.headers.host ?? '')?.[1];
      const path = virtualBucket ? `/${virtualBucket}${request.path === '/' ? '' : request.path}` : request.path;
      if (!S3_METHODS.has(request.method) || isPostWithoutOperation(request.method, path, request.query)) {
        request.req.resume();
        sendS3Error(res, 405, 'MethodNotAllowed', `The specified method ${request.method} is not allowed against this resource.`);
        return;
      }
      const problem = pathProblem(path, request.req.headers);
      if (problem) {
        request.req.resume();
        sendS3Error(res, 400, problem.code, problem.message);
        return;
      }
      const query = new URLSearchParams(request.query);
      for (const name of SIGNATURE_QUERY) query.delete(name);
      const search = query.toString();
      const chunked = isAwsChunked(request.req.headers);
      const body = chunked ? request.req.pipe(new AwsChunkedDecoder()) : request.req;
      const headers = forwardedHeaders(request.req.headers, chunked);
      let checkedBody: Buffer | undefined;
      let removed: { bucket: string; keys: string[] } | undefined;
      if (request.method === 'POST' && query.has('delete')) {
        // DeleteObjects names its keys in the body: checked as a path's key is (and trimmed, as s3rver reads them), before s3rver maps them to files.
        checkedBody = (await readBody(body, DELETE_OBJECTS_LIMIT)).body;
        const keys = checkedBody && deleteObjectsKeys(checkedBody.toString('utf8'));
        const bucket = bucketAndKey(path)?.bucket ?? '';
        if (keys) removed = { bucket, keys };
        const problem = checkedBody === undefined
          ? { code: 'MaxMessageLengthExceeded', message: 'Your request was too big.' }
          : keys?.flatMap((key) => [key, key.trim()]).map((key) => storagePathProblem(bucket, key)).find(Boolean);
        if (problem) {
          sendS3Error(res, 400, problem.code, problem.message);
          return;
        }
        delete headers['transfer-encoding'];
        headers['content-length'] = String(checkedBody?.length ?? 0);
      }
      const answer = await engine.forward({
        method: request.method,
        path: `${path}${search ? `?${search.replace(/=(&|$)/g, '$1')}` : ''}`,
        headers,
        body: checkedBody ?? body,
      });
      const status = answer.statusCode ?? 500;
      if (status >= 400 && !/xml/.test(answer.headers['content-type'] ?? '')) {
        // s3rver's router answers a method it has no route for on a resource (POST /, PATCH...) with a plain-text 404.
        answer.resume();
        if (status === 404) sendS3Error(res, 405, 'MethodNotAllowed', `The specified method ${request.method} is not allowed against this resource.`);
        else sendS3Error(res, status, 'InvalidRequest', `The local S3 (s3rver) refused the request with ${status} ${answer.statusMessage ?? ''}.`.replace(' .', '.'));
        return;
      }
      res.writeHead(status, answer.headers);
      answer.pipe(res);
      await new Promise<void>((resolve) => res.on('close', resolve));
      if (status >= 300) return;
      for (const event of removed ? removalEvents(request, removed.bucket, removed.keys) : [objectEvent(request, path, query)]) if (event) onObjectEvent(event);
    },
  };
}

/** A POST to an object names its operation in the query (multipart uploads, restore, select); s3rver would answer any other 501. */
function isPostWithoutOperation(method: string, path: string, query: URLSearchParams): boolean {
  return method === 'POST' && /^\/[^/]+\/./.test(path) && !OBJECT_POST_OPERATIONS.some((name) => query.has(name));
}

/** The request's bucket and key, and a copy's source, checked before s3rver maps them to files. */
function pathProblem(path: string, headers: IncomingHttpHeaders): ReturnType<typeof storagePathProblem> {
  const copySource = headers['x-amz-copy-source'];
  for (const target of [bucketAndKey(path), typeof copySource === 'string' ? bucketAndKey(copySource) : undefined]) {
    const problem = target && storagePathProblem(target.bucket, target.key);
    if (problem) return problem;
  }
  return undefined;
}

function forwardedHeaders(headers: IncomingHttpHeaders, chunked: boolean): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED_HEADERS.has(name)) continue;
    result[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  if (chunked) {
    // The decoded body has x-amz-decoded-content-length bytes; the trailer (checksums) is dropped with the framing.
    delete result['transfer-encoding'];
    delete result['x-amz-trailer'];
    const decoded = result['x-amz-decoded-content-length'];
    if (decoded !== undefined) result['content-length'] = decoded;
    else delete result['content-length'];
    delete result['x-amz-decoded-content-length'];
    const encoding = remainingContentEncoding(result['content-encoding']);
    if (encoding) result['content-encoding'] = encoding;
    else delete result['content-encoding'];
    result['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  }
  return result;
}

/** A successful DeleteObjects removed every key it named (S3 answers a key that is not there as deleted too, as s3rver does). */
function removalEvents(request: EndpointRequest, bucket: string, keys: string[]): ObjectEvent[] {
  const sourceIp = request.req.socket.remoteAddress ?? '127.0.0.1';
  return [...new Set(keys)].map((key) => ({ eventName: 'ObjectRemoved:Delete', bucket, key, sourceIp }));
}

/** The object event a successful request caused, if any. */
function objectEvent(request: EndpointRequest, path: string, query: URLSearchParams): ObjectEvent | undefined {
  const match = /^\/([^/]+)\/(.+)$/.exec(path);
  if (!match) return undefined;
  const [, bucket, encodedKey] = match;
  let key: string;
  try {
    key = decodeURIComponent(encodedKey);
  } catch {
    return undefined;
  }
  const base = { bucket: decodeURIComponent(bucket), key, sourceIp: request.req.socket.remoteAddress ?? '127.0.0.1' };
  if (request.method === 'PUT' && !query.has('uploadId') && !query.has('tagging') && !query.has('acl')) {
    return { ...base, eventName: request.req.headers['x-amz-copy-source'] ? 'ObjectCreated:Copy' : 'ObjectCreated:Put' };
  }
  if (request.method === 'POST' && query.has('uploadId')) return { ...base, eventName: 'ObjectCreated:CompleteMultipartUpload' };
  if (request.method === 'DELETE' && !query.has('uploadId') && !query.has('tagging')) return { ...base, eventName: 'ObjectRemoved:Delete' };
  return undefined;
}
