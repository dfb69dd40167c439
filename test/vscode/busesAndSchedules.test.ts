// Integration: the Resources section's EventBridge buses (Put Event...) and schedules (Run Schedule Now), and the workspace
// service firing the template's Schedule events and PutRule's scheduled rules on time under lambdaWorkbench.timeScale.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as vscode from 'vscode';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand, DeleteRuleCommand } from '@aws-sdk/client-eventbridge';
import type { WorkbenchApi } from '../../src/extension';
import type { RunningEndpoints } from '../../src/extension/endpoints/localEndpoints';
import type { LambdaNode } from '../../src/extension/tree/treeNodes';
import { acceptPrompts, activateExtension, fixturePath, logChannelText, logLine, waitFor, writeFunctionProject } from './helpers';

const HANDLER = [
  '// Logs what EventBridge delivers: a matched event or a scheduled one.',
  'exports.handler = async (event) => {',
  "  console.log(`HEARD ${event.source} ${event['detail-type']} ${JSON.stringify(event.detail)} ${event.time} ${event.resources.join(',')}`);",
  '};',
];

/** The resource with context value `contextValue` and label `label` in the Resources section, once drawn. */
async function resource(api: WorkbenchApi, contextValue: string, label: string): Promise<{ node: LambdaNode; item: vscode.TreeItem }> {
  return waitFor(`${label} to be listed`, async () => {
    const section = ((await api.tree.getChildren()) ?? []).find((node) => node.kind === 'resources');
    for (const node of (section && (await api.tree.getChildren(section))) ?? []) {
      const item = await api.tree.getTreeItem(node);
      if (item.contextValue === contextValue && item.label === label) return { node, item };
    }
    return undefined;
  }, 60_000);
}

/** The `time` of each scheduled event the function logged for the resource `arn`, in order. */
function scheduledTimes(log: string, arn: string): number[] {
  const pattern = /HEARD aws\.events Scheduled Event \{\} (\S+) (\S+)/g;
  return [...log.matchAll(pattern)].filter((match) => match[2] === arn).map((match) => Date.parse(match[1] as string));
}

suite('Local buses and schedules', () => {
  const folder = () => fixturePath('bus-app');
  const settings = () => vscode.workspace.getConfiguration('lambdaWorkbench');

  suiteSetup(async () => {
    await activateExtension();
    await writeFunctionProject(folder(), 'OrderListener', HANDLER, [
      'Events:',
      '  Orders:',
      '    Type: EventBridgeRule',
      '    Properties:',
      '      EventBusName: orders-bus',
      '      Pattern:',
      '        source: [my.app]',
      '  Every:',
      '    Type: Schedule',
      '    Properties:',
      '      Schedule: rate(1 minute)',
      '      Name: order-sweep',
    ], ['OrdersBus:', '  Type: AWS::Events::EventBus', '  Properties:', '    Name: orders-bus']);
  });

  suiteTeardown(async () => {
    await settings().update('timeScale', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('lambdaWorkbench.stopLocalEndpoints');
    await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
    rmSync(folder(), { recursive: true, force: true });
    await vscode.commands.executeCommand('lambdaWorkbench.refresh');
  });

  test('Put Event... on a bus: the function its rule targets runs with the event', async () => {
    const api = await activateExtension();
    const bus = await resource(api, 'bus', 'orders-bus');
    // The user runs Put Event... on the bus and accepts the Source, DetailType and Detail offered.
    const put = await acceptPrompts(vscode.commands.executeCommand<{ eventId: string }>('lambdaWorkbench.putEvent', bus.node));
    assert.ok(put?.eventId, 'the event was put');
    await logLine(api, `Put event ${put.eventId} on orders-bus.`);
    const heard = await logLine(api, 'HEARD my.app Test Event {"hello":"world"}', 60_000);
    await waitFor('the function\'s REPORT', async () => {
      const after = (await logLine(api, 'HEARD my.app Test Event')).split('HEARD my.app Test Event')[1] ?? '';
      return /\[OrderListener\] REPORT RequestId: /.test(after) ? true : undefined;
    }, 60_000);
    assert.ok(heard);
    // Once the service runs, the bus shows its rule.
    assert.equal((await resource(api, 'bus', 'orders-bus')).item.description, '1 rule');
  });

  test('Run Schedule Now fires the template\'s schedule at once with the Scheduled Event', async () => {
    const api = await activateExtension();
    const schedule = await resource(api, 'schedule', 'OrderListener.Every');
    assert.match(String(schedule.item.description), /^rate\(1 minute\)/);
    const run = await vscode.commands.executeCommand<{ requestId: string }>('lambdaWorkbench.runSchedule', schedule.node);
    assert.ok(run?.requestId, 'the schedule ran');
    await logLine(api, `Ran schedule OrderListener.Every now -> OrderListener (RequestId ${run.requestId}).`);
    await logLine(api, 'HEARD aws.events Scheduled Event {} ', 60_000);
    assert.match(await logLine(api, 'HEARD aws.events Scheduled Event {} '), /arn:aws:events:us-east-1:123456789012:rule\/order-sweep/);
  });

  test('with a time scale, the service fires the Schedule event and a PutRule schedule on time, a minute of their clock apart', async function () {
    this.timeout(240_000);
    const api = await activateExtension();
    // Only what this test's service logs (Run Now fired the same schedule before).
    const start = (await logChannelText(api)).length;
    const logSince = async () => (await logChannelText(api)).slice(start);
    // rate(1 minute) scaled by 0.02: every 1.2 s. The setting replaces the service; Start Local Endpoints starts the new one.
    await settings().update('timeScale', 0.02, vscode.ConfigurationTarget.Global);
    const running = await vscode.commands.executeCommand<RunningEndpoints>('lambdaWorkbench.startLocalEndpoints', { port: 0 });
    const templateArn = 'arn:aws:events:us-east-1:123456789012:rule/order-sweep';
    const fired = await waitFor('the template schedule to fire twice on its own', async () => {
      const log = await logSince();
      return (log.match(/Schedule OrderListener\.Every fired -> OrderListener \(RequestId /g) ?? []).length >= 2 && scheduledTimes(log, templateArn).length >= 2 ? log : undefined;
    }, 120_000);
    const [first, second] = scheduledTimes(fired, templateArn);
    assert.equal((second as number) - (first as number), 60_000, 'consecutive firings are a minute apart on the schedule\'s clock');

    // A rule made through the EventBridge API with a ScheduleExpression fires its Lambda target the same way.
    const events = new EventBridgeClient({ endpoint: running.invokeApiUrl, region: 'us-east-1', credentials: { accessKeyId: 'any', secretAccessKey: 'any' }, maxAttempts: 1 });
    try {
      const { RuleArn } = await events.send(new PutRuleCommand({ Name: 'api-sweep', ScheduleExpression: 'rate(2 minutes)' }));
      assert.equal(RuleArn, 'arn:aws:events:us-east-1:123456789012:rule/api-sweep');
      await events.send(new PutTargetsCommand({ Rule: 'api-sweep', Targets: [{ Id: 'listener', Arn: 'arn:aws:lambda:us-east-1:123456789012:function:OrderListener' }] }));
      const ruleFired = await waitFor('the API rule to fire twice', async () => {
        const log = await logSince();
        return scheduledTimes(log, RuleArn).length >= 2 ? log : undefined;
      }, 120_000);
      const [a, b] = scheduledTimes(ruleFired, RuleArn);
      assert.equal((b as number) - (a as number), 120_000);
      assert.match(ruleFired, /EventBridge rule api-sweep \(rate\(2 minutes\)\) fired -> 1 target\(s\)/);
      // It is listed among the schedules.
      const listed = await resource(api, 'schedule', 'api-sweep');
      assert.match(String(listed.item.description), /^rate\(2 minutes\) · EventBridge rule/);
      await events.send(new RemoveTargetsCommand({ Rule: 'api-sweep', Ids: ['listener'] }));
      await events.send(new DeleteRuleCommand({ Name: 'api-sweep' }));
    } finally {
      events.destroy();
      await settings().update('timeScale', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('lambdaWorkbench.stopLocalEndpoints');
    }
  });
});
