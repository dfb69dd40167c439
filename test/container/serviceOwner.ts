// A stand-in for a service process that owns a container backend: the orphan tests SIGKILL it. Runs as a child process.
import { ContainerBackend } from '../../src/core/instances/container/containerBackend';
import { NODE_RUNTIME, imagesFor, launchDirect, nodeSpec } from './containerHarness';

async function main(): Promise<void> {
  const backend = new ContainerBackend({ images: imagesFor(NODE_RUNTIME), reaper: process.argv[2] !== 'no-reaper' });
  const instance = await launchDirect(backend, nodeSpec('Owned', 'handlers.echo'));
  // The environment's /tmp folder outlives a SIGKILL, as a service's does in its state directory: the test removes it.
  process.stdout.write(`${JSON.stringify({ sessionId: backend.sessionId, tmpDir: instance.request.tmpDir })}\n`);
  // Stay alive until killed, like a service with warm instances.
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
