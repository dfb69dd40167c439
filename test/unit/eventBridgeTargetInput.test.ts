// What EventBridge targets receive: the event, Input, InputPath, and InputTransformer templates (JSON and plain text, predefined variables).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonPath, targetInput } from '../../src/core/service/eventBridge/targetInput';

const event = {
  version: '0',
  id: 'e-1',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2026-01-02T03:04:05Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-1'],
  detail: { 'instance-id': 'i-1', state: 'running', count: 3, tags: { team: 'a' }, items: [{ name: 'first' }] },
};
const rule = { ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/r', ruleName: 'r', ingestionTime: '2026-01-02T03:04:06Z' };

describe('EventBridge target input', () => {
  it('the whole event by default, Input as given, InputPath selecting a part', () => {
    assert.deepEqual(JSON.parse(targetInput({}, event, rule)), event);
    assert.equal(targetInput({ Input: '{"fixed":true}' }, event, rule), '{"fixed":true}');
    assert.equal(targetInput({ InputPath: '$.detail.tags' }, event, rule), '{"team":"a"}');
    assert.equal(targetInput({ InputPath: '$.detail.state' }, event, rule), '"running"');
    assert.equal(jsonPath(event, '$.detail.items[0].name'), 'first');
    assert.equal(jsonPath(event, '$.detail.nothing.here'), undefined);
    assert.equal(jsonPath(event, '$'), event);
  });

  it('InputTransformer in a JSON template: quoted placeholders take the text, bare ones the JSON value', () => {
    const text = targetInput({
      InputTransformer: {
        InputPathsMap: { instance: '$.detail.instance-id', state: '$.detail.state', count: '$.detail.count', tags: '$.detail.tags', missing: '$.detail.missing' },
        InputTemplate: '{"instance": <instance>, "line": "<instance> is <state> (<count>)", "count": <count>, "tags": <tags>, "missing": <missing>, "rule": "<aws.events.rule-name>"}',
      },
    }, event, rule);
    assert.deepEqual(JSON.parse(text), { instance: 'i-1', line: 'i-1 is running (3)', count: 3, tags: { team: 'a' }, missing: null, rule: 'r' });
  });

  it('InputTransformer in a plain text template, and the predefined event variables', () => {
    assert.equal(targetInput({ InputTransformer: { InputPathsMap: { state: '$.detail.state' }, InputTemplate: 'Instance is <state> on <aws.events.rule-arn>' } }, event, rule),
      'Instance is running on arn:aws:events:us-east-1:123456789012:rule/r');
    const whole = JSON.parse(targetInput({ InputTransformer: { InputTemplate: '{"event": <aws.events.event.json>, "text": "<aws.events.event>", "at": "<aws.events.event.ingestion-time>"}' } }, event, rule));
    assert.deepEqual(whole.event, event);
    assert.deepEqual(JSON.parse(whole.text), event);
    assert.equal(whole.at, rule.ingestionTime);
  });
});
