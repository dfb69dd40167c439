// The local streams kept in the state directory, so that a restarted `start` (or extension service) loses no record it
// accepted and each stream mapping goes on where it stopped: one append-only journal per stream under <state>/streams
// (its definition, then one line per record, group-committed and fdatasynced), and the mappings' positions in streams.json.
import { mkdir, open, readdir, readFile, rename } from 'node:fs/promises';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { StateStore } from '../../state/stateStore';
import type { LocalStream, SavedStreamRecord, StreamRecord, StreamSnapshot } from './localStream';
import { savedRecord } from './localStream';

/** Per mapping UUID, per shard id: the index of the first record the mapping has not finished. */
export type StreamPositions = Record<string, Record<string, number>>;

export interface SavedStreams {
  streams: StreamSnapshot[];
  positions: StreamPositions;
  /** What could not be read back (a journal's damaged lines), for a warning. */
  problems: string[];
}

const POSITIONS_DOCUMENT = 'streams';
const JOURNAL_SUFFIX = '.jsonl';

export class StreamState {
  private readonly dir: string;
  private readonly journals = new Map<string, StreamJournal>();
  /** The positions write in progress, and the next one (which reads the positions when it starts). */
  private writing: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(
    private readonly store: StateStore,
    private readonly positions: () => StreamPositions,
    private readonly onError: (error: unknown) => void,
  ) {
    this.dir = store.dir('streams');
  }

  /** Every stream journal and the saved positions. */
  async read(): Promise<SavedStreams> {
    const saved: SavedStreams = { streams: [], positions: (await this.store.read<{ positions: StreamPositions }>(POSITIONS_DOCUMENT))?.positions ?? {}, problems: [] };
    let files: string[];
    try {
      files = (await readdir(this.dir)).filter((file) => file.endsWith(JOURNAL_SUFFIX)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return saved;
      throw error;
    }
    for (const file of files) {
      const lines = (await readFile(path.join(this.dir, file), 'utf8')).split('\n').filter((line) => line.length > 0);
      const parsed: unknown[] = [];
      for (const [index, line] of lines.entries()) {
        try {
          parsed.push(JSON.parse(line));
        } catch {
          // A torn last line is a crash mid-append of a record that was never acknowledged.
          if (index < lines.length - 1) saved.problems.push(`${file}: line ${index + 1} is damaged and skipped.`);
        }
      }
      const [header, ...records] = parsed as [Pick<StreamSnapshot, 'definition' | 'createdAt'> | undefined, ...SavedStreamRecord[]];
      if (!header?.definition) {
        saved.problems.push(`${file}: no stream definition; its records are skipped.`);
        continue;
      }
      const shards = new Map<string, SavedStreamRecord[]>();
      for (const record of records) shards.set(record.shardId, [...(shards.get(record.shardId) ?? []), record]);
      saved.streams.push({ definition: header.definition, createdAt: header.createdAt, shards: [...shards].map(([shardId, kept]) => ({ shardId, records: kept })) });
    }
    return saved;
  }

  /** Writes the stream's whole journal (its definition and records) in place of an earlier one: once, when the stream is made or restored. */
  rewrite(stream: LocalStream): Promise<void> {
    return this.journal(stream).rewrite(stream).catch(this.onError);
  }

  /** Resolves once the record is on disk (never rejects: a failed write is reported). */
  append(stream: LocalStream, record: StreamRecord): Promise<void> {
    return this.journal(stream).append(`${JSON.stringify(savedRecord(record))}\n`).catch(this.onError);
  }

  /** Resolves once every record handed to `append` so far is on disk. */
  async appended(): Promise<void> {
    await Promise.all([...this.journals.values()].map((journal) => journal.settled()));
  }

  /** Writes the mappings' positions (coalesced: every call while a write runs shares the next one). */
  savePositions(): Promise<void> {
    this.next ??= (this.writing ?? Promise.resolve()).then(async () => {
      this.next = undefined;
      const write = this.store.write(POSITIONS_DOCUMENT, { positions: this.positions() }).catch(this.onError);
      this.writing = write;
      await write;
      if (this.writing === write) this.writing = undefined;
    });
    return this.next;
  }

  private journal(stream: LocalStream): StreamJournal {
    const file = path.join(this.dir, `${stream.definition.kind}-${encodeURIComponent(stream.name)}${JOURNAL_SUFFIX}`);
    let journal = this.journals.get(file);
    if (!journal) {
      journal = new StreamJournal(file);
      this.journals.set(file, journal);
    }
    return journal;
  }
}

/** One stream's journal file: whole rewrites and appends, in call order; appends queued meanwhile go in one write and one fdatasync. */
class StreamJournal {
  private tail: Promise<void> = Promise.resolve();
  /** The lines of the append not started yet (appends meanwhile join it). */
  private pending: { lines: string[]; written: Promise<void> } | undefined;

  constructor(private readonly file: string) {}

  /** Replaces the file with the stream's definition and records (appends queued before stay before it, later ones after). */
  rewrite(stream: LocalStream): Promise<void> {
    const { definition, createdAt, shards } = stream.snapshot();
    const records = shards.flatMap((shard) => shard.records).sort((a, b) => (BigInt(a.sequenceNumber) < BigInt(b.sequenceNumber) ? -1 : 1));
    const text = [{ definition, createdAt }, ...records].map((line) => `${JSON.stringify(line)}\n`).join('');
    this.pending = undefined;
    return this.then(async () => {
      await mkdir(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${randomUUID()}.tmp`;
      await writeSynced(temporary, text, 'w');
      await rename(temporary, this.file);
    });
  }

  append(line: string): Promise<void> {
    if (!this.pending) {
      const lines: string[] = [];
      const written = this.then(async () => {
        if (this.pending?.lines === lines) this.pending = undefined;
        await writeSynced(this.file, lines.join(''), 'a');
      });
      this.pending = { lines, written };
    }
    this.pending.lines.push(line);
    return this.pending.written;
  }

  settled(): Promise<void> {
    return this.tail.catch(() => undefined);
  }

  private then(step: () => Promise<void>): Promise<void> {
    const next = this.tail.catch(() => undefined).then(step);
    this.tail = next;
    return next;
  }
}

async function writeSynced(file: string, text: string, flags: 'w' | 'a'): Promise<void> {
  const handle = await open(file, flags);
  try {
    await handle.writeFile(text);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
