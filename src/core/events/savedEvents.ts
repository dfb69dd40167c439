// Lists the event files saved for a function: events/ next to its template (shared, or per function) and <code>/events.
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { WorkbenchError } from '../common/errors';
import { describeEscape, pathEscape } from '../common/projectRoot';
import type { FunctionSpec } from '../template/functionSpec';

export interface SavedEvent {
  /** File name without .json, for display. */
  name: string;
  /** Absolute path of the JSON file. */
  file: string;
}

/**
 * Where "New Event" writes: the template's `events/` folder, as the blueprints lay it out, or `.lambda-workbench/events`
 * of the workspace folder for a function without a template. Never inside CodeUri, whose files get packaged.
 */
export function newEventFolder(spec: FunctionSpec, workspaceFolder: string | undefined): string {
  if (spec.templatePath) return path.join(path.dirname(spec.templatePath), 'events');
  return path.join(workspaceFolder ?? path.dirname(spec.codeDir), '.lambda-workbench', 'events');
}

/** A saved event's name is its file's name without .json: letters, digits, '.', '_' and '-', starting with a letter or digit. */
const EVENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Why `name` cannot name an event file (a path separator, `..`, a hidden file), or undefined. */
export function eventNameProblem(name: string): string | undefined {
  return EVENT_NAME.test(name) ? undefined : "Use letters, digits, '.', '_' and '-', starting with a letter or digit (the event file is NAME.json).";
}

/**
 * The file a new event NAME.json goes to in `folder`: refused (EVENT_INVALID) when the name is not a plain file name, or
 * when the folder leads outside the project root (an events folder that is a symbolic link to elsewhere).
 */
export function newEventFile(folder: string, name: string, projectRoot: string): string {
  const problem = eventNameProblem(name);
  if (problem) throw new WorkbenchError('EVENT_INVALID', `'${name}' cannot name an event file. ${problem}`);
  const file = path.join(folder, `${name}.json`);
  const escape = pathEscape(file, [projectRoot]);
  if (escape) {
    throw new WorkbenchError('EVENT_INVALID', `The event file ${describeEscape(escape)} would be outside the project root ${projectRoot}.`, {
      hint: 'Make the events folder a real folder inside the project, or set the project root (the lambdaWorkbench.projectRoot setting) to a folder that holds it.',
    });
  }
  return file;
}

/** The folders searched for a function's events, most specific first. */
export function eventFolders(spec: FunctionSpec): string[] {
  const folders = [path.join(spec.codeDir, 'events')];
  if (spec.templatePath) {
    const templateEvents = path.join(path.dirname(spec.templatePath), 'events');
    folders.push(path.join(templateEvents, spec.logicalId), templateEvents);
  }
  return [...new Set(folders)];
}

/** Beside an event file NAME.json, the expectation that makes it a test (never an event itself). */
export const EXPECTATION_SUFFIX = '.expected.json';

/** The expectation file of a saved event: NAME.expected.json in the event's folder. */
export function expectationFileOf(eventFile: string): string {
  return eventFile.replace(/\.json$/i, EXPECTATION_SUFFIX);
}

/** Every *.json file in the function's event folders (not the *.expected.json expectations), sorted by name within each folder. */
export async function listSavedEvents(spec: FunctionSpec): Promise<SavedEvent[]> {
  const lists = await Promise.all(eventFolders(spec).map(jsonFilesIn));
  const seen = new Set<string>();
  return lists.flat().filter((event) => !seen.has(event.file) && seen.add(event.file));
}

async function jsonFilesIn(folder: string): Promise<SavedEvent[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return []; // A function without saved events has no events folder.
  }
  return names
    .filter((name) => name.toLowerCase().endsWith('.json') && !name.toLowerCase().endsWith(EXPECTATION_SUFFIX))
    .sort()
    .map((name) => ({ name: name.slice(0, -'.json'.length), file: path.join(folder, name) }));
}
