// Streams and the stream mappings' places in them, kept in the state directory, so a service killed and started again loses
// no record it accepted and hands no mapping a batch its function already finished (Kinesis and DynamoDB streams).
import { readdir, readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { StateStore } from '../../state/stateStore';
import type { LocalStream, StreamSnapshot } from './localStream';
import { JOURNAL_SUFFIX, readJournal, StreamJournal } from './streamJournal';

/** The streams' journals (streamJournal.ts), one per stream: each record appended once, awaited by the APIs that put records. */
const JOURNALS_FOLDER = 'streams';
/** Per mapping UUID and shard, the index of the first record not finished: written after every batch, before the next. */
const POSITIONS_DOCUMENT = 'stream-positions';

export type ShardPositions = Map<string, number>;

interface SavedPositions {
  mappings: Record<string, Record<string, number>>;
}

export class StreamState {
  /** By stream name: the stream a journal writes, and the journal. */
  private readonly kept = new Map<string, { stream: LocalStream; journal: StreamJournal }>();

  constructor(private readonly state: StateStore | undefined) {}

  /**
   * The streams of the last run, by name, each mapping's positions in them, and what of the journals could not be read
   * (for warnings that name the file).
   */
  async load(): Promise<{ streams: Map<string, StreamSnapshot>; positions: Map<string, ShardPositions>; problems: string[] }> {
    const streams = new Map<string, StreamSnapshot>();
    const problems: string[] = [];
    for (const file of await this.journalFiles()) {
      const read = readJournal(await readFile(file, 'utf8'), file);
      problems.push(...read.problems);
      if (read.snapshot) streams.set(read.snapshot.definition.name, read.snapshot);
    }
    const positions = await this.state?.read<SavedPositions>(POSITIONS_DOCUMENT);
    return {
      streams,
      positions: new Map(Object.entries(positions?.mappings ?? {}).map(([uuid, shards]) => [uuid, new Map(Object.entries(shards))])),
      problems,
    };
  }

  /**
   * Keeps `stream` (in place of a stream of the same name): its journal is written whole now, from its definition and
   * records, and each record appended to it goes into the journal.
   */
  keep(stream: LocalStream): void {
    const state = this.state;
    if (!state) return;
    const existing = this.kept.get(stream.name);
    const journal = existing?.journal ?? new StreamJournal(path.join(state.dir(JOURNALS_FOLDER), `${encodeURIComponent(stream.name)}${JOURNAL_SUFFIX}`), () => this.snapshotOf(stream.name));
    this.kept.set(stream.name, { stream, journal });
    journal.rewrite().catch(() => undefined); // saved() reports it
    stream.onDidAppend((record) => journal.append(record).catch(() => undefined));
  }

  /** Stops keeping a deleted stream: its journal goes once its last write is done, so the next start does not bring it back. */
  async forget(name: string): Promise<void> {
    const kept = this.kept.get(name);
    if (!kept) return;
    this.kept.delete(name);
    await kept.journal.settled().catch(() => undefined);
    await rm(kept.journal.file, { force: true });
  }

  /** Resolves once the records put so far are on disk; rejects when one could not be written. */
  async saved(): Promise<void> {
    await Promise.all([...this.kept.values()].map(({ journal }) => journal.settled()));
  }

  /** Writes every stream mapping's positions (after a batch finished, before the mapping takes the next). */
  writePositions(positions: Map<string, ShardPositions>): Promise<void> {
    if (!this.state) return Promise.resolve();
    const mappings = Object.fromEntries([...positions].map(([uuid, shards]) => [uuid, Object.fromEntries(shards)]));
    return this.state.write(POSITIONS_DOCUMENT, { mappings } satisfies SavedPositions);
  }

  private snapshotOf(name: string): StreamSnapshot {
    return (this.kept.get(name) as { stream: LocalStream }).stream.snapshot();
  }

  private async journalFiles(): Promise<string[]> {
    if (!this.state) return [];
    const dir = this.state.dir(JOURNALS_FOLDER);
    try {
      return (await readdir(dir)).filter((name) => name.endsWith(JOURNAL_SUFFIX)).sort().map((name) => path.join(dir, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}
