// Schedule / ScheduleV2 events: EventBridge's expressions, the scheduled event, firing under `start --time-scale`, `schedules run`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DisableRuleCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { parseScheduleExpression } from '../../src/core/service/schedules/scheduleExpression';
import { failure, startEndpoint } from '../support/startedEndpoint';

const CLI = resolve(__dirname, '../../../dist/cli.js');
const FIXTURE = resolve(__dirname, '../../../test/fixtures/schedules');

describe('schedule expressions', () => {
  it('rate: one period after the start, then every period', () => {
    const start = Date.UTC(2026, 0, 1, 12, 0, 0);
    const rate = parseScheduleExpression('rate(5 minutes)', undefined, start);
    assert.equal(rate.next(start), start + 5 * 60_000);
    assert.equal(rate.next(start + 5 * 60_000), start + 10 * 60_000);
    assert.throws(() => parseScheduleExpression('rate(1 minutes)'), /use '1 minute'/);
    assert.throws(() => parseScheduleExpression('rate(0 hours)'), /positive/);
  });

  it('cron: six fields, Quartz weekdays (1 is Sunday), a year field, time zones', () => {
    // 10:15 UTC on weekdays: from Friday 2026-01-02 11:00 the next is Monday 2026-01-05.
    const weekdays = parseScheduleExpression('cron(15 10 ? * MON-FRI *)');
    assert.equal(new Date(weekdays.next(Date.UTC(2026, 0, 2, 11, 0)) as number).toISOString(), '2026-01-05T10:15:00.000Z');
    // Day-of-week 1 is Sunday in AWS's cron: 2026-01-04 is a Sunday.
    const sunday = parseScheduleExpression('cron(0 8 ? * 1 *)');
    assert.equal(new Date(sunday.next(Date.UTC(2026, 0, 1)) as number).toISOString(), '2026-01-04T08:00:00.000Z');
    const yearly = parseScheduleExpression('cron(0 0 1 1 ? 2027)');
    assert.equal(new Date(yearly.next(Date.UTC(2026, 5, 1)) as number).toISOString(), '2027-01-01T00:00:00.000Z');
    // 03:00 in Paris is 02:00 UTC in winter.
    const paris = parseScheduleExpression('cron(0 3 * * ? *)', 'Europe/Paris');
    assert.equal(new Date(paris.next(Date.UTC(2026, 0, 10, 12)) as number).toISOString(), '2026-01-11T02:00:00.000Z');
    assert.throws(() => parseScheduleExpression('cron(0 8 * * 1 *)'), /one of day-of-month and day-of-week must be '\?'/);
    assert.throws(() => parseScheduleExpression('cron(0 8 * * ?)'), /six fields/);
    assert.throws(() => parseScheduleExpression('every day'), /expected rate/);
  });
});

describe('schedules under lambda-workbench start and schedules run', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-schedules-'));
    cpSync(FIXTURE, dir, { recursive: true });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a rate(1 minute) schedule fires within seconds at --time-scale 0.01 with the Scheduled Event', { timeout: 120_000 }, async () => {
    const endpoint = await startEndpoint(dir, ['--time-scale', '0.01']);
    try {
      assert.match(endpoint.output().stdout, /^ {2}TickFunction\.Every {2}rate\(1 minute\)$/m);
      assert.match(endpoint.output().stdout, /^ {2}NightlyFunction\.Nightly {2}cron\(0 3 \? \* MON-FRI \*\) Europe\/Paris {2}\(disabled\)$/m);
      while ((endpoint.output().stderr.match(/^Schedule TickFunction\.Every fired -> TickFunction \(RequestId [0-9a-f-]{36}\)$/gm) ?? []).length < 2) {
        await new Promise((r) => setTimeout(r, 100));
      }
      while (!endpoint.output().stderr.includes('TICK {')) await new Promise((r) => setTimeout(r, 100));
      const event = JSON.parse(/TICK (\{.*\})/.exec(endpoint.output().stderr)?.[1] ?? '{}');
      assert.deepEqual(Object.keys(event), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
      assert.equal(event['detail-type'], 'Scheduled Event');
      assert.equal(event.source, 'aws.events');
      assert.deepEqual(event.resources, ['arn:aws:events:us-east-1:123456789012:rule/every-minute']);
      assert.match(event.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.deepEqual(event.detail, {});
      // The disabled schedule never fired.
      assert.doesNotMatch(endpoint.output().stderr, /Schedule NightlyFunction/);
    } finally {
      assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
    }
  });

  it('schedules list, and run NAME fires a disabled ScheduleV2 with its Input', { timeout: 120_000 }, () => {
    const list = spawnSync(process.execPath, [CLI, 'schedules', 'list'], { cwd: dir, encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    assert.equal(list.stdout, 'TickFunction.Every  rate(1 minute)  enabled  Schedule\nNightlyFunction.Nightly  cron(0 3 ? * MON-FRI *) (Europe/Paris)  disabled  ScheduleV2\n');
    const run = spawnSync(process.execPath, [CLI, 'schedules', 'run', 'Nightly'], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { job: 'nightly' });
    const unknown = spawnSync(process.execPath, [CLI, 'schedules', 'run', 'Weekly'], { cwd: dir, encoding: 'utf8' });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /No schedule named 'Weekly'\. Schedules: TickFunction\.Every, NightlyFunction\.Nightly\./);
  });

  it('schedules list and run a scheduled AWS::Events::Rule of the template (as CDK writes it), enabled or not', { timeout: 120_000 }, () => {
    const list = spawnSync(process.execPath, [CLI, 'schedules', 'list', '--template', 'rules.yaml'], { cwd: dir, encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    assert.equal(list.stdout, 'HourlyReport  rate(1 hour)  disabled  EventBridge rule -> ReportFunction\n');
    // The function runs synchronously with the target's Input: its response on stdout, its log on stderr.
    const run = spawnSync(process.execPath, [CLI, 'schedules', 'run', 'HourlyReport', '--template', 'rules.yaml'], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { report: 'hourly' });
    assert.match(run.stderr, /\tINFO\tTICK \{"report":"hourly"\}$/m);
    const unknown = spawnSync(process.execPath, [CLI, 'schedules', 'run', 'Weekly', '--template', 'rules.yaml'], { cwd: dir, encoding: 'utf8' });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /No schedule or scheduled rule named 'Weekly'\. Schedules: HourlyReport\./);
  });

  it('PutRule with a ScheduleExpression fires its targets with the Scheduled Event at --time-scale, again after a restart', { timeout: 180_000 }, async () => {
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    let endpoint = await startEndpoint(dir, ['--time-scale', '0.01']);
    const clients = (url: string) => ({
      events: new EventBridgeClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 }),
      sqs: new SQSClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 }),
    });
    let { events, sqs } = clients(endpoint.url);
    /** The next `count` Scheduled Events of the queue, in order (each received and deleted). */
    const received = async (queueUrl: string, count: number) => {
      const bodies: Record<string, unknown>[] = [];
      while (bodies.length < count) {
        const answer = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }));
        for (const message of answer.Messages ?? []) {
          bodies.push(JSON.parse(message.Body ?? '{}') as Record<string, unknown>);
          await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
        }
      }
      return bodies;
    };
    try {
      const bad = await failure(events.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'rate(1 minutes)' })));
      assert.equal(bad.name, 'ValidationException');
      assert.equal(bad.message, 'Parameter ScheduleExpression is not valid.');
      const scheduler = await failure(events.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'at(2030-01-01T00:00:00)' })));
      assert.equal(scheduler.message, 'Parameter ScheduleExpression is not valid.');

      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'ticks' }));
      const { RuleArn } = await events.send(new PutRuleCommand({ Name: 'api-tick', ScheduleExpression: 'rate(1 minute)' }));
      assert.equal(RuleArn, 'arn:aws:events:us-east-1:123456789012:rule/api-tick');
      await events.send(new PutTargetsCommand({
        Rule: 'api-tick',
        Targets: [
          { Id: 'queue', Arn: 'arn:aws:sqs:us-east-1:123456789012:ticks' },
          { Id: 'function', Arn: 'arn:aws:lambda:us-east-1:123456789012:function:TickFunction', Input: '{"from":"api-tick"}' },
        ],
      }));
      const [first, second] = await received(QueueUrl as string, 2);
      assert.deepEqual(Object.keys(first ?? {}), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
      assert.equal(first?.['detail-type'], 'Scheduled Event');
      assert.equal(first?.source, 'aws.events');
      assert.deepEqual(first?.resources, [RuleArn]);
      assert.deepEqual(first?.detail, {});
      // A minute apart on the schedule's own clock, whatever the scale.
      assert.equal(Date.parse(second?.time as string) - Date.parse(first?.time as string), 60_000);
      // The Lambda target got its Input, as an asynchronous invocation.
      while (!endpoint.output().stderr.includes('TICK {"from":"api-tick"}')) await new Promise((r) => setTimeout(r, 100));
      assert.match(endpoint.output().stderr, /^EventBridge rule api-tick \(rate\(1 minute\)\) fired -> 2 target\(s\)$/m);

      // The rule is kept in the state directory: a restarted `start` fires it again.
      events.destroy();
      sqs.destroy();
      assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
      endpoint = await startEndpoint(dir, ['--time-scale', '0.01']);
      ({ events, sqs } = clients(endpoint.url));
      assert.match(endpoint.output().stdout, /^ {2}default\/api-tick rate\(1 minute\) -> ticks, TickFunction$/m);
      const restartedAt = Date.now();
      // Events the first run fired and nobody received are still queued; then come the restarted run's.
      let event: Record<string, unknown> | undefined;
      while (!event || Date.parse(event.time as string) < restartedAt) [event] = await received(QueueUrl as string, 1);
      assert.deepEqual(event.resources, [RuleArn]);
      await events.send(new DisableRuleCommand({ Name: 'api-tick' }));
    } finally {
      events.destroy();
      sqs.destroy();
      assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
    }
    // The CLI knows the rule too (from the state directory): listed, and run at once with the function awaited.
    const list = spawnSync(process.execPath, [CLI, 'schedules', 'list'], { cwd: dir, encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^api-tick {2}rate\(1 minute\) {2}disabled {2}EventBridge rule -> ticks, TickFunction$/m);
    const run = spawnSync(process.execPath, [CLI, 'schedules', 'run', 'api-tick'], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { from: 'api-tick' });
  });
});
