// Extension host: everything F5 debugging needs, registered at once (called from src/extension.ts).
import * as vscode from 'vscode';
import type { SharedServiceProvider } from '../../adapter/sharedService';
import { DEBUG_TYPE } from '../../shared/launchConfig';
import type { ResultDocuments } from '../invoke/resultDocuments';
import type { LogChannel } from '../logs/logChannel';
import type { FunctionCatalog } from '../services/functionCatalog';
import { registerChildDebugSessions } from './childDebugSessions';
import { registerDebugResults } from './debugResults';
import { registerDeadlineTracker } from './deadlineTracker';
import { InlineAdapterFactory } from './inlineAdapterFactory';
import { LaunchConfigurationProvider } from './launchConfigurationProvider';

/** `shared`: the window's service, which inline debug sessions use; their results go to `results` and `logs`. */
export function registerDebugging(catalog: FunctionCatalog, shared: SharedServiceProvider, results: ResultDocuments, logs: LogChannel): vscode.Disposable {
  const configurations = new LaunchConfigurationProvider(catalog);
  return vscode.Disposable.from(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new InlineAdapterFactory(shared)),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, configurations),
    // The same entries in the Run and Debug list ("Lambda Workbench..."), without a launch.json.
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      { provideDebugConfigurations: (folder) => configurations.provideDebugConfigurations(folder) },
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    registerChildDebugSessions(),
    registerDeadlineTracker(),
    registerDebugResults(results, logs),
  );
}
