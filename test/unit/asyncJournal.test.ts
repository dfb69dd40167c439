// The async invocation journal on a real file system: compaction, hand-over of released journals, torn last lines.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { AsyncJournal, type JournaledEvent } from '../../src/core/service/asyncJournal';

const dirs: string[] = [];
function journalDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lwb-journal-'));
  dirs.push(dir);
  return dir;
}

function event(n: number): JournaledEvent {
  return { requestId: `id-${n}`, functionName: 'Fn', version: '$LATEST', payload: Buffer.from(JSON.stringify({ n })).toString('base64'), acceptedAt: Date.now() };
}

describe('async invocation journal', () => {
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('is compacted once finished events are most of it, and removed when nothing is pending', async () => {
    const dir = journalDir();
    const journal = AsyncJournal.forThisProcess(dir);
    await journal.prepare();
    await Promise.all(Array.from({ length: 2_500 }, (_, n) => journal.accept(event(n))));
    const full = statSync(journal.file).size;
    await Promise.all(Array.from({ length: 2_490 }, (_, n) => journal.done(`id-${n}`)));
    assert.equal(journal.size, 10);
    assert.ok(statSync(journal.file).size < full / 10, `compacted: ${statSync(journal.file).size} bytes of ${full}`);
    await Promise.all(Array.from({ length: 10 }, (_, n) => journal.done(`id-${2_490 + n}`)));
    await journal.close();
    assert.deepEqual(readdirSync(dir), ['space-reserve']);
  });

  it('hands what a closed journal left pending (with its retry state) to the next journal, once', async () => {
    const dir = journalDir();
    const first = AsyncJournal.forThisProcess(dir);
    await Promise.all([first.accept(event(1)), first.accept(event(2)), first.accept(event(3))]);
    first.retry('id-2', { attempt: 2, throttles: 0, dueAt: 12345 });
    await first.done('id-1', event(4));
    await first.close();
    assert.ok(readdirSync(dir).some((name) => name.endsWith('.journal.released')));
    // A crash in the middle of an append leaves a torn last line: it was never acknowledged.
    const released = readdirSync(dir).find((name) => name.endsWith('.released')) as string;
    appendFileSync(path.join(dir, released), '{"op":"accept","event":{"requestId":"torn');

    const second = AsyncJournal.forThisProcess(dir);
    await second.prepare();
    const { events, from } = await second.adoptOrphans();
    assert.equal(from.length, 1);
    assert.deepEqual(events.map((e) => e.event.requestId).sort(), ['id-2', 'id-3', 'id-4']);
    assert.deepEqual(events.find((e) => e.event.requestId === 'id-2')?.retry, { attempt: 2, throttles: 0, dueAt: 12345 });
    assert.equal(second.size, 3);
    const third = AsyncJournal.forThisProcess(dir);
    assert.deepEqual((await third.adoptOrphans()).events, [], 'a live journal is not taken over');
    await third.close();
    for (const id of ['id-2', 'id-3', 'id-4']) await second.done(id);
    await second.close();
    assert.deepEqual(readdirSync(dir), ['space-reserve']);
  });
});
