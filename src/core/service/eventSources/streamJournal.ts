// One stream's append-only journal in the state directory: a line with its definition, then one JSON line per record.
import { randomUUID } from 'node:crypto';
import { mkdir, rename } from 'node:fs/promises';
import * as path from 'node:path';
import { syncDirectory, writeSynced } from '../../state/syncedFiles';
import type { SavedStreamRecord, StreamRecord, StreamSnapshot } from './localStream';
import { savedRecord } from './localStream';

/** The journal's first line. */
type JournalHeader = Pick<StreamSnapshot, 'definition' | 'createdAt'>;

export const JOURNAL_SUFFIX = '.jsonl';

/**
 * Writes in call order. Records appended while a write runs go in the next one, with one write and one fdatasync for all
 * of them (group commit). The file is written whole when the stream is made or restored (which also drops a torn last
 * line) and after a failed append (whatever of it reached the file, the rewrite replaces).
 */
export class StreamJournal {
  private tail: Promise<void> = Promise.resolve();
  /** The append not started yet: records appended meanwhile join it. */
  private pending: { lines: string[]; written: Promise<void> } | undefined;
  /** A write failed: the next one rewrites the file from the stream. */
  private damaged = false;

  constructor(readonly file: string, private readonly snapshot: () => StreamSnapshot) {}

  /** Replaces the file with the stream's definition and the records it has now (appends from now on follow them). */
  rewrite(): Promise<void> {
    const text = this.wholeText();
    this.pending = undefined;
    return this.enqueue(() => this.writeWhole(text));
  }

  /** Resolves once the record is on disk; rejects when it could not be written. */
  append(record: StreamRecord): Promise<void> {
    if (!this.pending) {
      const lines: string[] = [];
      const written = this.enqueue(async () => {
        if (this.pending?.lines === lines) this.pending = undefined;
        // A rewrite holds every record the stream has, these included.
        if (this.damaged) return this.writeWhole(this.wholeText());
        try {
          await writeSynced(this.file, lines.join(''), 'a');
        } catch (error) {
          this.damaged = true;
          throw error;
        }
      });
      this.pending = { lines, written };
    }
    this.pending.lines.push(`${JSON.stringify(savedRecord(record))}\n`);
    return this.pending.written;
  }

  /** The last write asked for: resolves once it is done, rejects when it failed. */
  settled(): Promise<void> {
    return this.tail;
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.tail.catch(() => undefined).then(step);
    this.tail = next;
    return next;
  }

  /** The definition, then the records in the order they were put. */
  private wholeText(): string {
    const { definition, createdAt, shards } = this.snapshot();
    const records = shards.flatMap((shard) => shard.records).sort((a, b) => (BigInt(a.sequenceNumber) < BigInt(b.sequenceNumber) ? -1 : 1));
    const header: JournalHeader = { definition, createdAt };
    return [header, ...records].map((line) => `${JSON.stringify(line)}\n`).join('');
  }

  private async writeWhole(text: string): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${randomUUID()}.tmp`;
    this.damaged = true;
    await writeSynced(temporary, text, 'w');
    await rename(temporary, this.file);
    // Appends go to the renamed file: its directory entry must not be lost behind them.
    await syncDirectory(path.dirname(this.file));
    this.damaged = false;
  }
}

/**
 * The stream a journal's text holds. A last line cut short is a record whose append a crash interrupted: it was never
 * acknowledged and is left out silently; a damaged line before it is left out with a problem naming it.
 */
export function readJournal(text: string, file: string): { snapshot?: StreamSnapshot; problems: string[] } {
  const lines = text.split('\n');
  const torn = lines.pop();
  const problems: string[] = [];
  const parsed: unknown[] = [];
  for (const [index, line] of [...lines, ...(torn ? [torn] : [])].entries()) {
    try {
      parsed.push(JSON.parse(line));
    } catch {
      if (index < lines.length) problems.push(`${file}: line ${index + 1} is not a JSON record; it is skipped.`);
    }
  }
  const [header, ...records] = parsed as [JournalHeader | undefined, ...SavedStreamRecord[]];
  if (!header?.definition) return { problems: [...problems, `${file}: the first line holds no stream definition; its records are not restored.`] };
  const shards = new Map<string, SavedStreamRecord[]>();
  for (const record of records) {
    const kept = shards.get(record.shardId) ?? [];
    if (!kept.length) shards.set(record.shardId, kept);
    kept.push(record);
  }
  return {
    snapshot: { definition: header.definition, createdAt: header.createdAt, shards: [...shards].map(([shardId, kept]) => ({ shardId, records: kept })) },
    problems,
  };
}
