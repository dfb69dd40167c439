// Turns esbuild errors into a BUILD_FAILED WorkbenchError that points at the first error's file:line:column.
import * as path from 'node:path';
import type { Message } from 'esbuild';
import { WorkbenchError, type SourceLocation } from '../common/errors';
import type { EsbuildApi } from './esbuildLocator';

function isBuildFailure(error: unknown): error is Error & { errors: Message[] } {
  return error instanceof Error && Array.isArray((error as { errors?: unknown }).errors);
}

export async function buildFailedError(logicalId: string, workingDir: string, error: unknown, esbuild: EsbuildApi): Promise<WorkbenchError> {
  if (!isBuildFailure(error) || error.errors.length === 0) {
    return new WorkbenchError('BUILD_FAILED', `Build of ${logicalId} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const first = error.errors[0].location;
  const location: SourceLocation | undefined = first
    ? { file: path.resolve(workingDir, first.file), line: first.line, column: first.column + 1 }
    : undefined;
  const text = (await esbuild.formatMessages(error.errors, { kind: 'error', color: false })).join('').trimEnd();
  const count = error.errors.length === 1 ? '1 error' : `${error.errors.length} errors`;
  return new WorkbenchError('BUILD_FAILED', `Build of ${logicalId} failed with ${count}:\n${text}`, {
    ...(location ? { location } : {}),
    cause: error,
  });
}
