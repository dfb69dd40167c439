// The Lambda view's data: templates, their functions with runtime, handler and backend, API routes, saved events and warm instances.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { backendKindFor } from '../../core/instances/backendKind';
import type { InstanceInfo } from '../../core/instances/instance';
import { sandboxDescription } from '../../core/instances/process/sandbox';
import { cannotRunOn } from '../../core/instances/runtimeSupport';
import type { FunctionSpec } from '../../core/template/functionSpec';
import { listSavedEvents } from '../../core/events/savedEvents';
import type { FunctionCatalog } from '../services/functionCatalog';
import type { ServiceHost } from '../services/serviceHost';
import { readSettings } from '../platform/settings';
import type { ApiRoutes } from '../gateway/apiRoutes';
import { routeItem } from './routeItem';
import type { EventNode, FunctionNode, InstanceNode, LambdaNode, RouteNode } from './treeNodes';

export const FUNCTIONS_VIEW_ID = 'lambdaWorkbench.functions';
const REFRESH_DEBOUNCE_MS = 200;

export class LambdaTreeProvider implements vscode.TreeDataProvider<LambdaNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<LambdaNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private refreshTimer: NodeJS.Timeout | undefined;
  private stale = false;
  private visible = false;

  constructor(
    private readonly catalog: FunctionCatalog,
    private readonly host: ServiceHost,
    private readonly routes: ApiRoutes,
  ) {}

  /** Follows the view's visibility: changes that arrive while it is hidden are applied once when it shows again. */
  trackVisibility(view: vscode.TreeView<LambdaNode>): vscode.Disposable {
    this.visible = view.visible;
    return view.onDidChangeVisibility((e) => {
      this.visible = e.visible;
      if (this.visible && this.stale) this.scheduleRefresh();
    });
  }

  /** Something the tree shows changed (templates, code, events, instances): refresh soon if visible. */
  scheduleRefresh(): void {
    this.stale = true;
    if (!this.visible) return;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), REFRESH_DEBOUNCE_MS);
  }

  refresh(): void {
    clearTimeout(this.refreshTimer);
    this.stale = false;
    this.changeEmitter.fire(undefined);
  }

  async getChildren(node?: LambdaNode): Promise<LambdaNode[]> {
    if (!node) {
      await this.catalog.ready();
      const templates = this.catalog.templates;
      // No function anywhere: an empty tree lets the welcome content show.
      if (!templates.some((entry) => entry.functions.length > 0 || entry.problems.length > 0)) return [];
      return templates.map((entry) => ({ kind: 'template', entry }));
    }
    switch (node.kind) {
      case 'template':
        return [
          ...node.entry.problems.map((message): LambdaNode => ({ kind: 'problem', message })),
          ...node.entry.functions.map((spec): FunctionNode => ({ kind: 'function', spec })),
        ];
      case 'function': {
        const [events, routes] = await Promise.all([listSavedEvents(node.spec), this.routes.routesOf(node.spec)]);
        const instances = this.instancesOf(node.spec);
        return [
          ...routes.map((route): RouteNode => ({ kind: 'route', spec: node.spec, route })),
          ...events.map((event): EventNode => ({ kind: 'event', spec: node.spec, event })),
          ...instances.map((info): InstanceNode => ({ kind: 'instance', spec: node.spec, info })),
        ];
      }
      default:
        return [];
    }
  }

  getTreeItem(node: LambdaNode): vscode.TreeItem {
    switch (node.kind) {
      case 'template':
        return templateItem(node.entry.path, node.entry.functions.length, node.entry.problems);
      case 'function':
        return this.functionItem(node.spec);
      case 'event':
        return eventItem(node);
      case 'instance':
        return instanceItem(node.info);
      case 'route':
        return routeItem(node);
      case 'problem': {
        const item = new vscode.TreeItem(node.message);
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.tooltip = node.message;
        item.contextValue = 'problem';
        return item;
      }
    }
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.changeEmitter.dispose();
  }

  private instancesOf(spec: FunctionSpec): InstanceInfo[] {
    return this.host.listInstances().filter((info) => info.functionName === spec.functionName);
  }

  private functionItem(spec: FunctionSpec): vscode.TreeItem {
    const warm = this.instancesOf(spec).length;
    const settings = readSettings();
    const backend = backendKindFor(settings.backend, spec);
    const blocker = cannotRunOn(backend, spec, { imageOverrides: settings.imageOverrides });
    const item = new vscode.TreeItem(spec.functionName, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `function:${spec.templatePath ?? ''}:${spec.functionName}`;
    item.description = [spec.runtime ?? 'image', spec.handler, blocker ? `cannot run as ${backend}` : backend, warm > 0 ? `${warm} warm` : undefined]
      .filter(Boolean)
      .join(' · ');
    item.tooltip = new vscode.MarkdownString(
      [
        `**${spec.functionName}**${spec.logicalId !== spec.functionName ? ` (${spec.logicalId})` : ''}`,
        '',
        `- Runtime: \`${spec.runtime ?? spec.imageUri ?? 'image'}\``,
        ...(spec.handler ? [`- Handler: \`${spec.handler}\``] : []),
        `- Runs as: ${backend}${backend === 'process' ? ` (${sandboxDescription()})` : ''}`,
        ...(blocker ? ['', `**Cannot run:** ${blocker.reason} ${blocker.hint}`] : []),
        `- Memory: ${spec.memorySizeMB} MB, timeout: ${spec.timeoutSeconds} s`,
        `- Code: \`${vscode.workspace.asRelativePath(spec.codeDir)}\``,
        `- Warm instances: ${warm}`,
      ].join('\n'),
    );
    item.iconPath = blocker
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : new vscode.ThemeIcon(warm > 0 ? 'symbol-event' : 'symbol-function');
    item.contextValue = warm > 0 ? 'function.running' : 'function';
    return item;
  }
}

function templateItem(templatePath: string, functionCount: number, problems: string[]): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.workspace.asRelativePath(templatePath), vscode.TreeItemCollapsibleState.Expanded);
  item.id = `template:${templatePath}`;
  item.resourceUri = vscode.Uri.file(templatePath);
  item.description = `${functionCount} function${functionCount === 1 ? '' : 's'}`;
  item.tooltip = problems.length > 0 ? problems.join('\n') : templatePath;
  item.iconPath = problems.length > 0 ? new vscode.ThemeIcon('warning') : new vscode.ThemeIcon('file-code');
  item.contextValue = 'template';
  item.command = { command: 'vscode.open', title: 'Open Template', arguments: [vscode.Uri.file(templatePath)] };
  return item;
}

function eventItem(node: EventNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.event.name);
  item.id = `event:${node.spec.functionName}:${node.event.file}`;
  item.resourceUri = vscode.Uri.file(node.event.file);
  item.description = path.basename(path.dirname(node.event.file));
  item.tooltip = `Saved event ${vscode.workspace.asRelativePath(node.event.file)}`;
  item.iconPath = new vscode.ThemeIcon('json');
  item.contextValue = 'event';
  item.command = { command: 'vscode.open', title: 'Open Event', arguments: [vscode.Uri.file(node.event.file)] };
  return item;
}

const STATE_ICONS: Record<InstanceInfo['state'], string> = {
  starting: 'loading~spin',
  busy: 'pulse',
  idle: 'circle-filled',
  frozen: 'circle-outline',
  stopped: 'circle-slash',
};

function instanceItem(info: InstanceInfo): vscode.TreeItem {
  const item = new vscode.TreeItem(`instance ${info.displayId}`);
  item.id = `instance:${info.instanceId}`;
  const debugging = info.debugPort !== undefined ? `debugging :${info.debugPort} · ` : '';
  item.description = `${debugging}${info.state} · ${info.backend} · ${info.invocations} invocation${info.invocations === 1 ? '' : 's'}`;
  item.tooltip = `${info.instanceId}, started ${new Date(info.startedAt).toLocaleTimeString()}${info.debugPort !== undefined ? `, debugger on 127.0.0.1:${info.debugPort}` : ''}`;
  item.iconPath = new vscode.ThemeIcon(info.debugPort !== undefined ? 'debug' : STATE_ICONS[info.state]);
  item.contextValue = 'instance';
  return item;
}
