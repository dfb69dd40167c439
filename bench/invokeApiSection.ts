// Benchmark section of the engine issue (bench harness): the trivial handler through the Invoke API, side by side
// with serverless-offline 13 (worker threads) and lambda-local 2 (in process), over a bare keep-alive HTTP floor.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { freeLoopbackPort } from '../src/core/common/loopbackPort';
import { bareNodeRssMb } from './bareNode';
import { CLI_PATH, PEERS_DIR, fixtureCopy, portOrFree } from './benchPaths';
import { INVOKE_PATH } from './httpLoad';
import { measureService, type LoadPlan, type ServiceLauncher, type ServiceMeasurement } from './invokeApiBench';
import { measureLambdaLocal, type LambdaLocalMeasurement } from './lambdaLocalBench';

/** serverless-offline's default Invoke API port. */
const SERVERLESS_OFFLINE_LAMBDA_PORT = 3002;

export interface InvokeApiSection {
  plan: LoadPlan;
  floor: ServiceMeasurement;
  ours: ServiceMeasurement;
  serverlessOffline: ServiceMeasurement & { lambdaPort: number };
  lambdaLocal: LambdaLocalMeasurement;
  /** RSS of a bare idle `node -e 'setInterval(()=>{},1e9)'`, the reference of memory per environment. */
  bareNode: { rssMb: number; runsMb: number[] };
}

function floorLauncher(): ServiceLauncher {
  return {
    label: 'bare HTTP floor',
    async launch() {
      const port = await freeLoopbackPort();
      return { options: { command: process.execPath, args: [path.join(__dirname, 'floorServer.js'), String(port)], cwd: __dirname }, target: { port, path: INVOKE_PATH } };
    },
  };
}

export function oursLauncher(fixtureDir: string, extraArgs: string[] = []): ServiceLauncher {
  return {
    label: 'lambda-workbench start',
    async launch() {
      const port = await freeLoopbackPort();
      const args = [CLI_PATH, 'start', '--template', path.join(fixtureDir, 'template.yaml'), '--port', String(port), ...extraArgs];
      return { options: { command: process.execPath, args, cwd: fixtureDir }, target: { port, path: INVOKE_PATH } };
    },
  };
}

function serverlessOfflineLauncher(fixtureDir: string, lambdaPort: number): ServiceLauncher {
  return {
    label: 'serverless-offline',
    async launch() {
      const httpPort = await freeLoopbackPort();
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        // No telemetry, no update or dashboard notifications: the run stays on loopback.
        SLS_TELEMETRY_DISABLED: '1',
        SLS_NOTIFICATIONS_MODE: 'off',
        SLS_DEPRECATION_DISABLE: '*',
      };
      const args = [path.join(PEERS_DIR, 'serverless', 'bin', 'serverless.js'), 'offline', 'start', '--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort)];
      return { options: { command: process.execPath, args, cwd: fixtureDir, env }, target: { port: lambdaPort, path: INVOKE_PATH } };
    },
  };
}

export async function runInvokeApiSection(plan: LoadPlan, log: (line: string) => void): Promise<InvokeApiSection> {
  if (!existsSync(path.join(PEERS_DIR, 'serverless-offline')) || !existsSync(path.join(PEERS_DIR, 'lambda-local'))) {
    throw new Error(`the peers are not installed in ${PEERS_DIR}: run 'npm run bench' (scripts/bench.sh installs them)`);
  }
  const fixture = fixtureCopy('trivial');
  try {
    log('invoke API: bare keep-alive HTTP floor');
    const floor = await measureService(floorLauncher(), plan);
    log('invoke API: lambda-workbench start (process backend)');
    const ours = await measureService(oursLauncher(fixture.dir), plan);
    const lambdaPort = await portOrFree(SERVERLESS_OFFLINE_LAMBDA_PORT);
    log(`invoke API: serverless-offline (worker threads, Invoke API on port ${lambdaPort})`);
    const serverlessOffline = { ...(await measureService(serverlessOfflineLauncher(fixture.dir, lambdaPort), plan)), lambdaPort };
    log('invoke API: lambda-local (in process, no HTTP)');
    const lambdaLocal = await measureLambdaLocal(path.join(fixture.dir, 'src', 'handler.js'), plan);
    log("invoke API: bare idle node -e 'setInterval(()=>{},1e9)' (memory reference)");
    const bareNode = await bareNodeRssMb(plan.coldStarts);
    return { plan, floor, ours, serverlessOffline, lambdaLocal, bareNode };
  } finally {
    fixture.remove();
  }
}
