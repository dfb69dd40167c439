// Intrinsic functions, parameters, pseudo parameters, mappings and conditions resolved by loadTemplate.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isWorkbenchError } from '../../src/core/common/errors';
import { findFunction, loadTemplate } from '../../src/core/template';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/templates');
const template = path.join(fixtures, 'intrinsics.yaml');
/** NoDefault has no Default: every load names a value for it, as CloudFormation requires. */
const noDefault = { NoDefault: 'given' };

describe('intrinsic resolution', () => {
  it('resolves Ref, Fn::GetAtt, Fn::Sub and the other functions with defaults', async () => {
    const model = await loadTemplate(template, { parameterOverrides: noDefault });
    const main = findFunction(model, 'Main');
    assert.deepEqual(main.environment, {
      STAGE: 'dev',
      REGION: 'us-east-1',
      ACCOUNT: '123456789012',
      PARTITION: 'aws',
      STACK: 'local',
      URL_SUFFIX: 'amazonaws.com',
      QUEUE_NAME: 'local-dev-queue',
      TABLE_NAME: 'Table',
      QUEUE_ARN: 'arn:aws:sqs:us-east-1:123456789012:local-dev-queue',
      QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/local-dev-queue',
      HELPER_NAME: 'helper-dev',
      HELPER_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:helper-dev',
      SUB_VARS: 'Hi, dev!',
      SUB_LITERAL: 'keep ${Literal} as is',
      JOINED: 'a-dev-1',
      SELECTED: 'subnet-b',
      SPLIT_SECOND: 'y',
      FIRST_AZ: 'us-east-1a',
      ENCODED: 'aGVsbG8=',
      CIDR: '10.0.1.0/24',
      IF_DEV: 'dev-value',
      AND: 'yes',
      OR: 'no',
      IMPORTED: '',
      MISSING_PARAM: 'given',
      BOOL_TRUE: 'true',
      BOOL_FALSE: 'false',
      NUMBER: '42',
      FLOAT: '1.5',
      LIST: '',
      NULL_VALUE: '',
    });
    assert.equal(main.memorySizeMB, 512, 'MemorySize from a Number parameter');
    assert.equal(main.timeoutSeconds, 5, 'Timeout from Fn::FindInMap');
    assert.equal(main.tracing, undefined, 'Fn::If to AWS::NoValue removes the property');
  });

  it('reports what could not be resolved as warnings', async () => {
    const model = await loadTemplate(template, { parameterOverrides: noDefault });
    assert.equal(model.warnings.length, 1);
    assert.match(model.warnings[0], /IMPORTED of Main is set to "": Fn::ImportValue "SharedValue"/);
  });

  it('refuses a parameter without Default or override, naming it at its line, never resolving it to ""', async () => {
    await assert.rejects(loadTemplate(template), (error) => {
      assert.ok(isWorkbenchError(error, 'TEMPLATE_INVALID'));
      assert.equal(error.message, 'Parameters: [NoDefault] must have values: it has no Default and no override.');
      assert.match(error.options.hint ?? '', /--parameter-overrides NoDefault=\.\.\./);
      assert.deepEqual(error.options.location, { file: template, line: 16, column: 3 });
      return true;
    });
  });

  it('skips resources whose Condition is false and uses FunctionName as the name', async () => {
    const model = await loadTemplate(template, { parameterOverrides: noDefault });
    assert.deepEqual(model.functions.map((fn) => fn.logicalId), ['Helper', 'Main']);
    assert.equal(findFunction(model, 'helper-dev').logicalId, 'Helper');
  });

  it('applies parameter overrides, including pseudo parameters', async () => {
    const model = await loadTemplate(template, { parameterOverrides: { Stage: 'prod', NoDefault: 'given', 'AWS::Region': 'cn-north-1' } });
    assert.deepEqual(model.functions.map((fn) => fn.logicalId), ['Helper', 'ProdOnly', 'Main']);
    const main = findFunction(model, 'Main');
    assert.equal(main.timeoutSeconds, 30);
    assert.equal(main.tracing, 'Active');
    assert.equal(main.environment.STAGE, 'prod');
    assert.equal(main.environment.MISSING_PARAM, 'given');
    assert.equal(main.environment.PARTITION, 'aws-cn');
    assert.equal(main.environment.QUEUE_ARN, 'arn:aws-cn:sqs:cn-north-1:123456789012:local-prod-queue');
    assert.equal(main.environment.IF_DEV, 'prod-value');
    assert.equal(main.environment.AND, 'no');
    assert.equal(main.environment.OR, 'yes');
    assert.equal(findFunction(model, 'helper-prod').logicalId, 'Helper');
  });

  it('rejects an override outside AllowedValues, pointing at the parameter', async () => {
    await assert.rejects(loadTemplate(template, { parameterOverrides: { ...noDefault, Stage: 'qa' } }), (error) => {
      assert.ok(isWorkbenchError(error, 'TEMPLATE_INVALID'));
      assert.match(error.message, /Parameter 'Stage' cannot be 'qa': it must be one of dev, prod/);
      assert.deepEqual(error.options.location, { file: template, line: 6, column: 3 });
      return true;
    });
  });

  it('warns about overrides that match no parameter', async () => {
    const model = await loadTemplate(template, { parameterOverrides: { ...noDefault, Stgae: 'prod' } });
    assert.ok(model.warnings.some((warning) => warning.includes("Parameter override 'Stgae' matches no parameter")));
  });
});
