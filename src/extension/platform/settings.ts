// Typed access to the lambdaWorkbench.* settings (extension host).
import * as vscode from 'vscode';
import type { BackendChoice } from '../../shared/launchConfig';

export const SETTINGS_SECTION = 'lambdaWorkbench';

export type LogFormatSetting = 'template' | 'Text' | 'JSON';

export interface WorkbenchSettings {
  backend: BackendChoice;
  dockerHost: string;
  imageOverrides: Record<string, string>;
  /** Runtime -> interpreter binary for local processes, e.g. { "python3.12": "/usr/bin/python3.12" }. */
  interpreters: Record<string, string>;
  hotReload: boolean;
  logFormat: LogFormatSetting;
  timeScale: number;
  endpointsPort: number;
  /** Port of the local API Gateway (0: any free port). */
  apiPort: number;
  /** JSON Web Key Set file for JWT authorizers (empty: JWT authorizers are skipped). */
  jwks: string;
  /** API keys accepted on ApiKeyRequired routes, besides the templates' AWS::ApiGateway::ApiKey values. */
  apiKeys: string[];
  /** Services whose SDK calls go to real AWS instead of the local endpoint (names of `start --pass-through`). */
  passThroughServices: string[];
}

export function readSettings(): WorkbenchSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return {
    backend: config.get<BackendChoice>('backend', 'auto'),
    dockerHost: config.get<string>('dockerHost', ''),
    imageOverrides: config.get<Record<string, string>>('imageOverrides', {}),
    interpreters: config.get<Record<string, string>>('interpreters', {}),
    hotReload: config.get<boolean>('hotReload', true),
    logFormat: config.get<LogFormatSetting>('logFormat', 'template'),
    timeScale: config.get<number>('timeScale', 1),
    endpointsPort: config.get<number>('endpointsPort', 3001),
    apiPort: config.get<number>('apiPort', 0),
    jwks: config.get<string>('jwks', ''),
    apiKeys: config.get<string[]>('apiKeys', []).filter((key) => typeof key === 'string' && key !== ''),
    passThroughServices: config.get<string[]>('passThroughServices', []).filter((name) => typeof name === 'string'),
  };
}

/** Fires when one of the named settings changes. */
export function onDidChangeSettings(names: (keyof WorkbenchSettings)[], listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (names.some((name) => e.affectsConfiguration(`${SETTINGS_SECTION}.${name}`))) listener();
  });
}
