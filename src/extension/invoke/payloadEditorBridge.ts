// What the event payload editor needs from the extension: the functions, and Invoke / Debug through the shared service.
import { existsSync } from 'node:fs';
import { WorkbenchError } from '../../core/common/errors';
import type { LogRecord } from '../../core/logs/logRecord';
import { requireTrust, type CommandContext } from '../commands/commandContext';
import type { PayloadEditorDeps } from '../editors/payloadEditorProvider';
import { errorResponseFrames, frameLinks } from '../logs/stackTraceMapper';
import { formatPayload } from './resultDocuments';

export function payloadEditorBridge(ctx: CommandContext): PayloadEditorDeps {
  return {
    listFunctions: () => ctx.catalog.functions().map((spec) => spec.functionName),

    invoke: async (functionName, payload) => {
      if (!requireTrust('Invoking a function')) {
        throw new WorkbenchError('USAGE', 'Invoking is disabled in Restricted Mode.', { hint: 'Trust the workspace to run its functions.' });
      }
      const logs: string[] = [];
      const service = await ctx.host.get();
      const result = await service.invoke({
        functionName,
        payload: Buffer.from(payload),
        onLog: (record: LogRecord) => logs.push(record.text),
      });
      const text = result.payload.toString('utf8');
      return {
        payload: formatPayload(result.payload),
        logs,
        frames: result.functionError ? frameLinks(errorResponseFrames(text), ctx.catalog.find(functionName), existsSync) : [],
        ...(result.functionError ? { functionError: result.functionError } : {}),
        ...(result.errorType ? { errorType: result.errorType } : {}),
      };
    },

    debug: async (functionName, payload) => {
      const { debugFunction } = await import('../commands/debugFunction.js');
      await debugFunction(ctx, { functionName, event: JSON.parse(payload) as unknown });
    },
  };
}
