// F5 through an API route: `"api"` launch arguments make the session's event the one API Gateway sends for the request.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AdapterHarness, repoRoot } from './adapterHarness';
import type { CdpClient } from './cdpClient';
import { connectInspector } from './inspectorSession';

describe('launching through an API route', () => {
  let work: string;
  let template: string;
  let harness: AdapterHarness;
  let cdp: CdpClient | undefined;

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'lwb-api-launch-'));
    cpSync(path.join(repoRoot, 'test', 'fixtures', 'gateway'), work, { recursive: true });
    template = path.join(work, 'template.yaml');
    harness = await AdapterHarness.start();
  });

  after(async () => {
    await cdp?.close().catch(() => undefined);
    await harness.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('refuses a request that reaches another function, and a request no route matches', async () => {
    await assert.rejects(
      harness.client.launchRequest({ template, function: 'ShapeFunction', api: { request: { method: 'GET', path: '/orders/1' } } } as never),
      /GET \/orders\/1 reaches EchoFunction \(GET \/orders\/\{id\}\), not ShapeFunction/,
    );
    await assert.rejects(
      harness.client.launchRequest({ template, function: 'EchoFunction', api: { request: { method: 'PATCH', path: '/nowhere' } } } as never),
      /No API route of the template matches PATCH \/nowhere/,
    );
  });

  it('invokes the function with the payload format 2.0 event of the request, from a request document', async () => {
    const requestFile = path.join(work, 'order.request.json');
    writeFileSync(requestFile, JSON.stringify({ method: 'GET', path: '/orders/42?verbose=1', headers: { 'x-test': 'yes' }, body: '' }));
    const attached = harness.nextAttach();
    await harness.launch({ template, function: 'EchoFunction', backend: 'process', api: { requestFile } });
    cdp = await connectInspector(await attached);
    await cdp.send('Runtime.runIfWaitingForDebugger');
    // An invoke without an event replays the launch event: the API Gateway event of the request.
    const { payload } = await harness.invoke(undefined);
    const event = JSON.parse((payload as { body: string }).body) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, 'GET /orders/{id}');
    assert.equal(event.rawPath, '/orders/42');
    assert.deepEqual(event.pathParameters, { id: '42' });
    assert.deepEqual(event.queryStringParameters, { verbose: '1' });
    assert.equal(event.headers['x-test'], 'yes');
    assert.equal(event.requestContext.http.method, 'GET');
    // The launch's own invocation and this one share the session's one environment (and its inspector port): the second
    // waited while the first was still starting instead of starting another.
    assert.equal(harness.outputs.filter((o) => o.output.startsWith('INIT_START')).length, 1, harness.outputs.map((o) => o.output).join(''));
  });
});
