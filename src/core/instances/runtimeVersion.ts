// The runtime version an environment really runs, as INIT_START names it, with a Runtime Version ARN stable per runtime and interpreter.
import { createHash } from 'node:crypto';
import type { FunctionSpec } from '../template/functionSpec';

export interface RuntimeVersion {
  /** `nodejs:22.11.0` (the interpreter's own version), or `nodejs:22.v1` when the runtime lives in an image. */
  version: string;
  /** What identifies the runtime and its interpreter; the ARN is derived from it. */
  fingerprint: string;
  /** The version does not match the function's runtime: why, and what to do instead. */
  warning?: string;
}

/** For runtimes whose interpreter is not looked at (images): `nodejs:20.v1`, `provided:al2023.v1`, as Lambda's INIT_START writes them. */
export function imageRuntimeVersion(spec: FunctionSpec): RuntimeVersion {
  const runtime = spec.runtime ?? 'image';
  const custom = /^provided(?:\.(.+))?$/.exec(runtime);
  const match = /^([a-z]+?)(\d[\d.]*)?(\.x)?$/.exec(runtime);
  const family = custom ? 'provided' : match?.[1] ?? runtime;
  const version = custom ? custom[1] ?? 'al1' : match?.[2] ?? '';
  return { version: `${family}:${version}.v1`, fingerprint: `${runtime}\n${spec.imageUri ?? ''}` };
}

/** `INIT_START Runtime Version: nodejs:22.11.0\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:<64 hex>` */
export function initStartLine(runtime: RuntimeVersion, region: string): string {
  const hash = createHash('sha256').update(runtime.fingerprint).digest('hex');
  return `INIT_START Runtime Version: ${runtime.version}\tRuntime Version ARN: arn:aws:lambda:${region}::runtime:${hash}`;
}
