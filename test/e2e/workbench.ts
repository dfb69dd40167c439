// End-to-end helpers: drive code-server's workbench (palette, quick picks, views, panel) in Chromium and take screenshots.
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';

export const SCREENSHOT_DIR = path.resolve(__dirname, '..', '..', '..', 'test-results', 'e2e');

/** The server and workspace scripts/e2e-tests.sh started; the suite refuses to run without them. */
export function e2eEnvironment(): { serverUrl: string; workspace: string } {
  const serverUrl = process.env.LWB_E2E_SERVER_URL;
  const workspace = process.env.LWB_E2E_WORKSPACE;
  if (!serverUrl || !workspace) throw new Error('Run the end-to-end suite through scripts/e2e-tests.sh (LWB_E2E_SERVER_URL, LWB_E2E_WORKSPACE).');
  return { serverUrl, workspace };
}

/** code-server's pid (scripts/e2e-tests.sh): its extension hosts and their environments descend from it. */
export function e2eServerPid(): number {
  const pid = Number(process.env.LWB_E2E_SERVER_PID);
  if (!(pid > 0)) throw new Error('Run the end-to-end suite through scripts/e2e-tests.sh (LWB_E2E_SERVER_PID).');
  return pid;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** Runs a command from the palette by its full title, e.g. "Lambda: Invoke Function". */
export async function runCommand(page: Page, title: string): Promise<void> {
  await typeCommand(page, title);
  await accept(page, `>${title}`);
}

/** Opens the palette on the command titled `title`, once the palette lists it. */
async function typeCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
}

/**
 * Runs "Developer: Reload Window" and returns once the reloaded document shows its workbench. Until the reload's
 * navigation commits, the old document answers every locator (its workbench, its Lambda view): a wait for
 * `.monaco-workbench` alone returns at once.
 */
export async function reloadWindow(page: Page): Promise<void> {
  await typeCommand(page, 'Developer: Reload Window');
  const loaded = page.waitForEvent('load', { timeout: 120_000 });
  // Not accept(): the page it would poll goes away with the reload.
  await page.locator('.quick-input-widget input').press('Enter');
  await loaded;
  await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
}

/** Picks the quick-pick entry whose label contains `text` (typing it first narrows the list). */
export async function pick(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first().waitFor();
  await accept(page, text);
}

/**
 * Presses Enter in the quick input while it shows `typed`, then waits until it has taken it (hidden, or showing the
 * next step): the next key must not reach the editor behind a closing widget (a stray Enter once split a line of
 * the handler, which the debug session then saved and loaded).
 */
async function accept(page: Page, typed: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.press('Enter');
  // Evaluated in the page (a string: the suite's tsconfig has no DOM types).
  await page.waitForFunction(
    `(() => { const input = document.querySelector('.quick-input-widget input'); return !input || input.offsetParent === null || input.value !== ${JSON.stringify(typed)}; })()`,
  );
}

/**
 * Answers the input box titled `title`, once it is the one showing: a chain of input boxes reuses one widget, and
 * text typed while the next box is opening would go to the previous one.
 */
export async function answer(page: Page, title: string, value: string): Promise<void> {
  const box = page.locator('.quick-input-widget', { hasText: title });
  await box.waitFor({ state: 'visible' });
  const input = box.locator('input');
  await input.fill(value);
  await input.press('Enter');
  await box.waitFor({ state: 'hidden' });
}

/** Opens a workspace file through Quick Open, once the file search has found it. */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(relativePath);
  // The row of this very file (its folder is the row's description): the list also holds other files of that name.
  const row = page
    .locator('.quick-input-list .monaco-list-row', { hasText: path.basename(relativePath) })
    .filter({ hasText: path.dirname(relativePath) })
    .first();
  await row.waitFor();
  await row.click();
  await page.locator('.tab.active', { hasText: path.basename(relativePath) }).waitFor();
}

/**
 * Shows the Lambda view through "Lambda: Focus on Functions View", which opens it whatever the side bar shows. Not its
 * activity bar icon: a click on it hides the side bar when the side bar already shows that container, and the icon's
 * checked mark lags behind a reloaded window's layout restore (a click meant to open the view closed the restored one).
 */
export async function showLambdaView(page: Page): Promise<void> {
  // The palette lists the command once the extension's views are registered, when its activity bar icon appears.
  await page.locator('.activitybar .action-item a[aria-label^="Lambda"]').waitFor();
  await runCommand(page, 'Lambda: Focus on Functions View');
}

/** A row of the Lambda view's tree. */
export function lambdaViewRow(page: Page, label: string): Locator {
  return page.locator('.pane-body .monaco-list-row', { hasText: label }).first();
}

/** The text of the panel's visible output editor. */
export function outputPanel(page: Page): Locator {
  return page.locator('.part.panel .monaco-editor .view-lines');
}

/** The inner document of the active webview (code-server nests it in two iframes). */
export function activeWebview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

/** The Debug Console's output (its REPL tree), which F5 opens. */
export function debugConsole(page: Page): Locator {
  return page.locator('.repl .monaco-list-rows');
}

/**
 * The notification whose message matches `text`, looked up in the Notification Center: toasts hide themselves
 * after 15 s and when more than three are showing, the center keeps every notification with its buttons.
 */
export async function notification(page: Page, text: RegExp | string): Promise<Locator> {
  await runCommand(page, 'Notifications: Show Notifications');
  return page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
}

/** What the workbench shows now (URL, side bar, notifications, quick input, active tab, consoles), for a failed step's message. */
export async function workbenchState(page: Page): Promise<string> {
  const texts = async (selector: string) => (await page.locator(selector).allInnerTexts()).map((text) => text.replace(/\u00a0/g, ' ').trim());
  const tail = (lines: string[]) => lines.join('\n').slice(-1500);
  const parts: Array<[string, string]> = [
    ['url', page.url()],
    ['side bar', tail(await texts('.part.sidebar:visible'))],
    ['notifications', (await texts('.notification-toast')).join(' | ')],
    ['quick input', (await texts('.quick-input-widget:visible')).join(' | ')],
    ['active tab', (await texts('.tab.active')).join(' | ')],
    ['debug toolbar', (await page.locator('.debug-toolbar').isVisible()) ? 'visible' : 'hidden'],
    ['debug console', tail(await texts('.repl .monaco-list-rows'))],
    ['output panel', tail(await texts('.part.panel .monaco-editor .view-lines'))],
  ];
  return parts.map(([name, text]) => `--- ${name}: ${text || '(none)'}`).join('\n');
}
