// CLI tests: the built dist/cli.js as a real child process, against the fixture functions in test/fixtures/cli (copied to a temp dir).
import { InvokeCommand } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SERVED_LAMBDA_ACTIONS } from '../../src/core/api/lambda/lambdaApi';
import { runCli } from '../support/cliRun';
import { pidAlive } from '../support/processes';
import { descendantsOf } from '../support/processTree';
import { startEndpoint } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/cli');
const HELLO_EXAMPLE = resolve(__dirname, '../../../examples/hello');
const REQUEST_ID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const TIMESTAMP = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

describe('lambda-workbench CLI', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-cli-'));
    cpSync(FIXTURE, dir, { recursive: true });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('invoke', () => {
    it('runs the bundled examples/hello as the README shows', async () => {
      const example = join(dir, 'hello');
      cpSync(HELLO_EXAMPLE, example, { recursive: true });
      const run = await runCli(['invoke', 'HelloFunction', '--template', 'hello/template.yaml', '--event', 'hello/events/hello.json'], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      const stdout = run.stdout;
      assert.ok(!stdout.endsWith('\n'), 'no newline is added to the payload');
      assert.equal(JSON.parse(stdout).statusCode, 200);
      const id = new RegExp(`^START RequestId: (${REQUEST_ID}) Version: \\$LATEST$`, 'm').exec(run.stderr)?.[1];
      assert.ok(id, run.stderr);
      assert.match(run.stderr, new RegExp(`^END RequestId: ${id}\\nREPORT RequestId: ${id}\\tDuration: `, 'm'));
    });

    it('prints exactly the response payload on stdout and START/END/REPORT on stderr, exit 0', async () => {
      const run = await runCli(['invoke', 'EchoFunction', '--event', 'events/event.json'], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, '{"message":"hi","n":[1,2,3]}');
      const start = new RegExp(`^START RequestId: (${REQUEST_ID}) Version: \\$LATEST$`, 'm').exec(run.stderr);
      assert.ok(start, run.stderr);
      const id = start[1];
      assert.match(run.stderr, new RegExp(`^END RequestId: ${id}$`, 'm'));
      assert.match(
        run.stderr,
        new RegExp(
          `^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d\\d ms\\t$`,
          'm',
        ),
      );
      const lines = run.stderr.split('\n');
      assert.ok(lines.findIndex((l) => l.startsWith('START')) < lines.findIndex((l) => l.startsWith('END')));
      assert.ok(lines.findIndex((l) => l.startsWith('END')) < lines.findIndex((l) => l.startsWith('REPORT')));
    });

    it('writes application logs in the Lambda text format between START and END', async () => {
      const run = await runCli(['invoke', 'GreetFunction', '--template', 'template.yaml'], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout), { greeting: 'hello', clientContext: null });
      const id = new RegExp(`START RequestId: (${REQUEST_ID})`).exec(run.stderr)?.[1];
      assert.match(run.stderr, new RegExp(`^START RequestId: ${id} Version: \\$LATEST\\n${TIMESTAMP}\\t${id}\\tINFO\\tgreeting hello\\nEND RequestId: ${id}\\n`, 'm'));
    });

    it('reads the event from stdin with --event -', async () => {
      const run = await runCli(['invoke', 'EchoFunction', '--event', '-'], { cwd: dir, stdin: '[1, "two", {"three": 3}]' });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, '[1,"two",{"three":3}]');
    });

    it('exits 1 with the error object on stdout when the function fails', async () => {
      const run = await runCli(['invoke', 'FailFunction'], { cwd: dir });
      assert.equal(run.code, 1, run.stderr);
      const error = JSON.parse(run.stdout);
      assert.equal(error.errorType, 'Error');
      assert.equal(error.errorMessage, 'boom');
      assert.match(run.stderr, new RegExp(`^${TIMESTAMP}\\t${REQUEST_ID}\\tERROR\\tInvoke Error \\t\\{"errorType":"Error","errorMessage":"boom"`, 'm'));
    });

    it('applies --parameter-overrides and --env-vars', async () => {
      const params = await runCli(['invoke', 'GreetFunction', '--parameter-overrides', 'Greeting=bonjour'], { cwd: dir });
      assert.equal(params.code, 0, params.stderr);
      assert.equal(JSON.parse(params.stdout).greeting, 'bonjour');
      const env = await runCli(['invoke', 'GreetFunction', '--env-vars', 'env-vars.json'], { cwd: dir });
      assert.equal(env.code, 0, env.stderr);
      assert.equal(JSON.parse(env.stdout).greeting, 'from env-vars');
    });

    it('switches platform and application logs to JSON with --log-format json', async () => {
      const run = await runCli(['invoke', 'GreetFunction', '--log-format', 'json'], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      const records = run.stderr.trim().split('\n').map((line) => JSON.parse(line));
      assert.ok(records.some((r) => r.type === 'platform.start'), run.stderr);
      assert.ok(records.some((r) => r.type === 'platform.report'), run.stderr);
      const app = records.find((r) => r.message === 'greeting hello');
      assert.equal(app?.level, 'INFO');
    });

    it('runs a handler without a template (--handler --runtime --code-dir)', async () => {
      const run = await runCli(['invoke', 'adhoc', '--handler', 'handlers.echo', '--runtime', 'nodejs20.x', '--code-dir', 'src', '--event', '-'], {
        cwd: dir,
        stdin: '{"x":1}',
      });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, '{"x":1}');
    });

    it('exits 2 listing the functions when the function is unknown', async () => {
      const run = await runCli(['invoke', 'NoSuchFunction'], { cwd: dir });
      assert.equal(run.code, 2);
      assert.equal(run.stdout.length, 0);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, /NoSuchFunction/);
      assert.match(run.stderr, /EchoFunction, FailFunction, GreetFunction, PidFunction/);
    });

    it('exits 2 with file and line for a bad template', async () => {
      const run = await runCli(['invoke', 'EchoFunction', '--template', 'bad-template.yaml'], { cwd: dir });
      assert.equal(run.code, 2);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, /bad-template\.yaml:\d+/);
    });

    it('exits 2 for a missing template', async () => {
      const run = await runCli(['invoke', 'EchoFunction', '--template', 'nope.yaml'], { cwd: dir });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /nope\.yaml/);
    });

    it('exits 2 with the position for an event file that is not JSON, and for a missing one', async () => {
      const broken = await runCli(['invoke', 'EchoFunction', '--event', 'events/broken.json'], { cwd: dir });
      assert.equal(broken.code, 2);
      assert.equal(broken.stderr.trim().split('\n').length, 1, broken.stderr);
      assert.match(broken.stderr, /broken\.json.*not valid JSON/);
      const missing = await runCli(['invoke', 'EchoFunction', '--event', 'events/missing.json'], { cwd: dir });
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /missing\.json: Cannot read the event file: no such file/);
    });
  });

  describe('usage', () => {
    it('prints the command list for --help and per-command help for <command> --help', async () => {
      const global = await runCli(['--help'], { cwd: dir });
      assert.equal(global.code, 0);
      for (const command of ['invoke', 'start', 'list']) assert.match(global.stdout, new RegExp(`^  ${command} `, 'm'));
      for (const command of ['invoke', 'start', 'list']) {
        const help = await runCli([command, '--help'], { cwd: dir });
        assert.equal(help.code, 0);
        assert.match(help.stdout, new RegExp(`^Usage: lambda-workbench ${command}`, 'm'));
        assert.match(help.stdout, /--template <path>/);
      }
    });

    it('lists every Lambda API action it serves in start --help', async () => {
      const help = (await runCli(['start', '--help'], { cwd: dir })).stdout;
      const listed = help.slice(help.indexOf('Lambda API actions served:'), help.indexOf('SQS actions served:'));
      const missing = SERVED_LAMBDA_ACTIONS.filter((action) => !new RegExp(`\\b${action}\\b`).test(listed));
      assert.deepEqual(missing, [], listed);
      for (const action of ['CreateFunction', 'PublishVersion', 'UpdateAlias', 'PutProvisionedConcurrencyConfig', 'CreateFunctionUrlConfig', 'InvokeWithResponseStream']) {
        assert.ok(SERVED_LAMBDA_ACTIONS.includes(action), action);
      }
    });

    it('exits 2 with the reason and a hint for an unknown command, an unknown flag, a bad value or a missing argument', async () => {
      const cases: Array<[string[], RegExp]> = [
        [['frobnicate'], /unknown command 'frobnicate'.*lambda-workbench --help/],
        [['invoke', 'EchoFunction', '--evnt', 'x.json'], /unknown option --evnt.*lambda-workbench invoke --help/],
        [['invoke', 'EchoFunction', '--log-format', 'xml'], /--log-format must be one of text, json/],
        [['invoke'], /missing <Function>/],
        [['start', '--port', 'abc'], /--port must be a number/],
        [['invoke', 'EchoFunction', '--handler', 'handlers.echo'], /--handler needs --runtime/],
      ];
      for (const [args, reason] of cases) {
        const run = await runCli(args, { cwd: dir });
        assert.equal(run.code, 2, args.join(' '));
        assert.match(run.stderr, reason);
        assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      }
    });
  });

  describe('list', () => {
    it('lists the functions with runtime and handler', async () => {
      const run = await runCli(['list'], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      const rows = run.stdout.trim().split('\n').map((line) => line.split(/\s+/));
      assert.deepEqual(rows, [
        ['FUNCTION', 'RUNTIME', 'HANDLER'],
        ['EchoFunction', 'nodejs20.x', 'handlers.echo'],
        ['FailFunction', 'nodejs20.x', 'handlers.fail'],
        ['GreetFunction', 'nodejs20.x', 'handlers.greet'],
        ['PidFunction', 'nodejs20.x', 'handlers.pid'],
      ]);
    });
  });

  describe('start', () => {
    it('serves the Invoke API until SIGINT, then stops every instance and exits 0', { timeout: 60_000 }, async () => {
      const endpoint = await startEndpoint(dir);
      let runtimePids: number[];
      let exitCode: number | null;
      try {
        const output = await endpoint.client.send(new InvokeCommand({ FunctionName: 'PidFunction', Payload: Buffer.from('{}') }));
        assert.equal(output.StatusCode, 200);
        // The runtime's own pid may be its sandbox's (a pid namespace): find it among start's processes instead.
        runtimePids = descendantsOf(endpoint.pid).filter((entry) => entry.command.includes('bootstrap.js')).map((entry) => entry.pid);
        assert.ok(runtimePids.length > 0 && runtimePids.every(pidAlive), 'the warm instance runs while the API is up');
      } finally {
        exitCode = await endpoint.stop();
      }
      assert.equal(exitCode, 0, endpoint.output().stderr);
      assert.ok(!runtimePids.some(pidAlive), 'the runtime process is gone after SIGINT');
    });
  });
});
