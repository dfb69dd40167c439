// Build script: one esbuild context per target (CLI, extension, debug adapter, runtime bootstraps, webview).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';

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
  // esbuild is never bundled: functions are built with the project's own esbuild (src/core/build/esbuildLocator.ts).
  external: ['vscode', 'cpu-features', '*.node', 'esbuild'],
};

/** Large libraries, each bundled once into dist/vendor/<name>.js and required from the entry bundles on first use. */
const vendorPackages = ['dockerode', 'ssh2', 'yaml', 'chokidar', '@vscode/debugadapter', 'ajv', 'jsonc-parser', 'tar-stream', 'yazl', '@smithy/eventstream-codec'];
/** jsonc-parser's `main` is a UMD build whose inner requires esbuild cannot follow: its ES module build is bundled instead. */
const vendorEntry = { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' };
const vendorFile = (name) => `vendor/${name.replace(/^@/, '').replace(/\//g, '-')}`;

/** Entry bundles in dist/ load vendor libraries from ./vendor/ instead of inlining them (keeps activation parsing small). */
const vendorChunks = {
  name: 'vendor-chunks',
  setup(build) {
    const filter = new RegExp(`^(${vendorPackages.map((name) => name.replace(/[/]/g, '\\/')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `./${vendorFile(args.path)}.js`, external: true }));
  },
};
/** The CLI, extension and adapter bundles: `import()` of our own modules becomes a require() at the point of use, so
 *  lazily loaded modules and vendor chunks load on first use (the bootstrap keeps real import() for users' .mjs). */
const entryTarget = { ...nodeTarget, supported: { 'dynamic-import': false }, plugins: [vendorChunks] };

/** Every build target, each with one entry point. */
const targets = [
  { ...entryTarget, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist' },
  { ...entryTarget, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  { ...entryTarget, entryPoints: { debugAdapter: 'src/debugAdapter.ts' }, outdir: 'dist' },
  { ...nodeTarget, entryPoints: Object.fromEntries(vendorPackages.map((name) => [vendorFile(name), vendorEntry[name] ?? name])), outdir: 'dist', sourcemap: false },
  { ...nodeTarget, entryPoints: { 'runtimes/node/bootstrap': 'src/runtimes/node/bootstrap.ts' }, outdir: 'dist',
    // The bootstrap runs inside instances: keep it small and readable in stack traces.
    minify: false, sourcemap: false },
  // The relay runs in a helper container beside functions on an engine of another machine (passed to `node -e`).
  { ...nodeTarget, entryPoints: { 'runtimes/relay/engineRelay': 'src/runtimes/relay/engineRelay.ts' }, outdir: 'dist', minify: false, sourcemap: false },
  { bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: !production, minify: production,
    logLevel: 'warning', entryPoints: { 'webview/payloadEditor': 'src/webview/payloadEditor.ts' }, outdir: 'dist' },
];

/** The Python runtime client is plain Python, copied as is. */
function copyRuntimeAssets() {
  mkdirSync('dist/runtimes/python', { recursive: true });
  cpSync('src/runtimes/python', 'dist/runtimes/python', { recursive: true, filter: (f) => !f.includes('__pycache__') });
}

if (watch) {
  for (const options of targets) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  copyRuntimeAssets();
  console.log('[watch] build started');
} else {
  await Promise.all(targets.map((options) => esbuild.build(options)));
  copyRuntimeAssets();
}
