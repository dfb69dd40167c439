// The narrow view a debug session has of a host's shared service (the extension's), injected when the adapter runs inline.
import type { Disposable } from '../core/common/disposable';
import type { LogSink } from '../core/logs/logRecord';
import type { LambdaService } from '../core/service/lambdaService';
import type { LambdaLaunchArguments } from '../shared/launchConfig';
import type { DebugTarget } from './debugTarget';

/** What the extension's ServiceHost offers a debug session; the standalone adapter (`--server`) has none. */
export interface SharedServiceProvider {
  /** The service running the workspace's functions now (made on first use). */
  get(): Promise<LambdaService>;
  /** Fires after the service was replaced (templates or settings changed); the old one is disposed by then. */
  onDidReplace(listener: () => void): Disposable;
  /** Where the host writes every function's log lines (its log channel): sessions on a service of their own write there too. */
  readonly logSink: LogSink;
}

/**
 * The shared service when it declares the launch's function from the same template, else undefined: bare handlers,
 * templates outside the workspace and an `image` replacing an image function's own run on a service of the session.
 */
export async function sharedServiceFor(provider: SharedServiceProvider, target: DebugTarget, args: LambdaLaunchArguments): Promise<LambdaService | undefined> {
  if (target.spec.templatePath === undefined) return undefined;
  if (args.image !== undefined && target.spec.packageType === 'Image') return undefined;
  const service = await provider.get();
  const declared = service.registry.get(target.spec.logicalId);
  return declared?.templatePath === target.spec.templatePath && declared.logicalId === target.spec.logicalId ? service : undefined;
}
