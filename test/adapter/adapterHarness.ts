// Test helper: starts the built adapter (dist/debugAdapter.js) under a DebugClient and collects its output events.
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { AttachTarget } from '../../src/adapter/attachTarget';
import { ATTACH_EVENT } from '../../src/adapter/customMessages';
import { DEBUG_TYPE } from '../../src/shared/launchConfig';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures', 'debug');
const adapterPath = path.join(repoRoot, 'dist', 'debugAdapter.js');

/** A copy of test/fixtures/debug/<fixture> in a new temporary directory named after `prefix`; the caller removes it. */
export function fixtureCopy(fixture: string, prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  cpSync(path.join(fixturesDir, fixture), dir, { recursive: true });
  return dir;
}

/** Generous: the first invocation builds the function. Only a hang reaches it. */
const EVENT_TIMEOUT_MS = 30_000;

export class AdapterHarness {
  readonly outputs: DebugProtocol.OutputEvent['body'][] = [];
  private readonly outputWaiters: { pattern: RegExp; resolve(): void }[] = [];
  private stopped: Promise<void> | undefined;

  private constructor(readonly client: DebugClient) {
    client.on('output', (event: DebugProtocol.OutputEvent) => {
      this.outputs.push(event.body);
      for (const waiter of [...this.outputWaiters]) {
        if (waiter.pattern.test(event.body.output)) {
          this.outputWaiters.splice(this.outputWaiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
  }

  static async start(): Promise<AdapterHarness> {
    const client = new DebugClient(process.execPath, adapterPath, DEBUG_TYPE);
    client.defaultTimeout = EVENT_TIMEOUT_MS;
    await client.start();
    return new AdapterHarness(client);
  }

  async launch(args: Record<string, unknown>): Promise<void> {
    await Promise.all([this.client.configurationSequence(), this.client.launch(args)]);
  }

  /** Resolves on the next output event matching `pattern`, or one that arrived since the last wait. */
  outputMatching(pattern: RegExp): Promise<void> {
    if (this.outputs.some((body) => pattern.test(body.output))) return Promise.resolve();
    return new Promise((resolve) => this.outputWaiters.push({ pattern, resolve }));
  }

  async nextAttach(): Promise<AttachTarget> {
    return (await this.client.waitForEvent(ATTACH_EVENT, EVENT_TIMEOUT_MS)).body as AttachTarget;
  }

  /** Sends the custom `invoke` request; resolves with the parsed response payload and the whole body. */
  async invoke(event: unknown): Promise<{ payload: unknown; body: Record<string, unknown> }> {
    const response = await this.client.customRequest('invoke', { event });
    const body = response.body as Record<string, unknown>;
    return { payload: JSON.parse(body.payload as string), body };
  }

  /** Disconnects (the adapter stops its function first) and ends the adapter process. Idempotent. */
  async stop(): Promise<void> {
    this.stopped ??= this.client.stop();
    await this.stopped;
  }
}
