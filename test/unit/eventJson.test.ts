// Unit tests (plain node) for the one "not valid JSON" check of event texts: the same sentence, with the position, wherever the event comes from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isWorkbenchError } from '../../src/core/common/errors';
import { assertEventJson } from '../../src/core/events/eventJson';
import { parseRouteRequest } from '../../src/core/gateway/routeRequest';

/** The error's one-line description (file:line:column: message) and hint. */
function refusal(check: () => unknown): { described: string; hint: string | undefined } {
  try {
    check();
  } catch (error) {
    assert.ok(isWorkbenchError(error, 'EVENT_INVALID'), String(error));
    return { described: error.describe(), hint: error.options.hint };
  }
  throw new Error('expected the text to be refused');
}

describe('assertEventJson', () => {
  it('accepts strict JSON of any type', () => {
    for (const text of ['{}', '[1, 2]', '"text"', '42', 'null', ' {"a": {"b": [true]}}\n']) assertEventJson(text, 'stdin');
  });

  it('names the file, line and column of the first problem, in one wording', () => {
    const { described, hint } = refusal(() => assertEventJson('{\n  "a": 1,\n}\n', { file: '/events/broken.json' }));
    assert.match(described, /^\/events\/broken\.json:3:1: The event file is not valid JSON: Trailing comma is not allowed in JSON\./);
    assert.equal(hint, 'Fix the JSON at that position.');
  });

  it('says which attribute names the file, what else the file holds, and stdin', () => {
    assert.match(refusal(() => assertEventJson('{oops}', { file: '/e.json' }, { attribute: 'eventFile' })).described,
      /^\/e\.json:1:2: The event file \(`eventFile`\) is not valid JSON: Expected a property name in double quotes but found 'o'/);
    assert.match(refusal(() => assertEventJson('', 'stdin')).described, /^stdin:1:1: The event is not valid JSON: /);
    assert.match(refusal(() => parseRouteRequest('{"method": "GET",}', '/requests/get.json')).described,
      /^\/requests\/get\.json:1:18: The request document is not valid JSON: Trailing comma is not allowed in JSON\./);
  });

  it('refuses what JSON.parse in the runtime refuses (comments)', () => {
    assert.match(refusal(() => assertEventJson('{} // done', { file: '/c.json' })).described, /Comments are not allowed in JSON/);
  });
});
