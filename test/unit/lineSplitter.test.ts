// LineSplitter: lines across chunks, characters split between chunks, and the cap on a line that never ends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineSplitter } from '../../src/core/common/lineSplitter';

function split(chunks: Array<Buffer | string>, maxLineLength?: number): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line), maxLineLength === undefined ? {} : { maxLineLength });
  for (const chunk of chunks) splitter.push(chunk);
  splitter.flush();
  return lines;
}

describe('LineSplitter', () => {
  it('joins a line across chunks and emits the last one without a newline at flush', () => {
    assert.deepEqual(split(['ab', 'c\nde', 'f\n\ng']), ['abc', 'def', '', 'g']);
  });

  it('keeps a UTF-8 character whose bytes arrive in two chunks', () => {
    const bytes = Buffer.from('héllo\n');
    assert.deepEqual(split([bytes.subarray(0, 2), bytes.subarray(2)]), ['héllo']);
  });

  it('cuts a line at maxLineLength, drops its rest up to the newline, and goes on with the next line', () => {
    assert.deepEqual(split(['abcdefgh', 'ijk\nxy\n'], 4), ['abcd', 'xy']);
    assert.deepEqual(split(['abcd', '\nxy'], 4), ['abcd', 'xy'], 'a line of exactly the limit is whole');
    assert.deepEqual(split(['abcde'], 4), ['abcd'], 'cut even when it never ends');
  });

  it('emits a cut line as soon as it reaches the limit, before its newline arrives', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line), { maxLineLength: 3 });
    splitter.push('x'.repeat(10_000));
    assert.deepEqual(lines, ['xxx']);
    splitter.push('x'.repeat(10_000));
    assert.deepEqual(lines, ['xxx']);
  });
});
