// The host Python's AWS SDK (boto3 and what it imports from the site packages) as image entries, as Lambda's Python runtimes provide it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PYTHON_SDK_ENV } from '../../shared/runtimeProtocol';
import { hostFileTrees, type HostPythonFiles } from './pythonDebuggerFiles';

const run = promisify(execFile);

/**
 * Imports boto3 in the host Python, makes a client (which loads what botocore imports lazily), and prints the folder or
 * file of every top-level module loaded from the site packages, those a .pth file loaded at startup included (Debian's
 * requests imports certifi, which such a file may have loaded already). Prints [] when boto3 is not installed.
 */
const LOCATE_SDK = [
  'import json, os, sys',
  'try:',
  '    import boto3',
  "    boto3.session.Session().client('s3', region_name='us-east-1', aws_access_key_id='x', aws_secret_access_key='x')",
  'except ImportError:',
  '    print("[]"); sys.exit(0)',
  'found = set()',
  'for name, module in list(sys.modules.items()):',
  '    path = getattr(module, "__file__", None)',
  '    if "." in name or not path: continue',
  '    root = os.path.dirname(path) if os.path.basename(path).startswith("__init__.") else path',
  '    if os.path.basename(os.path.dirname(root)) in ("site-packages", "dist-packages"): found.add(root)',
  'print(json.dumps(sorted(found)))',
].join('\n');

/** The SDK's top-level packages, whose folders a host Python is asked for without importing them (fast). */
const SDK_PACKAGES = ['boto3', 'botocore', 's3transfer', 'jmespath', 'dateutil', 'urllib3'];
const FIND_SDK_DIRS = [
  'import importlib.util, json, os',
  `specs = [importlib.util.find_spec(name) for name in ${JSON.stringify(SDK_PACKAGES)}]`,
  'dirs = [os.path.dirname(s.submodule_search_locations[0]) for s in specs if s and s.submodule_search_locations]',
  'print(json.dumps({"dirs": sorted(set(dirs)) if specs[0] else []}))',
].join('\n');
/** Host Pythons asked, in order, for a boto3 to give functions whose interpreter has none: Debian's (python3-boto3), then PATH's. */
const SDK_PYTHONS = ['/usr/bin/python3', 'python3'];

export interface HostPythonSdk {
  /** The host Python that has boto3. */
  python: string;
  /** The site folders holding boto3 and its dependencies (PYTHON_SDK_ENV, for the runtime client). */
  siteDirs: string[];
}

let hostSdk: Promise<HostPythonSdk | undefined> | undefined;

/**
 * The first host Python with boto3 and the folders that hold it, asked once per process; undefined when none has it. Lambda's
 * Python runtimes all provide boto3, so a function whose interpreter has none (a pyenv or uv Python) gets this one.
 */
export function hostPythonSdk(): Promise<HostPythonSdk | undefined> {
  hostSdk ??= (async () => {
    for (const python of SDK_PYTHONS) {
      try {
        const { stdout } = await run(python, ['-c', FIND_SDK_DIRS], { timeout: 30_000 });
        const { dirs } = JSON.parse(stdout.trim()) as { dirs: string[] };
        if (dirs.length) return { python, siteDirs: dirs };
      } catch {
        // Not installed (or not a Python): ask the next one.
      }
    }
    return undefined;
  })();
  return hostSdk;
}

/**
 * The SDK's files at their host paths, so the image's Python finds them where the host's does (its site packages, which
 * our runtime client hides from the handler except for the SDK). Empty when the host has no boto3: an import of it
 * then fails as on Lambda without it (Runtime.ImportModuleError).
 */
async function pythonSdkFiles(python: string): Promise<HostPythonFiles> {
  const { stdout } = await run(python, ['-c', LOCATE_SDK], { timeout: 60_000 });
  const paths = JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as string[];
  return paths.length ? hostFileTrees(paths) : { entries: [], sharedObjects: [] };
}

/**
 * The SDK a local Python image carries: its interpreter's boto3, else another host Python's (hostPythonSdk) with the line
 * of the image's bootstrap script that names its folders to our runtime client (PYTHON_SDK_ENV). No files when no host
 * Python has boto3.
 */
export async function imagePythonSdk(python: string): Promise<HostPythonFiles & { bootstrapLines: string[] }> {
  const own = await pythonSdkFiles(python);
  const host = own.entries.length ? undefined : await hostPythonSdk();
  if (!host) return { ...own, bootstrapLines: [] };
  const quoted = `'${host.siteDirs.join(':').replace(/'/g, "'\\''")}'`;
  return { ...(await pythonSdkFiles(host.python)), bootstrapLines: [`export ${PYTHON_SDK_ENV}=${quoted}`] };
}
