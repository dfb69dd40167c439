// Host side of two FIFOs that carry our runtime client's stdout and stderr out of a container, bypassing the engine's attach stream.
import { spawn } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { WorkbenchError } from '../../common/errors';
import { LineSplitter } from '../../common/lineSplitter';
import { CHANNEL_FIFOS } from '../../images/localImages';
import { LOG_LINE_LIMIT } from '../../logs/logRecord';

/** Where the pipes' directory is mounted in the container (the bootstrap finds it through OUTPUT_PIPES_ENV). */
export const OUTPUT_PIPES_TARGET = '/run/lambda-workbench';

/** Pipe directories of a session start with this path (the reaper removes them when their owner dies). */
export function outputPipesPrefix(sessionId: string): string {
  return join(tmpdir(), `lambda-workbench-output-${sessionId}-`);
}

/** Removes the pipe directories a dead session left behind. */
export async function removeSessionPipes(sessionId: string): Promise<void> {
  const prefix = basename(outputPipesPrefix(sessionId));
  const leftovers = readdirSync(tmpdir()).filter((name) => name.startsWith(prefix));
  await Promise.all(leftovers.map((name) => rm(join(tmpdir(), name), { recursive: true, force: true })));
}

type OutputStream = 'stdout' | 'stderr';
const STREAMS: readonly OutputStream[] = ['stdout', 'stderr'];

interface OpenPipe {
  socket: Socket;
  /** Our own write end: the read end sees no end of file until it is closed, whenever the runtime opens its end. */
  keeperFd: number;
  ended: Promise<void>;
}

/**
 * A private directory with the FIFOs `stdout` and `stderr`, and the runtime channel's two (openChannel), bind-mounted
 * into the container. The read ends are opened (non-blocking) before the container starts, so the bootstrap's open
 * never waits long; each output pipe is read as a stream on the event loop, line by line, in order. Works only where the engine shares this kernel (see engineKernel.ts).
 */
export class OutputPipes {
  readonly dir: string;
  /** Resolves once the FIFOs exist; rejects if they cannot be made. */
  readonly ready: Promise<void>;
  private readonly open: OpenPipe[] = [];
  /** The runtime channel, when openChannel made it, and our write end of its FIFO from the runtime. */
  private channel: Duplex | undefined;
  private channelKeeperFd: number | undefined;
  private closing: Promise<void> | undefined;

  constructor(sessionId: string) {
    this.dir = mkdtempSync(outputPipesPrefix(sessionId));
    this.ready = makeFifos([...STREAMS, CHANNEL_FIFOS.toRuntime, CHANNEL_FIFOS.toEngine].map((name) => join(this.dir, name)));
  }

  /**
   * The runtime channel over the directory's two other FIFOs, for our Node.js or Python image's runtime client (call after `ready`,
   * before the container starts). Ours is opened read-write: the bootstrap's open for reading finds a writer at once. The
   * channel ends once the container's output has (close()): what the runtime wrote before it ended has been read by then.
   */
  openChannel(): Duplex {
    const toRuntimeFd = openSync(join(this.dir, CHANNEL_FIFOS.toRuntime), constants.O_RDWR | constants.O_NONBLOCK);
    const toRuntime = new Socket({ fd: toRuntimeFd, readable: false, writable: true });
    toRuntime.on('error', () => undefined);
    const { socket: fromRuntime, keeperFd } = fifoReadEnd(join(this.dir, CHANNEL_FIFOS.toEngine));
    this.channelKeeperFd = keeperFd;
    const channel = new Duplex({
      read: () => fromRuntime.resume(),
      write: (chunk: Buffer, _encoding, written) => toRuntime.write(chunk, written),
      destroy: (error, done) => {
        fromRuntime.destroy();
        toRuntime.destroy();
        done(error);
      },
    });
    fromRuntime.on('data', (chunk: Buffer) => {
      if (!channel.push(chunk)) fromRuntime.pause();
    });
    fromRuntime.on('end', () => channel.push(null));
    this.channel = channel;
    return channel;
  }

  /** Starts reading both pipes (call after `ready`, before the container starts). */
  read(onOutput: (stream: OutputStream, line: string) => void): void {
    for (const stream of STREAMS) {
      const lines = new LineSplitter((line) => onOutput(stream, line), LOG_LINE_LIMIT);
      this.openReadEnd(join(this.dir, stream), () => lines.flush()).on('data', (chunk: Buffer) => lines.push(chunk));
    }
  }

  /** A FIFO's read end as a socket, with our own write end kept open until close() (no end of file before the runtime's). */
  private openReadEnd(path: string, onEnd: () => void): Socket {
    const { socket, keeperFd } = fifoReadEnd(path);
    const ended = new Promise<void>((resolve) => {
      socket.once('close', () => {
        onEnd();
        resolve();
      });
    });
    this.open.push({ socket, keeperFd, ended });
    return socket;
  }

  /**
   * The container has ended, so its write ends are closed: drop ours, wait until every line still in the pipes has
   * been delivered (end of file), then remove the directory.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const pipe of this.open) closeSync(pipe.keeperFd);
      await Promise.all(this.open.map((pipe) => pipe.ended));
      this.channel?.destroy();
      if (this.channelKeeperFd !== undefined) closeSync(this.channelKeeperFd);
      // mkfifo may still be running when a launch fails early: let it finish before the directory goes.
      await this.ready.catch(() => undefined);
      await rm(this.dir, { recursive: true, force: true });
    })();
    return this.closing;
  }

  /** Ends reading at once (the container never started), then removes the directory. */
  discard(): Promise<void> {
    for (const pipe of this.open) pipe.socket.destroy();
    return this.close();
  }
}

/** A FIFO's read end (non-blocking) as a socket, and a write end of ours that keeps it from end of file until closed. */
function fifoReadEnd(path: string): { socket: Socket; keeperFd: number } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const keeperFd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  const socket = new Socket({ fd, readable: true, writable: false });
  // A read error ends the stream like end of file does ('close' follows).
  socket.on('error', () => undefined);
  return { socket, keeperFd };
}

function makeFifos(paths: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('mkfifo', ['-m', '600', ...paths], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const fail = (reason: string) =>
      reject(
        new WorkbenchError('INSTANCE_FAILED', `Creating the container's output pipes failed: ${reason}`, {
          hint: 'The container backend needs `mkfifo` (coreutils) on Linux hosts.',
        }),
      );
    child.once('error', (error) => fail(error.message));
    child.once('close', (code) => (code === 0 ? resolve() : fail(stderr.trim() || `mkfifo exited with status ${code}`)));
  });
}
