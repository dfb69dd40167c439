// The CLI does what the extension does, end to end through dist/cli.js: init, events, start --watch, --time-scale, --debug-port.
import { InvokeCommand } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { eventParameters, listSampleEvents, validateEvent } from '../../src/core/events';
import { CLI, runCli } from '../support/cliRun';
import { startEndpoint } from '../support/startedEndpoint';
import { waitFor } from '../support/waitFor';

/** A value for each event parameter that keeps its event valid. */
const PARAMETER_VALUES: Record<string, string> = {
  bucket: 'uploads', key: 'reports/may 2024.csv', 'queue-name': 'orders', body: '{"orderId":7}', topic: 'alerts', message: 'hi',
  subject: 'Alert', stream: 'clicks', data: '{"click":1}', 'partition-key': 'user-1', table: 'Orders', method: 'post', path: '/items/7',
  source: 'com.example.shop', 'detail-type': 'ItemSold', detail: '{"item":7}', rule: 'hourly',
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

describe('lambda-workbench CLI on par with the extension', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-cli-parity-'));
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('events', () => {
    it('lists the sample event library', async () => {
      const run = await runCli(['events', 'list'], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      for (const event of listSampleEvents()) assert.match(run.stdout, new RegExp(`^${event.id} +${event.title.replace(/[()]/g, '\\$&')}`, 'm'));
    });

    it('shows the parameters of a type', async () => {
      const run = await runCli(['events', 'show', 'sqs'], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^sqs: SQS message batch \(Amazon SQS\)/);
      assert.match(run.stdout, /--queue-name +Queue name/);
      assert.match(run.stdout, /--body +Message body/);
    });

    it('generates an SQS event with the queue and body given, valid against its schema', async () => {
      const run = await runCli(['events', 'generate', 'sqs', '--queue-name', 'orders', '--body', '{"orderId":7}', '--region', 'eu-west-1'], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(validateEvent(run.stdout, 'sqs'), []);
      const event = JSON.parse(run.stdout);
      for (const record of event.Records) {
        assert.equal(record.eventSourceARN, 'arn:aws:sqs:eu-west-1:123456789012:orders');
        assert.equal(record.body, '{"orderId":7}');
        assert.equal(record.md5OfBody, createHash('md5').update('{"orderId":7}').digest('hex'));
      }
    });

    it('generates every parameterised type with all its parameters, each valid against its schema', async () => {
      for (const { id } of listSampleEvents()) {
        const parameters = eventParameters(id);
        if (!parameters.length) continue;
        const args = parameters.flatMap(({ name }) => [`--${name}`, PARAMETER_VALUES[name]]);
        const run = await runCli(['events', 'generate', id, ...args], { cwd: dir });
        assert.equal(run.code, 0, `${id}: ${run.stderr}`);
        assert.deepEqual(validateEvent(run.stdout, id), [], id);
        assert.deepEqual(validateEvent(run.stdout).length, 0, `${id} is still recognised as its type`);
      }
    });

    it('refuses a parameter the type does not take, and an unknown type, naming what exists', async () => {
      const wrong = await runCli(['events', 'generate', 's3-put', '--body', 'x'], { cwd: dir });
      assert.equal(wrong.code, 2);
      assert.match(wrong.stderr, /s3-put' takes no parameter 'body'.*bucket, key/);
      const unknown = await runCli(['events', 'generate', 'no-such-event'], { cwd: dir });
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /Unknown sample event type 'no-such-event'.*s3-put/);
    });
  });

  describe('init', () => {
    it('lists the blueprints and application templates without a blueprint', async () => {
      const run = await runCli(['init'], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^Function blueprints:\n {2}[a-z-]+ +/);
      assert.match(run.stdout, /^ {2}hello +Hello world \(javascript, typescript, python\)$/m);
      assert.match(run.stdout, /^Application templates:$/m);
    });

    it('scaffolds a JavaScript blueprint that then invokes, and never overwrites a file', async () => {
      const target = join(dir, 'greeter-js');
      const created = await runCli(['init', 'hello', '--runtime', 'javascript', '--name', 'Greeter', '--dir', target], { cwd: dir });
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stdout, /created .*template\.yaml/);
      const invoked = await runCli(['invoke', 'Greeter', '--template', join(target, 'template.yaml'), '--event', '-'], { cwd: dir, stdin: '{"name":"Ada"}' });
      assert.equal(invoked.code, 0, invoked.stderr);
      assert.deepEqual(JSON.parse(invoked.stdout), { message: 'Hello, Ada!' });
      assert.match(invoked.stderr, /Greeting Ada/);

      const template = readFileSync(join(target, 'template.yaml'), 'utf8');
      writeFileSync(join(target, 'template.yaml'), `${template}# edited\n`);
      const again = await runCli(['init', 'hello', '--name', 'Greeter', '--dir', target], { cwd: dir });
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /kept +.*template\.yaml \(already there, not overwritten\)/);
      assert.match(readFileSync(join(target, 'template.yaml'), 'utf8'), /# edited\n$/);
    });

    it('scaffolds a Python blueprint on the runtime asked for, and it invokes', async () => {
      const target = join(dir, 'greeter-py');
      const created = await runCli(['init', 'hello', '--runtime', 'python3.12', '--dir', target], { cwd: dir });
      assert.equal(created.code, 0, created.stderr);
      assert.match(readFileSync(join(target, 'template.yaml'), 'utf8'), /Runtime: python3\.12/);
      const invoked = await runCli(['invoke', 'HelloFunction', '--event', '-'], { cwd: target, stdin: '{"name":"Grace"}' });
      assert.equal(invoked.code, 0, invoked.stderr);
      assert.deepEqual(JSON.parse(invoked.stdout), { message: 'Hello, Grace!' });
    });

    it('refuses a runtime of another language and an unknown blueprint', async () => {
      const java = await runCli(['init', 'hello', '--runtime', 'java21', '--dir', join(dir, 'x')], { cwd: dir });
      assert.equal(java.code, 2);
      assert.match(java.stderr, /--runtime must be javascript, typescript, python/);
      const unknown = await runCli(['init', 'no-such-blueprint'], { cwd: dir });
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /unknown blueprint 'no-such-blueprint'.*hello/);
    });
  });

  describe('start --watch', () => {
    it('serves the new code through the Invoke API after the handler is saved', async () => {
      const target = join(dir, 'watched');
      assert.equal((await runCli(['init', 'hello', '--runtime', 'javascript', '--dir', target], { cwd: dir })).code, 0);
      const start = await startEndpoint(target, ['--watch'], { readyLine: /Watching the functions' code and template/ });
      try {
        const { client } = start;
        const invoke = async () => {
          const output = await client.send(new InvokeCommand({ FunctionName: 'HelloFunction', Payload: Buffer.from('{"name":"Ada"}') }));
          return JSON.parse(Buffer.from(output.Payload ?? []).toString()) as { message: string };
        };
        assert.deepEqual(await invoke(), { message: 'Hello, Ada!' });
        const handler = join(target, 'hello-function', 'app.mjs');
        writeFileSync(handler, readFileSync(handler, 'utf8').replace('`${greeting}, ${name}!`', '`${greeting} again, ${name}!`'));
        await start.stderrHas('Reloaded HelloFunction');
        assert.deepEqual(await invoke(), { message: 'Hello again, Ada!' });
      } finally {
        assert.equal(await start.stop(), 0);
      }
    });
  });

  describe('--time-scale', () => {
    it('makes the 1 and 2 minute retries of an asynchronous invocation take milliseconds', async () => {
      const target = join(dir, 'retries');
      rmSync(target, { recursive: true, force: true });
      mkdirSync(target, { recursive: true });
      writeFileSync(join(target, 'app.mjs'), 'export const handler = async () => { console.log("attempt"); throw new Error("boom"); };\n');
      writeFileSync(join(target, 'template.yaml'), [
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  FailingFunction:',
        '    Type: AWS::Serverless::Function',
        '    Properties: { CodeUri: ., Handler: app.handler, Runtime: nodejs20.x }',
        '',
      ].join('\n'));
      const start = await startEndpoint(target, ['--time-scale', '0.001'], { readyLine: /Functions:\n.*FailingFunction.*\n/ });
      try {
        const output = await start.client.send(
          new InvokeCommand({ FunctionName: 'FailingFunction', InvocationType: 'Event', Payload: Buffer.from('{}') }),
        );
        assert.equal(output.StatusCode, 202);
        // The first attempt and Lambda's two retries (60 s and 120 s at time scale 1): well inside the wait below.
        await waitFor(() => (start.output().stderr.match(/\tattempt$/gm) ?? []).length >= 3, 50_000, 'three attempts');
        assert.equal((start.output().stderr.match(/^START RequestId: /gm) ?? []).length, 3);
      } finally {
        assert.equal(await start.stop(), 0);
      }
    });

    it('refuses a factor outside 0.001..1', async () => {
      const run = await runCli(['start', '--time-scale', '5', '--template', join(dir, 'retries', 'template.yaml')], { cwd: dir });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /--time-scale must be a number from 0\.001 to 1, not '5'/);
    });
  });

  describe('--debug-port', () => {
    it('invoke waits for an inspector client on 127.0.0.1 and runs once one attaches', async () => {
      const target = join(dir, 'debugged');
      assert.equal((await runCli(['init', 'hello', '--runtime', 'javascript', '--dir', target], { cwd: dir })).code, 0);
      const port = await freePort();
      const child = spawn(process.execPath, [CLI, 'invoke', 'HelloFunction', '--debug-port', String(port), '--event', '-'], { cwd: target });
      child.stdin.end('{"name":"Debugger"}');
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      let socket: WebSocket | undefined;
      try {
        let targets: { webSocketDebuggerUrl: string }[] = [];
        await waitFor(async () => {
          targets = await fetch(`http://127.0.0.1:${port}/json/list`).then((response) => response.json() as Promise<typeof targets>, () => []);
          return targets.length > 0;
        }, 60_000, 'the inspector');
        assert.match(stderr, new RegExp(`HelloFunction: waiting for a debugger on 127\\.0\\.0\\.1:${port}`));
        assert.equal(child.exitCode, null, 'nothing ran before a client attached');
        assert.equal(stdout, '');
        socket = new WebSocket(targets[0].webSocketDebuggerUrl);
        await new Promise((resolve, reject) => socket?.once('open', resolve).once('error', reject));
        socket.send(JSON.stringify({ id: 1, method: 'Runtime.runIfWaitingForDebugger' }));
        assert.equal(await exited, 0, stderr);
        assert.deepEqual(JSON.parse(stdout), { message: 'Hello, Debugger!' });
      } finally {
        socket?.close();
        if (child.exitCode === null) child.kill('SIGINT');
      }
    });
  });
});
