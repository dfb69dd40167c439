// Build script: one esbuild context per target (CLI, extension, debug adapter, runtime bootstraps, webview).
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Node-side bundles share these options; `vscode` is provided by the extension host. */
const nodeTarget = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // ssh2 (a dockerode dependency) loads optional native modules inside try/catch.
  // esbuild runs its native binary found relative to its own package: it cannot be bundled (shipped in the .vsix instead).
  external: ['vscode', 'cpu-features', '*.node', 'esbuild'],
};

/** Every build target, each with one entry point. */
const targets = [
  { ...nodeTarget, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist' },
  { ...nodeTarget, entryPoints: { 'runtimes/node/bootstrap': 'src/runtimes/node/bootstrap.ts' }, outdir: 'dist',
    // The bootstrap runs inside instances: keep it small and readable in stack traces.
    minify: false, sourcemap: false },
];

/** Targets added by later parts of the product; each is built once its entry file exists. */
const optionalTargets = [
  { ...nodeTarget, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  { ...nodeTarget, entryPoints: { debugAdapter: 'src/debugAdapter.ts' }, outdir: 'dist' },
  { bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: !production, minify: production,
    logLevel: 'warning', entryPoints: { 'webview/payloadEditor': 'src/webview/payloadEditor.ts' }, outdir: 'dist' },
];

const all = [...targets, ...optionalTargets.filter((t) => Object.values(t.entryPoints).every((f) => existsSync(f)))];

function copyRuntimeAssets() {
  // The Python runtime client is plain Python, copied as is.
  if (existsSync('src/runtimes/python')) {
    mkdirSync('dist/runtimes/python', { recursive: true });
    cpSync('src/runtimes/python', 'dist/runtimes/python', { recursive: true, filter: (f) => !f.includes('__pycache__') });
  }
}

if (watch) {
  for (const options of all) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  copyRuntimeAssets();
  console.log('[watch] build started');
} else {
  await Promise.all(all.map((options) => esbuild.build(options)));
  copyRuntimeAssets();
}
