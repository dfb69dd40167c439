// Invoke parameter validation through the real AWS SDK v3 client: ValidationException worded as AWS words it.
import { InvokeCommand, type InvocationType, type LogType } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ServiceError } from '../../src/core/service/invocation';
import { failure, inProcessEndpoint } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/cli');
// The patterns and enum orders of AWS's current Lambda model (botocore 1.43), which the endpoint validates with.
const NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:|(((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?))(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?';

describe('Invoke parameter validation', () => {
  const endpoint = inProcessEndpoint(join(FIXTURE, 'template.yaml'));

  const rejection = (input: { FunctionName: string; Qualifier?: string; InvocationType?: string; LogType?: string }) =>
    failure(endpoint.client.send(new InvokeCommand({ ...input, InvocationType: input.InvocationType as InvocationType, LogType: input.LogType as LogType, Payload: Buffer.from('{}') })));

  it('refuses a function name outside the pattern', async () => {
    const error = await rejection({ FunctionName: 'no spaces!' });
    assert.equal(error.name, 'ValidationException');
    assert.equal(error.$metadata.httpStatusCode, 400);
    assert.equal(error.message, `1 validation error detected: Value 'no spaces!' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${NAME_PATTERN}`);
  });

  it('refuses a function name longer than 170 characters', async () => {
    const name = 'f'.repeat(171);
    const error = await rejection({ FunctionName: name });
    assert.equal(error.name, 'ValidationException');
    assert.equal(error.message, `1 validation error detected: Value '${name}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 170`);
  });

  it('refuses a qualifier outside its pattern', async () => {
    const error = await rejection({ FunctionName: 'EchoFunction', Qualifier: 'v.1' });
    assert.equal(error.name, 'ValidationException');
    assert.equal(error.message, "1 validation error detected: Value 'v.1' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: \\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+");
  });

  it('names every failed member in one error', async () => {
    const error = await rejection({ FunctionName: 'EchoFunction', InvocationType: 'Sometimes', LogType: 'Everything' });
    assert.equal(error.name, 'ValidationException');
    assert.equal(
      error.message,
      "2 validation errors detected: Value 'Sometimes' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]; " +
        "Value 'Everything' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]",
    );
  });

  it('words the same error for callers of the service itself (CLI, extension)', async () => {
    await assert.rejects(endpoint.service.invoke({ functionName: 'no spaces!', payload: Buffer.from('{}') }), (error: unknown) => {
      assert.ok(error instanceof ServiceError);
      assert.equal(error.code, 'ValidationException');
      assert.match(error.message, /^1 validation error detected: Value 'no spaces!' at 'functionName' failed to satisfy constraint: /);
      return true;
    });
  });
});
