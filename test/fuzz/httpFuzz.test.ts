// Hostile and malformed input against every HTTP server (fast-check properties over raw sockets): never a crash, always a 4xx in shape.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { recordReliabilityFigures } from '../support/reliabilityReport';
import { FUZZ_TARGETS, SharedEngine, type FuzzRoute, type ProtocolFuzz, type RunningTarget } from './fuzzTargets';
import { rawExchange, requestBytes, type RawAnswer, type RawSendOptions } from './rawHttp';

/** Runs per property: enough to find the classic mistakes, bounded so the suite takes well under two minutes. */
const RUNS = Number(process.env.LWB_FUZZ_RUNS ?? 40);
const RSS_LIMIT_MB = 512;
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'CONNECT', 'BREW', 'get', 'PROPFIND'];
/** Framing headers are fuzzed by their own properties; random values for them would only make requests wait for bodies. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'expect', 'upgrade', 'connection', 'host']);

const figures = { inputs: 0, answered4xx: 0, answered2xx: 0, answered5xx: 0, unanswered: 0, closedAfterAbort: 0, peakRssMB: 0, propertiesHeld: 0, properties: 0 };
const perTarget = new Map<string, number>();

function sampleRss(): void {
  figures.peakRssMB = Math.max(figures.peakRssMB, Math.ceil(process.memoryUsage().rss / 1024 / 1024));
  assert.ok(figures.peakRssMB < RSS_LIMIT_MB, `RSS ${figures.peakRssMB} MB stays under ${RSS_LIMIT_MB} MB`);
}

/** Path segments: valid names, invalid percent-escapes, overlong and invalid UTF-8, traversal, control bytes. */
const segment: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constantFrom('%', '%G1', '%E0%A4%A', '%C0%AF', '%FF%FE', '%00', '%2F', '..', '%2e%2e', 'pa2%Fth', '%%', 'FuzzFunction', '$LATEST').map((s) => Buffer.from(s)),
  fc.stringMatching(/^[A-Za-z0-9%._~:$-]{0,40}$/).map((s) => Buffer.from(s)),
  fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => Buffer.from(s, 'utf8')),
  fc.uint8Array({ minLength: 1, maxLength: 16 }).map((bytes) => Buffer.from(bytes)),
);

const headerName = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,20}$/),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 12 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
).filter((name) => !FRAMING.has(name.trim().toLowerCase()) && !name.includes('\n'));
const headerValue = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));

const jsonBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constantFrom('{', '[1,', '{"a":}', 'null', '"\\ud800"', '1e99999', '{"body":', '{}', '[]', '{"body":"x"}', '['.repeat(20_000), 'NaN').map((s) => Buffer.from(s)),
  fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
  fc.json({ maxDepth: 4 }).map((s) => Buffer.from(s)),
  fc.json({ maxDepth: 3 }).chain((s) => fc.nat(s.length).map((cut) => Buffer.from(s.slice(0, cut)))),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
);

/** Chunked bodies that break the framing; `truncated` ones stop early and the client then closes its side. */
const malformedChunked = fc.constantFrom(
  { body: 'zz\r\nabc\r\n0\r\n\r\n', truncated: false },
  { body: '5\r\nab\r\n0\r\n\r\nXX', truncated: false },
  { body: 'ffffffffffffffffffff\r\nx\r\n', truncated: false },
  { body: '-1\r\nx\r\n0\r\n\r\n', truncated: false },
  { body: `5;${'e'.repeat(20_000)}\r\nhello\r\n0\r\n\r\n`, truncated: false },
  { body: '3\r\nabcdef\r\n0\r\n\r\n', truncated: false },
  { body: '3\r\nabc', truncated: true },
  { body: '0\r\nTrailer: x\r\n', truncated: true },
  { body: '2\r\n{}', truncated: true },
);
/** A value for an AWS input member: JSON of any shape, numbers at and beyond the models' ranges, strings worth trying. */
function memberValue(protocol: ProtocolFuzz): fc.Arbitrary<unknown> {
  const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom(...protocol.values));
  const leaf = fc.oneof(text, fc.integer({ min: -5, max: 100_000 }), fc.double(), fc.boolean(), fc.constant(null));
  const structure = fc.dictionary(fc.oneof(fc.constantFrom(...protocol.members), fc.string({ maxLength: 8 })), fc.oneof(leaf, fc.array(leaf, { maxLength: 3 })), { maxKeys: 6 });
  /** Event patterns (and events) with EventBridge's operators, so the matcher and its checks see deep input. */
  const rule = fc.oneof(leaf, fc.record({ prefix: text }), fc.record({ 'anything-but': fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.record({ prefix: text })) }),
    fc.record({ numeric: fc.array(fc.oneof(fc.constantFrom('<', '<=', '=', '>', '>='), fc.double()), { maxLength: 5 }) }), fc.record({ exists: fc.oneof(fc.boolean(), text) }),
    fc.record({ wildcard: fc.stringMatching(/^[a-z*\\]{0,8}$/) }), fc.record({ cidr: fc.oneof(text, fc.constantFrom('10.0.0.0/8', '::/0', '1.2.3.4/33')) }));
  const pattern = fc.dictionary(fc.constantFrom('source', 'detail', 'detail-type', '$or', 'a'), fc.oneof(fc.array(rule, { maxLength: 4 }), fc.dictionary(fc.constantFrom('a', 'b', '$or'), fc.array(rule, { maxLength: 3 }), { maxKeys: 3 })), { maxKeys: 4 })
    .map((value) => JSON.stringify(value));
  return fc.oneof(leaf, fc.jsonValue({ maxDepth: 3 }), structure, fc.array(structure, { maxLength: 11 }), pattern);
}

/** One request of an AWS protocol: an operation of its model (or any name) and inputs of any shape. */
function protocolRequest(protocol: ProtocolFuzz): fc.Arbitrary<{ path: string; headers: Array<[string, string]>; body: Buffer }> {
  const operation = fc.oneof(fc.constantFrom(...protocol.operations), fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty'), fc.string({ maxLength: 20 }));
  const path = fc.constantFrom(...protocol.paths);
  if (protocol.kind === 'json') {
    const body = fc.oneof(jsonBody, fc.dictionary(fc.constantFrom(...protocol.members), memberValue(protocol), { maxKeys: 6 }).map((input) => Buffer.from(JSON.stringify(input))));
    return fc.record({ operation, path, body }).map(({ operation: name, path: at, body: bytes }) => ({
      path: at,
      headers: [['X-Amz-Target', `${protocol.targetPrefix}.${name}`], ['Content-Type', protocol.contentType ?? 'application/json']],
      body: bytes,
    }));
  }
  const parameter = fc.tuple(fc.oneof(fc.constantFrom(...protocol.members), fc.string({ maxLength: 12 })), fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom(...protocol.values, '1', '0', '-1', '99999999999', 'true')));
  const body = fc.oneof(fc.array(parameter, { maxLength: 8 }).map((pairs) => Buffer.from(new URLSearchParams(pairs).toString())), fc.uint8Array({ maxLength: 100 }).map((bytes) => Buffer.from(bytes)));
  // Unsigned query requests name their Action in the URL (a signed one says its service in the credential scope).
  return fc.record({ operation, path, body }).map(({ operation: name, path: at, body: bytes }) => ({
    path: `${at}?Action=${encodeURIComponent(name)}`,
    headers: [['Content-Type', 'application/x-www-form-urlencoded']],
    body: bytes,
  }));
}

/** Failures show the assertion that failed, not only the counterexample. */
const SETTINGS = { includeErrorInReport: true } as const;

function routePath(route: FuzzRoute, id: Buffer): Buffer {
  const [head, ...rest] = route.path.split('{id}');
  return rest.length ? Buffer.concat([Buffer.from(head ?? ''), id, Buffer.from(rest.join(''))]) : Buffer.from(route.path);
}

describe('fuzzing every HTTP server', () => {
  let shared: SharedEngine;

  before(async () => {
    shared = await SharedEngine.start();
  });

  after(async () => {
    await shared.dispose();
    const rows: Array<[string, string | number]> = [
      ['servers attacked', [...perTarget.keys()].join(', ')],
      ...[...perTarget].map(([name, count]): [string, number] => [`inputs tried: ${name}`, count]),
      ['inputs tried in all', figures.inputs],
      ['answered with a 4xx in the server\'s error shape', figures.answered4xx],
      ['answered with a 2xx (valid after all)', figures.answered2xx],
      ['aborted by the client (server kept serving)', figures.closedAfterAbort],
      ['unanswered requests', figures.unanswered],
      ['5xx answers to bad input', figures.answered5xx],
      ['properties held (a crash of a server fails them all: the servers run in the suite\'s process)', `${figures.propertiesHeld} of ${figures.properties}`],
      ['peak RSS of the serving process (MB, limit 512)', figures.peakRssMB],
    ];
    // Figures of a run that failed would claim what did not hold: only a passing run is recorded.
    if (figures.propertiesHeld === figures.properties) recordReliabilityFigures({ key: 'fuzz', title: 'Hostile and malformed input (test/fuzz/httpFuzz.test.ts)', rows });
  });

  for (const target of FUZZ_TARGETS) {
    describe(target.name, () => {
      let running: RunningTarget;
      const host = () => `127.0.0.1:${running.port}`;

      before(async () => {
        running = await target.start(shared);
      });
      after(() => running.close());

      /** A property of this target: counted, and counted as held only when it passed. */
      function property(name: string, body: () => Promise<void>): void {
        figures.properties += 1;
        it(name, async () => {
          await body();
          figures.propertiesHeld += 1;
        });
      }

      /** Sends one request and checks the answer: one came, no 5xx, every 4xx in the server's shape. */
      async function attack(bytes: Buffer[], method: string, options: RawSendOptions = {}): Promise<RawAnswer> {
        const answer = await rawExchange(running.port, bytes, { ...options, head: method === 'HEAD' });
        figures.inputs += 1;
        perTarget.set(target.name, (perTarget.get(target.name) ?? 0) + 1);
        sampleRss();
        if (options.abort) {
          figures.closedAfterAbort += 1;
          return answer;
        }
        const shown = `${method} -> ${answer.status} ${answer.body.subarray(0, 200).toString()}`;
        if (answer.status === 0) figures.unanswered += 1;
        if (answer.status >= 500) figures.answered5xx += 1;
        assert.notEqual(answer.status, 0, `the server answered (${method})`);
        assert.ok(answer.status < 500, `no 5xx for bad input: ${shown}`);
        if (answer.status >= 400) {
          assert.ok(running.isErrorShape(answer), `the 4xx is in the server's error shape: ${shown} ${JSON.stringify(answer.headers)}`);
          figures.answered4xx += 1;
        } else {
          figures.answered2xx += 1;
        }
        return answer;
      }

      /** The probe still gets its 2xx: the server (and the process) survived. */
      async function stillServes(): Promise<void> {
        const { method, path, body } = running.probe;
        const bytes = requestBytes(`${method} ${path} HTTP/1.1`, [['Host', host()], ['Content-Length', String(Buffer.byteLength(body ?? ''))]], Buffer.from(body ?? ''));
        const answer = await rawExchange(running.port, [bytes]);
        assert.ok(answer.status >= 200 && answer.status < 300, `probe answered ${answer.status}: ${answer.body.toString()}`);
      }

      property('refuses foreign Host names (DNS rebinding) and, unless it serves web pages, foreign Origins', async () => {
        const port = running.port;
        const foreignHost = fc.oneof(
          fc.domain(),
          fc.domain().map((name) => `${name}:${port}`),
          fc.constantFrom(`127.0.0.1:${port + 1}`, '127.0.0.1', 'localhost', `[::1]:${port}`, `0.0.0.0:${port}`, `127.0.0.2:${port}`, `LOCALHOST.:${port}`),
        );
        const foreignOrigin = fc.oneof(fc.webUrl().map((url) => new URL(url).origin), fc.constantFrom('null', `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`, 'vscode-webview://x'));
        await fc.assert(
          fc.asyncProperty(fc.oneof(foreignHost.map((h) => ({ host: h })), foreignOrigin.map((o) => ({ host: host(), origin: o }))), async (sent) => {
            const { method, path, body } = running.probe;
            const headers: Array<[string, string]> = [['Host', sent.host], ['Content-Length', String(Buffer.byteLength(body ?? ''))]];
            if ('origin' in sent) headers.push(['Origin', sent.origin]);
            const answer = await attack([requestBytes(`${method} ${path} HTTP/1.1`, headers, Buffer.from(body ?? ''))], method);
            if ('origin' in sent && running.servesPages) assert.ok(answer.status < 400, `a page on ${sent.origin} may call it (CORS decides what it reads)`);
            else assert.equal(answer.status, 403, `Host ${sent.host}${'origin' in sent ? `, Origin ${sent.origin}` : ''} is refused`);
          }),
          { ...SETTINGS, numRuns: RUNS },
        );
        for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
          const { method, path, body } = running.probe;
          const answer = await rawExchange(port, [requestBytes(`${method} ${path} HTTP/1.1`, [['Host', host()], ['Origin', origin], ['Content-Length', String(Buffer.byteLength(body ?? ''))]], Buffer.from(body ?? ''))]);
          assert.ok(answer.status >= 200 && answer.status < 300, `its own origin ${origin} is served (${answer.status})`);
        }
      });

      property('answers malformed request lines and headers with a 4xx', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(fc.constantFrom(...METHODS), fc.string({ unit: 'binary-ascii', maxLength: 8 })),
            fc.oneof(
              fc.constantFrom(...running.routes).chain((route) => segment.map((id) => routePath(route, id))),
              fc.constantFrom('*', 'http://evil.example/x', '', '/\0', '//', '/?%').map((s) => Buffer.from(s)),
              fc.string({ unit: 'binary', maxLength: 30 }).map((s) => Buffer.from(s, 'utf8')),
            ),
            fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/0.9', 'HTTP/2', 'HTTP/1.1 x', 'http/1.1', '', 'HTTP/1.12'),
            fc.constantFrom(' ', '  ', '\t'),
            fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }),
            fc.constantFrom('own', 'foreign', 'none'),
            async (method, target, version, gap, headers, hostKind) => {
              const hostHeader: Array<[string, string]> = hostKind === 'own' ? [['Host', host()]] : hostKind === 'foreign' ? [['Host', 'evil.example']] : [];
              const line = Buffer.concat([Buffer.from(`${method}${gap}`), target, Buffer.from(`${gap}${version}`)]);
              await attack([requestBytes(line, [...hostHeader, ...headers, ['Content-Length', '0']])], method);
            },
          ),
          // Always tried: an HTTP/1.1 request without Host (Node answers it itself unless told not to).
          { ...SETTINGS, numRuns: RUNS, examples: [['GET', Buffer.from('/'), 'HTTP/1.1', ' ', [], 'none']] },
        );
        await stillServes();
      });

      property('answers wrong methods on every route with a 4xx', async () => {
        const served = running.routes.filter((route) => !route.methods.includes('*'));
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...running.routes), fc.constantFrom(...METHODS), segment, async (route, method, id) => {
            const path = routePath(route, id);
            const answer = await attack([requestBytes(Buffer.concat([Buffer.from(`${method} `), path, Buffer.from(' HTTP/1.1')]), [['Host', host()], ['Content-Length', '0']])], method);
            if (served.includes(route) && !route.methods.includes(method)) assert.ok(answer.status >= 400, `${method} ${route.path} is refused (${answer.status})`);
          }),
          { ...SETTINGS, numRuns: RUNS },
        );
        await stillServes();
      });

      property('answers invalid percent-escapes, invalid UTF-8 and unknown ids in paths and queries with a 4xx or the resource', async () => {
        const withIds = running.routes.filter((route) => route.path.includes('{id}'));
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...withIds), segment, fc.option(segment), async (route, id, query) => {
            const method = route.methods.find((m) => m !== '*') ?? 'GET';
            const path = query ? Buffer.concat([routePath(route, id), Buffer.from('?q='), query]) : routePath(route, id);
            const body = Buffer.from('{}');
            await attack([requestBytes(Buffer.concat([Buffer.from(`${method} `), path, Buffer.from(' HTTP/1.1')]), [['Host', host()], ['Content-Length', String(body.length)]], body)], method);
          }),
          { ...SETTINGS, numRuns: RUNS },
        );
        await stillServes();
      });

      property('answers invalid JSON and invalid UTF-8 bodies with a 4xx or the result', async () => {
        const jsonRoutes = running.routes.filter((route) => route.json);
        if (!jsonRoutes.length) return;
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...jsonRoutes), jsonBody, async (route, body) => {
            const path = routePath(route, Buffer.from('FuzzQueue'));
            await attack([requestBytes(Buffer.concat([Buffer.from('POST '), path, Buffer.from(' HTTP/1.1')]), [['Host', host()], ['Content-Type', 'application/json'], ['Content-Length', String(body.length)]], body)], 'POST');
          }),
          { ...SETTINGS, numRuns: RUNS },
        );
        await stillServes();
      });

      property('answers malformed AWS protocol requests (JSON and query) in the service\'s error shape, and valid ones', async () => {
        if (!running.protocols?.length) return;
        for (const protocol of running.protocols) {
          await fc.assert(
            fc.asyncProperty(protocolRequest(protocol), async (sent) => {
              const headers: Array<[string, string]> = [['Host', host()], ...sent.headers, ['Content-Length', String(sent.body.length)]];
              await attack([requestBytes(`POST ${sent.path} HTTP/1.1`, headers, sent.body)], 'POST');
            }),
            { ...SETTINGS, numRuns: RUNS * 2 },
          );
          await stillServes();
        }
      });

      property('answers huge headers with a 4xx', async () => {
        await fc.assert(
          fc.asyncProperty(fc.integer({ min: 24_000, max: 200_000 }), fc.boolean(), async (size, many) => {
            const headers: Array<[string, string]> = many
              ? Array.from({ length: Math.ceil(size / 40) }, (_, i): [string, string] => [`x-h${i}`, 'v'.repeat(30)])
              : [['x-huge', 'h'.repeat(size)]];
            const { method, path } = running.probe;
            const answer = await attack([requestBytes(`${method} ${path} HTTP/1.1`, [['Host', host()], ...headers, ['Content-Length', '0']])], method);
            assert.ok(answer.status >= 400, `headers of ${size} bytes are refused (${answer.status})`);
          }),
          { ...SETTINGS, numRuns: 4 },
        );
        await stillServes();
      });

      property('answers bodies over the limit with a 4xx, without keeping them', async () => {
        for (const route of running.routes.filter((r) => r.bodyLimit !== undefined)) {
          const method = route.methods.includes('POST') || route.methods.includes('*') ? 'POST' : (route.methods[0] as string);
          const body = Buffer.alloc((route.bodyLimit as number) + 1, 0x61);
          const path = routePath(route, Buffer.from('FuzzFunction'));
          const answer = await attack([requestBytes(Buffer.concat([Buffer.from(`${method} `), path, Buffer.from(' HTTP/1.1')]), [['Host', host()], ['Content-Length', String(body.length)]], body)], method);
          assert.ok(answer.status >= 400, `${body.length} bytes to ${route.path} are refused (${answer.status})`);
        }
        await stillServes();
      });

      property('answers malformed and truncated chunked bodies with a 4xx', async () => {
        const posting = running.routes.filter((route) => route.methods.includes('POST') || route.methods.includes('*'));
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...posting), malformedChunked, segment, async (route, chunked, id) => {
            const head = requestBytes(Buffer.concat([Buffer.from('POST '), routePath(route, id), Buffer.from(' HTTP/1.1')]), [['Host', host()], ['Transfer-Encoding', 'chunked']]);
            await attack([head, Buffer.from(chunked.body)], 'POST', { end: chunked.truncated });
          }),
          { ...SETTINGS, numRuns: RUNS },
        );
        await stillServes();
      });

      property('keeps serving when clients abort mid-headers or mid-body', async () => {
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...running.routes), fc.boolean(), fc.nat(100), async (route, midHeaders, sent) => {
            const method = route.methods.find((m) => m !== '*') ?? 'POST';
            const path = routePath(route, Buffer.from('FuzzFunction'));
            const full = requestBytes(Buffer.concat([Buffer.from(`${method} `), path, Buffer.from(' HTTP/1.1')]), [['Host', host()], ['Content-Length', '1000']]);
            const bytes = midHeaders ? full.subarray(0, Math.min(sent, full.length - 4)) : Buffer.concat([full, Buffer.alloc(sent, 0x7b)]);
            await attack([bytes], method, { abort: true });
            await stillServes();
          }),
          { ...SETTINGS, numRuns: Math.ceil(RUNS / 2) },
        );
      });

      property('serves a slow client without holding up the others', async () => {
        await fc.assert(
          fc.asyncProperty(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 5, max: 40 }), async (pieces, delayMs) => {
            const { method, path, body } = running.probe;
            const bytes = requestBytes(`${method} ${path} HTTP/1.1`, [['Host', host()], ['Content-Length', String(Buffer.byteLength(body ?? ''))]], Buffer.from(body ?? ''));
            const size = Math.ceil(bytes.length / pieces);
            const slow = attack(Array.from({ length: pieces }, (_, i) => bytes.subarray(i * size, (i + 1) * size)), method, { delayMs });
            await stillServes();
            const answer = await slow;
            assert.ok(answer.status >= 200 && answer.status < 300, `the slow client got its answer (${answer.status})`);
          }),
          { ...SETTINGS, numRuns: 5 },
        );
      });
    });
  }
});
