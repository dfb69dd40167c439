// Unit tests for the sample event library: every shipped event validates and is recognised; errors carry exact positions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { isWorkbenchError } from '../../src/core/common/errors';
import { detectEventType, listSampleEvents, loadEventSchema, loadSampleEvent, validateEvent } from '../../src/core/events';
import { compileSchema } from '../../src/core/events/jsonSchema';

const REQUIRED_TYPES = [
  's3-put', 'sqs', 'sns', 'apigateway-rest', 'apigateway-http', 'alb', 'function-url', 'eventbridge', 'scheduled',
  'dynamodb-stream', 'kinesis', 'firehose', 'cloudwatch-logs', 'cognito-pre-signup', 'cognito-post-confirmation', 'ses',
  'cloudfront-viewer-request',
];

/** Position of the first occurrence of `needle` in `text`, 1-based. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle);
  assert.notEqual(offset, -1, `'${needle}' not found`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

describe('sample event library', () => {
  it('ships every required event type with a title and a service', () => {
    const ids = listSampleEvents().map((e) => e.id);
    for (const id of REQUIRED_TYPES) assert.ok(ids.includes(id), `missing sample ${id}`);
    for (const info of listSampleEvents()) {
      assert.ok(info.title.length > 0 && info.service.length > 0, info.id);
    }
  });

  for (const id of REQUIRED_TYPES) {
    it(`${id}: validates against its schema and is detected as its own type`, () => {
      const text = loadSampleEvent(id);
      assert.deepEqual(validateEvent(text, id), []);
      assert.deepEqual(validateEvent(text), []);
      assert.equal(detectEventType(JSON.parse(text)), id);
    });
  }

  it('uses only schema keywords the validator implements', () => {
    for (const id of REQUIRED_TYPES) compileSchema(loadEventSchema(id));
    assert.throws(
      () => compileSchema({ type: 'object', propertyNamez: { pattern: '^a' } }, 'probe.schema.json'),
      (e: unknown) => isWorkbenchError(e, 'EVENT_INVALID') && /probe\.schema\.json.*propertyNamez/.test(e.message),
    );
  });

  it('ships a real gzip + base64 CloudWatch Logs payload', () => {
    const data = JSON.parse(loadSampleEvent('cloudwatch-logs')).awslogs.data as string;
    const message = JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8'));
    assert.equal(message.messageType, 'DATA_MESSAGE');
    assert.ok(message.logEvents.length > 0);
    assert.match(message.logGroup, /^\/aws\/lambda\//);
  });

  it('ships base64 JSON records for Kinesis and Firehose', () => {
    for (const record of JSON.parse(loadSampleEvent('kinesis')).Records) {
      assert.equal(typeof JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')), 'object');
    }
    for (const record of JSON.parse(loadSampleEvent('firehose')).records) {
      assert.equal(typeof JSON.parse(Buffer.from(record.data, 'base64').toString('utf8')), 'object');
    }
  });

  it('rejects an unknown event type with EVENT_INVALID', () => {
    assert.throws(() => loadSampleEvent('no-such-event'), (e) => isWorkbenchError(e, 'EVENT_INVALID'));
    assert.throws(() => validateEvent('{}', 'no-such-event'), (e) => isWorkbenchError(e, 'EVENT_INVALID'));
  });

  it('does not recognise payloads of no known shape', () => {
    assert.equal(detectEventType({ hello: 'world' }), undefined);
    assert.equal(detectEventType([1, 2]), undefined);
    assert.deepEqual(validateEvent('{"hello": "world"}'), []);
  });
});

describe('JSON syntax errors', () => {
  it('points at a trailing comma', () => {
    const text = '{\n  "a": 1,\n}';
    assert.deepEqual(validateEvent(text), [{ message: 'Trailing comma is not allowed in JSON', line: 3, column: 1, path: '' }]);
  });

  it('points at a missing comma between properties', () => {
    const text = '{\n  "a": 1\n  "b": 2\n}';
    const [diagnostic] = validateEvent(text);
    assert.equal(diagnostic.message, `Expected ',' or '}' but found '"'`);
    assert.deepEqual([diagnostic.line, diagnostic.column], [3, 3]);
  });

  it('points at the start of an unterminated string', () => {
    const [diagnostic] = validateEvent('{"key": "value}');
    assert.equal(diagnostic.message, 'Unterminated string');
    assert.deepEqual([diagnostic.line, diagnostic.column], [1, 9]);
  });

  it('reports single quotes, bad escapes, empty input and trailing garbage', () => {
    assert.equal(validateEvent("{'a': 1}")[0].message, "Expected a property name in double quotes but found '''");
    assert.equal(validateEvent('["a\\x"]')[0].message, "Invalid escape sequence '\\x' in string");
    assert.deepEqual(validateEvent('   ')[0], { message: 'Expected a value but found end of input', line: 1, column: 4, path: '' });
    const trailing = validateEvent('{}\n\n  x')[0];
    assert.deepEqual([trailing.line, trailing.column], [3, 3]);
  });
});

describe('schema violations', () => {
  it('points at a value that breaks const, pattern and type', () => {
    const text = loadSampleEvent('sqs')
      .replace('"eventSource": "aws:sqs"', '"eventSource": "aws:sns"')
      .replace('"ApproximateReceiveCount": "1"', '"ApproximateReceiveCount": 1');
    const diagnostics = validateEvent(text, 'sqs');
    assert.deepEqual(diagnostics, [
      {
        message: "'Records[0].attributes.ApproximateReceiveCount' must be string, not number",
        path: 'Records[0].attributes.ApproximateReceiveCount',
        ...positionOf(text, '1,\n        "SentTimestamp"'),
      },
      {
        message: "'Records[0].eventSource' must be \"aws:sqs\"",
        path: 'Records[0].eventSource',
        ...positionOf(text, '"aws:sns"'),
      },
    ]);
  });

  it('points at the object that misses a required property', () => {
    const text = '{\n  "Records": [\n    {\n      "eventSource": "aws:s3"\n    }\n  ]\n}';
    const diagnostics = validateEvent(text);
    assert.ok(diagnostics.length >= 1);
    for (const d of diagnostics) {
      assert.equal(d.path, 'Records[0]');
      assert.deepEqual([d.line, d.column], [3, 5]);
    }
    assert.ok(diagnostics.some((d) => d.message === "'Records[0]' is missing the required property 's3'"));
  });

  it('reports enum, minItems and disallowed properties', () => {
    const ddb = JSON.parse(loadSampleEvent('dynamodb-stream'));
    ddb.Records[0].eventName = 'UPSERT';
    const ddbText = JSON.stringify(ddb, null, 2);
    const [enumError] = validateEvent(ddbText);
    assert.equal(enumError.path, 'Records[0].eventName');
    assert.match(enumError.message, /must be one of "INSERT", "MODIFY", "REMOVE"/);
    assert.deepEqual([enumError.line, enumError.column], [positionOf(ddbText, '"UPSERT"').line, positionOf(ddbText, '"UPSERT"').column]);

    assert.deepEqual(validateEvent('{"Records": []}', 'sqs').map((d) => d.message), ["'Records' must have at least 1 item(s)"]);

    const logs = '{"awslogs": {"data": "H4sIAAAA", "extra": 1}}';
    assert.deepEqual(validateEvent(logs, 'cloudwatch-logs'), [
      { message: "Property 'extra' is not allowed here", path: 'awslogs.extra', ...positionOf(logs, '"extra"') },
    ]);
  });

  it('reports a root of the wrong type', () => {
    assert.deepEqual(validateEvent('[1]', 's3-put'), [{ message: 'The event must be object, not array', path: '', line: 1, column: 1 }]);
  });
});
