// The durable queue of asynchronous invocations: one append-only journal per service process under <stateDir>/state/async
// (accepted events, retry state, completions), fsynced before an event is acknowledged or marked done, compacted as it grows.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { processAlive } from '../common/processAlive';
import { stateRoot } from '../state/stateStore';
import { syncDirectory } from '../state/syncedFiles';

/** An accepted Event invocation as the journal keeps it: enough to run it again after a restart. */
export interface JournaledEvent {
  requestId: string;
  functionName: string;
  /** The qualifier the caller invoked (its EventInvokeConfig applies). */
  qualifier?: string;
  /** The version chosen at acceptance (an alias's weighted draw is not drawn again). */
  version: string;
  /** Base64 of the event bytes. */
  payload: string;
  clientContext?: string;
  traceId?: string;
  tenantId?: string;
  /** Epoch ms of acceptance: the event's age counts from here. */
  acceptedAt: number;
}

/** Where a pending event stands: its next attempt, and when it is due. */
export interface RetryState {
  attempt: number;
  throttles: number;
  /** Epoch ms of the next attempt. */
  dueAt: number;
}

export interface PendingEvent {
  event: JournaledEvent;
  retry?: RetryState;
}

type Entry =
  | { op: 'accept'; event: JournaledEvent }
  | ({ op: 'retry'; requestId: string } & RetryState)
  /** Done: the event is finished; `next` (its destination's invocation) is accepted in the same durable write. */
  | { op: 'done'; requestId: string; next?: JournaledEvent };

/** The journal is rewritten with only its pending events once it holds this many entries and twice as many as are pending. */
const COMPACT_AFTER_ENTRIES = 2_000;
const JOURNAL_SUFFIX = '.journal';
/**
 * Space set aside beside the journals: when the disk fills up it is freed, so the events already accepted can still be
 * marked done (with their destinations) while new ones are refused.
 */
const RESERVE_NAME = 'space-reserve';
const RESERVE_BYTES = 1024 * 1024;

/** An entry waiting for the next write (new events are refused when the disk is full; the progress of accepted ones is not). */
interface QueuedLine {
  entry: Entry;
  line: string;
  settle: (error?: Error) => void;
}

/** The folder of every service's journal in a state directory. */
export function asyncJournalDir(stateDir: string): string {
  return path.join(stateRoot(stateDir), 'async');
}

export class AsyncJournal {
  private handle: FileHandle | undefined;
  private opening: Promise<FileHandle> | undefined;
  private readonly pending = new Map<string, PendingEvent>();
  /** Entries waiting for the next write; each write is one append and one fdatasync for all of them (group commit). */
  private queued: QueuedLine[] = [];
  /** The disk filled up and the reserve was given up: no new event is accepted until it is laid down again. */
  private reserveReleased = false;
  private readonly reserveFile: string;
  private writing: Promise<void> | undefined;
  private flushing = false;
  /** Bytes known to be complete in the file: a failed append is cut back to this length. */
  private length = 0;
  private entries = 0;
  private closed = false;

  private constructor(readonly file: string) {
    this.reserveFile = path.join(path.dirname(file), RESERVE_NAME);
  }

  /** This process's journal in `dir` (created on first use): its name carries the pid, so a restart can tell it is orphaned. */
  static forThisProcess(dir: string): AsyncJournal {
    return new AsyncJournal(path.join(dir, `${process.pid}-${randomUUID().slice(0, 8)}${JOURNAL_SUFFIX}`));
  }

  /**
   * Takes over the journals of service processes that are gone (killed, crashed): each is renamed first (so two
   * services never take the same one), read, and removed once this journal holds its pending events durably.
   * Resolves with the events to run again and the journals they came from.
   */
  async adoptOrphans(): Promise<{ events: PendingEvent[]; from: string[] }> {
    const dir = path.dirname(this.file);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], from: [] };
      throw error;
    }
    const events: PendingEvent[] = [];
    const from: string[] = [];
    for (const name of names) {
      // <pid>-<id>.journal: a service's own (taken once that process is gone); .released: closed with events pending;
      // .adopted-<pid>: being taken over by that process.
      const owner = /^(\d+)-[0-9a-f]+\.journal(?:(\.released)|\.adopted-(\d+))?$/.exec(name);
      if (!owner || path.join(dir, name) === this.file) continue;
      const holder = owner[3] ?? (owner[2] ? undefined : owner[1]);
      if (holder !== undefined && processAlive(Number(holder))) continue;
      const claimed = path.join(dir, `${name.replace(/\.(released|adopted-\d+)$/, '')}.adopted-${process.pid}`);
      try {
        await rename(path.join(dir, name), claimed);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // another service took it first
        throw error;
      }
      const found = [...replay(await readFile(claimed, 'utf8')).values()];
      // One durable write for all of them (group commit), before their old journal goes.
      await Promise.all(found.flatMap((entry) => [
        this.append({ op: 'accept', event: entry.event }),
        ...(entry.retry ? [this.append({ op: 'retry', requestId: entry.event.requestId, ...entry.retry })] : []),
      ]));
      events.push(...found);
      await rm(claimed, { force: true });
      from.push(claimed);
    }
    return { events, from };
  }

  /** Durably accepts an event: resolves once it is on disk, rejects (ENOSPC, EROFS, EACCES...) when it cannot be kept. */
  async accept(event: JournaledEvent): Promise<void> {
    // After the disk filled up, new events wait until the reserve can be laid down again.
    if (this.reserveReleased) {
      await this.layReserve();
      this.reserveReleased = false;
    }
    return this.append({ op: 'accept', event });
  }

  /** Records when the event's next attempt is due (written with the next durable write; a lost one costs one attempt's wait). */
  retry(requestId: string, state: RetryState): void {
    this.append({ op: 'retry', requestId, ...state }).catch(() => undefined);
  }

  /** Marks the event finished, and accepts its destination's invocation in the same write: neither runs twice, neither is lost. */
  done(requestId: string, next?: JournaledEvent): Promise<void> {
    return this.append({ op: 'done', requestId, ...(next ? { next } : {}) });
  }

  /** Events accepted and not yet done. */
  get size(): number {
    return this.pending.size;
  }

  /** Opens (creates) the journal now: a state directory it cannot write in is reported at start-up, not at the first event. */
  async prepare(): Promise<void> {
    await this.open();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.writing;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
    if (!handle) return;
    // Nothing pending: the journal is not needed to restart. Else the next service (in this process too) takes it over.
    if (this.pending.size === 0) await rm(this.file, { force: true }).catch(() => undefined);
    else await rename(this.file, `${this.file}.released`).catch(() => undefined);
  }

  private append(entry: Entry): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`The journal ${this.file} is closed.`));
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ entry, line: `${JSON.stringify(entry)}\n`, settle: (error) => (error ? reject(error) : resolve()) });
      // The writer ends (flushing = false) in the same turn as it finds the queue empty: an entry queued later starts a new one.
      if (!this.flushing) {
        this.flushing = true;
        this.writing = this.writeQueued();
      }
    });
  }

  /** Writes batches until none is queued (each batch's errors settle its own entries, so the loop itself never throws). */
  private async writeQueued(): Promise<void> {
    while (this.queued.length) {
      let batch = this.queued;
      this.queued = [];
      try {
        await this.writeBatch(batch);
      } catch (error) {
        if (!isDiskFull(error) || this.reserveReleased) {
          for (const item of batch) item.settle(error as Error);
          continue;
        }
        // The disk is full: new events are refused, and the reserve makes room for the progress of the accepted ones.
        await rm(this.reserveFile, { force: true }).catch(() => undefined);
        this.reserveReleased = true;
        for (const item of batch.filter((item) => item.entry.op === 'accept')) item.settle(error as Error);
        batch = batch.filter((item) => item.entry.op !== 'accept');
        try {
          await this.writeBatch(batch);
        } catch (again) {
          for (const item of batch) item.settle(again as Error);
        }
      }
    }
    this.flushing = false;
  }

  /** One append and one fdatasync for the whole batch; then settles it, and compacts a journal that is mostly finished events. */
  private async writeBatch(batch: QueuedLine[]): Promise<void> {
    if (!batch.length) return;
    const handle = await this.open();
    const bytes = Buffer.from(batch.map((item) => item.line).join(''));
    try {
      await handle.write(bytes, 0, bytes.length, this.length);
      await handle.datasync();
    } catch (error) {
      // A torn append (disk full mid-write) must not stay in front of the next one.
      await handle.truncate(this.length).catch(() => undefined);
      throw error;
    }
    this.length += bytes.length;
    this.entries += batch.length;
    for (const item of batch) apply(this.pending, item.entry);
    // Short of space, finished events give theirs back as soon as they are most of the journal.
    const compactAfter = this.reserveReleased ? 16 : COMPACT_AFTER_ENTRIES;
    if (this.entries > compactAfter && this.entries > 2 * this.pending.size) await this.compact().catch(() => undefined);
    for (const item of batch) item.settle();
  }

  /** Room kept free for the progress of accepted events (done, retries, destinations), in case the disk fills up. */
  private async layReserve(): Promise<void> {
    const existing = await stat(this.reserveFile).catch(() => undefined);
    if (existing && existing.size >= RESERVE_BYTES) return;
    const handle = await open(this.reserveFile, 'w');
    try {
      await handle.write(Buffer.alloc(RESERVE_BYTES));
      await handle.datasync();
    } catch (error) {
      await handle.close();
      await rm(this.reserveFile, { force: true });
      throw error;
    }
    await handle.close();
  }

  private async open(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    this.opening ??= (async () => {
      await mkdir(path.dirname(this.file), { recursive: true });
      await this.layReserve();
      this.handle = await open(this.file, 'w');
      this.length = 0;
      this.entries = 0;
      return this.handle;
    })().finally(() => (this.opening = undefined));
    return this.opening;
  }

  /** Rewrites the journal with the pending events only (to a new file, fsynced, renamed over the old one). */
  private async compact(): Promise<void> {
    const lines: string[] = [];
    for (const { event, retry } of this.pending.values()) {
      lines.push(JSON.stringify({ op: 'accept', event } satisfies Entry));
      if (retry) lines.push(JSON.stringify({ op: 'retry', requestId: event.requestId, ...retry } satisfies Entry));
    }
    const text = lines.map((line) => `${line}\n`).join('');
    const temporary = `${this.file}.compacting`;
    const next = await open(temporary, 'w');
    try {
      await next.writeFile(text);
      await next.datasync();
    } catch (error) {
      await next.close();
      await rm(temporary, { force: true });
      throw error;
    }
    await rename(temporary, this.file);
    await this.handle?.close();
    this.handle = next;
    this.length = Buffer.byteLength(text);
    this.entries = lines.length;
    await syncDirectory(path.dirname(this.file));
  }
}

/** Applies one entry to the pending set. */
function apply(pending: Map<string, PendingEvent>, entry: Entry): void {
  if (entry.op === 'accept') {
    pending.set(entry.event.requestId, { event: entry.event });
  } else if (entry.op === 'retry') {
    const found = pending.get(entry.requestId);
    if (found) found.retry = { attempt: entry.attempt, throttles: entry.throttles, dueAt: entry.dueAt };
  } else {
    pending.delete(entry.requestId);
    if (entry.next) pending.set(entry.next.requestId, { event: entry.next });
  }
}

/** The pending events of a journal's text; a torn last line (the process died mid-append) was never acknowledged. */
function replay(text: string): Map<string, PendingEvent> {
  const pending = new Map<string, PendingEvent>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    let entry: Entry;
    try {
      entry = JSON.parse(line) as Entry;
    } catch {
      continue;
    }
    apply(pending, entry);
  }
  return pending;
}

function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}
