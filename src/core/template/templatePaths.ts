// Local paths a template names (CodeUri, Code, ContentUri, Content, CDK asset paths): resolved against its folder, kept inside the project root.
import * as path from 'node:path';
import { describeEscape, pathEscape } from '../common/projectRoot';
import type { PropertyPath, PropertyReader } from './propertyReader';

/** What a template's paths are resolved against and confined to. */
export interface TemplatePathContext {
  templateDir: string;
  /** Every local path the template names must stay inside it (symbolic links resolved). */
  projectRoot: string;
}

/** The setting of each front end that moves the project root, for the hint of a refused path. */
export const PROJECT_ROOT_SETTINGS = '--project-root (CLI), the lambdaWorkbench.projectRoot setting (VS Code) or projectRoot (launch configuration)';

/** How to resolve a refused path, without naming the root. */
export const PROJECT_ROOT_FIX = `Move the file inside the project, or set the project root with ${PROJECT_ROOT_SETTINGS}.`;

/**
 * `written` resolved against the template's folder; a path that leads outside the project root (`../`, an absolute path,
 * a symbolic link) fails the template at the property, naming the resolved path and the root.
 */
export function templateLocalPath(reader: PropertyReader, property: PropertyPath, written: string, context: TemplatePathContext): string {
  const resolved = path.resolve(context.templateDir, written);
  const escape = pathEscape(resolved, [context.projectRoot]);
  if (escape) {
    reader.fail(
      property,
      `${reader.label(property)} is ${written}, which resolves to ${describeEscape(escape)}, outside the project root ${context.projectRoot}: Lambda Workbench reads no code from outside the project.`,
      `Move the code inside ${context.projectRoot}, or set the project root to a folder that holds both the template and the code with ${PROJECT_ROOT_SETTINGS}.`,
    );
  }
  return resolved;
}
