// S3, locally: s3rver (an S3-compatible server on the file system) in this process, persisted in a folder, reached through a private loopback port.
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type RequestListener } from 'node:http';
import { PrivateUpstream, type UpstreamRequest } from './privateUpstream';
import { storagePathProblem } from './s3StoragePaths';

interface S3rverApp {
  callback(): RequestListener;
  logger: { close(): void };
  store: {
    listBuckets(): Promise<{ name: string; creationDate: Date }[]>;
    listObjects(bucket: string, options: { maxKeys: number; prefix?: string; startAfter?: string }): Promise<{
      objects: { key: string; size: number; lastModifiedDate: Date }[];
      isTruncated: boolean;
    }>;
  };
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverApp;

export interface ObjectSummary {
  key: string;
  size: number;
  lastModified: string;
}

export class S3Engine {
  private constructor(
    private readonly app: S3rverApp,
    private readonly upstream: PrivateUpstream,
  ) {}

  static async start(directory: string): Promise<S3Engine> {
    await mkdir(directory, { recursive: true });
    const S3rver = (await import('s3rver')).default as S3rverClass;
    const app = new S3rver({ directory, silent: true, configureBuckets: [] });
    const handler = app.callback();
    const upstream = await PrivateUpstream.listen(createServer(handler), handler);
    return new S3Engine(app, upstream);
  }

  /** Sends an S3 REST request (path-style, unsigned) to s3rver; the answer's body is left to the caller. */
  forward(request: UpstreamRequest): Promise<IncomingMessage> {
    return this.upstream.send(request);
  }

  /** Creates the bucket unless it exists; an error says why S3 refused it (an invalid name). */
  async ensureBucket(name: string): Promise<void> {
    const head = await this.upstream.fetch({ method: 'HEAD', path: `/${encodeURIComponent(name)}`, headers: {} });
    if (head.status === 200) return;
    const created = await this.upstream.fetch({ method: 'PUT', path: `/${encodeURIComponent(name)}`, headers: { 'content-length': '0' } });
    if (created.status !== 200) throw new Error(xmlField(created.body.toString('utf8'), 'Message') ?? `S3 answered ${created.status}`);
  }

  /** Size and ETag (without quotes) of an object, or undefined when there is none. */
  async head(bucket: string, key: string): Promise<{ size: number; eTag: string } | undefined> {
    const answer = await this.upstream.fetch({ method: 'HEAD', path: `/${encodeURIComponent(bucket)}/${encodePath(key)}`, headers: {} });
    if (answer.status !== 200) return undefined;
    return { size: Number(answer.headers['content-length'] ?? 0), eTag: String(answer.headers.etag ?? '').replace(/"/g, '') };
  }

  /** Stores an object (what `data put` does). */
  async putObject(bucket: string, key: string, body: Buffer, contentType: string): Promise<{ eTag: string }> {
    const problem = storagePathProblem(bucket, key);
    if (problem) throw new Error(problem.message);
    const answer = await this.upstream.fetch({
      method: 'PUT',
      path: `/${encodeURIComponent(bucket)}/${encodePath(key)}`,
      headers: { 'content-type': contentType, 'content-length': String(body.length) },
      body,
    });
    if (answer.status !== 200) throw new Error(xmlField(answer.body.toString('utf8'), 'Message') ?? `S3 answered ${answer.status}`);
    return { eTag: String(answer.headers.etag ?? '').replace(/"/g, '') };
  }

  async bucketNames(): Promise<string[]> {
    return (await this.app.store.listBuckets()).map((bucket) => bucket.name);
  }

  /** Up to `limit` objects of a bucket, in key order. */
  async listObjects(bucket: string, limit: number): Promise<{ objects: ObjectSummary[]; truncated: boolean }> {
    const page = await this.app.store.listObjects(bucket, { maxKeys: limit });
    return {
      objects: page.objects.map((object) => ({ key: object.key, size: object.size, lastModified: object.lastModifiedDate.toISOString() })),
      truncated: page.isTruncated,
    };
  }

  async close(): Promise<void> {
    await this.upstream.close();
    this.app.logger.close();
  }
}

/** A key in a URL path: each segment percent-encoded, the slashes kept. */
export function encodePath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

function xmlField(xml: string, field: string): string | undefined {
  return new RegExp(`<${field}>([^<]*)</${field}>`).exec(xml)?.[1];
}
