// Frames of the runtime channel: the pipe between the engine and our runtime clients that replaces loopback HTTP for
// next / response / error / init error (process backend). Shared by the engine and the runtime clients.

/**
 * Set by the engine on our runtime clients it gives a channel: the descriptor number of the inherited pipe. Runtimes
 * started without it (containers, tests driving a bare Runtime API) use the HTTP Runtime API for everything.
 */
export const RUNTIME_CHANNEL_ENV = 'LAMBDA_WORKBENCH_RUNTIME_CHANNEL';

/** The descriptor the process backend puts the channel on. */
export const RUNTIME_CHANNEL_FD = 3;

/**
 * The descriptors RUNTIME_CHANNEL_ENV names: one, read and written (the process backend's socket pair), or `read,write`
 * (two FIFOs: our Node.js or Python image in a container on a local engine). Undefined when the value names no descriptor.
 */
export function channelDescriptors(value: string): { read: number; write: number } | undefined {
  const parts = value.split(',');
  if (parts.length > 2 || !parts.every((part) => /^\d+$/.test(part))) return undefined;
  const [read, write = read] = parts.map(Number) as [number, number?];
  return { read, write };
}

/**
 * One frame: kind (1 byte), flags (1 byte), head length (uint32 BE), body length (uint32 BE), head (UTF-8), body.
 * Runtime to engine: next (no head, no body); response (head: request id, then a newline and the content type when it
 * is not application/json; body: the result); error (head: request id, body: the error JSON); with PEAK_MEMORY_FLAG, a
 * response's or error's head starts with a line holding the runtime's peak memory; init error (head: the error type,
 * body: the error JSON). Engine to runtime: invocation (head: the /next headers as a JSON object with lower-case names,
 * body: the payload).
 */
export const FRAME = {
  next: 0x6e,
  response: 0x72,
  error: 0x65,
  initError: 0x69,
  invocation: 0x76,
} as const;

export type FrameKind = (typeof FRAME)[keyof typeof FRAME];

/** Flag of a response or error frame: nothing was written since the last flush markers (QUIET_RESULT_HEADER). */
export const QUIET_FLAG = 1;

/**
 * Flag of a response or error frame: its head starts with the runtime's peak resident memory in kB (getrusage's
 * ru_maxrss, which is /proc's VmHWM of the runtime process) and a newline, so the engine need not read /proc for the
 * REPORT line's Max Memory Used. Runtime clients that do not set it leave the reading to the engine.
 */
export const PEAK_MEMORY_FLAG = 2;

/** A result frame's head with the runtime's peak memory in front (PEAK_MEMORY_FLAG). */
export function withPeakMemory(peakKB: number, head: string): string {
  return `${peakKB}\n${head}`;
}

/** A result frame's peak memory in kB (undefined without PEAK_MEMORY_FLAG) and the rest of its head. */
export function peakMemoryOf(frame: Frame): { peakKB: number | undefined; head: string } {
  if ((frame.flags & PEAK_MEMORY_FLAG) === 0) return { peakKB: undefined, head: frame.head };
  const newline = frame.head.indexOf('\n');
  const peakKB = Number(frame.head.slice(0, newline));
  return { peakKB: newline > 0 && Number.isSafeInteger(peakKB) && peakKB >= 0 ? peakKB : undefined, head: frame.head.slice(newline + 1) };
}

export const FRAME_PREFIX_BYTES = 10;
/** A head is an id, an error type or a few headers; anything longer means the stream is not ours (something wrote to the descriptor). */
export const MAX_HEAD_BYTES = 64 * 1024;

const KINDS = new Set<number>(Object.values(FRAME));
const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface Frame {
  kind: FrameKind;
  flags: number;
  head: string;
  /** Undefined when the body was longer than the reader's limit (its bytes were skipped). */
  body: Uint8Array | undefined;
}

/**
 * One frame's bytes in one array, so that the engine and the runtime each hand a frame to the kernel in one write
 * (a stream's corked writev of prefix and body cost the engine more than copying the body).
 */
export function encodeFrame(kind: FrameKind, flags: number, head: string, body: Uint8Array | string): Uint8Array {
  const headBytes = encoder.encode(head);
  const bodyBytes = typeof body === 'string' ? encoder.encode(body) : body;
  const bodyAt = FRAME_PREFIX_BYTES + headBytes.length;
  const frame = new Uint8Array(bodyAt + bodyBytes.length);
  const view = new DataView(frame.buffer);
  frame[0] = kind;
  frame[1] = flags;
  view.setUint32(2, headBytes.length);
  view.setUint32(6, bodyBytes.length);
  frame.set(headBytes, FRAME_PREFIX_BYTES);
  frame.set(bodyBytes, bodyAt);
  return frame;
}

/**
 * Cuts a byte stream into frames. A body over `maxBodyBytes` is skipped as it arrives, never held, and delivered as
 * undefined. Bytes that cannot start a frame (unknown kind, head over MAX_HEAD_BYTES) end the reader: `onInvalid`.
 */
export class FrameReader {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private prefix: { kind: FrameKind; flags: number; headBytes: number; bodyBytes: number } | undefined;
  /** A frame whose body is over the limit: its bytes still to skip. */
  private skipped: { frame: Frame; remaining: number } | undefined;
  private broken = false;

  constructor(
    private readonly onFrame: (frame: Frame) => void,
    private readonly onInvalid: (reason: string) => void,
    private readonly maxBodyBytes = Number.MAX_SAFE_INTEGER,
  ) {}

  push(chunk: Uint8Array): void {
    if (this.broken) return;
    if (this.skipped !== undefined) {
      chunk = this.skip(chunk);
      if (chunk.length === 0) return;
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (!this.broken && this.skipped === undefined && this.readFrame());
  }

  /** Reads one frame from the buffered bytes; false when more bytes are needed. */
  private readFrame(): boolean {
    if (this.prefix === undefined) {
      if (this.buffered < FRAME_PREFIX_BYTES) return false;
      const bytes = this.take(FRAME_PREFIX_BYTES);
      const view = new DataView(bytes.buffer, bytes.byteOffset, FRAME_PREFIX_BYTES);
      const kind = bytes[0];
      const headBytes = view.getUint32(2);
      if (!KINDS.has(kind) || headBytes > MAX_HEAD_BYTES) {
        this.broken = true;
        this.chunks = [];
        this.onInvalid(`bytes 0x${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')} do not start a frame`);
        return false;
      }
      this.prefix = { kind: kind as FrameKind, flags: bytes[1], headBytes, bodyBytes: view.getUint32(6) };
    }
    const { kind, flags, headBytes, bodyBytes } = this.prefix;
    const tooLarge = bodyBytes > this.maxBodyBytes;
    if (this.buffered < headBytes + (tooLarge ? 0 : bodyBytes)) return false;
    this.prefix = undefined;
    const head = headBytes === 0 ? '' : decoder.decode(this.take(headBytes));
    if (!tooLarge) {
      this.onFrame({ kind, flags, head, body: this.take(bodyBytes) });
      return true;
    }
    this.skipped = { frame: { kind, flags, head, body: undefined }, remaining: bodyBytes };
    const rest = this.skip(this.take(this.buffered));
    if (rest.length > 0) {
      this.chunks.push(rest);
      this.buffered += rest.length;
    }
    return true;
  }

  /** Drops the skipped body's bytes from `chunk`; delivers the frame once they are all gone. Returns what follows them. */
  private skip(chunk: Uint8Array): Uint8Array {
    const skipped = this.skipped as { frame: Frame; remaining: number };
    const dropped = Math.min(skipped.remaining, chunk.length);
    skipped.remaining -= dropped;
    if (skipped.remaining === 0) {
      this.skipped = undefined;
      this.onFrame(skipped.frame);
    }
    return chunk.subarray(dropped);
  }

  /** The next `count` buffered bytes, as one array (copied only when they span chunks). */
  private take(count: number): Uint8Array {
    this.buffered -= count;
    if (count === 0) return EMPTY;
    const first = this.chunks[0];
    if (first.length === count) {
      this.chunks.shift();
      return first;
    }
    if (first.length > count) {
      this.chunks[0] = first.subarray(count);
      return first.subarray(0, count);
    }
    const out = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const chunk = this.chunks[0];
      const used = Math.min(chunk.length, count - filled);
      out.set(chunk.subarray(0, used), filled);
      filled += used;
      if (used === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(used);
    }
    return out;
  }
}
