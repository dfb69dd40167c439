// Streams and the stream mappings' places in them, kept in the state directory, so a service killed and started again loses
// no record it accepted and hands no mapping a batch its function already finished (Kinesis and DynamoDB streams).
import type { StateStore } from '../../state/stateStore';
import type { LocalStream, StreamSnapshot } from './localStream';

/** The streams' records: rewritten once per turn of the event loop after appends, awaited by the APIs that put records. */
const STREAMS_DOCUMENT = 'streams';
/** Per mapping UUID and shard, the index of the first record not finished: written after every batch, before the next. */
const POSITIONS_DOCUMENT = 'stream-positions';

export type ShardPositions = Map<string, number>;

interface SavedPositions {
  mappings: Record<string, Record<string, number>>;
}

export class StreamState {
  /** The write scheduled for this turn of the event loop, not started yet. */
  private scheduled: Promise<void> | undefined;
  private written: Promise<void> = Promise.resolve();

  constructor(private readonly state: StateStore | undefined, private readonly streams: () => LocalStream[]) {}

  /** The streams of the last run, by name, and each mapping's positions in them. */
  async load(): Promise<{ streams: Map<string, StreamSnapshot>; positions: Map<string, ShardPositions> }> {
    const saved = await this.state?.read<{ streams: StreamSnapshot[] }>(STREAMS_DOCUMENT);
    const positions = await this.state?.read<SavedPositions>(POSITIONS_DOCUMENT);
    return {
      streams: new Map((saved?.streams ?? []).map((stream) => [stream.definition.name, stream])),
      positions: new Map(Object.entries(positions?.mappings ?? {}).map(([uuid, shards]) => [uuid, new Map(Object.entries(shards))])),
    };
  }

  /** Schedules one write of every stream's records (appends of the same turn share it); `saved()` waits for it. */
  recordsChanged(): void {
    const state = this.state;
    if (!state || this.scheduled) return;
    this.scheduled = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.scheduled = undefined;
      this.written = state.write(STREAMS_DOCUMENT, { streams: this.streams().map((stream) => stream.snapshot()) });
      // A failed write is the caller's error (saved() rejects); nobody waiting is no crash.
      this.written.catch(() => undefined);
      return this.written;
    });
    this.scheduled.catch(() => undefined);
  }

  /** Resolves once the records put so far are on disk; rejects when they could not be written. */
  async saved(): Promise<void> {
    await (this.scheduled ?? this.written);
  }

  /** Writes every stream mapping's positions (after a batch finished, before the mapping takes the next). */
  writePositions(positions: Map<string, ShardPositions>): Promise<void> {
    if (!this.state) return Promise.resolve();
    const mappings = Object.fromEntries([...positions].map(([uuid, shards]) => [uuid, Object.fromEntries(shards)]));
    return this.state.write(POSITIONS_DOCUMENT, { mappings } satisfies SavedPositions);
  }
}
