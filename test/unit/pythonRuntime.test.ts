// Unit tests of the Python runtime client (dist/runtimes/python/bootstrap.py) in real processes against the real Runtime API server.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { RuntimeApiServer, type InvocationEvent, type InvocationOutcome } from '../../src/core/runtimeApi/runtimeApiServer';
import { BREAK_ON_HANDLER_ENV, FLUSH_MARKER, PYTHON_SDK_ENV } from '../../src/shared/runtimeProtocol';

const REPO = path.resolve(__dirname, '../../..');
const BOOTSTRAP = path.join(REPO, 'dist/runtimes/python/bootstrap.py');
const RUNTIME_DIR = path.dirname(BOOTSTRAP);
const FIXTURES = path.join(REPO, 'test/fixtures/python');
/** The interpreter under test; set LWB_TEST_PYTHON to run the suite against another Python version. */
const PYTHON = process.env.LWB_TEST_PYTHON ?? 'python3';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:PyFunction';
const TIMESTAMP = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;

/** A stream's text so far, and a way to wait (event-driven, no timers) until some text has arrived. */
class StreamText {
  text = '';
  private waiters: Array<{ needle: string; resolve: () => void }> = [];

  constructor(stream: NodeJS.ReadableStream, exited: Promise<unknown>) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      this.text += chunk;
      this.waiters = this.waiters.filter((w) => (this.text.includes(w.needle) ? (w.resolve(), false) : true));
    });
    void exited.then(() => stream.once('end', () => {
      for (const w of this.waiters) w.resolve();
    }));
  }

  /** Resolves once `needle` was written, or when the stream ends (assert on .text afterwards). */
  waitFor(needle: string): Promise<void> {
    if (this.text.includes(needle)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ needle, resolve }));
  }
}

interface Instance {
  server: RuntimeApiServer;
  child: ChildProcess;
  stdout: StreamText;
  stderr: StreamText;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when the runtime first asks for work ('ready') or reports an init error. */
  initialized: Promise<{ kind: 'ready' } | { kind: 'initError'; payload: Record<string, unknown>; errorType: string }>;
  invoke(payload: unknown, extra?: Partial<InvocationEvent>): Promise<{ requestId: string; outcome: InvocationOutcome }>;
  /** Waits until the flush marker for this request id was written to both streams. */
  flushed(requestId: string): Promise<void>;
}

const running = new Set<Instance>();

function lambdaEnv(server: RuntimeApiServer, handler: string, env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    PYTHONDONTWRITEBYTECODE: '1',
    AWS_LAMBDA_RUNTIME_API: server.hostPort,
    _HANDLER: handler,
    LAMBDA_TASK_ROOT: FIXTURES,
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: 'PyFunction',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/PyFunction',
    AWS_LAMBDA_LOG_STREAM_NAME: '2024/01/02/[$LATEST]0123456789abcdef',
    ...env,
  };
}

async function startInstance(handler: string, env: Record<string, string | undefined> = {}, python = PYTHON): Promise<Instance> {
  const server = await RuntimeApiServer.start();
  const child = spawn(python, [BOOTSTRAP], {
    cwd: FIXTURES, env: lambdaEnv(server, handler, env), stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const stdout = new StreamText(child.stdout!, exited);
  const stderr = new StreamText(child.stderr!, exited);
  const initialized = new Promise<Awaited<Instance['initialized']>>((resolve, reject) => {
    server.onNext(() => resolve({ kind: 'ready' }));
    server.onInitError(({ payload, errorType }) => resolve({ kind: 'initError', payload: JSON.parse(payload.toString()), errorType }));
    void exited.then(({ code }) => reject(new Error(`runtime exited with ${code} before init finished: ${stderr.text}`)));
  });
  const instance: Instance = {
    server, child, stdout, stderr, exited, initialized,
    async invoke(payload, extra = {}) {
      const requestId = randomUUID();
      const outcome = await server.invoke({
        requestId,
        payload: Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload)),
        deadlineMs: Date.now() + 60_000,
        invokedFunctionArn: FUNCTION_ARN,
        ...extra,
      });
      return { requestId, outcome };
    },
    async flushed(requestId) {
      await Promise.all([stdout.waitFor(FLUSH_MARKER + requestId + '\n'), stderr.waitFor(FLUSH_MARKER + requestId + '\n')]);
    },
  };
  running.add(instance);
  return instance;
}

async function stopInstance(instance: Instance): Promise<void> {
  running.delete(instance);
  if (instance.child.exitCode === null && instance.child.signalCode === null) {
    try {
      process.kill(-instance.child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await instance.exited;
  await instance.server.close();
}

after(async () => {
  await Promise.all([...running].map(stopInstance));
});

/** Starts an instance, waits for it to be ready, runs `body`, and always stops it. */
async function withInstance(handler: string, env: Record<string, string | undefined>, body: (i: Instance) => Promise<void>): Promise<void> {
  const instance = await startInstance(handler, env);
  try {
    assert.deepEqual(await instance.initialized, { kind: 'ready' });
    await body(instance);
  } finally {
    await stopInstance(instance);
  }
}

function responseJson(outcome: InvocationOutcome): unknown {
  assert.equal(outcome.kind, 'response', `expected a response, got ${outcome.kind}: ${outcome.payload.toString()}`);
  return JSON.parse(outcome.payload.toString());
}

function errorJson(outcome: InvocationOutcome): Record<string, unknown> {
  assert.equal(outcome.kind, 'error', `expected an error, got ${outcome.kind}: ${outcome.payload.toString()}`);
  return JSON.parse(outcome.payload.toString());
}

/** The lines of a stream's text, without flush markers. */
function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '' && !l.startsWith(FLUSH_MARKER));
}

describe('python runtime: protocol constants', () => {
  it('uses the same flush marker and variables as src/shared/runtimeProtocol.ts', () => {
    const script = 'import json; from lambda_workbench_runtime import protocol as p; '
      + 'print(json.dumps([p.FLUSH_MARKER, p.BREAK_ON_HANDLER_ENV, p.PYTHON_SDK_ENV]))';
    const result = spawnSync(PYTHON, ['-c', script], { cwd: RUNTIME_DIR, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), [FLUSH_MARKER, BREAK_ON_HANDLER_ENV, PYTHON_SDK_ENV]);
  });
});

describe('python runtime: responses', () => {
  const cases: Array<[string, unknown]> = [
    ['app.ok_list', [1, 'two', null, true]],
    ['app.ok_str', 'hello'],
    ['app.ok_none', null],
  ];
  for (const [handler, expected] of cases) {
    it(`${handler} returns ${JSON.stringify(expected)}`, async () => {
      await withInstance(handler, {}, async (i) => {
        const { outcome } = await i.invoke({});
        assert.deepEqual(responseJson(outcome), expected);
        assert.equal(outcome.kind === 'response' && outcome.contentType, 'application/json');
      });
    });
  }

  it('returns a dict, reuses the warm instance, and runs init code once', async () => {
    await withInstance('app.ok_dict', {}, async (i) => {
      assert.deepEqual(responseJson((await i.invoke({ a: 1 })).outcome), { echo: { a: 1 }, n: 1 });
      assert.deepEqual(responseJson((await i.invoke([2, 'x'])).outcome), { echo: [2, 'x'], n: 1 });
    });
  });

  it('writes Decimal values as exact numbers', async () => {
    await withInstance('app.ok_decimal', {}, async (i) => {
      const { outcome } = await i.invoke({});
      assert.equal(outcome.payload.toString(), '{"price": 10.50, "big": 1E+3}');
    });
  });

  it('posts bytes as is with content type application/unknown', async () => {
    await withInstance('app.ok_bytes', {}, async (i) => {
      const { outcome } = await i.invoke({});
      assert.equal(outcome.kind, 'response');
      assert.deepEqual(outcome.payload, Buffer.from('\x00raw', 'latin1'));
      assert.equal(outcome.kind === 'response' && outcome.contentType, 'application/unknown');
    });
  });

  it('passes non-JSON events through as bytes', async () => {
    await withInstance('app.echo', {}, async (i) => {
      const { outcome } = await i.invoke(Buffer.from('plain text'), { contentType: 'text/plain' });
      assert.equal(outcome.payload.toString(), 'plain text');
      assert.equal(outcome.kind === 'response' && outcome.contentType, 'application/unknown');
    });
  });

  it('resolves nested handlers written with slashes or dots', async () => {
    for (const handler of ['pkg/nested/module.handler', 'pkg.nested.module.handler']) {
      await withInstance(handler, {}, async (i) => {
        assert.deepEqual(responseJson((await i.invoke({})).outcome), { module: 'pkg.nested.module' });
      });
    }
  });

  it('puts the task root first on sys.path and keeps the runtime directory off it', async () => {
    await withInstance('app.runtime_modules_hidden', {}, async (i) => {
      assert.deepEqual(responseJson((await i.invoke({})).outcome), { runtime_dirs_on_path: [], task_root_first: true });
    });
  });

  // Debian's python3 has PyYAML in /usr/lib/python3/dist-packages; a Lambda function sees only its code, layers and the runtime's packages.
  const debianPython = '/usr/bin/python3';
  const hostHasYaml = spawnSync(debianPython, ['-c', 'import yaml'], { encoding: 'utf8' }).status === 0;
  it("keeps the host's installed packages off the path, and PYTHONPATH's layer folders on it", { skip: hostHasYaml ? false : 'needs /usr/bin/python3 with python3-yaml' }, async () => {
    const layer = path.join(FIXTURES, 'pkg');
    const instance = await startInstance('app.host_packages_hidden', { PYTHONPATH: layer }, debianPython);
    try {
      assert.deepEqual(await instance.initialized, { kind: 'ready' });
      const body = responseJson((await instance.invoke({ module: 'yaml' })).outcome) as { importable: boolean; path: string[] };
      assert.equal(body.importable, false, `the host's yaml was importable from ${JSON.stringify(body.path)}`);
      assert.ok(!body.path.some((entry) => /(site|dist)-packages/.test(entry)), JSON.stringify(body.path));
      assert.equal(body.path[0], FIXTURES);
      assert.ok(body.path.includes(layer), JSON.stringify(body.path));
      const json = responseJson((await instance.invoke({ module: 'json' })).outcome) as { importable: boolean };
      assert.equal(json.importable, true, 'the standard library stays importable');
    } finally {
      await stopInstance(instance);
    }
  });
});

describe('python runtime: the AWS SDK for Python', () => {
  // Lambda's Python runtimes provide boto3; here the host's copy does (Debian's python3-boto3, scripts/setup.sh), and only it.
  const debianPython = '/usr/bin/python3';
  const hostBoto3 = spawnSync(debianPython, ['-c', 'import boto3; print(boto3.__file__)'], { encoding: 'utf8' });
  const sdkApp = path.join(FIXTURES, 'sdk_app');
  const needsBoto3 = hostBoto3.status === 0 ? false : 'needs /usr/bin/python3 with python3-boto3 (scripts/setup.sh)';

  it('imports boto3 the code does not bundle from the host, as the runtime provides it', { skip: needsBoto3 }, async () => {
    const instance = await startInstance('app.handler', { LAMBDA_TASK_ROOT: sdkApp }, debianPython);
    try {
      assert.deepEqual(await instance.initialized, { kind: 'ready' });
      const body = responseJson((await instance.invoke({})).outcome) as { boto3: string; botocore: string; version: string };
      assert.equal(body.boto3, hostBoto3.stdout.trim());
      assert.match(body.version, /^1\.\d+\.\d+$/);
    } finally {
      await stopInstance(instance);
    }
  });

  it("prefers a layer's own boto3 to the runtime's", { skip: needsBoto3 }, async () => {
    const layer = path.join(FIXTURES, 'bundled_sdk');
    const instance = await startInstance('app.handler', { LAMBDA_TASK_ROOT: sdkApp, PYTHONPATH: layer }, debianPython);
    try {
      assert.deepEqual(await instance.initialized, { kind: 'ready' });
      const body = responseJson((await instance.invoke({})).outcome) as { boto3: string; version: string };
      assert.deepEqual([body.boto3, body.version], [path.join(layer, 'boto3', '__init__.py'), 'bundled']);
    } finally {
      await stopInstance(instance);
    }
  });

  it("an interpreter without boto3 gets the host's from the folder the engine names, and neither that variable nor other host packages", { skip: needsBoto3 }, async () => {
    // A Python whose site packages are off (-S) has no boto3 of its own, like a pyenv or uv Python without it.
    const dir = mkdtempSync(path.join(tmpdir(), 'lwb-py-hostsdk-'));
    const python = path.join(dir, 'python3');
    writeFileSync(python, `#!/bin/sh\nexec ${debianPython} -S "$@"\n`, { mode: 0o755 });
    const siteDir = path.dirname(path.dirname(hostBoto3.stdout.trim()));
    const instance = await startInstance('app.handler', { LAMBDA_TASK_ROOT: sdkApp, [PYTHON_SDK_ENV]: siteDir }, python);
    try {
      assert.deepEqual(await instance.initialized, { kind: 'ready' });
      const body = responseJson((await instance.invoke({})).outcome) as { boto3: string; sdkVariable: string | null; yamlImportable: boolean };
      assert.deepEqual(body, { ...body, boto3: hostBoto3.stdout.trim(), sdkVariable: null, yamlImportable: false });
    } finally {
      await stopInstance(instance);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without boto3 on the host, fails init as Lambda does: Unable to import module', async () => {
    // A Python whose site packages are off (-S) has no boto3 anywhere.
    const dir = mkdtempSync(path.join(tmpdir(), 'lwb-py-nosdk-'));
    const python = path.join(dir, 'python3');
    writeFileSync(python, `#!/bin/sh\nexec ${debianPython} -S "$@"\n`, { mode: 0o755 });
    const instance = await startInstance('app.handler', { LAMBDA_TASK_ROOT: sdkApp }, python);
    try {
      const init = await instance.initialized;
      assert.ok(init.kind === 'initError', JSON.stringify(init));
      assert.equal(init.errorType, 'Runtime.ImportModuleError');
      assert.equal(init.payload.errorMessage, "Unable to import module 'app': No module named 'boto3'");
    } finally {
      await stopInstance(instance);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('python runtime: context', () => {
  it('exposes the Lambda context fields, identity, client context and the trace id', async () => {
    await withInstance('app.echo_context', {}, async (i) => {
      const deadlineMs = Date.now() + 30_000;
      const traceId = 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1';
      const { requestId, outcome } = await i.invoke({}, {
        deadlineMs,
        traceId,
        clientContext: JSON.stringify({ client: { installation_id: 'inst-1' }, custom: { k: 'v' }, env: {} }),
        cognitoIdentity: JSON.stringify({ cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' }),
      });
      const context = responseJson(outcome) as Record<string, unknown>;
      const remaining = context.remaining_ms as number;
      assert.ok(remaining > 0 && remaining <= 30_000, `remaining ${remaining}`);
      delete context.remaining_ms;
      assert.deepEqual(context, {
        function_name: 'PyFunction',
        function_version: '$LATEST',
        invoked_function_arn: FUNCTION_ARN,
        memory_limit_in_mb: '256',
        aws_request_id: requestId,
        log_group_name: '/aws/lambda/PyFunction',
        log_stream_name: '2024/01/02/[$LATEST]0123456789abcdef',
        cognito_identity_id: 'id-1',
        cognito_identity_pool_id: 'pool-1',
        client_installation_id: 'inst-1',
        client_custom: { k: 'v' },
        trace_id: traceId,
      });
      // The next invoke has no trace header: the variable is removed, and a past deadline gives 0 ms left.
      const second = responseJson((await i.invoke({}, { deadlineMs: Date.now() - 1000 })).outcome) as Record<string, unknown>;
      assert.equal(second.trace_id, null);
      assert.equal(second.remaining_ms, 0);
      assert.equal(second.client_installation_id, null);
      assert.equal(second.cognito_identity_id, null);
    });
  });

  it('reports a client context that is not JSON as Runtime.LambdaContextUnmarshalError', async () => {
    await withInstance('app.echo_context', {}, async (i) => {
      const { outcome } = await i.invoke({}, { clientContext: '{not json' });
      const error = errorJson(outcome);
      assert.equal(error.errorType, 'Runtime.LambdaContextUnmarshalError');
      assert.match(String(error.errorMessage), /^Unable to parse Client Context JSON: /);
    });
  });
});

describe('python runtime: invocation errors', () => {
  it('reports a raised exception with requestId and stackTrace, logs it, and keeps serving', async () => {
    await withInstance('app.raise_error', {}, async (i) => {
      const { requestId, outcome } = await i.invoke({});
      assert.equal(outcome.kind === 'error' && outcome.errorType, 'ValueError');
      const error = errorJson(outcome);
      assert.deepEqual(Object.keys(error), ['errorMessage', 'errorType', 'requestId', 'stackTrace']);
      assert.equal(error.errorMessage, 'something broke\nsecond line');
      assert.equal(error.errorType, 'ValueError');
      assert.equal(error.requestId, requestId);
      const trace = error.stackTrace as string[];
      assert.equal(trace.length, 1, `only the user frame: ${JSON.stringify(trace)}`);
      assert.match(trace[0], /^ {2}File ".*app\.py", line \d+, in raise_error\n {4}raise ValueError/);

      await i.flushed(requestId);
      // One record: traceback lines joined by \r, indentation as no-break spaces; the message itself is kept as is.
      const start = i.stdout.text.indexOf('[ERROR] ValueError');
      assert.ok(start >= 0, i.stdout.text);
      const logged = i.stdout.text.slice(start, i.stdout.text.indexOf('\n', i.stdout.text.indexOf('Traceback', start)));
      const parts = logged.split('\r');
      assert.deepEqual(parts.slice(0, 2), ['[ERROR] ValueError: something broke\nsecond line', 'Traceback (most recent call last):']);
      assert.match(parts[2], /^\u00a0\u00a0File ".*app\.py", line \d+, in raise_error$/);
      assert.equal(parts[3], '\u00a0\u00a0\u00a0\u00a0raise ValueError("something broke\\nsecond line")');
      assert.equal(parts.length, 4);

      // The same instance answers the next invocation.
      assert.equal((await i.invoke({})).outcome.kind, 'error');
    });
  });

  it('reports an unserialisable response as Runtime.MarshalError', async () => {
    await withInstance('app.bad_datetime', {}, async (i) => {
      const { requestId, outcome } = await i.invoke({});
      assert.deepEqual(errorJson(outcome), {
        errorMessage: 'Unable to marshal response: Object of type datetime is not JSON serializable',
        errorType: 'Runtime.MarshalError',
        requestId,
        stackTrace: [],
      });
    });
  });

  it('reports an event that is not JSON as Runtime.UnmarshalError', async () => {
    await withInstance('app.echo', {}, async (i) => {
      const { outcome } = await i.invoke(Buffer.from('not json'));
      const error = errorJson(outcome);
      assert.equal(error.errorType, 'Runtime.UnmarshalError');
      assert.equal(error.errorMessage, 'Unable to unmarshal input: Expecting value: line 1 column 1 (char 0)');
    });
  });

  it('lets sys.exit in a handler end the process with its code', async () => {
    await withInstance('app.exit_process', {}, async (i) => {
      const requestId = randomUUID();
      void i.server.invoke({ requestId, payload: Buffer.from('{}'), deadlineMs: Date.now() + 60_000, invokedFunctionArn: FUNCTION_ARN })
        .catch(() => undefined);
      assert.deepEqual(await i.exited, { code: 3, signal: null });
      i.server.abandon(requestId);
    });
  });
});

describe('python runtime: init errors', () => {
  const cases: Array<[string, string, RegExp | string]> = [
    ['missing_module.handler', 'Runtime.ImportModuleError', "Unable to import module 'missing_module': No module named 'missing_module'"],
    ['import_missing.handler', 'Runtime.ImportModuleError', "Unable to import module 'import_missing': No module named 'not_installed_dependency'"],
    ['app.missing', 'Runtime.HandlerNotFound', "Handler 'missing' missing on module 'app'"],
    ['app', 'Runtime.MalformedHandlerName', "Bad handler 'app': not enough values to unpack (expected 2, got 1)"],
    ['syntax_error.handler', 'Runtime.UserCodeSyntaxError', /^Syntax error in module 'syntax_error': .*\(syntax_error\.py, line 2\)$/],
    ['sys.handler', 'Runtime.BuiltInModuleConflict', 'Cannot use built-in module sys as a handler module'],
    ['init_raises.handler', 'Exception', 'Runtime startup fails'],
  ];
  for (const [handler, errorType, message] of cases) {
    it(`${handler} fails init with ${errorType}`, async () => {
      const instance = await startInstance(handler);
      try {
        const init = await instance.initialized;
        assert.equal(init.kind, 'initError');
        assert.ok(init.kind === 'initError');
        assert.equal(init.errorType, errorType);
        assert.equal(init.payload.errorType, errorType);
        assert.equal(init.payload.requestId, '');
        if (typeof message === 'string') assert.equal(init.payload.errorMessage, message);
        else assert.match(String(init.payload.errorMessage), message);
        assert.deepEqual(await instance.exited, { code: 1, signal: null });
        // The flush marker (with no request id during init) precedes the post on both streams.
        await instance.flushed('');
        const out = lines(instance.stdout.text);
        assert.ok(out.some((l) => new RegExp(`^\\[WARNING\\]\\t${TIMESTAMP}\\t\\tLAMBDA_WARNING: Unhandled exception\\.`).test(l)), instance.stdout.text);
        assert.ok(out.some((l) => l.startsWith(`[ERROR] ${errorType}: `)), instance.stdout.text);
      } finally {
        await stopInstance(instance);
      }
    });
  }

  it('gives the syntax error location as its stack trace', async () => {
    const instance = await startInstance('syntax_error.handler');
    try {
      const init = await instance.initialized;
      assert.ok(init.kind === 'initError');
      const trace = init.payload.stackTrace as string[];
      assert.equal(trace.length, 1);
      assert.match(trace[0], /^ {2}File ".*syntax_error\.py" Line 2\n {4}def handler\(event, context\)\n$/);
    } finally {
      await stopInstance(instance);
    }
  });

  it('keeps runtime frames out of an init exception trace', async () => {
    const instance = await startInstance('init_raises.handler');
    try {
      const init = await instance.initialized;
      assert.ok(init.kind === 'initError');
      const trace = init.payload.stackTrace as string[];
      assert.ok(trace.length > 0);
      assert.ok(trace.every((frame) => !frame.includes(RUNTIME_DIR)), JSON.stringify(trace));
      assert.match(trace[trace.length - 1], /init_raises\.py", line 2, in <module>/);
    } finally {
      await stopInstance(instance);
    }
  });
});

describe('python runtime: logs', () => {
  it('formats the root logger like Lambda (Text), passes print and stderr through, and flushes before the result', async () => {
    await withInstance('app.log_all', { AWS_LAMBDA_LOG_LEVEL: 'DEBUG' }, async (i) => {
      const { requestId } = await i.invoke({});
      await i.flushed(requestId);
      const out = lines(i.stdout.text);
      const prefix = (level: string, id: string) => new RegExp(`^\\[${level}\\]\\t${TIMESTAMP}\\t${id}\\t`);
      assert.equal(out[0], 'init print');
      assert.match(out[1], prefix('WARNING', ''));
      assert.ok(out[1].endsWith('\tinit warning'));
      const invokeLines = out.slice(2);
      assert.equal(invokeLines[0], 'a print line');
      const expected = [['DEBUG', 'debug line'], ['INFO', 'info line'], ['WARNING', 'warn line'], ['ERROR', 'error line'], ['CRITICAL', 'critical line']];
      assert.equal(invokeLines.length, 1 + expected.length, i.stdout.text);
      expected.forEach(([level, message], n) => {
        assert.match(invokeLines[n + 1], prefix(level, requestId));
        assert.ok(invokeLines[n + 1].endsWith(`\t${message}`));
      });
      // Every handler line precedes the marker on its stream.
      const marker = FLUSH_MARKER + requestId + '\n';
      assert.ok(i.stdout.text.endsWith(marker), JSON.stringify(i.stdout.text.slice(-200)));
      assert.equal(i.stderr.text, 'a stderr line\n' + marker);
    });
  });

  it('keeps the root logger at WARNING unless AWS_LAMBDA_LOG_LEVEL says otherwise', async () => {
    await withInstance('app.log_all', {}, async (i) => {
      const { requestId } = await i.invoke({});
      await i.flushed(requestId);
      const levels = lines(i.stdout.text).filter((l) => l.includes(`\t${requestId}\t`)).map((l) => l.split('\t')[0]);
      assert.deepEqual(levels, ['[WARNING]', '[ERROR]', '[CRITICAL]']);
    });
  });

  it('writes JSON lines with AWS_LAMBDA_LOG_FORMAT=JSON and filters by AWS_LAMBDA_LOG_LEVEL', async () => {
    await withInstance('app.log_all', { AWS_LAMBDA_LOG_FORMAT: 'json', AWS_LAMBDA_LOG_LEVEL: 'warn' }, async (i) => {
      const { requestId } = await i.invoke({});
      await i.flushed(requestId);
      const records = lines(i.stdout.text).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      for (const record of records) {
        assert.match(String(record.timestamp), new RegExp(`^${TIMESTAMP}$`));
        delete record.timestamp;
      }
      assert.deepEqual(records, [
        { level: 'WARNING', message: 'init warning', logger: 'root', requestId: '' },
        { level: 'WARNING', message: 'warn line', logger: 'child', requestId },
        { level: 'ERROR', message: 'error line', logger: 'root', requestId },
        { level: 'CRITICAL', message: 'critical line', logger: 'root', requestId },
      ]);
      assert.ok(lines(i.stdout.text).includes('a print line'));
    });
  });

  it('logs an invocation error as one JSON record in JSON format', async () => {
    await withInstance('app.raise_error', { AWS_LAMBDA_LOG_FORMAT: 'JSON' }, async (i) => {
      const { requestId } = await i.invoke({});
      await i.flushed(requestId);
      const records = lines(i.stdout.text).filter((l) => l.includes('"errorType"')).map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.equal(records.length, 1, i.stdout.text);
      assert.match(String(records[0].timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      assert.equal(records[0].level, 'ERROR');
      assert.equal(records[0].errorType, 'ValueError');
      assert.equal(records[0].errorMessage, 'something broke\nsecond line');
      assert.equal(records[0].requestId, requestId);
    });
  });
});

describe('python runtime: start-up problems', () => {
  it('refuses a debug port that is not a port, with the variable named', async () => {
    const instance = await startInstance('app.ok_str', { LAMBDA_WORKBENCH_DEBUGPY_PORT: 'abc' });
    try {
      await assert.rejects(instance.initialized);
      assert.deepEqual(await instance.exited, { code: 1, signal: null });
      await instance.stderr.waitFor('\n');
      assert.equal(instance.stderr.text, "[lambda-workbench] LAMBDA_WORKBENCH_DEBUGPY_PORT='abc' is not a TCP port (1-65535).\n");
    } finally {
      await stopInstance(instance);
    }
  });

  it('explains that it needs AWS_LAMBDA_RUNTIME_API', async () => {
    const result = spawnSync(PYTHON, [BOOTSTRAP], { cwd: FIXTURES, encoding: 'utf8', env: { PATH: process.env.PATH, _HANDLER: 'app.ok_str', PYTHONDONTWRITEBYTECODE: '1' } });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /AWS_LAMBDA_RUNTIME_API is not set/);
  });
});
