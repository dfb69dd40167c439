// Picks one function of a loaded template by logical id or FunctionName.
import { WorkbenchError } from '../common/errors';
import type { FunctionSpec } from './functionSpec';
import type { TemplateModel } from './loadTemplate';

export function findFunction(model: TemplateModel, name: string): FunctionSpec {
  const found = model.functions.find((fn) => fn.logicalId === name) ?? model.functions.find((fn) => fn.functionName === name);
  if (found) return found;
  const available = model.functions.map((fn) => fn.logicalId);
  const message = available.length > 0
    ? `Function '${name}' not found in ${model.path}. Functions in this template: ${available.join(', ')}`
    : `Function '${name}' not found in ${model.path}. This template has no functions`;
  throw new WorkbenchError('FUNCTION_NOT_FOUND', message);
}
