// The Test Explorer's Debug profile for one saved event: a lambda-workbench debug session on the event, its result checked as Run checks it.
import * as vscode from 'vscode';
import { RESULT_EVENT, type InvocationResultBody } from '../../adapter/customMessages';
import { errorMessage } from '../../core/common/errors';
import { judgeInvocation, type EventTest, type EventTestOutcome } from '../../core/testing/eventTests';
import { readExpectation, type Expectation } from '../../core/testing/expectation';
import { DEBUG_TYPE, type LambdaLaunchArguments } from '../../shared/launchConfig';

function notRun(test: EventTest, problem: string): EventTestOutcome {
  return { test, status: 'error', problems: [problem], durationMs: 0, logs: [] };
}

/**
 * Debugs the test's function with its event file (breakpoints stop it as in any debug session), waits for the
 * invocation's result, ends the session and judges the result against NAME.expected.json. A test of a version or
 * alias is not run: debug sessions run $LATEST.
 */
export async function debugEventTest(test: EventTest, run: vscode.TestRun, token: vscode.CancellationToken): Promise<EventTestOutcome> {
  let expectation: Expectation | undefined;
  try {
    expectation = await readExpectation(test.expectationFile);
  } catch (error) {
    return notRun(test, errorMessage(error));
  }
  const spec = test.spec;
  if (expectation?.qualifier !== undefined && expectation.qualifier !== '$LATEST') {
    return notRun(test, `${test.id} invokes ${spec.functionName}:${expectation.qualifier} (the "qualifier" of ${test.expectationFile}), and debug sessions run $LATEST: Run the test, or remove its qualifier to debug it on $LATEST.`);
  }
  const launch: LambdaLaunchArguments = {
    function: spec.functionName,
    ...(spec.templatePath ? { template: spec.templatePath } : {}),
    eventFile: test.eventFile,
    hotReload: false,
  };
  const configuration: vscode.DebugConfiguration = { type: DEBUG_TYPE, request: 'launch', name: `Debug test ${test.id}`, ...launch };

  let session: vscode.DebugSession | undefined;
  const listeners: vscode.Disposable[] = [];
  const result = new Promise<InvocationResultBody | undefined>((resolve) => {
    listeners.push(
      vscode.debug.onDidStartDebugSession((started) => {
        if (!session && started.type === DEBUG_TYPE && started.name === configuration.name) session = started;
      }),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
        if (event.session.id === session?.id && event.event === RESULT_EVENT) resolve(event.body as InvocationResultBody);
      }),
      vscode.debug.onDidTerminateDebugSession((ended) => {
        if (ended.id === session?.id) resolve(undefined);
      }),
      token.onCancellationRequested(() => resolve(undefined)),
    );
  });
  try {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(spec.templatePath ?? spec.codeDir));
    if (!(await vscode.debug.startDebugging(folder, configuration, { testRun: run }))) {
      return notRun(test, `The debug session of ${spec.functionName} did not start; the Debug Console and the Lambda Workbench log say why.`);
    }
    const body = await result;
    if (!body) return notRun(test, `The debug session of ${spec.functionName} ended before the invocation returned.`);
    return judgeInvocation(test, expectation, {
      requestId: body.requestId,
      response: body.payload,
      failed: body.functionError !== undefined,
      durationMs: body.durationMs ?? 0,
      logs: body.logs,
    });
  } finally {
    listeners.forEach((listener) => listener.dispose());
    if (session) await vscode.debug.stopDebugging(session);
  }
}
