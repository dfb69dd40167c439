// Saved events in VS Code's Test Explorer: a test item per function and event, run on the window's service or debugged, diffs from NAME.expected.json.
import * as vscode from 'vscode';
import { errorMessage } from '../../core/common/errors';
import type { EventTest, EventTestOutcome } from '../../core/testing/eventTests';
import { requireTrust } from '../commands/commandContext';
import type { LogChannel } from '../logs/logChannel';
import type { FunctionCatalog } from '../services/functionCatalog';
import type { ServiceHost } from '../services/serviceHost';

const REFRESH_DEBOUNCE_MS = 300;

/** The test runner, with the expectation files' JSON Schema validator (ajv) and JSON parser: loaded on first use, not
 *  while the extension activates. */
const loadEventTests = () => import('../../core/testing/eventTests.js');

/** What the Test Explorer was told about one test: its status and messages (with the expected/actual diff). */
export interface ReportedTest {
  id: string;
  status: EventTestOutcome['status'];
  messages: readonly vscode.TestMessage[];
}

export class EventTestController implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('lambdaWorkbench.eventTests', 'Lambda saved events');
  private readonly tests = new Map<string, EventTest>();
  private readonly disposables: vscode.Disposable[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly reportEmitter = new vscode.EventEmitter<ReportedTest>();
  /** Fires after each test's result went to the Test Explorer. */
  readonly onDidReport = this.reportEmitter.event;

  constructor(
    private readonly catalog: FunctionCatalog,
    private readonly host: ServiceHost,
    private readonly logs: LogChannel,
  ) {
    this.controller.resolveHandler = () => this.refresh();
    this.controller.refreshHandler = () => this.refresh();
    this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => this.execute(request, token, 'Running', async (test) => {
      const { runEventTest } = await loadEventTests();
      return runEventTest(await this.host.get(), test);
    }), true);
    this.controller.createRunProfile('Debug', vscode.TestRunProfileKind.Debug, (request, token) => this.execute(request, token, 'Debugging', async (test, run) => {
      const { debugEventTest } = await import('./debugEventTest.js');
      return debugEventTest(test, run, token);
    }), true);
    // Events and expectations come and go as JSON files; templates through the catalog.
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.json');
    this.disposables.push(
      this.controller,
      this.reportEmitter,
      watcher,
      watcher.onDidCreate(() => this.scheduleRefresh()),
      watcher.onDidDelete(() => this.scheduleRefresh()),
      catalog.onDidChange(() => this.scheduleRefresh()),
    );
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), REFRESH_DEBOUNCE_MS);
  }

  /** One item per function with saved events, one child per event (its file as the item's place). */
  async refresh(): Promise<void> {
    await this.catalog.ready();
    const { discoverEventTests } = await loadEventTests();
    const tests = await discoverEventTests(this.catalog.functions());
    this.tests.clear();
    const functions = new Map<string, { item: vscode.TestItem; children: vscode.TestItem[] }>();
    for (const test of tests) {
      const spec = test.spec;
      let parent = functions.get(spec.functionName);
      if (!parent) {
        const uri = spec.templatePath ? vscode.Uri.file(spec.templatePath) : undefined;
        parent = { item: this.itemFor(this.controller.items, spec.functionName, spec.logicalId, uri), children: [] };
        functions.set(spec.functionName, parent);
      }
      const item = this.itemFor(parent.item.children, `${spec.functionName}/${test.eventName}`, test.eventName, vscode.Uri.file(test.eventFile));
      parent.children.push(item);
      this.tests.set(item.id, test);
    }
    for (const { item, children } of functions.values()) item.children.replace(children);
    this.controller.items.replace([...functions.values()].map(({ item }) => item));
  }

  /** The item `id` of `collection` while it still names the same thing, else a new one: unchanged tests keep their items. */
  private itemFor(collection: vscode.TestItemCollection, id: string, label: string, uri: vscode.Uri | undefined): vscode.TestItem {
    const existing = collection.get(id);
    if (existing && existing.label === label && existing.uri?.toString() === uri?.toString()) return existing;
    return this.controller.createTestItem(id, label, uri);
  }

  private leaves(request: vscode.TestRunRequest): vscode.TestItem[] {
    const excluded = new Set((request.exclude ?? []).map((item) => item.id));
    const roots: vscode.TestItem[] = [];
    if (request.include) roots.push(...request.include);
    else this.controller.items.forEach((item) => void roots.push(item));
    const leaves: vscode.TestItem[] = [];
    const visit = (item: vscode.TestItem) => {
      if (excluded.has(item.id)) return;
      if (item.children.size === 0) leaves.push(item);
      else item.children.forEach(visit);
    };
    roots.forEach(visit);
    return leaves;
  }

  /** Runs the requested tests one after the other with `runOne` (invoke, or debug), reporting each outcome. */
  private async execute(
    request: vscode.TestRunRequest,
    token: vscode.CancellationToken,
    verb: string,
    runOne: (test: EventTest, run: vscode.TestRun) => Promise<EventTestOutcome>,
  ): Promise<void> {
    if (!requireTrust(`${verb} saved events as tests`)) return;
    const run = this.controller.createTestRun(request);
    try {
      const items = this.leaves(request);
      items.forEach((item) => run.enqueued(item));
      for (const item of items) {
        if (token.isCancellationRequested) break;
        const test = this.tests.get(item.id);
        if (!test) continue;
        run.started(item);
        this.report(run, item, await runOne(test, run));
      }
    } catch (error) {
      void vscode.window.showErrorMessage(`Lambda Workbench could not run the tests: ${errorMessage(error)}`);
    } finally {
      run.end();
    }
  }

  private report(run: vscode.TestRun, item: vscode.TestItem, outcome: EventTestOutcome): void {
    if (outcome.logs.length > 0) run.appendOutput(`${outcome.logs.join('\r\n')}\r\n`, undefined, item);
    const location = item.uri ? new vscode.Location(item.uri, new vscode.Position(0, 0)) : undefined;
    const messages = outcome.problems.map((problem) => {
      const message =
        outcome.expected !== undefined && /^The (response|error) /.test(problem)
          ? vscode.TestMessage.diff(problem.split('\n')[0], JSON.stringify(outcome.expected, null, 2), JSON.stringify(outcome.actual, null, 2))
          : new vscode.TestMessage(problem);
      if (location) message.location = location;
      return message;
    });
    if (outcome.status === 'passed') run.passed(item, outcome.durationMs);
    else if (outcome.status === 'failed') run.failed(item, messages, outcome.durationMs);
    else run.errored(item, messages, outcome.durationMs);
    this.reportEmitter.fire({ id: item.id, status: outcome.status, messages });
    this.logs.note(`Test ${outcome.test.id}: ${outcome.status}${outcome.problems.length > 0 ? ` (${outcome.problems[0].split('\n')[0]})` : ''}`);
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.disposables.forEach((disposable) => disposable.dispose());
  }
}
