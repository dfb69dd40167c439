// `lambda-workbench start`: serves the Invoke API (and function URLs) on 127.0.0.1 until SIGINT/SIGTERM, then stops every instance and exits 0.
import { setFlagsFromString } from 'node:v8';
import { startFunctionUrls } from '../../core/api/functionUrls';
import { SERVED_LAMBDA_ACTIONS } from '../../core/api/lambda/lambdaApi';
import { servedSqsActions } from '../../core/api/sqs/sqsApi';
import { servedEventBridgeActions } from '../../core/api/eventbridge/eventBridgeApi';
import { servedKinesisActions } from '../../core/api/kinesis/kinesisApi';
import { servedSnsActions } from '../../core/api/sns/snsApi';
import { applyTemplateTopics } from '../../core/service/topics/templateTopics';
import { WorkbenchError } from '../../core/common/errors';
import { LOCAL_SERVICES, parsePassThrough } from '../../core/instances/localServices';
import { iamCredentialsFrom } from '../../core/gateway/iamAuthorization';
import { startLocalGateway, type LocalGateway } from '../../core/gateway/localGateway';
import { startLocalEventSources, type LocalEventSources } from '../../core/service/eventSources/localEventSources';
import { LocalSchedules, readSchedules } from '../../core/service/schedules/localSchedules';
import type { CommandSpec } from '../commandSpec';
import { writeFully } from '../cliIo';
import { FUNCTION_SOURCE_FLAGS, loadFunctionSource, parameterOverrides } from '../functionSource';
import { openLocalEndpoint, useTemplateRules } from '../localEndpoint';
import { BACKEND_FLAG, INTERPRETER_FLAG, withService } from '../serviceSession';
import { waitForTerminationSignal } from '../signals';
import { DEBUG_PORT_FLAG, enableDebugPorts, parseDebugPort } from '../debugPort';
import { TIME_SCALE_FLAG, parseTimeScale } from '../timeScale';
import { WATCH_FLAG, watchFunctions } from '../watchFunctions';
import { SERVICE_V8_FLAGS } from '../serviceV8Flags';

const DEFAULT_PORT = 3001;
/** API Gateway's port, as `sam local start-api` uses it. */
const DEFAULT_API_PORT = 3000;

export const startCommand: CommandSpec = {
  name: 'start',
  summary: 'Serve the Lambda Invoke API on 127.0.0.1 for the AWS SDK and AWS CLI.',
  positionals: [],
  flags: [
    { name: 'port', kind: 'string', valueName: 'n', description: `Port on 127.0.0.1 (default: ${DEFAULT_PORT}; 0 picks a free one).` },
    {
      name: 'url-port',
      kind: 'string',
      valueName: 'n',
      description: 'First port of the function URLs (one port per URL config, template or API-made; default: any free ports).',
    },
    {
      name: 'events-port',
      kind: 'string',
      valueName: 'n',
      description: 'Port of the local queues and streams endpoint (default: any free port).',
    },
    {
      name: 'api-port',
      kind: 'string',
      valueName: 'n',
      description: `Port of the API Gateway serving the template's HTTP and REST APIs (default: ${DEFAULT_API_PORT}; 0 picks a free one).`,
    },
    { name: 'api-timeout', kind: 'string', valueName: 'ms', description: 'Integration timeout of every API route (default: TimeoutInMillis, else 29000 REST / 30000 HTTP).' },
    { name: 'jwks', kind: 'string', valueName: 'file.json', description: 'JSON Web Key Set for JWT authorizers (without it JWT authorizers are skipped, with a warning).' },
    {
      name: 'pass-through',
      kind: 'list',
      valueName: 'service,...',
      description: `Services whose SDK calls from functions go to AWS with your credentials instead of this endpoint (${Object.keys(LOCAL_SERVICES).join(', ')}).`,
    },
    { name: 'api-key', kind: 'list', valueName: 'key', description: 'API key accepted by routes with ApiKeyRequired, besides AWS::ApiGateway::ApiKey values.' },
    {
      name: 'iam-credentials',
      kind: 'list',
      valueName: 'id:secret',
      description: 'Credentials whose SigV4 signatures AWS_IAM routes accept (ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]), besides AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.',
    },
    BACKEND_FLAG,
    INTERPRETER_FLAG,
    WATCH_FLAG,
    TIME_SCALE_FLAG,
    DEBUG_PORT_FLAG,
    ...FUNCTION_SOURCE_FLAGS,
  ],
  // Built when the help is shown: listing the served actions makes each service's action table.
  get details() {
    return startDetails();
  },

  async run(args, io) {
    // The service keeps V8's young generation small and optimises its hot path sooner (src/cli/serviceV8Flags.ts).
    setFlagsFromString(SERVICE_V8_FLAGS);
    const port = parsePort(args.strings.get('port'), DEFAULT_PORT, 'port');
    const urlPort = parsePort(args.strings.get('url-port'), 0, 'url-port');
    const eventsPort = parsePort(args.strings.get('events-port'), 0, 'events-port');
    const apiPort = parsePort(args.strings.get('api-port'), DEFAULT_API_PORT, 'api-port');
    const apiTimeout = parseTimeout(args.strings.get('api-timeout'));
    const iamCredentials = iamCredentialsFrom(args.lists.get('iam-credentials') ?? [], process.env);
    const source = await loadFunctionSource('start', args);
    const timeScale = parseTimeScale('start', args);
    const passThrough = parsePassThrough(args.lists.get('pass-through') ?? []);
    const overrides = parameterOverrides('start', args.lists.get('parameter-overrides')) ?? {};
    const debugPort = parseDebugPort('start', args, source.registry.list().length);
    const signal = waitForTerminationSignal();
    try {
      await withService(source, args, io.stderr, async (service) => {
        for (const warning of await service.ready()) await writeFully(io.stderr, `Warning: ${warning}\n`);
        // Event invocations a stopped or killed `start` accepted and did not finish run again (the state directory's journals).
        for (const line of await service.resumeAsyncInvocations()) await writeFully(io.stderr, `${line}\n`);
        const warn = (message: string): void => void io.stderr.write(`Warning: ${message}\n`);
        await useTemplateRules(service, source, overrides, warn);
        if (debugPort !== undefined) await enableDebugPorts(service, source.registry.list(), debugPort, io.stderr);
        let events: LocalEventSources | undefined;
        // The template's tables and buckets on the same endpoint (their writes feed the event sources' table streams).
        const { api, data, close } = await openLocalEndpoint(service, source, {
          port, parameterOverrides: overrides, passThrough, eventSources: () => events?.sources, heldTables: 'fail', warn,
        });
        try {
          const urls = await startFunctionUrls(service, { basePort: urlPort });
          let gateway: LocalGateway | undefined;
          let watching: { dispose(): Promise<void> } | undefined;
          // Schedule / ScheduleV2 events fire on time (scaled), each an asynchronous invocation as EventBridge makes it.
          const schedules = new LocalSchedules(readSchedules(source.registry.list()), service, {
            ...(timeScale !== undefined ? { timeScale } : {}),
            onFire: (schedule, result) => void io.stderr.write(`Schedule ${schedule.name} fired -> ${schedule.functionName} ${result.requestId ? `(RequestId ${result.requestId})` : `failed: ${result.error}`}\n`),
          });
          // EventBridge rules with a ScheduleExpression (the template's and PutRule's) fire their targets on the same time scale.
          const ruleSchedules = service.eventBuses.startSchedules();
          const ruleFirings = service.eventBuses.onDidFireSchedule(({ rule, targets }) =>
            void io.stderr.write(`EventBridge rule ${rule.name} (${rule.scheduleExpression ?? ''}) fired -> ${targets} target(s)\n`));
          try {
            // Queue and stream pollers (SQS, Kinesis, DynamoDB events) with the endpoint that feeds them.
            events = await startLocalEventSources(service, source.registry, {
              port: eventsPort,
              queues: service.queues,
              topics: service.topics,
              eventBuses: service.eventBuses,
              state: (await service.functionStore()).state,
              parameterOverrides: overrides,
              ...(timeScale !== undefined ? { timeScale } : {}),
            });
            gateway = await startLocalGateway(service, source.registry, {
              port: apiPort,
              parameterOverrides: overrides,
              ...(apiTimeout !== undefined ? { timeoutMs: apiTimeout } : {}),
              ...(args.strings.has('jwks') ? { jwksFile: args.strings.get('jwks') } : {}),
              apiKeys: args.lists.get('api-key') ?? [],
              iamCredentials,
              watchTemplates: true,
              onRequest: (entry) => void io.stderr.write(`${entry.method} ${entry.path} -> ${entry.route?.functionId ?? '(no route)'} ${entry.status}\n`),
              onReload: (reloaded) => void io.stderr.write(`${reloaded.join('\n')}\n`),
            });
            // The template's topics and subscriptions (SNS events included); failed deliveries are told as they happen.
            const topics = await applyTemplateTopics(service.topics, source.registry.list(), overrides);
            const topicLines = [...topics.summary, ...topics.warnings.map((warning) => `  warning: ${warning}`)];
            service.topics.onDidDeliver((report) => {
              if (report.error) void io.stderr.write(`SNS ${report.topicArn} -> ${report.subscription.protocol} ${report.subscription.endpoint}: delivery failed (${report.error})\n`);
            });
            const functions = source.registry.list().map((spec) => {
              const blocker = service.cannotRun(spec);
              const where = blocker ? `cannot run: ${blocker.reason} ${blocker.hint}` : `${api.url}/2015-03-31/functions/${spec.functionName}/invocations`;
              return `  ${spec.functionName}  ${spec.runtime ?? spec.imageUri ?? ''}  ${where}`;
            });
            const endpoints = urls.endpoints.map((e) =>
              `  ${e.functionName}${e.qualifier === '$LATEST' ? '' : `:${e.qualifier}`}  ${e.url}${e.invokeMode === 'RESPONSE_STREAM' ? '  (streaming)' : ''}`);
            const lines = [`Invoke API listening on ${api.url}`, 'Functions:', ...functions];
            if (endpoints.length) lines.push('Function URLs:', ...endpoints);
            if (data) lines.push(...data.summary(api.url));
            lines.push(...topicLines, ...events.summary);
            await service.eventBuses.ready();
            lines.push(...service.eventBuses.summary());
            if (gateway) lines.push(...gateway.summary());
            if (schedules.schedules.length) {
              lines.push('Schedules (lambda-workbench schedules run NAME fires one now):',
                ...schedules.schedules.map((s) => `  ${s.name}  ${s.expression.text}${s.timezone ? ` ${s.timezone}` : ''}${s.enabled ? '' : '  (disabled)'}`));
              schedules.start();
            }
            const provisioned = await service.startProvisionedConcurrency();
            if (provisioned.length) lines.push('Provisioned concurrency:', ...provisioned.map((line) => `  ${line}`));
            if (args.booleans.has(WATCH_FLAG.name)) {
              watching = await watchFunctions(service, source, io.stderr);
              lines.push('Watching the functions\' code and template: saving a file reloads its function.');
            }
            await writeFully(io.stdout, [...lines, ''].join('\n'));
            await signal.received;
          } finally {
            schedules.dispose();
            ruleSchedules.dispose();
            ruleFirings.dispose();
            await watching?.dispose();
            await gateway?.close();
            await events?.close();
            await urls.close();
          }
        } finally {
          await close();
        }
      });
      return 0;
    } finally {
      signal.dispose();
    }
  },
};

/** The end of `start --help`: what is served, and an example. */
function startDetails(): string {
  return [
    'Stops with Ctrl+C (SIGINT) or SIGTERM; every instance is stopped before the process exits.',
    'HttpApi and Api events, AWS::Serverless::HttpApi / Api and AWS::ApiGatewayV2 / AWS::ApiGateway resources are served on --api-port',
    '(paths without the stage name; routes are re-read when the template changes).',
    'SQS, Kinesis and DynamoDB events are polled locally: send messages and records to the event sources endpoint printed at startup.',
    'Functions, versions, aliases and settings made through the Lambda API are kept in .lambda-workbench/state beside the template',
    "('lambda-workbench state reset' forgets them).",
    'SQS on the same port (JSON and query protocols): the template\'s queues and those made with CreateQueue, kept in the state directory;',
    'the SQS events of the template consume from them.',
    'EventBridge on the same port: the default bus, the template\'s buses and rules (AWS::Events::Rule, EventBridgeRule and',
    'CloudWatchEvent events) and those made with PutRule / PutTargets, kept in the state directory; PutEvents delivers matched',
    'events to Lambda functions (asynchronously), SQS queues, SNS topics and other buses; rules with a ScheduleExpression fire on time.',
    '',
    'Lambda API actions served:',
    ...wrapNames(SERVED_LAMBDA_ACTIONS),
    '',
    'SQS actions served:',
    ...wrapNames(servedSqsActions()),
    '',
    'EventBridge actions served:',
    ...wrapNames(servedEventBridgeActions()),
    '',
    'SNS actions served (the template\'s topics and those made with CreateTopic, kept in the state directory):',
    ...wrapNames(servedSnsActions()),
    '',
    'Kinesis actions served (into the streams the Kinesis events read):',
    ...wrapNames(servedKinesisActions()),
    '',
    'Example:',
    '  lambda-workbench start --template examples/hello/template.yaml --port 3001',
    '  aws lambda invoke --endpoint-url http://127.0.0.1:3001 --function-name HelloFunction out.json',
    '  aws sqs send-message --endpoint-url http://127.0.0.1:3001 --queue-url http://127.0.0.1:3001/123456789012/MyQueue --message-body hi',
  ].join('\n');
}

/** Names on indented lines of at most 100 characters. */
function wrapNames(names: readonly string[]): string[] {
  const lines: string[] = [];
  let line = ' ';
  for (const name of names) {
    if (line.length + name.length + 2 > 100) {
      lines.push(line);
      line = ' ';
    }
    line += ` ${name},`;
  }
  lines.push(line.replace(/,$/, '.'));
  return lines;
}

function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 50) {
    throw new WorkbenchError('USAGE', `--api-timeout must be a whole number of milliseconds (50 or more), not '${value}'.`, {
      hint: "Run 'lambda-workbench start --help' for usage.",
    });
  }
  return Number(value);
}

function parsePort(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new WorkbenchError('USAGE', `--${flag} must be a number from 0 to 65535, not '${value}'.`, {
      hint: "Run 'lambda-workbench start --help' for usage.",
    });
  }
  return port;
}
