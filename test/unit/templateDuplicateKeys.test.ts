// A key written twice in one mapping loads as SAM CLI reads it (the last value wins), with a warning at file:line, in YAML and JSON.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTemplateText } from '../../src/core/template/parseTemplateText';

describe('duplicate keys', () => {
  it('keep the last value and warn at the later key of a YAML template', () => {
    const yaml = parseTemplateText('/x/template.yaml', 'Resources:\n  T:\n    Type: AWS::SNS::Topic\nOutputs:\n  A: one\n  A: two\n');
    assert.deepEqual((yaml.data as { Outputs: unknown }).Outputs, { A: 'two' });
    assert.deepEqual(yaml.warnings, ['/x/template.yaml:6: duplicate key Outputs.A (first at line 5): the last value is used, as SAM CLI reads it; remove the other one.']);
  });

  it('keep the last value and warn at the later key of a JSON template', () => {
    const json = parseTemplateText('/x/template.json', '{\n "Resources": {},\n "Outputs": {\n  "A": 1,\n  "A": 2\n }\n}\n');
    assert.deepEqual((json.data as { Outputs: unknown }).Outputs, { A: 2 });
    assert.deepEqual(json.warnings, ['/x/template.json:5: duplicate key Outputs.A (first at line 4): the last value is used, as SAM CLI reads it; remove the other one.']);
  });
});
