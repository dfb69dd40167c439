// The local streams' records and the stream mappings' positions, kept in <stateDir>/state/streams.json so that a restarted
// `start` (or extension service) loses no record it accepted and each mapping goes on where it stopped.
import type { StateStore } from '../../state/stateStore';
import type { StreamSnapshot } from './localStream';

/** Per mapping UUID, per shard id: the index of the first record the mapping has not finished. */
export type StreamPositions = Record<string, Record<string, number>>;

export interface SavedStreams {
  streams: StreamSnapshot[];
  positions: StreamPositions;
}

const DOCUMENT = 'streams';

export class StreamState {
  /** The write in progress. */
  private writing: Promise<void> | undefined;
  /** The next write, which takes its snapshot when it starts: every save() meanwhile shares it. */
  private next: Promise<void> | undefined;

  constructor(
    private readonly store: StateStore,
    private readonly snapshot: () => SavedStreams,
    private readonly onError: (error: unknown) => void,
  ) {}

  read(): Promise<SavedStreams | undefined> {
    return this.store.read<SavedStreams>(DOCUMENT);
  }

  /** Resolves once a snapshot taken after this call is on disk (never rejects: a failed write is reported). */
  save(): Promise<void> {
    this.next ??= (this.writing ?? Promise.resolve()).then(async () => {
      this.next = undefined;
      const write = this.store.write(DOCUMENT, this.snapshot()).catch(this.onError);
      this.writing = write;
      await write;
      if (this.writing === write) this.writing = undefined;
    });
    return this.next;
  }
}
