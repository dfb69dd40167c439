// `validate`: every problem the loader finds in a template, as positioned diagnostics (file:line:col: error|warning: message).
import { isWorkbenchError, type SourceEdit, type SourceLocation, type WorkbenchError } from '../common/errors';
import { loadTemplate } from './loadTemplate';

export interface TemplateDiagnostic {
  severity: 'error' | 'warning';
  message: string;
  file: string;
  /** 1-based; absent when the problem has no single place (the whole template). */
  line?: number;
  column?: number;
  /** The edit that resolves the problem, when one is obvious (a value out of range, a misspelt runtime or folder). */
  fix?: SourceEdit;
}

export interface ValidateOptions {
  /** Values for template parameters, like `--parameter-overrides`. */
  parameterOverrides?: Record<string, string>;
  /** The template's text (an editor's unsaved content) instead of the file's. */
  text?: string;
  /** The folder the template's local paths must stay inside (LoadTemplateOptions.projectRoot). */
  projectRoot?: string;
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
    ...(error.options.fix ? { fix: error.options.fix } : {}),
  };
}

/** Loader warnings are sentences; those that start with "file:line:" (duplicate keys, missing code) keep that place. */
function fromWarning(warning: string, templatePath: string, fix: SourceEdit | undefined): TemplateDiagnostic {
  const placed = /^(.+?):(\d+): (.*)$/s.exec(warning);
  const diagnostic: TemplateDiagnostic = placed && placed[1] === templatePath
    ? { severity: 'warning', message: placed[3], file: placed[1], line: Number(placed[2]) }
    : { severity: 'warning', message: warning, file: templatePath };
  return fix ? { ...diagnostic, fix } : diagnostic;
}

/**
 * Errors first (each function's own, so one run finds them all), then warnings; parse errors stop at the first.
 * Validation writes nothing (inline code stays in the template).
 */
export async function validateTemplate(templatePath: string, options: ValidateOptions = {}): Promise<TemplateDiagnostic[]> {
  const functionErrors: WorkbenchError[] = [];
  try {
    const model = await loadTemplate(templatePath, {
      parameterOverrides: options.parameterOverrides ?? {},
      functionErrors,
      readOnly: true,
      ...(options.text !== undefined ? { text: options.text } : {}),
      ...(options.projectRoot !== undefined ? { projectRoot: options.projectRoot } : {}),
    });
    return [
      ...functionErrors.map((error) => fromError(error, templatePath)),
      ...model.warnings.map((warning) => fromWarning(warning, templatePath, model.warningFixes.get(warning))),
    ];
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
