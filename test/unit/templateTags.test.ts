// Every CloudFormation short-form YAML tag becomes its long JSON form (plain node, no VS Code).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseTemplateText } from '../../src/core/template/parseTemplateText';

const fixture = path.resolve(__dirname, '../../../test/fixtures/templates/tags.yaml');

describe('CloudFormation YAML tags', () => {
  const { data } = parseTemplateText(fixture, readFileSync(fixture, 'utf8'));
  const tags = (data as { Tags: Record<string, unknown> }).Tags;

  const expected: Record<string, unknown> = {
    Ref: { Ref: 'MyParam' },
    GetAttDotted: { 'Fn::GetAtt': ['MyFunction', 'Arn'] },
    GetAttNestedDots: { 'Fn::GetAtt': ['MyDb', 'Endpoint.Address'] },
    GetAttList: { 'Fn::GetAtt': ['MyFunction', 'Arn'] },
    SubString: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}' },
    SubList: { 'Fn::Sub': ['${A}-${B}', { A: 'x', B: { Ref: 'MyParam' } }] },
    Join: { 'Fn::Join': [',', ['a', 'b']] },
    If: { 'Fn::If': ['IsProd', 'big', 'small'] },
    Select: { 'Fn::Select': [1, ['a', 'b', 'c']] },
    Split: { 'Fn::Split': ['|', 'a|b'] },
    FindInMap: { 'Fn::FindInMap': ['Sizes', { Ref: 'AWS::Region' }, 'Memory'] },
    GetAZs: { 'Fn::GetAZs': '' },
    ImportValue: { 'Fn::ImportValue': 'SharedQueueArn' },
    Base64: { 'Fn::Base64': 'hello' },
    Cidr: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] },
    Equals: { 'Fn::Equals': ['a', 'b'] },
    And: { 'Fn::And': [{ Condition: 'IsProd' }, { Condition: 'IsBig' }] },
    Or: { 'Fn::Or': [{ Condition: 'IsProd' }, { 'Fn::Equals': ['x', 'y'] }] },
    Not: { 'Fn::Not': [{ Condition: 'IsProd' }] },
    Condition: { Condition: 'IsProd' },
    Transform: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } },
    Length: { 'Fn::Length': ['a', 'b'] },
    ToJsonString: { 'Fn::ToJsonString': { a: 1 } },
    SubMultiline: { 'Fn::Sub': 'line ${AWS::Region}\n' },
  };

  for (const [key, value] of Object.entries(expected)) {
    it(`!${key} turns into its long form`, () => {
      assert.deepEqual(tags[key], value);
    });
  }

  it('covers every key of the fixture', () => {
    assert.deepEqual(Object.keys(tags).sort(), Object.keys(expected).sort());
  });

  it('reads JSON templates as JSON', () => {
    const { data: json } = parseTemplateText('/x/template.json', '{"Resources": {"A": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::Sub": "t-${AWS::Region}"}}}}}');
    assert.deepEqual(json, { Resources: { A: { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::Sub': 't-${AWS::Region}' } } } } });
  });
});
