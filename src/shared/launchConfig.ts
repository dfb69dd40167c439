// The `lambda-workbench` launch configuration: its type and its schema, the single source for package.json `contributes.debuggers`.

export const DEBUG_TYPE = 'lambda-workbench';

export type BackendChoice = 'auto' | 'process' | 'container';

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'process', 'container'];

/** What a user writes in launch.json (after VS Code substituted variables). */
export interface LambdaLaunchArguments {
  /** Function name or logical id in `template`. */
  function?: string;
  /** SAM / CloudFormation template declaring `function`. */
  template?: string;
  /** The folder the template's code and layer paths must stay inside (default: the nearest folder holding .git, else the template's). */
  projectRoot?: string;
  /** Handler of a function without a template, e.g. `app.handler`. */
  handler?: string;
  /** Runtime of a function without a template, e.g. `nodejs20.x`. */
  runtime?: string;
  /** Directory holding `handler`'s code. */
  codeDir?: string;
  /** The event, as a JSON value. */
  event?: unknown;
  /** A JSON file holding the event. */
  eventFile?: string;
  backend?: BackendChoice;
  /** Container image to run the function in (container backend). */
  image?: string;
  /** Environment variables added to the function's own. */
  env?: Record<string, string>;
  /** Rebuild and reload the function when its code or template changes. */
  hotReload?: boolean;
  /** Lambda timeout in seconds, replacing the template's. */
  timeout?: number;
  /** Stop on the first line of the handler. */
  stopOnEntry?: boolean;
  /** Reach the handler through its API route: the event is the one API Gateway sends for this request. */
  api?: ApiLaunchRequest;
}

/** An HTTP request to one of the template's API routes, given inline or as a request document (*.request.json). */
export interface ApiLaunchRequest {
  request?: { method: string; path: string; headers?: Record<string, string>; body?: string };
  requestFile?: string;
}

/** The subset of JSON schema the launch attributes use. */
export interface AttributeSchema {
  type: 'string' | 'boolean' | 'number' | 'object' | 'array' | ['object', 'array', 'string', 'number', 'boolean', 'null'];
  description: string;
  enum?: readonly string[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  additionalProperties?: { type: 'string' };
}

/** One schema entry per launch argument; the compiler keeps this in step with LambdaLaunchArguments. */
export const LAUNCH_ATTRIBUTES: { [K in keyof Required<LambdaLaunchArguments>]: AttributeSchema } = {
  function: { type: 'string', description: 'Function name or logical id of the function in `template`.' },
  template: {
    type: 'string',
    description: 'SAM or CloudFormation template declaring `function`.',
    default: '${workspaceFolder}/template.yaml',
  },
  projectRoot: {
    type: 'string',
    description: 'Folder the template\'s CodeUri and layer ContentUri paths must stay inside, symbolic links resolved '
      + '(default: the lambdaWorkbench.projectRoot setting, else the workspace folder; outside VS Code the nearest folder holding .git, else the template\'s folder).',
  },
  handler: { type: 'string', description: 'Handler of a function without a template, e.g. `app.handler` (use with `runtime`).' },
  runtime: { type: 'string', description: 'Runtime of a function without a template, e.g. `nodejs20.x` or `python3.12`.' },
  codeDir: {
    type: 'string',
    description: 'Directory holding the code of `handler` (default: the workspace folder).',
    default: '${workspaceFolder}',
  },
  event: {
    type: ['object', 'array', 'string', 'number', 'boolean', 'null'],
    description: 'The event passed to the handler, as a JSON value.',
  },
  eventFile: { type: 'string', description: 'A JSON file holding the event passed to the handler.' },
  backend: {
    type: 'string',
    enum: BACKEND_CHOICES,
    description: 'Where the handler runs: a local process, a container, or auto (a container when an image is set).',
    default: 'auto',
  },
  image: { type: 'string', description: 'Container image to run the function in (implies the container backend).' },
  env: {
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Environment variables added to the function\'s own.',
    default: {},
  },
  hotReload: { type: 'boolean', description: 'Rebuild and reload the function when its code or template is saved.', default: true },
  timeout: {
    type: 'number',
    minimum: 1,
    maximum: 900,
    description: 'Lambda timeout in seconds, replacing the template\'s (the timeout is suspended while paused in the debugger).',
  },
  stopOnEntry: { type: 'boolean', description: 'Stop on the first line of the handler.', default: false },
  api: {
    type: 'object',
    description: 'Debug the handler through its API route instead of `event`: `{"request": {"method": "GET", "path": "/orders/42", "headers": {}, "body": ""}}` '
      + 'or `{"requestFile": "${workspaceFolder}/requests/OrdersFunction/get-orders-id.request.json"}`; the event is the one API Gateway sends for that request.',
  },
};

const templateConfiguration = {
  type: DEBUG_TYPE,
  request: 'launch',
  name: 'Debug Lambda function',
  template: '${workspaceFolder}/template.yaml',
  function: 'HelloWorldFunction',
  event: {},
};

const handlerConfiguration = {
  type: DEBUG_TYPE,
  request: 'launch',
  name: 'Debug Lambda handler',
  handler: 'app.handler',
  runtime: 'nodejs20.x',
  codeDir: '${workspaceFolder}',
  eventFile: '${workspaceFolder}/events/event.json',
};

/** The `contributes.debuggers` entry of package.json, generated by scripts/generate-debugger-contribution.mjs. */
export function debuggerContribution(): Record<string, unknown>[] {
  return [
    {
      type: DEBUG_TYPE,
      label: 'Lambda Workbench',
      languages: ['javascript', 'typescript', 'python'],
      configurationAttributes: { launch: { properties: LAUNCH_ATTRIBUTES } },
      configurationSnippets: [
        {
          label: 'Lambda Workbench: function in a template',
          description: 'Debug a function declared in a SAM template.',
          body: templateConfiguration,
        },
        {
          label: 'Lambda Workbench: handler without a template',
          description: 'Debug a handler given by file, export and runtime.',
          body: handlerConfiguration,
        },
      ],
    },
  ];
}
