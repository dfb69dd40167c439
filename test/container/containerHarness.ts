// Shared helpers of the container suite: engine detection (skip reason), the locally built test images, and direct launches.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildRuntimeImage } from '../../src/core/images/runtimeImageBuilder';
import { localImageFor } from '../../src/core/images/localImages';
import type { LaunchRequest, RuntimeHandle } from '../../src/core/instances/backend';
import type { ContainerBackend } from '../../src/core/instances/container/containerBackend';
import { connectDockerEngine } from '../../src/core/instances/container/dockerEngine';
import { lambdaEnvironment } from '../../src/core/instances/lambdaEnvironment';
import { RuntimeApiServer, type InvocationOutcome } from '../../src/core/runtimeApi/runtimeApiServer';
import type { FunctionSpec } from '../../src/core/template/functionSpec';
import { engineSpec } from '../support/engineBehaviours';

export const fixtures = path.resolve(__dirname, '../../../test/fixtures/container');
export const NODE_RUNTIME = 'nodejs20.x';

let skipReason: string | false | undefined;

/**
 * False when a Docker engine answers, else why the container suite is skipped. Decided synchronously (in a child
 * process running the same discovery code), because node:test needs the skip option when it declares a suite.
 */
export function engineSkipReason(): string | false {
  if (skipReason === undefined) {
    const engineModule = path.resolve(__dirname, '../../src/core/instances/container/dockerEngine.js');
    const probe = spawnSync(
      process.execPath,
      ['-e', `require(${JSON.stringify(engineModule)}).connectDockerEngine().then(() => process.stdout.write('ok'), (e) => process.stdout.write(e.describe ? e.describe() : String(e)))`],
      { encoding: 'utf8', timeout: 20_000 },
    );
    skipReason = probe.stdout === 'ok' ? false : `no Docker engine answered: ${probe.stdout || probe.stderr || probe.error?.message}`;
    if (skipReason) console.log(`# container suite skipped: ${skipReason}`);
  }
  return skipReason;
}

/** Builds (or reuses) the local runtime image the suite runs on; no registry is involved. */
export async function testImage(runtime = NODE_RUNTIME): Promise<string> {
  const { docker } = await connectDockerEngine();
  return (await buildRuntimeImage(docker, runtime)).image;
}

/** The host's Python version as a Lambda runtime name (python3.11), for a Python image built from it. */
export function hostPythonRuntime(): string | undefined {
  const result = spawnSync('python3', ['-c', 'import sys; print("python%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** A Node.js function on the shared engine fixtures (test/fixtures/engine/node). */
export function nodeSpec(name: string, handler: string, overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  return engineSpec(name, handler, overrides, 'node', NODE_RUNTIME);
}

export function imagesFor(runtime: string): Record<string, string> {
  return { [runtime]: localImageFor(runtime) };
}

/** One container started directly through the backend, with its own Runtime API server, as the engine would. */
export interface DirectInstance {
  handle: RuntimeHandle;
  server: RuntimeApiServer;
  request: LaunchRequest;
  output: { stream: 'stdout' | 'stderr'; line: string }[];
  invoke(event: unknown, timeoutMs?: number): Promise<InvocationOutcome>;
  close(): Promise<void>;
}

export async function launchDirect(
  backend: ContainerBackend,
  spec: FunctionSpec,
  extra: Partial<Pick<LaunchRequest, 'layerDirs' | 'debug' | 'onOutput' | 'sdkModulesDir'>> = {},
): Promise<DirectInstance> {
  const server = await RuntimeApiServer.start();
  const tmpDir = mkdtempSync(path.join(tmpdir(), 'lwb-container-tmp-'));
  const output: DirectInstance['output'] = [];
  const request: LaunchRequest = {
    instanceId: `${spec.functionName}-${randomUUID().slice(0, 8)}`,
    spec,
    codeDir: spec.codeDir,
    layerDirs: extra.layerDirs ?? [],
    tmpDir,
    runtimeApiHostPort: server.hostPort,
    environment: lambdaEnvironment(spec, {
      region: 'us-east-1',
      accountId: '123456789012',
      version: '$LATEST',
      runtimeApiHostPort: server.hostPort,
      initializationType: 'on-demand',
      taskRoot: spec.codeDir,
      runtimeDir: path.dirname(spec.codeDir),
    }),
    ...(extra.debug ? { debug: extra.debug } : {}),
    ...(extra.sdkModulesDir ? { sdkModulesDir: extra.sdkModulesDir } : {}),
    onOutput: (stream, line) => {
      output.push({ stream, line });
      extra.onOutput?.(stream, line);
    },
  };
  let handle: RuntimeHandle;
  try {
    handle = await backend.launch(request);
    // As the instance does: our Node.js image's runtime client talks over the channel when the backend gives one.
    if (handle.channel) server.attachChannel(handle.channel);
  } catch (error) {
    await server.close();
    rmSync(tmpDir, { recursive: true, force: true });
    throw error;
  }
  return {
    handle,
    server,
    request,
    output,
    invoke: (event, timeoutMs = 10_000) =>
      server.invoke({
        requestId: randomUUID(),
        payload: Buffer.from(JSON.stringify(event)),
        deadlineMs: Date.now() + timeoutMs,
        invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${spec.functionName}`,
      }),
    close: async () => {
      await handle.stop();
      await server.close();
      rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}

/** The containers carrying a label, as the engine lists them. */
export async function containersWithLabel(label: string): Promise<string[]> {
  const { docker } = await connectDockerEngine();
  return (await docker.listContainers({ all: true, filters: { label: [label] } })).map((c) => c.Id);
}

/** Output travels apart from results: waits (boundedly) until a line matching `predicate` has arrived. */
export async function waitForOutput(instance: DirectInstance, predicate: (line: string) => boolean): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (instance.output.some((o) => predicate(o.line))) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

export { json } from '../support/engineBehaviours';
