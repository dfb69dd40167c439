// Turns the benchmark's measurements into target checks and a Markdown report (bench harness).
import type { ContainerSection } from './containerSection';
import type { ActivationMeasurement } from './extensionSection';
import type { HotReloadMeasurement } from './hotReloadSection';
import { LATENCY_BUDGET_MS } from './httpLoad';
import type { ServiceMeasurement } from './invokeApiBench';
import { EXTRA_CA_CERTS_VARIABLE, type InvokeApiSection } from './invokeApiSection';

/** A section's measurements, or why it did not run (prerequisite missing) or failed. */
export type Outcome<T> = { ok: T } | { skipped: string } | { error: string };

export interface BenchResults {
  date: string;
  machine: { cpus: number; cpuModel: string; memoryMb: number; node: string; os: string; loadAverageAtStart: number[] };
  invokeApi: Outcome<InvokeApiSection>;
  container: Outcome<ContainerSection>;
  hotReload: Outcome<{ process?: HotReloadMeasurement; container?: HotReloadMeasurement }>;
  activation: Outcome<ActivationMeasurement>;
  vsix: Outcome<{ sizeMb: number }>;
  targets: TargetCheck[];
}

export interface TargetCheck {
  name: string;
  target: string;
  measured: string;
  met: boolean;
}

const ms = (value: number): string => `${value.toFixed(value < 10 ? 3 : 0)} ms`;
const ratio = (value: number): string => `${value.toFixed(2)}x`;
const mb = (value: number): string => `${value.toFixed(0)} MB`;

/** (RSS with N warm environments - RSS with one) / (N - 1): what one more environment costs, shared pages counted in each. */
export function memoryPerEnvironmentMb(service: ServiceMeasurement): number {
  const { rssSequential: one, rssConcurrent: many } = service;
  return (many.rssMb - one.rssMb) / (many.environments - one.environments);
}

export function targetChecks(results: Omit<BenchResults, 'targets'>): TargetCheck[] {
  const checks: TargetCheck[] = [];
  if ('ok' in results.invokeApi) {
    const { ours, serverlessOffline, floor, bareNode } = results.invokeApi.ok;
    const speedup = ours.throughput.perSecond / serverlessOffline.throughput.perSecond;
    checks.push({ name: `throughput at ${ours.throughput.clients} clients`, target: '>= 1.5x serverless-offline', measured: ratio(speedup), met: speedup >= 1.5 });
    const overFloor = ours.latency.p50Ms / floor.latency.p50Ms;
    checks.push({ name: 'warm p50 over the bare HTTP floor', target: '<= 2.3x', measured: ratio(overFloor), met: overFloor <= 2.3 });
    const overPeer = ours.latency.p50Ms / serverlessOffline.latency.p50Ms;
    checks.push({ name: 'warm p50 against serverless-offline', target: '<= 0.7x', measured: ratio(overPeer), met: overPeer <= 0.7 });
    const perEnvironment = memoryPerEnvironmentMb(ours);
    checks.push({
      name: 'memory per additional warm environment',
      target: `<= 1.1x bare node (${mb(bareNode.rssMb)})`,
      measured: `${mb(perEnvironment)} (${ratio(perEnvironment / bareNode.rssMb)})`,
      met: perEnvironment <= 1.1 * bareNode.rssMb,
    });
    checks.push({ name: `service process RSS after ${ours.throughput.clients} clients`, target: '< 80 MB', measured: mb(ours.rssConcurrent.rootRssMb), met: ours.rssConcurrent.rootRssMb < 80 });
    checks.push({ name: 'start to first response', target: '< 150 ms', measured: ms(ours.coldStartMs), met: ours.coldStartMs < 150 });
    const without = results.invokeApi.ok.startWithoutExtraCaCerts;
    if (without) {
      checks.push({ name: `start to first response, ${EXTRA_CA_CERTS_VARIABLE} unset`, target: '< 150 ms', measured: ms(without.oursMs), met: without.oursMs < 150 });
    }
  }
  if ('ok' in results.container) {
    const { bareDockerRunMs, container, process: processBackend } = results.container.ok;
    const cold = container.coldFirstInvokeMs / bareDockerRunMs;
    checks.push({ name: 'container cold first invocation', target: '<= 1.5x bare docker run', measured: ratio(cold), met: cold <= 1.5 });
    const gap = container.warm.p50Ms - processBackend.warm.p50Ms;
    checks.push({ name: 'container warm p50 vs process', target: '<= +0.2 ms', measured: `${gap >= 0 ? '+' : ''}${gap.toFixed(3)} ms`, met: gap <= 0.2 });
  }
  if ('ok' in results.hotReload) {
    for (const [backend, limitMs] of [['process', 150], ['container', 300]] as const) {
      const measured = results.hotReload.ok[backend];
      if (measured === undefined) continue;
      checks.push({ name: `hot reload, ${backend} backend`, target: `<= ${limitMs} ms median`, measured: ms(measured.reloadMs), met: measured.reloadMs <= limitMs });
      const gap = measured.warmHotReloadOn.p50Ms - measured.warmHotReloadOff.p50Ms;
      // "Unchanged": within 0.05 ms or 10 %, whichever is larger (run-to-run noise of a warm p50 here).
      const tolerance = Math.max(0.05, 0.1 * measured.warmHotReloadOff.p50Ms);
      checks.push({ name: `warm p50 with hot reload on, ${backend}`, target: `unchanged (within ${tolerance.toFixed(2)} ms)`, measured: `${gap >= 0 ? '+' : ''}${gap.toFixed(3)} ms`, met: gap <= tolerance });
    }
  }
  if ('ok' in results.activation) {
    const { activationMs } = results.activation.ok;
    checks.push({ name: 'extension activation', target: '< 30 ms', measured: ms(activationMs), met: activationMs < 30 });
  }
  if ('ok' in results.vsix) {
    checks.push({ name: '.vsix size', target: '< 3 MB', measured: `${results.vsix.ok.sizeMb.toFixed(2)} MB`, met: results.vsix.ok.sizeMb < 3 });
  }
  return checks;
}

function notRun(outcome: { skipped: string } | { error: string }): string {
  return 'skipped' in outcome ? `Skipped: ${outcome.skipped}.` : `FAILED: ${outcome.error}`;
}

function invokeApiTable(section: InvokeApiSection): string[] {
  const { floor, ours, serverlessOffline: sls, lambdaLocal: local, startWithoutExtraCaCerts: without } = section;
  const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const memory = (m: { rssMb: number; processes: number }): string => `${mb(m.rssMb)} (${m.processes} proc.)`;
  return [
    row(['Metric', 'bare HTTP floor', 'lambda-workbench', 'serverless-offline 13', 'lambda-local 2 (in process)', 'ours / serverless-offline', 'ours / lambda-local']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:']),
    row(['warm p50', ms(floor.latency.p50Ms), ms(ours.latency.p50Ms), ms(sls.latency.p50Ms), ms(local.latency.p50Ms), ratio(ours.latency.p50Ms / sls.latency.p50Ms), ratio(ours.latency.p50Ms / local.latency.p50Ms)]),
    row(['warm p99', ms(floor.latency.p99Ms), ms(ours.latency.p99Ms), ms(sls.latency.p99Ms), ms(local.latency.p99Ms), ratio(ours.latency.p99Ms / sls.latency.p99Ms), ratio(ours.latency.p99Ms / local.latency.p99Ms)]),
    row([`throughput, ${ours.throughput.clients} clients (inv/s)`, floor.throughput.perSecond.toFixed(0), ours.throughput.perSecond.toFixed(0), sls.throughput.perSecond.toFixed(0), local.throughput.perSecond.toFixed(0), ratio(ours.throughput.perSecond / sls.throughput.perSecond), ratio(ours.throughput.perSecond / local.throughput.perSecond)]),
    row([`throughput, ${ours.throughputWide.clients} clients (inv/s)`, floor.throughputWide.perSecond.toFixed(0), ours.throughputWide.perSecond.toFixed(0), sls.throughputWide.perSecond.toFixed(0), '', ratio(ours.throughputWide.perSecond / sls.throughputWide.perSecond), '']),
    row(['start to first response', ms(floor.coldStartMs), ms(ours.coldStartMs), ms(sls.coldStartMs), ms(local.coldStartMs), ratio(ours.coldStartMs / sls.coldStartMs), ratio(ours.coldStartMs / local.coldStartMs)]),
    ...(without ? [row([`start to first response, ${EXTRA_CA_CERTS_VARIABLE} unset`, ms(without.floorMs), ms(without.oursMs), ms(without.serverlessOfflineMs), '', ratio(without.oursMs / without.serverlessOfflineMs), ''])] : []),
    row(['RSS after sequential run', memory(floor.rssSequential), memory(ours.rssSequential), memory(sls.rssSequential), `${mb(local.rssMb)} (1 proc.)`, ratio(ours.rssSequential.rssMb / sls.rssSequential.rssMb), '']),
    row([`RSS after ${ours.throughput.clients}-client run`, memory(floor.rssConcurrent), memory(ours.rssConcurrent), memory(sls.rssConcurrent), '', ratio(ours.rssConcurrent.rssMb / sls.rssConcurrent.rssMb), '']),
    row([`RSS after ${ours.throughputWide.clients}-client run`, memory(floor.rssWide), memory(ours.rssWide), memory(sls.rssWide), '', ratio(ours.rssWide.rssMb / sls.rssWide.rssMb), '']),
    row([`service process RSS after ${ours.throughput.clients} clients`, mb(floor.rssConcurrent.rootRssMb), mb(ours.rssConcurrent.rootRssMb), mb(sls.rssConcurrent.rootRssMb), '', '', '']),
  ];
}

export function markdownReport(results: BenchResults): string {
  const { machine } = results;
  const lines = [
    `# Lambda Workbench benchmark, ${results.date}`,
    '',
    `Machine: ${machine.cpus} cores (${machine.cpuModel}), ${mb(machine.memoryMb)}, Node ${machine.node}, ${machine.os}; load average at start ${machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}.`,
    '',
    '## Invoke API, trivial handler, keep-alive connections on 127.0.0.1',
    '',
  ];
  if ('ok' in results.invokeApi) {
    const { plan, serverlessOffline } = results.invokeApi.ok;
    lines.push(...invokeApiTable(results.invokeApi.ok), '');
    lines.push(
      `Sequential: up to ${plan.sequential} measured (at most ${LATENCY_BUDGET_MS / 1000} s) after up to ${plan.warmup} warm-up invocations on one connection. Throughput: ${plan.concurrent} invocations over ${plan.clients} connections after a warm-up round. Start to first response: median of ${plan.coldStarts} fresh starts.`,
      `Memory per additional warm environment: ${mb(memoryPerEnvironmentMb(results.invokeApi.ok.ours))} ((RSS with ${results.invokeApi.ok.ours.rssConcurrent.environments} environments - RSS with ${results.invokeApi.ok.ours.rssSequential.environments}) / ${results.invokeApi.ok.ours.rssConcurrent.environments - results.invokeApi.ok.ours.rssSequential.environments}); a bare idle \`node -e 'setInterval(()=>{},1e9)'\` in the same run: ${mb(results.invokeApi.ok.bareNode.rssMb)} (median of ${results.invokeApi.ok.bareNode.runsMb.map((v) => v.toFixed(0)).join(', ')} MB).`,
      ...(results.invokeApi.ok.startWithoutExtraCaCerts
        ? [`${EXTRA_CA_CERTS_VARIABLE} is set on this machine: Node.js reads the certificates it names when any node process starts (the floor, the peers and our service alike; our runtimes get the function's environment, without it). The second start row runs each program without it, same count.`]
        : []),
      `serverless-offline served its Invoke API on port ${serverlessOffline.lambdaPort}. lambda-local has no Invoke API: its numbers are calls of its execute() inside one process (no HTTP), cold start = process start to first result.`,
      '',
    );
  } else lines.push(notRun(results.invokeApi), '');

  lines.push('## Container backend', '');
  if ('ok' in results.container) {
    const c = results.container.ok;
    lines.push(
      '| Metric | process backend | container backend | reference |',
      '| --- | ---: | ---: | ---: |',
      `| cold first invocation | ${ms(c.process.coldFirstInvokeMs)} | ${ms(c.container.coldFirstInvokeMs)} | bare docker run: ${ms(c.bareDockerRunMs)} |`,
      `| warm p50 (samples) | ${ms(c.process.warm.p50Ms)} (${c.process.warm.count}) | ${ms(c.container.warm.p50Ms)} (${c.container.warm.count}) | |`,
      `| warm p99 | ${ms(c.process.warm.p99Ms)} | ${ms(c.container.warm.p99Ms)} | |`,
      '',
      `Image ${c.image}; both backends served by \`lambda-workbench start --backend process|container\` (dist/cli.js) through the Invoke API; cold first invocation: the first request once start has printed its summary, median of fresh services.`,
      '',
    );
  } else lines.push(notRun(results.container), '');

  lines.push('## Hot reload, TypeScript handler (esbuild)', '');
  if ('ok' in results.hotReload) {
    lines.push('| Backend | save to new body (median) | runs (ms) | warm p50, hot reload off (samples) | warm p50, hot reload on (samples) |', '| --- | ---: | --- | ---: | ---: |');
    for (const backend of ['process', 'container'] as const) {
      const m = results.hotReload.ok[backend];
      if (m) lines.push(`| ${backend} | ${ms(m.reloadMs)} | ${m.reloadRunsMs.map((v) => v.toFixed(0)).join(', ')} | ${ms(m.warmHotReloadOff.p50Ms)} (${m.warmHotReloadOff.count}) | ${ms(m.warmHotReloadOn.p50Ms)} (${m.warmHotReloadOn.count}) |`);
    }
    if (!results.hotReload.ok.container) lines.push('', 'Containers: skipped (see the container section).');
    lines.push('');
  } else lines.push(notRun(results.hotReload), '');

  lines.push('## Extension', '');
  lines.push(`- Activation (real VS Code: code-server's extension host): ${'ok' in results.activation ? `${ms(results.activation.ok.activationMs)} median of ${results.activation.ok.activationRunsMs.map((v) => v.toFixed(0)).join(', ')} ms (with the code cache an earlier activation wrote)` : notRun(results.activation)}`);
  if ('ok' in results.activation) lines.push(`- First activation after install (no code cache yet): ${ms(results.activation.ok.firstActivationMs)}`);
  lines.push(`- .vsix size: ${'ok' in results.vsix ? `${results.vsix.ok.sizeMb.toFixed(2)} MB` : notRun(results.vsix)}`, '');

  lines.push('## Targets', '', '| Target | Goal | Measured | Met |', '| --- | --- | ---: | :---: |');
  for (const check of results.targets) lines.push(`| ${check.name} | ${check.target} | ${check.measured} | ${check.met ? 'yes' : 'NO'} |`);
  return `${lines.join('\n')}\n`;
}
