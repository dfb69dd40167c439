// Bucket names and object keys that would lead s3rver out of its folder or that no file name can hold (it keeps each object as files at <bucket>/<key>).
import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { ServerResponse } from 'node:http';

/** S3's bucket naming rules: 3 to 63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit, no '..'. */
const BUCKET_NAME = /^(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Why `bucket` / `key` cannot be stored locally, with S3's error code; undefined when they can. */
export function storagePathProblem(bucket: string, key: string | undefined): { code: 'InvalidBucketName' | 'InvalidArgument'; message: string } | undefined {
  if (!BUCKET_NAME.test(bucket)) return { code: 'InvalidBucketName', message: `The specified bucket is not valid: '${bucket}'.` };
  if (key !== undefined && key.split('/').some((segment) => segment === '.' || segment === '..')) {
    return {
      code: 'InvalidArgument',
      message: `Object key '${key}' has a '.' or '..' path segment, which Lambda Workbench cannot store: it keeps each object as a file in its bucket's folder, and such a key would lead outside it.`,
    };
  }
  if (key?.includes('\0')) {
    return { code: 'InvalidArgument', message: `Object key '${key.replace(/\0/g, '\\0')}' has a NUL character, which Lambda Workbench cannot store: it keeps each object as a file, and file names cannot hold it.` };
  }
  return undefined;
}

/**
 * The keys of a DeleteObjects request's XML body (`<Delete><Object><Key>...`), as written; undefined when it is not that
 * XML (s3rver then answers MalformedXML). s3rver maps each key to files as PutObject does, so they need the same check,
 * trimmed too (s3rver trims them).
 */
export function deleteObjectsKeys(xml: string): string[] | undefined {
  let parsed: unknown;
  try {
    // Untrimmed, every entity decoded (s3rver decodes HTML's too).
    parsed = new XMLParser({ parseTagValue: false, trimValues: false, htmlEntities: true, isArray: (name) => name === 'Object' }).parse(xml);
  } catch {
    return undefined;
  }
  const objects = (parsed as { Delete?: { Object?: unknown } } | undefined)?.Delete?.Object;
  if (!Array.isArray(objects)) return undefined;
  return objects.flatMap((object: unknown) => {
    const key = (object as { Key?: unknown } | undefined)?.Key;
    return typeof key === 'string' ? [key] : [];
  });
}

/** The bucket and key of a path-style request path or an x-amz-copy-source value (percent-encoded); undefined for `/`. */
export function bucketAndKey(encodedPath: string): { bucket: string; key: string | undefined } | undefined {
  const match = /^\/?([^/?]+)(?:\/([^?]*))?/.exec(encodedPath);
  if (!match) return undefined;
  try {
    return { bucket: decodeURIComponent(match[1]), key: match[2] === undefined || match[2] === '' ? undefined : decodeURIComponent(match[2]) };
  } catch {
    return undefined; // Not percent-decodable: s3rver answers it.
  }
}

/** S3's XML error answer. */
export function sendS3Error(res: ServerResponse, status: number, code: string, message: string): void {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escape(message)}</Message><RequestId>${randomUUID()}</RequestId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-error-code': code, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
