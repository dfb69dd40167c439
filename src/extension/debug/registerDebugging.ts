// Extension host: everything F5 debugging needs, registered at once (called from src/extension.ts).
import * as vscode from 'vscode';
import { DEBUG_TYPE } from '../../shared/launchConfig';
import type { FunctionCatalog } from '../services/functionCatalog';
import { registerChildDebugSessions } from './childDebugSessions';
import { registerDeadlineTracker } from './deadlineTracker';
import { InlineAdapterFactory } from './inlineAdapterFactory';
import { LaunchConfigurationProvider } from './launchConfigurationProvider';

export function registerDebugging(catalog: FunctionCatalog): vscode.Disposable {
  const configurations = new LaunchConfigurationProvider(catalog);
  return vscode.Disposable.from(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new InlineAdapterFactory()),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, configurations),
    // The same entries in the Run and Debug list ("Lambda Workbench..."), without a launch.json.
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      { provideDebugConfigurations: (folder) => configurations.provideDebugConfigurations(folder) },
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    registerChildDebugSessions(),
    registerDeadlineTracker(),
  );
}
