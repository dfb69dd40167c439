// The runtime client's side of the runtime channel (src/shared/runtimeChannel.ts): frames on an inherited pipe instead of loopback HTTP; runs inside an instance.
import { Socket } from 'node:net';
import { FRAME, type FrameKind, FrameReader, writeFrame } from '../../shared/runtimeChannel';
import type { NextInvocation } from './runtimeClient';

export class ChannelTransport {
  private readonly socket: Socket;
  private waiting: ((invocation: NextInvocation) => void) | undefined;

  /** `onBroken`: the engine closed the channel or sent something unreadable; the runtime cannot go on. */
  constructor(fd: number, private readonly onBroken: (error: Error) => void) {
    this.socket = new Socket({ fd, readable: true, writable: true });
    const reader = new FrameReader((frame) => {
      const resolve = this.waiting;
      this.waiting = undefined;
      // Only a pending next keeps the process alive: while the handler runs, an empty event loop ends it (beforeExit).
      this.socket.unref();
      const body = frame.body === undefined ? '' : Buffer.from(frame.body.buffer, frame.body.byteOffset, frame.body.byteLength).toString('utf8');
      resolve?.({ body, headers: JSON.parse(frame.head) as NextInvocation['headers'] });
    }, (reason) => onBroken(new Error(reason)));
    this.socket.on('data', (chunk: Buffer) => reader.push(chunk));
    this.socket.on('error', onBroken);
    this.socket.on('end', () => onBroken(new Error('the engine closed the runtime channel')));
    this.socket.unref();
  }

  next(): Promise<NextInvocation> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket.ref();
      writeFrame(this.socket, FRAME.next, 0, '', '', 0);
    });
  }

  /** `done` runs once the frame is handed to the kernel (the runtime may exit then: the engine still reads it). */
  send(kind: FrameKind, flags: number, head: string, body: string, done: () => void): void {
    writeFrame(this.socket, kind, flags, head, body, Buffer.byteLength(body), (error) => {
      if (error) this.onBroken(error);
      else done();
    });
  }
}
