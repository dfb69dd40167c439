// `npm run bench` entry (bench harness, run by scripts/bench.sh after the build): measures every section whose
// prerequisites exist, prints a Markdown report to stdout and writes bench/results/latest.json.
// BENCH_QUICK=1 runs small sample counts (a smoke run; its numbers are not for docs/benchmarks.md).
import { mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RESULTS_DIR } from './benchPaths';
import { markdownReport, targetChecks, type BenchResults, type Outcome } from './benchReport';
import { containerPrerequisite, runContainerSection } from './containerSection';
import { activationPrerequisite, measureActivation, vsixSize } from './extensionSection';
import { runHotReloadSection } from './hotReloadSection';
import { runInvokeApiSection } from './invokeApiSection';

const quick = process.env.BENCH_QUICK === '1';
const plan = quick
  ? { coldStarts: 2, warmup: 50, sequential: 300, clients: 16, wideClients: 64, concurrent: 1000, reloads: 3, activations: 1 }
  : { coldStarts: 5, warmup: 500, sequential: 5000, clients: 16, wideClients: 64, concurrent: 10_000, reloads: 10, activations: 3 };
/** BENCH_SECTIONS=invoke,container,reload,extension runs only those sections (default: all). */
const sections = new Set((process.env.BENCH_SECTIONS ?? 'invoke,container,reload,extension').split(',').map((name) => name.trim()));
const notSelected = (name: string): string | undefined => (sections.has(name) ? undefined : `not in BENCH_SECTIONS (${[...sections].join(',')})`);

const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

async function attempt<T>(name: string, skipReason: string | undefined, body: () => Promise<T>): Promise<Outcome<T>> {
  if (skipReason !== undefined) {
    log(`${name}: skipped: ${skipReason}`);
    return { skipped: skipReason };
  }
  try {
    return { ok: await body() };
  } catch (error) {
    log(`${name}: FAILED: ${(error as Error).stack ?? String(error)}`);
    return { error: (error as Error).message };
  }
}

async function main(): Promise<number> {
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryMb: os.totalmem() / (1024 * 1024),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverageAtStart: os.loadavg(),
  };
  const invokeApi = await attempt('invoke API', notSelected('invoke'), () => runInvokeApiSection(plan, log));
  const containerMissing = notSelected('container') ?? await containerPrerequisite();
  const container = await attempt('containers', containerMissing, () => runContainerSection(plan, log));
  const hotReload = await attempt('hot reload', notSelected('reload'), () =>
    runHotReloadSection(containerMissing === undefined ? ['process', 'container'] : ['process'], { reloads: plan.reloads, warmup: plan.warmup, sequential: plan.sequential }, log),
  );
  if (containerMissing !== undefined) log(`hot reload, containers: skipped: ${containerMissing}`);
  const activation = await attempt('extension activation', notSelected('extension') ?? activationPrerequisite(), () => measureActivation(plan.activations, log));
  const size = vsixSize();
  const vsix: Outcome<{ sizeMb: number }> = 'skipped' in size ? size : { ok: size };
  if ('skipped' in size) log(`.vsix size: skipped: ${size.skipped}`);

  const measured = { date: new Date().toISOString(), machine, invokeApi, container, hotReload, activation, vsix };
  const results: BenchResults = { ...measured, targets: targetChecks(measured) };
  mkdirSync(RESULTS_DIR, { recursive: true });
  // A partial run (BENCH_SECTIONS) never replaces the full run's latest.json.
  const file = path.join(RESULTS_DIR, quick ? 'quick.json' : process.env.BENCH_SECTIONS !== undefined ? 'sections.json' : 'latest.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(markdownReport(results));
  log(`results written to ${file}`);
  return [invokeApi, container, hotReload, activation].some((outcome) => 'error' in outcome) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
