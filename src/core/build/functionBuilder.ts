// Builds functions that use SAM `BuildMethod: esbuild` into <stateDir>/build/<logicalId>/, incrementally for hot reload.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { BuildContext, BuildOptions, BuildResult as EsbuildResult, OutputFile } from 'esbuild';
import { WorkbenchError } from '../common/errors';
import type { EsbuildBuildSpec, FunctionSpec } from '../template/functionSpec';
import { buildFailedError } from './buildFailure';
import { locateEsbuild, type LocatedEsbuild } from './esbuildLocator';
import { PackageCache } from './packageCache';
import { esbuildOptionsFor } from './esbuildOptions';
import { absolutizeSourceMap } from './sourceMapPaths';

export interface BuildResult {
  /** Folder to run the function from: the build output, or spec.codeDir for functions without a build. */
  codeDir: string;
  durationMs: number;
  /** Whether any output file was written or removed. */
  changed: boolean;
  /** esbuild warnings and BuildProperties that local builds do not apply. */
  warnings: string[];
  /** For the user, once per service: which esbuild built it when it is not the project's own (see locateEsbuild). */
  notice?: string;
}

type Bundle = (esbuild: LocatedEsbuild, options: BuildOptions) => Promise<EsbuildResult>;

interface CachedContext {
  key: string;
  context: BuildContext<{ write: false }>;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/** The function's CodeUri (or Code) names nothing: said with the function, the path and the template line. */
function missingCodeError(spec: FunctionSpec): WorkbenchError {
  const named = spec.templatePath ? path.relative(path.dirname(spec.templatePath), spec.codeDir) || '.' : spec.codeDir;
  return new WorkbenchError('PACKAGE_INVALID', `The code of ${spec.logicalId} is missing: ${named} (${spec.codeDir}) does not exist.`, {
    hint: 'Point CodeUri (or Code) at the folder or .zip file that holds the function code.',
    ...(spec.codeLocation ?? spec.location ? { location: spec.codeLocation ?? spec.location } : {}),
  });
}

export class FunctionBuilder {
  private readonly contexts = new Map<string, CachedContext>();
  /** One build at a time per function: a rebuild waits for the build before it. */
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Projects whose too-old esbuild was already reported: the notice is said once, not at every build. */
  private readonly noticed = new Set<string>();

  /** Zip packages (CodeUri or layer content that is a .zip), extracted once per content. */
  readonly packages: PackageCache;

  constructor(private readonly stateDir: string) {
    this.packages = new PackageCache(path.join(path.resolve(stateDir), 'unzipped'));
  }

  /** The stable output folder of a function. */
  outputDir(spec: FunctionSpec): string {
    return path.join(path.resolve(this.stateDir), 'build', spec.logicalId);
  }

  /** A full build from scratch; `readable` for debugging (see esbuildOptionsFor). */
  build(spec: FunctionSpec, readable = false): Promise<BuildResult> {
    return this.run(spec, readable, (esbuild, options) => esbuild.api.build(options));
  }

  /** An incremental build that reuses the function's esbuild context (created on first use, renewed when settings change). */
  rebuild(spec: FunctionSpec, readable = false): Promise<BuildResult> {
    return this.run(spec, readable, async (esbuild, options) => {
      const key = `${esbuild.packageDir}\n${JSON.stringify(options)}`;
      let cached = this.contexts.get(spec.logicalId);
      if (cached?.key !== key) {
        await cached?.context.dispose();
        this.contexts.delete(spec.logicalId);
        cached = { key, context: await esbuild.api.context({ ...options, write: false }) };
        this.contexts.set(spec.logicalId, cached);
      }
      return cached.context.rebuild();
    });
  }

  async dispose(): Promise<void> {
    const contexts = [...this.contexts.values()];
    this.contexts.clear();
    await Promise.all(contexts.map((cached) => cached.context.dispose()));
  }

  private run(spec: FunctionSpec, readable: boolean, bundle: Bundle): Promise<BuildResult> {
    if (!existsSync(spec.codeDir)) return Promise.reject(missingCodeError(spec));
    const build = spec.build;
    if (!build) return this.packages.directory(spec.codeDir).then((codeDir) => ({ codeDir, durationMs: 0, changed: false, warnings: [] }));
    const previous = this.queues.get(spec.logicalId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.buildNow(spec, build, readable, bundle));
    this.queues.set(spec.logicalId, next);
    return next;
  }

  private async buildNow(
    spec: FunctionSpec,
    build: EsbuildBuildSpec,
    readable: boolean,
    bundle: Bundle,
  ): Promise<BuildResult> {
    const started = performance.now();
    const outDir = this.outputDir(spec);
    this.checkEntryPoints(spec, build);
    const { options, warnings } = esbuildOptionsFor(spec, build, outDir, readable);
    // Like SAM: the project's own esbuild (above CodeUri or the template), else Lambda Workbench's.
    const esbuild = locateEsbuild(spec.templatePath ? [spec.codeDir, path.dirname(spec.templatePath)] : [spec.codeDir]);
    let result: EsbuildResult;
    try {
      result = await bundle(esbuild, options);
    } catch (error) {
      throw await buildFailedError(spec.logicalId, spec.codeDir, error, esbuild.api);
    }
    for (const warning of result.warnings) warnings.push(warning.location ? `${warning.location.file}:${warning.location.line}: ${warning.text}` : warning.text);
    const changed = await this.writeOutput(outDir, result.outputFiles ?? []);
    const notice = esbuild.notice && !this.noticed.has(esbuild.notice) ? (this.noticed.add(esbuild.notice), esbuild.notice) : undefined;
    return { codeDir: outDir, durationMs: performance.now() - started, changed, warnings, ...(notice ? { notice } : {}) };
  }

  private checkEntryPoints(spec: FunctionSpec, build: EsbuildBuildSpec): void {
    if (build.entryPoints.length === 0) {
      throw new WorkbenchError('BUILD_FAILED', `${spec.logicalId} has no esbuild entry point: set Metadata.BuildProperties.EntryPoints (e.g. app.ts).`,
        spec.location ? { location: spec.location } : {});
    }
    const missing = build.entryPoints.filter((entry) => !existsSync(path.resolve(spec.codeDir, entry)));
    if (missing.length > 0) {
      throw new WorkbenchError('BUILD_FAILED', `Entry point ${missing.join(', ')} of ${spec.logicalId} not found in ${spec.codeDir}.`,
        { ...(spec.location ? { location: spec.location } : {}), hint: 'EntryPoints are relative to CodeUri.' });
    }
  }

  /** Writes files whose content changed and removes files the build no longer produces; true when anything changed. */
  private async writeOutput(outDir: string, files: OutputFile[]): Promise<boolean> {
    await mkdir(outDir, { recursive: true });
    let changed = false;
    const produced = new Set<string>();
    for (const file of files) {
      produced.add(file.path);
      const content = file.path.endsWith('.map') ? Buffer.from(absolutizeSourceMap(file.text, file.path)) : Buffer.from(file.contents);
      const existing = await readFile(file.path).catch(() => undefined);
      if (existing?.equals(content)) continue;
      await mkdir(path.dirname(file.path), { recursive: true });
      await writeFile(file.path, content);
      changed = true;
    }
    for (const stale of await filesUnder(outDir)) {
      if (produced.has(stale)) continue;
      await rm(stale, { force: true });
      changed = true;
    }
    return changed;
  }
}
