// Extension host: everything F5 debugging needs, registered at once (called from src/extension.ts).
import * as vscode from 'vscode';
import type { SharedServiceProvider } from '../../adapter/sharedService';
import { DEBUG_TYPE } from '../../shared/launchConfig';
import { registerChildDebugSessions } from './childDebugSessions';
import { registerDeadlineTracker } from './deadlineTracker';
import { InlineAdapterFactory } from './inlineAdapterFactory';
import { LaunchConfigurationProvider } from './launchConfigurationProvider';

/** `shared`: the window's service, which inline debug sessions use. */
export function registerDebugging(shared: SharedServiceProvider): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new InlineAdapterFactory(shared)),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new LaunchConfigurationProvider()),
    registerChildDebugSessions(),
    registerDeadlineTracker(),
  );
}
