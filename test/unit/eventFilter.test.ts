// Lambda event filtering rules (FilterCriteria) on SQS and Kinesis records: equality, prefix, numeric ranges, anything-but, exists.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { passesFilters } from '../../src/core/service/eventSources/eventFilter';

const sqs = (body: unknown) => ({ messageId: 'm', body: typeof body === 'string' ? body : JSON.stringify(body), attributes: { ApproximateReceiveCount: '1' } });
const kinesis = (data: unknown) => ({ eventSource: 'aws:kinesis', kinesis: { partitionKey: 'p-1', data: Buffer.from(JSON.stringify(data)).toString('base64') } });

describe('event filtering', () => {
  it('passes every record without filters, and a record that any filter matches', () => {
    assert.equal(passesFilters(undefined, sqs('x')), true);
    const patterns = ['{"body":{"kind":["order"]}}', '{"body":{"kind":["refund"]}}'];
    assert.equal(passesFilters(patterns, sqs({ kind: 'refund' })), true);
    assert.equal(passesFilters(patterns, sqs({ kind: 'noise' })), false);
  });

  it('matches JSON bodies and Kinesis data as JSON, plain text bodies as text', () => {
    assert.equal(passesFilters(['{"data":{"temperature":[{"numeric":[">",50,"<=",100]}]}}'], kinesis({ temperature: 70 })), true);
    assert.equal(passesFilters(['{"data":{"temperature":[{"numeric":[">",50]}]}}'], kinesis({ temperature: 20 })), false);
    assert.equal(passesFilters(['{"partitionKey":[{"prefix":"p-"}]}'], kinesis({})), true);
    assert.equal(passesFilters(['{"body":[{"prefix":"hello"}]}'], sqs('hello world')), true);
    assert.equal(passesFilters(['{"body":[{"suffix":"world"}]}'], sqs('hello there')), false);
  });

  it('supports anything-but, exists, equals-ignore-case and arrays in the record', () => {
    assert.equal(passesFilters(['{"body":{"kind":[{"anything-but":["noise","test"]}]}}'], sqs({ kind: 'order' })), true);
    assert.equal(passesFilters(['{"body":{"kind":[{"anything-but":"order"}]}}'], sqs({ kind: 'order' })), false);
    assert.equal(passesFilters(['{"body":{"kind":[{"anything-but":"order"}]}}'], sqs({})), false);
    assert.equal(passesFilters(['{"body":{"coupon":[{"exists":false}]}}'], sqs({ kind: 'order' })), true);
    assert.equal(passesFilters(['{"body":{"coupon":[{"exists":true}]}}'], sqs({ kind: 'order' })), false);
    assert.equal(passesFilters(['{"body":{"kind":[{"equals-ignore-case":"ORDER"}]}}'], sqs({ kind: 'Order' })), true);
    assert.equal(passesFilters(['{"body":{"tags":["blue"]}}'], sqs({ tags: ['red', 'blue'] })), true);
    assert.equal(passesFilters(['{"attributes":{"ApproximateReceiveCount":["1"]}}'], sqs({})), true);
  });
});
