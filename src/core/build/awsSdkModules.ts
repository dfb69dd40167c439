// The AWS SDK for JavaScript v3 as Lambda's Node.js runtimes provide it: from the function's project, else from a cache filled once from npm.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { errorMessage } from '../common/errors';
import { LineSplitter } from '../common/lineSplitter';

/**
 * A recent v3 release: the managed Node.js runtimes ship a current v3 of the SDK and follow its releases. A release only
 * publishes the packages that changed, so each package is installed at its newest version up to this one.
 */
const AWS_SDK_VERSION = '3.1175.0';
/** What the scan of a function's code reads at most (bundles are one file; projects are small). */
const SCAN_LIMITS = { files: 400, bytes: 8 * 1024 * 1024 };
const SOURCE_FILE = /\.(c|m)?js$/;
const SDK_IMPORT = /["'](@aws-sdk\/[a-z0-9-]+)["'/]/g;

/** The default cache: $LAMBDA_WORKBENCH_SDK_CACHE, else $XDG_CACHE_HOME/lambda-workbench/aws-sdk (~/.cache/...). */
export function defaultSdkCacheDir(): string {
  if (process.env.LAMBDA_WORKBENCH_SDK_CACHE) return path.resolve(process.env.LAMBDA_WORKBENCH_SDK_CACHE);
  return path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'lambda-workbench', 'aws-sdk');
}

export class AwsSdkModules {
  /** One npm install at a time into the cache. */
  private installing: Promise<void> = Promise.resolve();

  constructor(
    private readonly cacheDir: string,
    /** Progress for the user (the install runs once per package and takes a while). */
    private readonly onProgress: (line: string) => void,
  ) {}

  /**
   * The node_modules folder to put on a Node function's module path so that the @aws-sdk packages its code imports
   * resolve, or undefined when the code imports none or resolves them itself (its own node_modules). The function's
   * project (a folder above the code holding them) comes first; else the cache, filled from npm once.
   */
  async modulesFor(codeDir: string, projectRoot: string | undefined): Promise<string | undefined> {
    const wanted = await sdkPackagesUsed(codeDir);
    const missing = wanted.filter((name) => !existsSync(path.join(codeDir, 'node_modules', name, 'package.json')));
    if (!missing.length) return undefined;
    const project = projectModules(codeDir, projectRoot, missing);
    if (project) return project;
    await this.install(missing);
    // An install that failed leaves no folder: the imports then fail as on Lambda (Runtime.ImportModuleError).
    const cached = path.join(this.cacheDir, 'node_modules');
    return existsSync(cached) ? cached : undefined;
  }

  private install(packages: string[]): Promise<void> {
    const run = this.installing.then(async () => {
      const absent = packages.filter((name) => !existsSync(path.join(this.cacheDir, 'node_modules', name, 'package.json')));
      if (!absent.length) return;
      this.onProgress(`Installing ${absent.join(', ')} of AWS SDK release ${AWS_SDK_VERSION} from npm into ${this.cacheDir} (once), as Lambda's Node.js runtime provides the AWS SDK...`);
      try {
        await npmInstall(this.cacheDir, absent.map((name) => `${name}@<=${AWS_SDK_VERSION}`), this.onProgress);
        this.onProgress(`Installed ${absent.join(', ')}.`);
      } catch (error) {
        this.onProgress(`Could not install ${absent.join(', ')}: ${errorMessage(error)}. Add them to the function's package.json (npm install ${absent.join(' ')}).`);
      }
    });
    this.installing = run.catch(() => undefined);
    return run;
  }
}

/** The @aws-sdk packages the code imports (node_modules left out), by a bounded scan of its JavaScript files. */
async function sdkPackagesUsed(codeDir: string): Promise<string[]> {
  const found = new Set<string>();
  const budget = { ...SCAN_LIMITS };
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (budget.files <= 0 || budget.bytes <= 0) return;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) await visit(full);
      } else if (SOURCE_FILE.test(entry.name)) {
        const size = (await stat(full)).size;
        budget.files--;
        budget.bytes -= size;
        const text = await readFile(full, 'utf8');
        for (const match of text.matchAll(SDK_IMPORT)) found.add(match[1] as string);
      }
    }
  };
  await visit(codeDir);
  return [...found].sort();
}

/** The nearest node_modules above the code (up to the project root) that holds every package. */
function projectModules(codeDir: string, projectRoot: string | undefined, packages: string[]): string | undefined {
  const stop = projectRoot ? path.resolve(projectRoot) : path.parse(codeDir).root;
  let dir = path.dirname(path.resolve(codeDir));
  for (;;) {
    const modules = path.join(dir, 'node_modules');
    if (packages.every((name) => existsSync(path.join(modules, name, 'package.json')))) return modules;
    if (dir === stop || path.dirname(dir) === dir || !dir.startsWith(stop)) return undefined;
    dir = path.dirname(dir);
  }
}

/**
 * npm removes what the folder's package.json does not list: the cache has a package.json of its own, and each install
 * saves into it, so one package installed later keeps those installed before.
 */
async function npmInstall(prefix: string, specs: string[], onLine: (line: string) => void): Promise<void> {
  await mkdir(prefix, { recursive: true });
  await writeFile(path.join(prefix, 'package.json'), JSON.stringify({ private: true, description: 'The AWS SDK as Lambda\'s Node.js runtimes provide it (Lambda Workbench).' }), { flag: 'wx' })
    .catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  return new Promise((resolve, reject) => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const child = spawn(npm, ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=http', ...specs], {
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    const lines = new LineSplitter((line) => {
      if (line.trim()) onLine(`  npm: ${line}`);
    });
    child.stdout.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm install exited with ${code}`))));
  });
}
