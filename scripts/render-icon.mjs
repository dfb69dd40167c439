// Renders the extension icon (media/icon.png, 128 x 128) from media/lambda.svg with Chromium (Debian's, via
// playwright-core): the lambda glyph in white on a rounded orange tile. Run it after changing lambda.svg.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const SIZE = 128;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const glyph = readFileSync(join(root, 'media', 'lambda.svg'), 'utf8')
  .replace('width="24" height="24"', `width="${SIZE * 0.7}" height="${SIZE * 0.7}"`)
  .replace('stroke="currentColor"', 'stroke="#ffffff"')
  .replace('stroke-width="1.6"', 'stroke-width="2.2"');
const html = `<!DOCTYPE html><html><body style="margin:0;background:transparent">
<div style="width:${SIZE}px;height:${SIZE}px;border-radius:${SIZE * 0.18}px;display:flex;align-items:center;justify-content:center;
  background:linear-gradient(135deg,#ff9900 0%,#e8590c 100%)">${glyph}</div></body></html>`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  await page.setContent(html);
  await page.screenshot({ path: join(root, 'media', 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
