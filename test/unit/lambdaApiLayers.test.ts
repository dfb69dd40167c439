// Lambda API layers through the AWS SDK v3 client against a real `lambda-workbench start`: publish, mount at /opt, list, policies, errors.
import {
  AddLayerVersionPermissionCommand,
  CreateFunctionCommand,
  DeleteLayerVersionCommand,
  GetFunctionConfigurationCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  InvokeCommand,
  ListLayersCommand,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
  RemoveLayerVersionPermissionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { zipDirectory } from '../../src/core/build/zipPackage';
import { endpointOnFixture, failure } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/lambdaApi');
const LAYER_ARN = 'arn:aws:lambda:us-east-1:123456789012:layer';
const ROLE = 'arn:aws:iam::123456789012:role/lambda-role';
const HANDLER = "exports.handler = async () => ({ greeting: require('greeting').message });\n";

/** A Node layer folder: nodejs/node_modules/greeting exporting `message`. */
function layerFolder(root: string, message: string): string {
  const dir = join(root, 'nodejs', 'node_modules', 'greeting');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.js'), `exports.message = ${JSON.stringify(message)};\n`);
  return root;
}

describe('Lambda API: layers (SDK against lambda-workbench start)', () => {
  let layerZip: Buffer;
  const endpoint = endpointOnFixture(FIXTURE, {
    prepare: async (dir) => {
      layerZip = readFileSync((await zipDirectory(layerFolder(join(dir, 'layer-v1'), 'hello from layer 1'), join(dir, 'layer-v1.zip'))).zipPath);
      layerFolder(join(dir, 'layer-v2'), 'hello from layer 2');
      mkdirSync(join(dir, 'fn'));
      writeFileSync(join(dir, 'fn', 'index.js'), HANDLER);
    },
  });

  it('publishes layer versions from zip bytes and from a local folder, with the digest of the real zip', async () => {
    const first = await endpoint.client.send(new PublishLayerVersionCommand({
      LayerName: 'greeting', Description: 'first', Content: { ZipFile: layerZip }, CompatibleRuntimes: ['nodejs20.x'], CompatibleArchitectures: ['x86_64'], LicenseInfo: 'MIT',
    }));
    assert.equal(first.$metadata.httpStatusCode, 201);
    assert.equal(first.Version, 1);
    assert.equal(first.LayerArn, `${LAYER_ARN}:greeting`);
    assert.equal(first.LayerVersionArn, `${LAYER_ARN}:greeting:1`);
    assert.equal(first.Content?.CodeSha256, createHash('sha256').update(layerZip).digest('base64'));
    assert.equal(first.Content?.CodeSize, layerZip.length);
    assert.deepEqual(first.CompatibleRuntimes, ['nodejs20.x']);
    assert.equal(first.LicenseInfo, 'MIT');
    assert.match(first.CreatedDate ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const second = await endpoint.client.send(new PublishLayerVersionCommand({
      LayerName: 'greeting', Description: 'second', Content: { S3Bucket: 'hot-reload', S3Key: join(endpoint.dir, 'layer-v2') }, CompatibleRuntimes: ['python3.12'], CompatibleArchitectures: ['arm64'],
    }));
    assert.equal(second.Version, 2);
    const got = await endpoint.client.send(new GetLayerVersionCommand({ LayerName: `${LAYER_ARN}:greeting`, VersionNumber: 1 }));
    assert.equal(got.Description, 'first');
    assert.equal(got.Content?.CodeSha256, first.Content?.CodeSha256);
    const byArn = await endpoint.client.send(new GetLayerVersionByArnCommand({ Arn: `${LAYER_ARN}:greeting:2` }));
    assert.equal(byArn.Description, 'second');
  });

  it('mounts a function\'s layers: the handler requires the layer\'s module, and a configuration change swaps the version', { timeout: 120_000 }, async () => {
    const created = await endpoint.client.send(new CreateFunctionCommand({
      FunctionName: 'layered', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE,
      Code: { S3Bucket: 'hot-reload', S3Key: join(endpoint.dir, 'fn') }, Layers: [`${LAYER_ARN}:greeting:1`],
    }));
    assert.deepEqual(created.Layers, [{ Arn: `${LAYER_ARN}:greeting:1`, CodeSize: layerZip.length }]);
    await waitUntilFunctionActiveV2(endpoint.waiter(), { FunctionName: 'layered' });
    const output = await endpoint.client.send(new InvokeCommand({ FunctionName: 'layered' }));
    assert.equal(output.FunctionError, undefined, Buffer.from(output.Payload ?? []).toString());
    assert.deepEqual(JSON.parse(Buffer.from(output.Payload ?? []).toString()), { greeting: 'hello from layer 1' });

    await endpoint.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'layered', Layers: [`${LAYER_ARN}:greeting:2`] }));
    await waitUntilFunctionUpdatedV2(endpoint.waiter(), { FunctionName: 'layered' });
    const updated = await endpoint.client.send(new InvokeCommand({ FunctionName: 'layered' }));
    assert.equal(JSON.parse(Buffer.from(updated.Payload ?? []).toString()).greeting, 'hello from layer 2');
  });

  it('lists layers and versions with the CompatibleRuntime / CompatibleArchitecture filters and Marker / MaxItems', async () => {
    await endpoint.client.send(new PublishLayerVersionCommand({ LayerName: 'another', Content: { ZipFile: layerZip }, CompatibleRuntimes: ['nodejs20.x'] }));
    const layers = await endpoint.client.send(new ListLayersCommand({}));
    assert.deepEqual(layers.Layers?.map((l) => [l.LayerName, l.LatestMatchingVersion?.Version]), [['another', 1], ['greeting', 2]]);
    const node = await endpoint.client.send(new ListLayersCommand({ CompatibleRuntime: 'nodejs20.x' }));
    assert.deepEqual(node.Layers?.map((l) => [l.LayerName, l.LatestMatchingVersion?.LayerVersionArn]), [['another', `${LAYER_ARN}:another:1`], ['greeting', `${LAYER_ARN}:greeting:1`]]);
    const arm = await endpoint.client.send(new ListLayersCommand({ CompatibleArchitecture: 'arm64' }));
    assert.deepEqual(arm.Layers?.map((l) => l.LayerName), ['greeting']);

    const firstPage = await endpoint.client.send(new ListLayerVersionsCommand({ LayerName: 'greeting', MaxItems: 1 }));
    assert.deepEqual(firstPage.LayerVersions?.map((v) => v.Version), [2]);
    assert.ok(firstPage.NextMarker);
    const secondPage = await endpoint.client.send(new ListLayerVersionsCommand({ LayerName: 'greeting', MaxItems: 1, Marker: firstPage.NextMarker }));
    assert.deepEqual(secondPage.LayerVersions?.map((v) => v.Version), [1]);
    assert.equal(secondPage.NextMarker, undefined);
    const python = await endpoint.client.send(new ListLayerVersionsCommand({ LayerName: 'greeting', CompatibleRuntime: 'python3.12' }));
    assert.deepEqual(python.LayerVersions?.map((v) => v.Version), [2]);
    const none = await endpoint.client.send(new ListLayerVersionsCommand({ LayerName: 'nothing-here' }));
    assert.deepEqual(none.LayerVersions, []);
  });

  it('adds, reads and removes layer version permissions as Lambda answers them', async () => {
    const added = await endpoint.client.send(new AddLayerVersionPermissionCommand({
      LayerName: 'greeting', VersionNumber: 1, StatementId: 'xaccount', Action: 'lambda:GetLayerVersion', Principal: '210987654321',
    }));
    assert.equal(added.$metadata.httpStatusCode, 201);
    assert.deepEqual(JSON.parse(added.Statement ?? ''), {
      Sid: 'xaccount', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 'lambda:GetLayerVersion', Resource: `${LAYER_ARN}:greeting:1`,
    });
    const policy = await endpoint.client.send(new GetLayerVersionPolicyCommand({ LayerName: 'greeting', VersionNumber: 1 }));
    assert.equal(policy.RevisionId, added.RevisionId);
    assert.deepEqual(JSON.parse(policy.Policy ?? '').Statement.map((s: { Sid: string }) => s.Sid), ['xaccount']);
    const duplicate = await failure(endpoint.client.send(new AddLayerVersionPermissionCommand({
      LayerName: 'greeting', VersionNumber: 1, StatementId: 'xaccount', Action: 'lambda:GetLayerVersion', Principal: '*',
    })));
    assert.equal(duplicate.name, 'ResourceConflictException');
    assert.equal(duplicate.message, 'The statement id (xaccount) provided already exists. Please provide a new statement id, or remove the existing statement.');
    const stale = await failure(endpoint.client.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'greeting', VersionNumber: 1, StatementId: 'xaccount', RevisionId: 'stale' })));
    assert.equal(stale.name, 'PreconditionFailedException');
    const removed = await endpoint.client.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'greeting', VersionNumber: 1, StatementId: 'xaccount' }));
    assert.equal(removed.$metadata.httpStatusCode, 204);
    const empty = await failure(endpoint.client.send(new GetLayerVersionPolicyCommand({ LayerName: 'greeting', VersionNumber: 1 })));
    assert.equal(empty.name, 'ResourceNotFoundException');
    assert.equal(empty.message, 'No policy is associated with the given resource.');
    const missing = await failure(endpoint.client.send(new GetLayerVersionPolicyCommand({ LayerName: 'greeting', VersionNumber: 9 })));
    assert.equal(missing.message, `Layer version ${LAYER_ARN}:greeting:9 does not exist.`);
    const action = await failure(endpoint.client.send(new AddLayerVersionPermissionCommand({
      LayerName: 'greeting', VersionNumber: 1, StatementId: 's', Action: 'lambda:InvokeFunction', Principal: '*',
    })));
    assert.equal(action.name, 'ValidationException');
    assert.equal(action.message, "1 validation error detected: Value 'lambda:InvokeFunction' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: lambda:GetLayerVersion");
  });

  it('refuses what Lambda refuses, with its error types and wording', async () => {
    const notFound = await failure(endpoint.client.send(new GetLayerVersionCommand({ LayerName: 'greeting', VersionNumber: 7 })));
    assert.equal(notFound.name, 'ResourceNotFoundException');
    assert.equal(notFound.$metadata.httpStatusCode, 404);
    assert.equal(notFound.message, 'The resource you requested does not exist.');
    const zero = await failure(endpoint.client.send(new GetLayerVersionCommand({ LayerName: 'greeting', VersionNumber: 0 })));
    assert.equal(zero.name, 'InvalidParameterValueException');
    assert.equal(zero.message, 'Layer Version Cannot be less than 1');
    const badName = await failure(endpoint.client.send(new PublishLayerVersionCommand({ LayerName: 'bad name!', Content: { ZipFile: layerZip } })));
    assert.equal(badName.name, 'ValidationException');
    assert.match(badName.message, /^1 validation error detected: Value 'bad name!' at 'layerName' failed to satisfy constraint: Member must satisfy regular expression pattern: /);
    const noContent = await failure(endpoint.client.send(new PublishLayerVersionCommand({ LayerName: 'empty', Content: {} })));
    assert.equal(noContent.name, 'InvalidParameterValueException');
    const notZip = await failure(endpoint.client.send(new PublishLayerVersionCommand({ LayerName: 'broken', Content: { ZipFile: Buffer.from('not a zip') } })));
    assert.equal(notZip.message, 'Could not unzip uploaded file. Please check your file, then try to upload again.');

    const create = (name: string, layers: string[]) => endpoint.client.send(new CreateFunctionCommand({
      FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { S3Bucket: 'hot-reload', S3Key: join(endpoint.dir, 'fn') }, Layers: layers,
    }));
    const unknown = await failure(create('unknown-layer', [`${LAYER_ARN}:nope:1`]));
    assert.equal(unknown.name, 'InvalidParameterValueException');
    assert.equal(unknown.message, `Layer version ${LAYER_ARN}:nope:1 does not exist.`);
    const six = await failure(create('six-layers', Array.from({ length: 6 }, () => `${LAYER_ARN}:greeting:1`)));
    assert.equal(six.message, 'Cannot reference more than 5 layers.');
    const twice = await failure(create('same-layer', [`${LAYER_ARN}:greeting:1`, `${LAYER_ARN}:greeting:2`]));
    assert.equal(twice.message,
      `Two different versions of the same layer are not allowed to be referenced in the same function. ${LAYER_ARN}:greeting:1 and ${LAYER_ARN}:greeting:2 are versions of the same layer.`);

    // Sparse files: their size counts toward the quota without using the disk.
    const big = join(endpoint.dir, 'big-layer', 'lib');
    mkdirSync(big, { recursive: true });
    writeFileSync(join(big, 'huge.so'), '');
    truncateSync(join(big, 'huge.so'), 250 * 1024 * 1024 + 1);
    const tooBig = await failure(endpoint.client.send(new PublishLayerVersionCommand({ LayerName: 'big', Content: { S3Bucket: 'hot-reload', S3Key: join(endpoint.dir, 'big-layer') } })));
    assert.equal(tooBig.message, 'Unzipped size must be smaller than 262144000 bytes');
    writeFileSync(join(endpoint.dir, 'fn', 'huge.bin'), '');
    truncateSync(join(endpoint.dir, 'fn', 'huge.bin'), 250 * 1024 * 1024);
    try {
      const combined = await failure(endpoint.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'layered', Layers: [`${LAYER_ARN}:greeting:1`] })));
      assert.equal(combined.name, 'InvalidParameterValueException');
      assert.match(combined.message, /^Function code combined with layers exceeds the maximum allowed size of 262144000 bytes\. The actual size is \d+ bytes\.$/);
    } finally {
      rmSync(join(endpoint.dir, 'fn', 'huge.bin'));
    }
  });

  it('keeps layers across a restart; a deleted version is gone from the API but its functions keep running with it', { timeout: 120_000 }, async () => {
    assert.equal(await endpoint.stop(), 0);
    await endpoint.restart();
    const kept = await endpoint.client.send(new GetLayerVersionCommand({ LayerName: 'greeting', VersionNumber: 2 }));
    assert.equal(kept.Description, 'second');
    const config = await endpoint.client.send(new GetFunctionConfigurationCommand({ FunctionName: 'layered' }));
    assert.deepEqual(config.Layers?.map((l) => l.Arn), [`${LAYER_ARN}:greeting:2`]);

    const deleted = await endpoint.client.send(new DeleteLayerVersionCommand({ LayerName: 'greeting', VersionNumber: 2 }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    const gone = await failure(endpoint.client.send(new GetLayerVersionCommand({ LayerName: 'greeting', VersionNumber: 2 })));
    assert.equal(gone.name, 'ResourceNotFoundException');
    const output = await endpoint.client.send(new InvokeCommand({ FunctionName: 'layered' }));
    assert.equal(JSON.parse(Buffer.from(output.Payload ?? []).toString()).greeting, 'hello from layer 2');
    // Version numbers are not reused.
    const next = await endpoint.client.send(new PublishLayerVersionCommand({ LayerName: 'greeting', Content: { ZipFile: layerZip } }));
    assert.equal(next.Version, 3);
  });
});

describe('a template layer ARN that is not known locally (lambda-workbench start)', () => {
  const endpoint = endpointOnFixture(undefined, {
    prepare: (dir) => {
      mkdirSync(join(dir, 'fn'));
      writeFileSync(join(dir, 'fn', 'index.js'), HANDLER);
      writeFileSync(join(dir, 'template.yaml'), [
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Layered:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      CodeUri: fn/',
        '      Handler: index.handler',
        '      Runtime: nodejs20.x',
        '      Layers:',
        `        - ${LAYER_ARN}:greeting:1`,
        '',
      ].join('\n'));
    },
  });

  it('is named at load with its file:line and how to provide it; invoking fails with it until the layer is published', { timeout: 120_000 }, async () => {
    const template = join(endpoint.dir, 'template.yaml');
    const problem = `${template}:10:11: Layered: layer ${LAYER_ARN}:greeting:1 is not known locally, and the function does not run without it. ` +
      'Publish it to this endpoint (aws lambda publish-layer-version --endpoint-url ...) or declare it in the template (AWS::Serverless::LayerVersion with a local ContentUri).';
    assert.ok(endpoint.output().stderr.includes(problem), endpoint.output().stderr);
    const refused = await failure(endpoint.client.send(new InvokeCommand({ FunctionName: 'Layered' })));
    assert.equal(refused.name, 'ResourceConflictException');
    assert.equal(refused.$metadata.httpStatusCode, 409);
    assert.equal(refused.message, `The operation cannot be performed at this time. The function is currently in the following state: Failed. InvalidConfiguration: ${problem}`);

    const zip = readFileSync((await zipDirectory(layerFolder(join(endpoint.dir, 'layer'), 'published later'), join(endpoint.dir, 'layer.zip'))).zipPath);
    const published = await endpoint.client.send(new PublishLayerVersionCommand({ LayerName: 'greeting', Content: { ZipFile: zip } }));
    assert.equal(published.LayerVersionArn, `${LAYER_ARN}:greeting:1`);
    const output = await endpoint.client.send(new InvokeCommand({ FunctionName: 'Layered' }));
    assert.equal(output.FunctionError, undefined);
    assert.deepEqual(JSON.parse(Buffer.from(output.Payload ?? []).toString()), { greeting: 'published later' });
  });
});
