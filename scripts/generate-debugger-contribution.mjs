// Writes package.json `contributes.debuggers` from src/shared/launchConfig.ts, the single source of the launch schema.
import * as esbuild from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifestPath = `${root}package.json`;

const bundle = await esbuild.build({
  entryPoints: [`${root}src/shared/launchConfig.ts`],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  write: false,
});
const source = bundle.outputFiles[0].text;
const { debuggerContribution } = await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);

const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
manifest.contributes = { ...manifest.contributes, debuggers: debuggerContribution() };
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
console.log('package.json: contributes.debuggers updated');
