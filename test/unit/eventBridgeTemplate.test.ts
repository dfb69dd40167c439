// A template's EventBridge rules and buses: SAM EventBridgeRule / CloudWatchEvent events, AWS::Events::Rule and ::EventBus, references resolved as CloudFormation does.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { loadTemplate } from '../../src/core/template/loadTemplate';
import { readTemplateEventRules } from '../../src/core/service/eventBridge/templateRules';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/eventBridge/template.yaml');

describe('template EventBridge rules', () => {
  it('reads SAM rules targeting their function and AWS::Events::Rule targets with !Ref / !GetAtt resolved', async () => {
    const { functions } = await loadTemplate(FIXTURE);
    const warnings: string[] = [];
    const { buses, rules } = await readTemplateEventRules(functions, warnings);
    assert.deepEqual(warnings, []);
    assert.deepEqual(buses, ['app-bus']);
    const sam = rules.find((rule) => rule.name === 'OrderFunctionBigOrders');
    assert.deepEqual(sam && { bus: sam.eventBusName, pattern: JSON.parse(sam.eventPattern ?? ''), targets: sam.targets, state: sam.state }, {
      bus: 'default',
      pattern: { source: ['shop.orders'], 'detail-type': ['OrderPlaced'], detail: { amount: [{ numeric: ['>', 100] }] } },
      targets: [{ Id: 'OrderFunctionBigOrdersLambdaTarget', Arn: 'arn:aws:lambda:us-east-1:123456789012:function:OrderFunction' }],
      state: 'ENABLED',
    });
    const audit = rules.find((rule) => rule.name === 'AuditRule');
    assert.equal(audit?.eventBusName, 'app-bus');
    assert.equal(audit?.targets[0]?.Arn, 'arn:aws:sqs:us-east-1:123456789012:Audit');
    assert.equal(audit?.targets[0]?.InputTransformer?.InputPathsMap?.kind, '$.detail-type');
  });

  it('CloudWatchEvent with Input, EventBusName and RuleName; a pattern EventBridge refuses is TEMPLATE_INVALID with the event named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-eventbridge-template-'));
    try {
      const template = (pattern: string) => [
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Fn:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      Runtime: nodejs20.x',
        '      Handler: index.handler',
        '      CodeUri: ./',
        '      AutoPublishAlias: live',
        '      Events:',
        '        Legacy:',
        '          Type: CloudWatchEvent',
        `          Properties: { Pattern: ${pattern}, EventBusName: other, Input: '{"a":1}', Enabled: false }`,
        '        Named:',
        '          Type: EventBridgeRule',
        "          Properties: { RuleName: named-rule, Pattern: { source: [x] }, InputPath: $.detail }",
      ].join('\n');
      writeFileSync(join(dir, 'template.yaml'), template('{ source: [{ prefix: app. }] }'));
      const { functions } = await loadTemplate(join(dir, 'template.yaml'));
      const { rules } = await readTemplateEventRules(functions, []);
      assert.deepEqual(rules.map((rule) => [rule.name, rule.eventBusName, rule.state, rule.targets[0]]), [
        ['FnLegacy', 'other', 'DISABLED', { Id: 'FnLegacyLambdaTarget', Arn: 'arn:aws:lambda:us-east-1:123456789012:function:Fn:live', Input: '{"a":1}' }],
        ['named-rule', 'default', 'ENABLED', { Id: 'FnNamedLambdaTarget', Arn: 'arn:aws:lambda:us-east-1:123456789012:function:Fn:live', InputPath: '$.detail' }],
      ]);
      writeFileSync(join(dir, 'template.yaml'), template('{ source: [{ numeric: [">"] }] }'));
      const invalid = await loadTemplate(join(dir, 'template.yaml'));
      await assert.rejects(readTemplateEventRules(invalid.functions, []), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'TEMPLATE_INVALID');
        assert.match(error.message, /^Fn\.Events\.Legacy\.Pattern: Event pattern is not valid\. Reason: Value of numeric must be an array/);
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
