// EventBridge event patterns, with the examples of AWS's "Content filtering in Amazon EventBridge event patterns" and "Creating event patterns" pages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventPatternError, matchesEventPattern, parseEventPattern } from '../../src/core/service/eventBridge/eventPattern';

const matches = (pattern: unknown, event: unknown): boolean => matchesEventPattern(parseEventPattern(JSON.stringify(pattern)), event);

/** The EC2 state-change event the documentation's examples match against. */
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated', 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.123' },
};

describe('EventBridge event patterns: matching', () => {
  it('matches exact values, and fails on any field that does not match (AND across fields, OR within a list)', () => {
    assert.equal(matches({ source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] }, ec2Event), true);
    assert.equal(matches({ source: ['aws.ec2'], detail: { state: ['running', 'terminated'] } }, ec2Event), true);
    assert.equal(matches({ source: ['aws.ec2'], detail: { state: ['running', 'pending'] } }, ec2Event), false);
    assert.equal(matches({ source: ['aws.s3'] }, ec2Event), false);
    // Matching is case sensitive and does not convert types.
    assert.equal(matches({ source: ['AWS.EC2'] }, ec2Event), false);
    assert.equal(matches({ detail: { 'c-count': ['5'] } }, ec2Event), false);
    assert.equal(matches({ detail: { 'c-count': [5] } }, ec2Event), true);
    // A pattern field the event lacks does not match.
    assert.equal(matches({ detail: { missing: ['x'] } }, ec2Event), false);
  });

  it('matches numbers by value, null, booleans and empty strings', () => {
    assert.equal(matches({ detail: { n: [300] } }, { detail: { n: 3.0e2 } }), true);
    assert.equal(matches({ detail: { n: [null] } }, { detail: { n: null } }), true);
    assert.equal(matches({ detail: { n: [null] } }, { detail: {} }), false);
    assert.equal(matches({ detail: { ok: [true] } }, { detail: { ok: true } }), true);
    assert.equal(matches({ detail: { ok: [true] } }, { detail: { ok: 'true' } }), false);
    assert.equal(matches({ detail: { name: [''] } }, { detail: { name: '' } }), true);
  });

  it('matches an array field when any of its values matches any value of the pattern', () => {
    assert.equal(matches({ resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0', 'arn:aws:ec2:us-east-1:123456789012:instance/i-x'] }, ec2Event), true);
    assert.equal(matches({ resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-x'] }, ec2Event), false);
    // Arrays of objects: each element is matched on its own.
    const order = { detail: { items: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 5 }] } };
    assert.equal(matches({ detail: { items: { sku: ['B'], qty: [{ numeric: ['>', 2] }] } } }, order), true);
    assert.equal(matches({ detail: { items: { sku: ['A'], qty: [{ numeric: ['>', 2] }] } } }, order), false);
  });

  it('prefix, with and without equals-ignore-case', () => {
    assert.equal(matches({ time: [{ prefix: '2017-12-22' }] }, ec2Event), true);
    assert.equal(matches({ time: [{ prefix: '2017-10-02' }] }, ec2Event), false);
    assert.equal(matches({ detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, { detail: { service: 'eventbridge' } }), true);
    assert.equal(matches({ detail: { service: [{ prefix: 'EventB' }] } }, { detail: { service: 'eventbridge' } }), false);
    assert.equal(matches({ detail: { 'c-count': [{ prefix: '5' }] } }, ec2Event), false);
  });

  it('suffix, with and without equals-ignore-case', () => {
    assert.equal(matches({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' }), true);
    assert.equal(matches({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.PNG' }), false);
    assert.equal(matches({ detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, { detail: { FileName: 'image.PNG' } }), true);
  });

  it('anything-but: a value, a list of strings or numbers, prefix, suffix, equals-ignore-case and wildcard', () => {
    const state = (value: unknown) => ({ detail: { state: value } });
    assert.equal(matches({ detail: { state: [{ 'anything-but': 'initializing' }] } }, state('running')), true);
    assert.equal(matches({ detail: { state: [{ 'anything-but': 'initializing' }] } }, state('initializing')), false);
    assert.equal(matches({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, ec2Event), true);
    assert.equal(matches({ detail: { 'c-count': [{ 'anything-but': [5, 6] }] } }, ec2Event), false);
    assert.equal(matches({ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, state('running')), true);
    assert.equal(matches({ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, state('stopped')), false);
    assert.equal(matches({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, state('initializing')), false);
    assert.equal(matches({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, state('running')), true);
    assert.equal(matches({ detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } }, { detail: { FileName: 'a.txt' } }), false);
    assert.equal(matches({ detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } }, { detail: { FileName: 'a.png' } }), true);
    assert.equal(matches({ detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] } }, state('STOPPED')), false);
    assert.equal(matches({ detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } }, state('Running')), true);
    assert.equal(matches({ detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, { detail: { FilePath: '/usr/lib/x' } }), false);
    assert.equal(matches({ detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } }, { detail: { FilePath: '/usr/share/x' } }), true);
    // A field the event lacks is not "anything but".
    assert.equal(matches({ detail: { state: [{ 'anything-but': 'initializing' }] } }, { detail: {} }), false);
  });

  it('numeric ranges and equality', () => {
    assert.equal(matches({ detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, ec2Event), true);
    assert.equal(matches({ detail: { 'c-count': [{ numeric: ['>', 5] }] } }, ec2Event), false);
    assert.equal(matches({ detail: { 'c-count': [{ numeric: ['>=', 5] }] } }, ec2Event), true);
    // Only numbers are compared: a numeric string is not a number.
    assert.equal(matches({ detail: { n: [{ numeric: ['>', 0] }] } }, { detail: { n: '5' } }), false);
  });

  it('exists: true on a present leaf, false on an absent field; an empty array or an object is not a leaf', () => {
    assert.equal(matches({ detail: { state: [{ exists: true }] } }, ec2Event), true);
    assert.equal(matches({ detail: { state: [{ exists: false }] } }, ec2Event), false);
    assert.equal(matches({ detail: { 'no-such-field': [{ exists: false }] } }, ec2Event), true);
    assert.equal(matches({ detail: { 'no-such-field': [{ exists: true }] } }, ec2Event), false);
    assert.equal(matches({ detail: { tags: [{ exists: true }] } }, { detail: { tags: [] } }), false);
    assert.equal(matches({ detail: { tags: [{ exists: false }] } }, { detail: { tags: [] } }), true);
    assert.equal(matches({ detail: [{ exists: true }] }, ec2Event), false);
    // exists: false on a field of an object the event does not have at all.
    assert.equal(matches({ detail: { nested: { x: [{ exists: false }] } } }, ec2Event), true);
    assert.equal(matches({ detail: { state: [{ exists: true }] } }, { detail: { state: null } }), true);
  });

  it('equals-ignore-case', () => {
    assert.equal(matches({ 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] }, ec2Event), true);
    assert.equal(matches({ 'detail-type': [{ 'equals-ignore-case': 'ec2 instance' }] }, ec2Event), false);
  });

  it('wildcard: any run of characters, escaped stars and backslashes', () => {
    const file = (path: string) => ({ detail: { path } });
    assert.equal(matches({ detail: { path: [{ wildcard: 'dir/*.png' }] } }, file('dir/a.png')), true);
    assert.equal(matches({ detail: { path: [{ wildcard: 'dir/*.png' }] } }, file('dir/sub/a.png')), true);
    assert.equal(matches({ detail: { path: [{ wildcard: 'dir/*.png' }] } }, file('dir/a.jpg')), false);
    assert.equal(matches({ detail: { path: [{ wildcard: '*/lib/*' }] } }, file('/usr/lib/node')), true);
    assert.equal(matches({ detail: { path: [{ wildcard: 'a\\*b' }] } }, file('a*b')), true);
    assert.equal(matches({ detail: { path: [{ wildcard: 'a\\*b' }] } }, file('axxb')), false);
    assert.equal(matches({ detail: { path: [{ wildcard: 'a.c' }] } }, file('abc')), false);
  });

  it('cidr: IPv4 and IPv6 addresses inside a block', () => {
    assert.equal(matches({ detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, ec2Event), true);
    assert.equal(matches({ detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, ec2Event), false);
    assert.equal(matches({ ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db8::1' }), true);
    assert.equal(matches({ ip: [{ cidr: '2001:db8::/32' }] }, { ip: 'not an address' }), false);
  });

  it('$or at the top and inside nested fields', () => {
    const pattern = { source: ['aws.ec2'], $or: [{ detail: { 'c-count': [{ numeric: ['>', 10] }] } }, { detail: { state: ['terminated'] } }] };
    assert.equal(matches(pattern, ec2Event), true);
    assert.equal(matches({ ...pattern, source: ['aws.s3'] }, ec2Event), false);
    assert.equal(matches({ detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { 'd-count': [{ numeric: ['<', 2] }] }] } }, ec2Event), false);
    assert.equal(matches({ detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { 'd-count': [{ numeric: ['<', 5] }] }] } }, ec2Event), true);
  });

  it('a rule the checks would refuse (SNS and Lambda check less) matches nothing instead of throwing', () => {
    const unchecked = { a: [{ prefix: 5 }, { suffix: { 'equals-ignore-case': 1 } }, { numeric: 5 }, { numeric: ['>', 'x'] }, { cidr: 1 }, { wildcard: null }, { 'equals-ignore-case': [] }, { 'anything-but': { prefix: 1 } }] };
    assert.equal(matchesEventPattern(unchecked, { a: 'text' }), true, 'anything-but with a prefix that is no string excludes nothing');
    assert.equal(matchesEventPattern({ a: [{ prefix: 5 }, { numeric: 5 }, { cidr: 1 }] }, { a: 'text' }), false);
    assert.equal(matchesEventPattern({ $or: 'x', a: ['text'] }, { a: 'text' }), false);
    assert.equal(matchesEventPattern({ a: 'text' }, { a: 'text' }), false);
  });

  it('an empty pattern object matches every event', () => {
    assert.equal(matches({}, ec2Event), true);
  });
});

describe('EventBridge event patterns: checks', () => {
  const refused = (pattern: string, reason: RegExp) => assert.throws(() => parseEventPattern(pattern), (error: unknown) => {
    assert.ok(error instanceof EventPatternError);
    assert.match(error.message, /^Event pattern is not valid\. Reason: /);
    assert.match(error.message, reason);
    return true;
  });

  it('refuses what EventBridge refuses, saying why', () => {
    refused('not json', /JSON|Unexpected/);
    refused('["aws.ec2"]', /Filter is not an object/);
    refused('{"source":"aws.ec2"}', /"source" must be an object or an array/);
    refused('{"source":[]}', /Empty arrays/);
    refused('{"source":[{"prefix":1}]}', /prefix match pattern must be a string/);
    refused('{"source":[{"prefixx":"a"}]}', /Unrecognized match type prefixx/);
    refused('{"source":[{"prefix":"a","suffix":"b"}]}', /Only one key allowed/);
    refused('{"n":[{"numeric":[">"]}]}', /numeric must be an array/);
    refused('{"n":[{"numeric":["!",1]}]}', /Unrecognized numeric range operator: !/);
    refused('{"n":[{"numeric":["<",1,">",0]}]}', /lower bound/);
    refused('{"n":[{"numeric":[">",5,"<",1]}]}', /Bottom must be less than top/);
    refused('{"n":[{"numeric":[">",6e9]}]}', /5\.0E9/);
    refused('{"n":[{"exists":"yes"}]}', /exists match pattern must be either true or false/);
    refused('{"n":[{"anything-but":[]}]}', /anything but list/);
    refused('{"n":[{"anything-but":["a",1]}]}', /anything but list/);
    refused('{"n":[{"wildcard":"a**b"}]}', /Consecutive wildcard characters/);
    refused('{"n":[{"cidr":"10.0.0.0"}]}', /CIDR/);
    refused('{"$or":[{"a":["b"]}]}', /\$or must be an array of at least 2 objects/);
    refused('{"n":[[1]]}', /Match value must be String, number, true, false, or null/);
  });

  it('accepts every documented form', () => {
    for (const pattern of [
      '{"source":["aws.ec2"],"detail":{"state":[{"anything-but":{"prefix":"init"}}]}}',
      '{"detail":{"FilePath":[{"anything-but":{"wildcard":["*/lib/*","*/bin/*"]}}]}}',
      '{"detail":{"c-count":[{"numeric":[">",0,"<=",5]}],"x-limit":[{"numeric":["=",3.018e2]}]}}',
      '{"detail":{"service":[{"prefix":{"equals-ignore-case":"EventB"}}]}}',
      '{"source-ip":[{"cidr":"10.0.0.0/24"}],"v6":[{"cidr":"2001:db8::/32"}]}',
      '{"$or":[{"a":["b"]},{"c":[null,true,1,""]}]}',
    ]) assert.doesNotThrow(() => parseEventPattern(pattern), pattern);
  });
});
