// The runtime client's side of the runtime channel (src/shared/runtimeChannel.ts): frames on an inherited socket instead of loopback HTTP; runs inside an instance.
import { read, writeSync } from 'node:fs';
import type { OnReadOpts, Socket, SocketConstructorOpts } from 'node:net';
import { encodeFrame, FRAME, type FrameKind, FrameReader } from '../../shared/runtimeChannel';
import type { NextInvocation } from './runtimeClient';

/** Bytes asked for by each read of the descriptor, before the channel is a socket. */
const READ_BYTES = 64 * 1024;

/**
 * Whether node:net is loaded. It is not in Node.js's startup snapshot and, under Lambda's heap flags, V8 refuses the code
 * cache Node.js ships for its builtins (its check includes the flags): loading it with node:stream costs about 8 ms of
 * CPU. Code that writes to process.stdout, or uses HTTP, loads it anyway.
 */
function netLoaded(): boolean {
  return (process as unknown as { moduleLoadList: readonly string[] }).moduleLoadList.includes('NativeModule net');
}

/**
 * Until node:net is loaded, the descriptor is read with fs.read (on libuv's thread pool, only while a next is pending,
 * which is then what keeps the process alive), so an environment's init and first answer do without it. After the first
 * answer the runtime loads node:net while it waits, and at the next `next` the channel is read as a net.Socket: one
 * wake-up per invocation instead of the pool thread's two (docs/benchmarks.md). Frames are written with writeSync
 * throughout (on the socket, until the kernel's buffer is full; the rest, and what follows it, through the socket's
 * stream, in order).
 */
export class ChannelTransport {
  private socket: Socket | undefined;
  private netRequested = false;
  private waiting: ((invocation: NextInvocation) => void) | undefined;
  private readonly reader: FrameReader;

  /**
   * `readFd`, `writeFd`: one socket both ways (process backend), or two FIFOs (a container), whose write end stays
   * blocking: only a socket's non-blocking end hands the rest of a frame to its stream. `onBroken`: the engine closed
   * the channel or sent something unreadable; the runtime cannot go on.
   */
  constructor(private readonly readFd: number, private readonly writeFd: number, private readonly onBroken: (error: Error) => void) {
    this.reader = new FrameReader((frame) => {
      const resolve = this.waiting;
      this.waiting = undefined;
      // Only a pending next keeps the process alive: while the handler runs, an empty event loop ends it (beforeExit).
      this.socket?.unref();
      const body = frame.body === undefined ? '' : Buffer.from(frame.body.buffer, frame.body.byteOffset, frame.body.byteLength).toString('utf8');
      resolve?.({ body, headers: JSON.parse(frame.head) as NextInvocation['headers'] });
    }, (reason) => onBroken(new Error(reason)));
  }

  next(): Promise<NextInvocation> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      // Only here, with no fs.read pending, may the socket start reading the descriptor.
      if (this.socket === undefined && netLoaded()) this.socket = this.openSocket();
      if (!this.write(FRAME.next, 0, '', '')) return;
      if (this.socket !== undefined) this.socket.ref();
      else this.readFromDescriptor();
    });
  }

  /** `done` runs once the frame is handed to the kernel (the runtime may exit then: the engine still reads it). */
  send(kind: FrameKind, flags: number, head: string, body: string, done: () => void): void {
    if (this.write(kind, flags, head, body, done) && kind !== FRAME.initError) this.loadNetWhileWaiting();
  }

  /** After the first answer, node:net loads in the turn after the runtime asked for its next invocation. */
  private loadNetWhileWaiting(): void {
    if (this.netRequested || this.socket !== undefined) return;
    this.netRequested = true;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    setImmediate(() => require('node:net'));
  }

  private openSocket(): Socket {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Socket: NetSocket } = require('node:net') as typeof import('node:net');
    // Reads land in one buffer handed to a callback (`onread`), bypassing the stream's `data` machinery (about 15 % of a
    // runtime's CPU per invocation under load); the reader keeps what spans reads, so it gets a copy. (Node.js reads
    // `onread` in the constructor too; @types/node lists it for connect only.)
    const onread: OnReadOpts = {
      buffer: Buffer.allocUnsafe(READ_BYTES),
      callback: (bytes, buffer) => {
        this.reader.push(Buffer.from(buffer.subarray(0, bytes)));
        return true;
      },
    };
    const socket = new NetSocket({ fd: this.readFd, readable: true, writable: this.writeFd === this.readFd, onread } as SocketConstructorOpts);
    socket.on('error', this.onBroken);
    socket.on('end', () => this.onBroken(new Error('the engine closed the runtime channel')));
    return socket;
  }

  /**
   * One frame in one write (repeated while the kernel takes part of it). On the socket (non-blocking), what the kernel
   * cannot take now goes through the socket's stream, and so does every frame while the stream holds bytes. False when
   * the channel is broken.
   */
  private write(kind: FrameKind, flags: number, head: string, body: string, done?: () => void): boolean {
    const frame = encodeFrame(kind, flags, head, body);
    const socket = this.writeFd === this.readFd ? this.socket : undefined;
    let offset = 0;
    if (socket === undefined || socket.writableLength === 0) {
      try {
        while (offset < frame.length) offset += writeSync(this.writeFd, frame, offset);
      } catch (error) {
        if (socket === undefined || (error as NodeJS.ErrnoException).code !== 'EAGAIN') {
          this.onBroken(error as Error);
          return false;
        }
      }
    }
    if (offset === frame.length) {
      if (done) process.nextTick(done);
      return true;
    }
    (socket as Socket).write(frame.subarray(offset), (error) => {
      if (error) this.onBroken(error);
      else done?.();
    });
    return true;
  }

  /** Reads until the pending next has its invocation. */
  private readFromDescriptor(): void {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    read(this.readFd, buffer, 0, READ_BYTES, null, (error, bytes) => {
      if (error) this.onBroken(error);
      else if (bytes === 0) this.onBroken(new Error('the engine closed the runtime channel'));
      else {
        this.reader.push(buffer.subarray(0, bytes));
        if (this.waiting !== undefined) this.readFromDescriptor();
      }
    });
  }
}
