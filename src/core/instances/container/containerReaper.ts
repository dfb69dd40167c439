// A small detached process that removes this session's containers (and their output pipes) as soon as the owning process ends, even by SIGKILL.
import { spawn } from 'node:child_process';
import type { Disposable } from '../../common/disposable';
import type { EngineConnection } from './engineEndpoints';
import { LABEL_SESSION } from './containerLabels';
import { outputPipesPrefix } from './outputPipes';

/** How often the reaper checks that its owner is alive. */
const OWNER_POLL_MS = 500;

/**
 * The reaper's program (plain JavaScript for `node -e`), talking to the engine API with node:http only.
 * argv: owner pid, JSON filter of this session's containers, JSON { socketPath } or { host, port }, JSON path prefix of
 * the session's output pipe directories (removed after the containers, whose pipes they are).
 */
const REAPER_PROGRAM = `
const http = require('node:http');
const [owner, filters, target, pipesPrefix] = process.argv.slice(1).map((value, i) => (i === 0 ? Number(value) : JSON.parse(value)));
const request = (method, path) => new Promise((resolve) => {
  const req = http.request({ ...target, method, path, timeout: 10000 }, (res) => {
    let body = '';
    res.on('data', (chunk) => (body += chunk));
    res.on('end', () => resolve(body));
  });
  req.on('error', () => resolve('[]'));
  req.on('timeout', () => req.destroy());
  req.end();
});
const alive = () => { try { process.kill(owner, 0); return process.ppid === owner; } catch (e) { return e.code === 'EPERM'; } };
const timer = setInterval(async () => {
  if (alive()) return;
  clearInterval(timer);
  const list = JSON.parse(await request('GET', '/containers/json?all=1&filters=' + encodeURIComponent(JSON.stringify(filters))) || '[]');
  await Promise.all((Array.isArray(list) ? list : []).map((c) => request('DELETE', '/containers/' + c.Id + '?force=1&v=1')));
  const fs = require('node:fs');
  const path = require('node:path');
  const dir = path.dirname(pipesPrefix);
  try {
    for (const name of fs.readdirSync(dir)) {
      if (name.startsWith(path.basename(pipesPrefix))) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    }
  } catch {}
  process.exit(0);
}, ${OWNER_POLL_MS});
process.on('SIGTERM', () => process.exit(0));
`;

/**
 * Starts the reaper for a session. Engines reached over TLS or SSH have no reaper (it would need their
 * credentials); their leftovers are removed by the next backend that starts on this machine.
 */
export function startReaper(connection: EngineConnection, sessionId: string): Disposable | undefined {
  const target = 'socketPath' in connection ? { socketPath: connection.socketPath } : connection.protocol === 'http' ? { host: connection.host, port: connection.port } : undefined;
  if (!target) return undefined;
  const child = spawn(
    process.execPath,
    [
      '-e',
      REAPER_PROGRAM,
      String(process.pid),
      JSON.stringify({ label: [`${LABEL_SESSION}=${sessionId}`] }),
      JSON.stringify(target),
      JSON.stringify(outputPipesPrefix(sessionId)),
    ],
    // ELECTRON_RUN_AS_NODE: inside VS Code's extension host, execPath is the editor's binary.
    { detached: true, stdio: 'ignore', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } },
  );
  child.on('error', () => undefined);
  child.unref();
  return {
    dispose: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
