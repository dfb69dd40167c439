// `validate`: every problem the loader finds in a template, as positioned diagnostics (file:line:col: error|warning: message).
import { isWorkbenchError, type SourceLocation, type WorkbenchError } from '../common/errors';
import { loadTemplate } from './loadTemplate';

export interface TemplateDiagnostic {
  severity: 'error' | 'warning';
  message: string;
  file: string;
  /** 1-based; absent when the problem has no single place (the whole template). */
  line?: number;
  column?: number;
}

function fromError(error: WorkbenchError, templatePath: string): TemplateDiagnostic {
  const location: SourceLocation = error.options.location ?? { file: templatePath };
  const hint = error.options.hint ? ` ${error.options.hint}` : '';
  return {
    severity: 'error',
    message: `${error.message}${hint}`,
    file: location.file,
    ...(location.line !== undefined ? { line: location.line } : {}),
    ...(location.column !== undefined ? { column: location.column } : {}),
  };
}

/** Loader warnings are sentences; those that start with "file:line:" (duplicate keys) keep that place. */
function fromWarning(warning: string, templatePath: string): TemplateDiagnostic {
  const placed = /^(.+?):(\d+): (.*)$/s.exec(warning);
  if (placed && placed[1] === templatePath) return { severity: 'warning', message: placed[3], file: placed[1], line: Number(placed[2]) };
  return { severity: 'warning', message: warning, file: templatePath };
}

/** Errors first (each function's own, so one run finds them all), then warnings; parse errors stop at the first. */
export async function validateTemplate(templatePath: string, parameterOverrides: Record<string, string> = {}): Promise<TemplateDiagnostic[]> {
  const functionErrors: WorkbenchError[] = [];
  try {
    const model = await loadTemplate(templatePath, { parameterOverrides, functionErrors });
    return [...functionErrors.map((error) => fromError(error, templatePath)), ...model.warnings.map((warning) => fromWarning(warning, templatePath))];
  } catch (error) {
    if (isWorkbenchError(error)) return [fromError(error, templatePath)];
    throw error;
  }
}

/** The line editors and CI annotate: `file:line:col: error: message`. */
export function formatDiagnostic(diagnostic: TemplateDiagnostic): string {
  const where = [diagnostic.file, diagnostic.line, diagnostic.line !== undefined ? diagnostic.column : undefined].filter((part) => part !== undefined).join(':');
  return `${where}: ${diagnostic.severity}: ${diagnostic.message}`;
}
