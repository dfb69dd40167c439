// End to end: the packaged .vsix installed in code-server, driven from Chromium: view, palette invoke, logs, payload editor, blueprint, F5, local tables and buckets.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { INTERNAL_PORTS } from '../../src/core/api/internalPorts';
import { listeningAddresses } from '../support/listeningSockets';
import { descendantsOf, liveProcesses, type ProcessEntry } from '../support/processTree';
import { waitFor } from '../support/waitFor';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../vscode/runner/openWorkbench';
import { activeWebview, answer, debugConsole, e2eEnvironment, e2eServerPid, lambdaViewRow, notification, openFile, outputPanel, pick, reloadWindow, runCommand, screenshot, showLambdaView, workbenchState } from './workbench';

const STEP_TIMEOUT_MS = 60_000;

/** code-server's extension hosts, and their environments: descendants in process groups other than the host's own. */
function environmentsOfExtensionHosts(): { hosts: ProcessEntry[]; environments: ProcessEntry[] } {
  const hosts = descendantsOf(e2eServerPid()).filter((p) => p.command.includes('--type=extensionHost'));
  const environments = hosts.flatMap((host) => descendantsOf(host.pid).filter((p) => p.pgid !== host.pgid));
  return { hosts, environments };
}

function isNodeRuntime(entry: ProcessEntry): boolean {
  return /runtimes?\/node\/bootstrap\.js/.test(entry.command) && !entry.command.includes('bwrap');
}

/** The same process, not a later one given its pid. */
function sameProcess(a: ProcessEntry, b: ProcessEntry): boolean {
  return a.pid === b.pid && a.startTime === b.startTime;
}

function listed(entries: readonly ProcessEntry[]): string {
  return entries.map((p) => `${p.pid} (group ${p.pgid}) ${p.command}`).join('; ') || '(none)';
}

describe('Lambda Workbench in code-server', { timeout: 10 * 60_000 }, () => {
  let browser: Browser;
  let page: Page;

  before(async () => {
    const { serverUrl, workspace } = e2eEnvironment();
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await page.goto(`${serverUrl}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
  });

  after(async () => {
    await browser?.close();
  });

  /** A test whose failure message ends with what the workbench showed at that moment (CI keeps no screenshots). */
  function step(name: string, body: () => Promise<void>): void {
    test(name, async () => {
      try {
        await body();
      } catch (error) {
        if (error instanceof Error) error.message += `\n${await workbenchState(page).catch((reason: unknown) => `(workbench state unavailable: ${String(reason)})`)}`;
        throw error;
      }
    });
  }

  step('the Lambda view lists the functions of the template', async () => {
    await showLambdaView(page);
    for (const name of ['HelloJsFunction', 'HelloTsFunction', 'HelloPyFunction']) {
      await lambdaViewRow(page, name).waitFor();
    }
    assert.match(await lambdaViewRow(page, 'HelloJsFunction').innerText(), /nodejs20\.x · app\.handler · process/);
    await screenshot(page, '01-lambda-view');
  });

  step('"Lambda: Invoke Function" shows the response and START/END/REPORT in the output panel', async () => {
    await runCommand(page, 'Lambda: Invoke Function');
    await pick(page, 'HelloJsFunction');
    await pick(page, 'hello');
    await page.locator('.tab', { hasText: 'HelloJsFunction response.json' }).waitFor();
    await page.locator('.monaco-editor .view-lines', { hasText: 'Hello, Ada!' }).first().waitFor();
    const output = outputPanel(page);
    await output.filter({ hasText: 'REPORT RequestId' }).waitFor();
    // Monaco renders spaces as no-break spaces.
    const text = (await output.innerText()).replace(/\u00a0/g, ' ');
    for (const marker of ['START RequestId', 'END RequestId', 'REPORT RequestId']) assert.ok(text.includes(marker), `${marker} in ${text}`);
    await screenshot(page, '02-invoke-function');
  });

  step('Invoke twice asks for the event once: the palette and the tree row re-run with the last event', async () => {
    const output = outputPanel(page);
    const report = output.filter({ hasText: 'REPORT RequestId' });
    // If an event picker opened, nothing would be invoked and no REPORT would follow.
    await runCommand(page, 'View: Clear Output');
    await report.waitFor({ state: 'hidden' });
    await runCommand(page, 'Lambda: Invoke Function');
    await pick(page, 'HelloJsFunction');
    await report.waitFor();
    assert.equal(await page.locator('.quick-input-widget').isVisible(), false, 'no event picker');

    await runCommand(page, 'View: Clear Output');
    await report.waitFor({ state: 'hidden' });
    const row = lambdaViewRow(page, 'HelloJsFunction');
    await row.hover();
    await row.locator('.action-label[aria-label="Invoke Function"]').click();
    await report.waitFor();
    assert.equal(await page.locator('.quick-input-widget').isVisible(), false, 'no picker at all');
    // The panel wraps long lines: whitespace, no-break spaces included, may be a line break.
    assert.match(await output.innerText(), /event\s+received\s+\{"name":"Ada"\}/, 'the remembered event (hello.json)');
    await screenshot(page, '02b-invoke-again');
  });

  step('a failed invocation\'s notification offers Show Logs and goes to the throwing line', async () => {
    await runCommand(page, 'Lambda: Invoke with Event...');
    await pick(page, 'HelloJsFunction');
    await pick(page, 'fail');
    const toast = page.locator('.notification-toast', { hasText: 'HelloJsFunction failed with ValidationError: refusing this event' });
    await toast.locator('.monaco-button', { hasText: 'Show Logs' }).waitFor();
    await screenshot(page, '02c-function-error');
    await toast.locator('.monaco-button', { hasText: 'Go to Error' }).click();
    await page.locator('.tab.active', { hasText: 'app.js' }).waitFor();
    // hello-js/app.js throws on line 12.
    await page.locator('.statusbar-item', { hasText: /Ln 12, Col \d+/ }).waitFor();
  });

  step('the payload editor opens an event, validates it and invokes', async () => {
    await runCommand(page, 'Lambda: Open Event Payload Editor');
    await pick(page, 'hello');
    const webview = activeWebview(page);
    const payload = webview.locator('#payload');
    // The function list arrives with the editor's first message: its script is listening from then on.
    await webview.locator('#function option', { hasText: 'HelloJsFunction' }).waitFor({ state: 'attached' });
    await webview.locator('#function').selectOption('HelloJsFunction');
    await payload.fill('{"name": ');
    await webview.locator('#problem-count', { hasNotText: /^0$/ }).waitFor();
    const invoke = webview.locator('#invoke');
    await webview.locator('#invoke-reason', { hasText: /^Not valid JSON \(line 1, column \d+\)/ }).waitFor();
    assert.equal(await invoke.isDisabled(), true, 'Invoke is disabled while the JSON is invalid');
    assert.equal(await webview.locator('#debug').isDisabled(), true);
    await screenshot(page, '03-payload-editor-invalid');
    await payload.fill('{"name": "Editor"}');
    await webview.locator('#problem-count', { hasText: /^0$/ }).waitFor();
    await webview.locator('#invoke:not([disabled])').waitFor();
    assert.equal(await webview.locator('#invoke-reason').textContent(), '');
    await invoke.click();
    await webview.locator('#response', { hasText: 'Hello, Editor!' }).waitFor();
    await screenshot(page, '04-payload-editor-invoked');
    await page.keyboard.press('Control+S');
  });

  step('the payload editor colours the JSON and opens a frame of an error\'s stack at its line', async () => {
    const webview = activeWebview(page);
    await webview.locator('#payload').fill('{"name": "Editor", "fail": "from the payload editor"}');
    // The text behind the textarea is coloured as JSON (theme colours by token class).
    await webview.locator('#payload-colours .json-key', { hasText: '"fail"' }).waitFor();
    await webview.locator('#payload-colours .json-string', { hasText: '"from the payload editor"' }).waitFor();
    await webview.locator('#invoke:not([disabled])').click();
    await webview.locator('#response-status', { hasText: 'ValidationError' }).waitFor();
    await webview.locator('#response .json-key', { hasText: '"errorType"' }).first().waitFor();
    const frame = webview.locator('#frames .frame.linked', { hasText: 'app.js:12' }).first();
    await frame.waitFor();
    assert.match((await frame.getAttribute('title')) ?? '', /^Open hello-js\/app\.js:12$/);
    await screenshot(page, '04b-payload-editor-stack');
    await frame.click();
    await page.locator('.tab.active', { hasText: 'app.js' }).waitFor();
    // hello-js/app.js throws on line 12.
    await page.locator('.statusbar-item', { hasText: /Ln 12, Col \d+/ }).waitFor();
  });

  step('a blueprint scaffolds a function that then invokes', async () => {
    await runCommand(page, 'Lambda: New Function from Blueprint');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.first().filter({ hasText: 'Hello world' }).waitFor();
    await pick(page, 'Hello world');
    await rows.filter({ hasText: 'nodejs22.x' }).first().waitFor();
    await pick(page, 'JavaScript');
    const nameBox = page.locator('.quick-input-widget', { hasText: 'Hello world: function name' });
    await nameBox.waitFor();
    assert.equal(await nameBox.locator('input').inputValue(), 'HelloFunction', 'the default name is shown');
    await answer(page, 'Hello world: function name', 'EndToEndHello');
    await answer(page, 'Hello world: folder', 'e2e-hello');
    await lambdaViewRow(page, 'EndToEndHello').waitFor();
    const created = await notification(page, /Created \d+ file\(s\) in e2e-hello: .*template\.yaml/);
    await created.locator('.monaco-button', { hasText: 'Open...' }).waitFor();
    await screenshot(page, '05-blueprint-scaffolded');
    await runCommand(page, 'Notifications: Hide Notifications');

    // The new handler is the active editor: the palette asks for the event only.
    await runCommand(page, 'Lambda: Invoke Function');
    await pick(page, '{}');
    await page.locator('.tab', { hasText: 'EndToEndHello response.json' }).waitFor();
    await page.locator('.monaco-editor .view-lines', { hasText: 'Hello' }).first().waitFor();
    await screenshot(page, '06-blueprint-invoked');
  });

  step('F5 on the TypeScript handler stops at a breakpoint, and Continue ends the invocation with its response and REPORT', async () => {
    // The workspace has no esbuild: the installed .vsix builds the handler with the esbuild it ships.
    assert.equal(existsSync(path.join(e2eEnvironment().workspace, 'node_modules', 'esbuild')), false);
    try {
      await openFile(page, 'hello-ts/app.ts');
      // Monaco renders spaces as no-break spaces, which \s matches.
      await page.locator('.monaco-editor .view-line', { hasText: /const\s+name\s*=\s*event\.name/ }).first().click();
      await page.keyboard.press('F9');
      // app.ts is the active editor: the palette asks for the event only.
      await runCommand(page, 'Lambda: Debug Function');
      await pick(page, 'typescript');
      await page.locator('.debug-toolbar').waitFor();
      await page.locator('.debug-call-stack .monaco-list-row', { hasText: /Paused on breakpoint/i }).first().waitFor({ timeout: 90_000 });
      await screenshot(page, '07-f5-breakpoint');
      await page.locator('.debug-toolbar .action-label.codicon-debug-continue').click();
      // The invocation ends within seconds: the response and REPORT in the Debug Console.
      const repl = debugConsole(page);
      await repl.filter({ hasText: 'REPORT RequestId' }).waitFor({ timeout: 20_000 });
      const text = (await repl.innerText()).replace(/\u00a0/g, ' ');
      assert.match(text, /Response: \{"message":"Hello, TypeScript!"/);
    } finally {
      await screenshot(page, '08-f5-continued');
    }
    await page.keyboard.press('Shift+F5');
  });

  step('a throwing handler under the debugger stops at its breakpoint, and Continue ends with its error and REPORT', async () => {
    const repl = debugConsole(page);
    try {
      await page.locator('.debug-toolbar').waitFor({ state: 'hidden' });
      // Back to the editor first: the Debug Console keeps the focus after Shift+F5.
      await runCommand(page, 'View: Focus Active Editor Group');
      await openFile(page, 'hello-js/app.js');
      await page.locator('.monaco-editor .view-line', { hasText: /console\.log\('event\s+received'/ }).first().click();
      await page.keyboard.press('F9');
      // app.js is the active editor: "Debug with Event..." asks for the event only.
      await runCommand(page, 'Lambda: Debug with Event...');
      await pick(page, 'fail');
      await page.locator('.debug-call-stack .monaco-list-row', { hasText: /Paused on breakpoint/i }).first().waitFor({ timeout: 90_000 });
      await page.locator('.debug-toolbar .action-label.codicon-debug-continue').click();
      await repl.filter({ hasText: /Error \(ValidationError\)/ }).waitFor({ timeout: 20_000 });
      await repl.filter({ hasText: 'REPORT RequestId' }).waitFor({ timeout: 20_000 });
      const text = (await repl.innerText()).replace(/\u00a0/g, ' ');
      assert.match(text, /Error \(ValidationError\): \{"errorType":"ValidationError","errorMessage":"refusing this event"/);
      assert.match(text, /REPORT RequestId: \S+\s+Duration: /);
    } finally {
      await screenshot(page, '09-debug-throwing-handler');
    }
    await page.keyboard.press('Shift+F5');
  });

  step('the Ports view auto-forwards a server of the machine but no internal port (Runtime API servers)', async () => {
    // A warm instance: its Runtime API server listens in the extension host, in the internal range.
    const report = outputPanel(page).filter({ hasText: 'REPORT RequestId' });
    await runCommand(page, 'Lambda: Show Logs');
    await runCommand(page, 'View: Clear Output');
    await report.waitFor({ state: 'hidden' });
    // hello-js/app.js is the active editor and its function has a last event: no picker.
    await runCommand(page, 'Lambda: Invoke Function');
    await report.waitFor();
    const internal = Array.from({ length: INTERNAL_PORTS.last - INTERNAL_PORTS.first + 1 }, (_, i) => INTERNAL_PORTS.first + i);
    const listeningInternal = internal.filter((port) => listeningAddresses(port).length > 0);
    assert.ok(listeningInternal.length > 0, 'a Runtime API server listens in the internal range');
    // The control: a server started after it, which VS Code's port detection (it polls /proc) must list.
    const control = createServer(() => undefined);
    await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
    const controlPort = (control.address() as AddressInfo).port;
    try {
      await runCommand(page, 'Ports: Focus on Ports View');
      const rows = page.locator('.part.panel .monaco-list-row');
      await rows.filter({ hasText: String(controlPort) }).first().waitFor({ timeout: 90_000 });
      await screenshot(page, '10-ports-view');
      const listed = (await rows.allInnerTexts()).join('\n');
      const forwarded = listeningInternal.filter((port) => new RegExp(`\\b${port}\\b`).test(listed));
      assert.deepEqual(forwarded, [], `internal ports in the Ports view:\n${listed}`);
    } finally {
      await new Promise((resolve) => control.close(resolve));
    }
  });

  step('Start Local Endpoints serves the template\'s table and bucket from the installed .vsix (dynalite, s3rver and LevelDB bundled), and Scan opens the items', async () => {
    const table = lambdaViewRow(page, 'OrdersTable');
    await showLambdaView(page);
    await table.filter({ hasText: 'start local endpoints to see the items' }).waitFor();
    await runCommand(page, 'Lambda: Start Local Endpoints');
    // Counted by the local DynamoDB and S3, which the extension starts from its own dist/vendor (no node_modules in a .vsix).
    await lambdaViewRow(page, 'OrdersTable').filter({ hasText: '0 items' }).waitFor();
    await lambdaViewRow(page, 'uploadsbucket').filter({ hasText: '0 objects' }).waitFor();
    await screenshot(page, '11-local-resources');
    // The view refreshes its counts while the endpoints run, and a click that lands while the row is re-rendered is
    // lost, as it would be for a user: click again until the Scan opens (each click opens it at most once).
    const scan = page.locator('.monaco-editor .view-lines', { hasText: '"Count": 0' }).first();
    for (let attempt = 1; ; attempt += 1) {
      await lambdaViewRow(page, 'OrdersTable').click();
      const opened = await scan.waitFor({ timeout: 15_000 }).then(() => true, () => false);
      if (opened) break;
      if (attempt === 4) throw new Error(`Scan Table did not open after ${attempt} clicks on OrdersTable`);
    }
    await runCommand(page, 'Lambda: Stop Local Endpoints');
    await lambdaViewRow(page, 'OrdersTable').filter({ hasText: 'start local endpoints to see the items' }).waitFor();
  });

  step('reloading the window ends every environment of the old extension host; the new one shows the view and serves', async () => {
    const report = outputPanel(page).filter({ hasText: 'REPORT RequestId' });
    await runCommand(page, 'Lambda: Show Logs');
    await runCommand(page, 'View: Clear Output');
    await report.waitFor({ state: 'hidden' });
    // HelloJsFunction has a last event (earlier steps): the palette asks for the function only.
    await runCommand(page, 'Lambda: Invoke Function');
    await pick(page, 'HelloJsFunction');
    await report.waitFor();
    const before = environmentsOfExtensionHosts();
    assert.equal(before.hosts.length, 1, `one extension host: ${listed(before.hosts)}`);
    const [oldHost] = before.hosts;
    assert.ok(before.environments.some(isNodeRuntime), `a warm environment of the extension host: ${listed(before.environments)}`);
    const oldGroups = new Set(before.environments.map((p) => p.pgid));

    await reloadWindow(page);
    // Every process of the old host's environments ends (sandboxes and whatever a handler started in its group), the old
    // host with them.
    const survivors = () => liveProcesses().filter((p) => oldGroups.has(p.pgid) || before.environments.some((old) => sameProcess(old, p)) || sameProcess(oldHost, p));
    await waitFor(() => survivors().length === 0, 60_000, `the old extension host and its environments to end: ${listed([oldHost, ...before.environments])}`).catch((error: Error) => {
      error.message += `\nStill running: ${listed(survivors())}`;
      throw error;
    });
    // The view comes back by itself: the restored layout shows it, with no click.
    await lambdaViewRow(page, 'HelloJsFunction').waitFor();
    await screenshot(page, '12-after-reload');

    // The new extension host serves from an environment of its own.
    await runCommand(page, 'Lambda: Show Logs');
    await report.waitFor({ state: 'hidden' });
    await runCommand(page, 'Lambda: Invoke Function');
    await pick(page, 'HelloJsFunction');
    await report.waitFor();
    const after = environmentsOfExtensionHosts();
    assert.ok(after.hosts.every((host) => !sameProcess(oldHost, host)), `the old extension host is gone: ${listed(after.hosts)}`);
    assert.ok(after.environments.some(isNodeRuntime), `a warm environment of the new extension host: ${listed(after.environments)}`);
  });
});
