// The host Python's AWS SDK (boto3 and what it imports from the site packages) as image entries, as Lambda's Python runtimes provide it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { hostFileTrees, type HostPythonFiles } from './pythonDebuggerFiles';

const run = promisify(execFile);

/**
 * Imports boto3 in the host Python, makes a client (which loads what botocore imports lazily), and prints the folder or
 * file of every top-level module it loaded from the site packages. Prints [] when boto3 is not installed.
 */
const LOCATE_SDK = [
  'import json, os, sys',
  'before = set(sys.modules)',
  'try:',
  '    import boto3',
  "    boto3.session.Session().client('s3', region_name='us-east-1', aws_access_key_id='x', aws_secret_access_key='x')",
  'except ImportError:',
  '    print("[]"); sys.exit(0)',
  'found = set()',
  'for name, module in list(sys.modules.items()):',
  '    path = getattr(module, "__file__", None)',
  '    if "." in name or name in before or not path: continue',
  '    root = os.path.dirname(path) if os.path.basename(path).startswith("__init__.") else path',
  '    if os.path.basename(os.path.dirname(root)) in ("site-packages", "dist-packages"): found.add(root)',
  'print(json.dumps(sorted(found)))',
].join('\n');

/**
 * The SDK's files at their host paths, so the image's Python finds them where the host's does (its site packages, which
 * our runtime client hides from the handler except for the SDK). Empty when the host has no boto3: an import of it
 * then fails as on Lambda without it (Runtime.ImportModuleError).
 */
export async function pythonSdkFiles(python: string): Promise<HostPythonFiles> {
  const { stdout } = await run(python, ['-c', LOCATE_SDK], { timeout: 60_000 });
  const paths = JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as string[];
  return paths.length ? hostFileTrees(paths) : { entries: [], sharedObjects: [] };
}
