// Build script: one esbuild context per target (CLI, extension, debug adapter, runtime bootstraps, webview).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as path from 'node:path';

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
  // esbuild is never bundled: functions are built with the project's own esbuild, else ours from dist/node_modules
  // (copyOwnEsbuild; src/core/build/esbuildLocator.ts).
  external: ['vscode', 'cpu-features', '*.node', 'esbuild'],
};

/** Large libraries, each bundled once into dist/vendor/<name>.js and required from the entry bundles on first use. */
const vendorPackages = [
  'dockerode', 'ssh2', 'yaml', 'chokidar', '@vscode/debugadapter', 'ajv', 'jsonc-parser', 'tar-stream', 'yazl', '@smithy/eventstream-codec',
  // Loaded only by import() on first use (a signed request, a JWT authorizer, a JUnit report): outside the entry bundles,
  // V8 does not compile them when the CLI or the extension starts (they were 0.9 MB of the CLI's 2.4 MB).
  '@smithy/signature-v4', '@smithy/hash-node', 'jose', 'junit-report-builder',
  // The local DynamoDB and S3 (src/core/data): bundled, because the .vsix ships no node_modules.
  'dynalite', 'level', 's3rver',
];
/** jsonc-parser's `main` is a UMD build whose inner requires esbuild cannot follow: its ES module build is bundled instead. */
const vendorEntry = { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' };
const vendorFile = (name) => `vendor/${name.replace(/^@/, '').replace(/\//g, '-')}`;

/** dynalite requires its actions by name (`require('./actions/' + action)`): esbuild bundles such a require as a glob
 *  of the folder only when the expression names the file's extension, so the require is given it. */
const dynaliteActions = {
  name: 'dynalite-actions',
  setup(build) {
    build.onLoad({ filter: /[\\/]dynalite[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const contents = source.replace(/require\('\.\/(actions|validations)\/' \+ action\)/g, "require('./$1/' + action + '.js')");
      if (contents === source) throw new Error('dynalite no longer requires its actions by name: check the dynalite-actions plugin of esbuild.mjs.');
      return { contents, loader: 'js' };
    });
  },
};

/** LevelDB's native binding (classic-level, under dynalite and level) is loaded by node-gyp-build from `<bundle dir>/prebuilds`:
 *  the prebuilt binaries of every platform go beside the vendor chunks. */
function copyNativeBindings() {
  const fromLevel = createRequire(createRequire(import.meta.url).resolve('level'));
  const classicLevel = path.dirname(fromLevel.resolve('classic-level/package.json'));
  cpSync(path.join(classicLevel, 'prebuilds'), 'dist/vendor/prebuilds', { recursive: true });
}

/** Our own esbuild, for TypeScript functions whose project has none or one too old (src/core/build/esbuildLocator.ts looks
 *  for node_modules/esbuild above dist/): its JavaScript API and the native binary installed for this platform, in
 *  esbuild's own package layout so its API finds the binary as in any node_modules. */
function copyOwnEsbuild() {
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve('esbuild/package.json'));
  for (const file of ['package.json', 'LICENSE.md', 'lib/main.js']) cpSync(path.join(packageDir, file), path.join('dist/node_modules/esbuild', file));
  const fromEsbuild = createRequire(path.join(packageDir, 'package.json'));
  const platformPackages = Object.keys(JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')).optionalDependencies ?? {})
    .map((name) => { try { return [name, path.dirname(fromEsbuild.resolve(`${name}/package.json`))]; } catch { return undefined; } })
    .filter(Boolean);
  if (platformPackages.length === 0) throw new Error('esbuild\'s native binary package is not installed: run npm ci.');
  for (const [name, dir] of platformPackages) cpSync(dir, path.join('dist/node_modules', name), { recursive: true });
}

/** V8 keeps a script's source for lazy compilation, at two bytes a character as soon as one is outside Latin-1 (4.7 MB
 *  instead of 2.4 MB for the CLI). esbuild escapes strings and regular expressions (charset ascii) but keeps comments
 *  as written, and a dependency's JSDoc has '—' and '✓': those left are written as \u escapes, the same text in a comment. */
const asciiOutput = {
  name: 'ascii-output',
  setup(build) {
    build.initialOptions.metafile = true;
    build.onEnd((result) => {
      for (const file of Object.keys(result.metafile?.outputs ?? {}).filter((name) => /\.m?js$/.test(name))) {
        const text = readFileSync(file, 'utf8');
        const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
        if (ascii !== text) writeFileSync(file, ascii);
      }
    });
  },
};

/** dockerode's BuildKit session (gRPC) and docker-modem's ssh2 agent are bundled but run only on their first call, not when
 *  dockerode loads: the same deferral as src/core/instances/container/dockerodeDeferredParts.ts gives unbundled runs. */
const deferredDockerodeParts = { session: /[\\/]dockerode[\\/]lib[\\/]docker\.js$/, ssh: /[\\/]docker-modem[\\/]lib[\\/]modem\.js$/ };
const deferDockerodeParts = {
  name: 'defer-dockerode-parts',
  setup(build) {
    build.onResolve({ filter: /^\.\/(session|ssh)$/ }, (args) =>
      deferredDockerodeParts[args.path.slice(2)]?.test(args.importer)
        ? { path: path.join(args.resolveDir, `${args.path}.js`), namespace: 'deferred-dockerode-part' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'deferred-dockerode-part' }, (args) => ({
      contents: `module.exports = function () { return require(${JSON.stringify(args.path)}).apply(this, arguments); };`,
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

/** Modules `start` imports but does not run before its first answer: each importer gets a stand-in whose exports load the
 *  module when first read. yauzl (zip reading) loads node:zlib; the SQS, SNS, EventBridge and Kinesis models are large
 *  object literals, read by their first request (src/core/api/protocolService.ts tells a Lambda request apart without
 *  them). Lambda's model stays as it is: its router reads it at load. */
const deferredModules = {
  name: 'deferred-modules',
  setup(build) {
    // The stand-in is named by the module's path relative to the project, as esbuild names bundled files.
    const where = (args) => path.relative(process.cwd(), args.path === 'yauzl' ? createRequire(args.importer).resolve('yauzl') : path.join(args.resolveDir, `${args.path}.ts`));
    build.onResolve({ filter: /^(yauzl|\.\/(sqs|sns|eventbridge|kinesis)Model\.generated)$/ }, (args) => ({ path: where(args), namespace: 'deferred-module' }));
    build.onLoad({ filter: /.*/, namespace: 'deferred-module' }, async (args) => {
      const file = path.resolve(args.path);
      const names = file.endsWith('.ts')
        ? [...(await readFile(file, 'utf8')).matchAll(/^export const (\w+)/gm)].map((match) => match[1])
        : Object.keys(createRequire(import.meta.url)(file));
      if (names.length === 0) throw new Error(`${file} exports nothing esbuild.mjs deferredModules can find.`);
      const getters = names.map((name) => `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => load()[${JSON.stringify(name)}] });`);
      return { contents: ['let real;', `const load = () => (real ??= require(${JSON.stringify(file)}));`, ...getters].join('\n'), resolveDir: path.dirname(file), loader: 'js' };
    });
  },
};

/** Entry bundles in dist/ load vendor libraries from ./vendor/ instead of inlining them (keeps activation parsing small). */
const vendorChunks = {
  name: 'vendor-chunks',
  setup(build) {
    const filter = new RegExp(`^(${vendorPackages.map((name) => name.replace(/[/]/g, '\\/')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `./${vendorFile(args.path)}.js`, external: true }));
  },
};
/** The extension's modules each `import * as vscode from 'vscode'`, which esbuild compiles to `__toESM(require("vscode"))`:
 *  at every import site a copy of the API object made of ~450 getters (64 sites, ~28,000 defineProperty at activation),
 *  then every property read through a getter. Bundled, each import becomes `import vscode = require('vscode')` (types
 *  unchanged, the source keeps its ES import) resolving to one module that requires the API object once: one require,
 *  no copies, plain property reads. Any other form of value import from 'vscode' stops the build. */
const vscodeImportPattern = /^import \* as vscode from 'vscode';$/m;
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-api' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-api' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-api' }, () => ({ contents: "module.exports = require('vscode');", loader: 'js' }));
    build.onLoad({ filter: /[\\/]src[\\/]extension([\\/].*)?\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const contents = source.replace(vscodeImportPattern, "import vscode = require('vscode');");
      if (/^import (?!type ).*from 'vscode';$/m.test(contents)) {
        throw new Error(`${args.path}: import the vscode API as \`import * as vscode from 'vscode';\` (esbuild.mjs vscodeOnce makes it one require).`);
      }
      return { contents, loader: 'ts' };
    });
  },
};
/** The CLI, extension and adapter bundles: `import()` of our own modules becomes a require() at the point of use, so
 *  lazily loaded modules and vendor chunks load on first use (the bootstrap keeps real import() for users' .mjs). */
const entryTarget = { ...nodeTarget, supported: { 'dynamic-import': false }, plugins: [vendorChunks, deferredModules, asciiOutput] };

/** Every build target. */
const targets = [
  // dist/cli.js and dist/extension.js are small entries that load the bundles dist/cliMain.js and dist/extensionMain.js
  // through V8's code cache (src/core/common/bundleCodeCache.ts).
  { ...entryTarget, entryPoints: { cli: 'src/cliEntry.ts', extension: 'src/extensionEntry.ts' }, outdir: 'dist' },
  { ...entryTarget, entryPoints: { cliMain: 'src/cli.ts' }, outdir: 'dist' },
  { ...entryTarget, entryPoints: { extensionMain: 'src/extension.ts' }, outdir: 'dist', plugins: [vscodeOnce, ...entryTarget.plugins] },
  { ...entryTarget, entryPoints: { debugAdapter: 'src/debugAdapter.ts' }, outdir: 'dist' },
  { ...nodeTarget, entryPoints: Object.fromEntries(vendorPackages.map((name) => [vendorFile(name), vendorEntry[name] ?? name])), outdir: 'dist', sourcemap: false,
    plugins: [dynaliteActions, deferDockerodeParts, asciiOutput] },
  { ...nodeTarget, entryPoints: { 'runtimes/node/bootstrap': 'src/runtimes/node/bootstrap.ts' }, outdir: 'dist',
    // The bootstrap runs inside instances: keep it small and readable in stack traces.
    minify: false, sourcemap: false },
  // The relay runs in a helper container beside functions on an engine of another machine (passed to `node -e`).
  { ...nodeTarget, entryPoints: { 'runtimes/relay/engineRelay': 'src/runtimes/relay/engineRelay.ts' }, outdir: 'dist', minify: false, sourcemap: false },
  // Its ES module resolution hook, which module.register loads as a module of its own.
  { ...nodeTarget, format: 'esm', outExtension: { '.js': '.mjs' }, entryPoints: { 'runtimes/node/sdkModuleHooks': 'src/runtimes/node/sdkModuleHooks.ts' },
    outdir: 'dist', minify: false, sourcemap: false },
  { bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: !production, minify: production,
    logLevel: 'warning', entryPoints: { 'webview/payloadEditor': 'src/webview/payloadEditor.ts' }, outdir: 'dist' },
];

/** The Python runtime client and the environment reaper (processes' subreaper launcher) are plain Python, copied as is. */
function copyRuntimeAssets() {
  for (const runtime of ['python', 'reaper']) {
    mkdirSync(`dist/runtimes/${runtime}`, { recursive: true });
    cpSync(`src/runtimes/${runtime}`, `dist/runtimes/${runtime}`, { recursive: true, filter: (f) => !f.includes('__pycache__') });
  }
}

if (watch) {
  for (const options of targets) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  copyRuntimeAssets();
  copyNativeBindings();
  copyOwnEsbuild();
  console.log('[watch] build started');
} else {
  await Promise.all(targets.map((options) => esbuild.build(options)));
  copyRuntimeAssets();
  copyNativeBindings();
  copyOwnEsbuild();
}
