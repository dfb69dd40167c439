// The protocol between the workbench and the relay beside a container on an engine of another machine (uplinks over one published port).

/** The relay's settings, given to its container as environment variables. */
export const RELAY_TOKEN_ENV = 'LAMBDA_WORKBENCH_RELAY_TOKEN';
export const RELAY_UPLINK_PORT_ENV = 'LAMBDA_WORKBENCH_RELAY_UPLINK_PORT';
/** Comma-separated loopback ports the relay listens on inside the container's network (the Runtime API, local endpoints). */
export const RELAY_PORTS_ENV = 'LAMBDA_WORKBENCH_RELAY_PORTS';

/**
 * Each uplink starts with one header line from the workbench: `<token> idle` offers the uplink for the next connection
 * made inside the container (the relay answers `ready`, then `<port>` when it hands a connection over), `<token> connect
 * <port>` asks for a connection to that loopback port inside (the debugger reaching the inspector).
 */
export const RELAY_IDLE = 'idle';
export const RELAY_CONNECT = 'connect';
export const RELAY_READY = 'ready';
/** A header line longer than this is not ours: the connection is dropped. */
export const RELAY_MAX_LINE = 256;

/** The readable side of a socket, as much of it as reading a header line needs. */
interface LineSource {
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  off(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  unshift(chunk: Uint8Array): void;
}

/**
 * Resolves with the first line of `source` (without its newline) and puts back what came after it, paused, so the rest
 * of the stream can be piped on; resolves undefined when the stream ends first or the line is too long.
 */
export function readHeaderLine(source: LineSource): Promise<string | undefined> {
  return new Promise((resolve) => {
    let buffered = new Uint8Array(0);
    const onData = (chunk: Uint8Array): void => {
      const joined = new Uint8Array(buffered.length + chunk.length);
      joined.set(buffered);
      joined.set(chunk, buffered.length);
      buffered = joined;
      const end = buffered.indexOf(0x0a);
      if (end < 0 && buffered.length <= RELAY_MAX_LINE) return;
      source.off('data', onData);
      source.pause();
      if (end < 0) return resolve(undefined);
      if (end + 1 < buffered.length) source.unshift(buffered.subarray(end + 1));
      resolve(new TextDecoder().decode(buffered.subarray(0, end)));
    };
    source.on('data', onData);
    // A stream paused by an earlier header line flows again until this one is read.
    source.resume();
    source.on('end', () => resolve(undefined));
    source.on('close', () => resolve(undefined));
  });
}
