// Harness side (plain node): opens code-server's workbench in Chromium through Playwright and waits for a condition.
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface Workbench {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** Launches Chromium on `url` and waits until the VS Code workbench is rendered. */
export async function openWorkbench(url: string, options: { workbenchTimeoutMs?: number } = {}): Promise<Workbench> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench', { timeout: options.workbenchTimeoutMs ?? 120_000 });
    return { browser, page, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
