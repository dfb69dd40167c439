// A kind of local resource in the Lambda view's Resources section (queues, asynchronous invocations, ...): one module per
// kind lists its resources and draws each; resourceSections.ts is the list of kinds.
import type * as vscode from 'vscode';
import type { FunctionCatalog } from '../../services/functionCatalog';
import type { ServiceHost } from '../../services/serviceHost';

/** What a section reads its resources from. */
export interface ResourceContext {
  readonly host: ServiceHost;
  readonly catalog: FunctionCatalog;
}

/** One local resource in the view; its section made it and draws it. */
export interface LocalResourceNode {
  kind: 'localResource';
  /** The id of the section that made it (its nodes' context values start with it too). */
  section: string;
  treeItem(): vscode.TreeItem;
}

/** The type guard of one section's nodes (command arguments arrive as unknown). */
export function sectionNodeGuard<T extends LocalResourceNode>(section: T['section']): (value: unknown) => value is T {
  return (value: unknown): value is T =>
    (value as Partial<LocalResourceNode> | undefined)?.kind === 'localResource' && (value as LocalResourceNode).section === section;
}

export interface ResourceSection {
  readonly id: string;
  /** What one resource is called, for the section's count ("queue"). */
  readonly noun: string;
  /** The section's resources now, in the order shown (none: nothing of the section is shown). */
  nodes(context: ResourceContext): Promise<LocalResourceNode[]>;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : noun.endsWith('s') ? 'es' : 's'}`;
}
