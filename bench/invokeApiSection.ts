// Benchmark section of the engine issue (bench harness): the trivial handler through the Invoke API, side by side
// with serverless-offline 13 (worker threads) and lambda-local 2 (in process), over a bare keep-alive HTTP floor.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { freeLoopbackPort } from '../src/core/common/loopbackPort';
import { bareNodeRssMb } from './bareNode';
import { CLI_PATH, PEERS_DIR, fixtureCopy, portOrFree } from './benchPaths';
import { INVOKE_PATH } from './httpLoad';
import { measureColdStarts, measureService, withoutVariable, type LoadPlan, type ServiceLauncher, type ServiceMeasurement } from './invokeApiBench';
import { measureLambdaLocal, type LambdaLocalMeasurement } from './lambdaLocalBench';

/** serverless-offline's default Invoke API port. */
const SERVERLESS_OFFLINE_LAMBDA_PORT = 3002;
/**
 * Node.js reads the file this variable names (extra CA certificates) when any node process starts, before its first
 * line of JavaScript: about 50 ms per process on the bench machine, where it is set for the package registry's proxy.
 */
export const EXTRA_CA_CERTS_VARIABLE = 'NODE_EXTRA_CA_CERTS';

export interface InvokeApiSection {
  plan: LoadPlan;
  floor: ServiceMeasurement;
  ours: ServiceMeasurement;
  serverlessOffline: ServiceMeasurement & { lambdaPort: number };
  lambdaLocal: LambdaLocalMeasurement;
  /** RSS of a bare idle `node -e 'setInterval(()=>{},1e9)'`, the reference of memory per environment. */
  bareNode: { rssMb: number; runsMb: number[] };
  /** Start to first response again without NODE_EXTRA_CA_CERTS, when the machine sets it (medians of the same count). */
  startWithoutExtraCaCerts?: { floorMs: number; oursMs: number; serverlessOfflineMs: number; oursRunsMs: number[] };
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
    let startWithoutExtraCaCerts: InvokeApiSection['startWithoutExtraCaCerts'];
    if (process.env[EXTRA_CA_CERTS_VARIABLE]) {
      log(`invoke API: start to first response again, ${EXTRA_CA_CERTS_VARIABLE} unset`);
      const without = (launcher: ServiceLauncher) => measureColdStarts(withoutVariable(launcher, EXTRA_CA_CERTS_VARIABLE), plan.coldStarts);
      const floorStarts = await without(floorLauncher());
      const oursStarts = await without(oursLauncher(fixture.dir));
      const slsStarts = await without(serverlessOfflineLauncher(fixture.dir, lambdaPort));
      startWithoutExtraCaCerts = { floorMs: floorStarts.medianMs, oursMs: oursStarts.medianMs, serverlessOfflineMs: slsStarts.medianMs, oursRunsMs: oursStarts.runsMs };
    }
    log('invoke API: lambda-local (in process, no HTTP)');
    const lambdaLocal = await measureLambdaLocal(path.join(fixture.dir, 'src', 'handler.js'), plan);
    log("invoke API: bare idle node -e 'setInterval(()=>{},1e9)' (memory reference)");
    const bareNode = await bareNodeRssMb(plan.coldStarts);
    return { plan, floor, ours, serverlessOffline, lambdaLocal, bareNode, ...(startWithoutExtraCaCerts ? { startWithoutExtraCaCerts } : {}) };
  } finally {
    fixture.remove();
  }
}
