// The Lambda view's data: templates, their functions with runtime, handler and backend, API routes, saved events, versions,
// aliases, provisioned concurrency, function URLs, event source mappings and warm instances; the Resources section (the
// templates' tables and buckets, the sections of ./resources).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { backendKindFor } from '../../core/instances/backendKind';
import type { FunctionRecord } from '../../core/functions/functionRecords';
import type { InstanceInfo } from '../../core/instances/instance';
import { sandboxDescription } from '../../core/instances/process/sandbox';
import { cannotRunOn } from '../../core/instances/runtimeSupport';
import type { FunctionSpec } from '../../core/template/functionSpec';
import { listSavedEvents } from '../../core/events/savedEvents';
import type { FunctionCatalog } from '../services/functionCatalog';
import type { ServiceHost } from '../services/serviceHost';
import { readSettings } from '../platform/settings';
import type { ApiRoutes } from '../gateway/apiRoutes';
import type { LocalData } from '../../core/data/localData';
import type { EventSources } from '../../core/service/eventSources/eventSources';
import { parseFunctionRef } from '../../core/service/functionRef';
import type { RunningEndpoints } from '../endpoints/localEndpoints';
import { functionUrlItem, mappingItem, provisionedItem } from './configItems';
import { bucketItem, objectItem, resourcesItem, tableItem } from './resourceItems';
import { RESOURCE_SECTIONS } from './resources/resourceSections';
import type { LocalResourceNode, ResourceSection } from './resources/resourceSection';
import { routeItem } from './routeItem';
import { aliasItem, versionItem } from './versionItems';
import type {
  AliasNode, BucketNode, EventNode, FunctionNode, FunctionUrlNode, InstanceNode, LambdaNode, MappingNode, ObjectNode, ProvisionedNode, ResourcesNode, RouteNode,
  TableNode, VersionNode,
} from './treeNodes';

/** Objects listed per bucket. */
const OBJECT_LIMIT = 100;

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
    /**
     * The local endpoints: while they run, tables show item counts, buckets their objects, function URLs their address and
     * the event source mappings their state.
     */
    private readonly endpoints: { readonly data: LocalData | undefined; readonly current: RunningEndpoints | undefined; readonly eventSources: EventSources | undefined },
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
      const api: LambdaNode[] = this.host.apiFunctions().length > 0 ? [{ kind: 'apiFunctions' }] : [];
      // No function anywhere: an empty tree lets the welcome content show.
      if (!templates.some((entry) => entry.functions.length > 0 || entry.problems.length > 0) && api.length === 0) return [];
      const resources = await this.resources();
      return [...templates.map((entry): LambdaNode => ({ kind: 'template', entry })), ...api, ...(resources ? [resources] : [])];
    }
    switch (node.kind) {
      case 'apiFunctions':
        return this.host.apiFunctions().map((spec): FunctionNode => ({ kind: 'function', spec, api: true }));
      case 'template':
        return [
          ...node.entry.problems.map((message): LambdaNode => ({ kind: 'problem', message })),
          ...node.entry.functions.map((spec): FunctionNode => ({ kind: 'function', spec })),
        ];
      case 'function': {
        const [events, routes, record] = await Promise.all([listSavedEvents(node.spec), this.routes.routesOf(node.spec), this.recordOf(node.spec)]);
        const instances = this.instancesOf(node.spec);
        const versions = [...(record?.versions.values() ?? [])].sort((a, b) => Number(b.version) - Number(a.version));
        const aliases = [...(record?.aliases.values() ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1));
        const served = this.endpoints.current?.functionUrls ?? [];
        const urls = [...(record?.urls.values() ?? [])].map((config): FunctionUrlNode => {
          const url = served.find((endpoint) => endpoint.functionName === node.spec.functionName && endpoint.qualifier === config.qualifier)?.url;
          return { kind: 'functionUrl', spec: node.spec, config, ...(url ? { url } : {}) };
        });
        const mappings = (this.endpoints.eventSources?.list() ?? []).filter((entry) => parseFunctionRef(entry.mapping.functionName).name === node.spec.functionName);
        return [
          ...routes.map((route): RouteNode => ({ kind: 'route', spec: node.spec, route })),
          ...events.map((event): EventNode => ({ kind: 'event', spec: node.spec, event })),
          ...aliases.map((alias): AliasNode => ({ kind: 'alias', spec: node.spec, alias })),
          ...versions.map((version): VersionNode => ({ kind: 'version', spec: node.spec, version })),
          ...[...(record?.provisioned.values() ?? [])].map((config): ProvisionedNode => ({ kind: 'provisioned', spec: node.spec, config })),
          ...urls,
          ...mappings.map((entry): MappingNode => ({ kind: 'mapping', spec: node.spec, entry })),
          ...instances.map((info): InstanceNode => ({ kind: 'instance', spec: node.spec, info })),
        ];
      }
      case 'resources':
        return this.resourceChildren(node);
      case 'bucket':
        return (node.objects?.list ?? []).map((object): ObjectNode => ({ kind: 'object', bucket: node.bucket.name, object }));
      default:
        return [];
    }
  }

  getTreeItem(node: LambdaNode): vscode.TreeItem {
    switch (node.kind) {
      case 'template':
        return templateItem(node.entry.path, node.entry.functions.length, node.entry.problems);
      case 'apiFunctions':
        return apiFunctionsItem(this.host.apiFunctions().length);
      case 'function':
        return this.functionItem(node.spec, node.api === true);
      case 'event':
        return eventItem(node);
      case 'instance':
        return instanceItem(node.info);
      case 'route':
        return routeItem(node);
      case 'version':
        return versionItem(node);
      case 'alias':
        return aliasItem(node);
      case 'provisioned':
        return provisionedItem(node);
      case 'functionUrl':
        return functionUrlItem(node);
      case 'mapping':
        return mappingItem(node);
      case 'resources':
        return resourcesItem(node);
      case 'table':
        return tableItem(node);
      case 'bucket':
        return bucketItem(node);
      case 'object':
        return objectItem(node);
      case 'localResource':
        return node.treeItem();
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

  /** The function's versions and aliases; a control plane that cannot load (a corrupt state file) shows none here. */
  private async recordOf(spec: FunctionSpec): Promise<FunctionRecord | undefined> {
    try {
      return (await this.host.functionStore()).get(spec.functionName);
    } catch {
      return undefined;
    }
  }

  /** The templates' tables and buckets and the sections' resources; undefined when there are none. */
  private async resources(): Promise<ResourcesNode | undefined> {
    const [{ readLocalDataResources }, { FunctionRegistry }] = await Promise.all([import('../../core/data/localData.js'), import('../../core/service/functionRegistry.js')]);
    const { tables, buckets } = await readLocalDataResources(FunctionRegistry.fromSpecs(this.catalog.functions()), {}, []);
    const counts = (await this.sectionNodes()).map(({ section, nodes }) => ({ noun: section.noun, count: nodes.length }));
    return tables.length || buckets.length || counts.some(({ count }) => count > 0) ? { kind: 'resources', tables, buckets, counts } : undefined;
  }

  /** Each section with its resources now. */
  private sectionNodes(): Promise<{ section: ResourceSection; nodes: LocalResourceNode[] }[]> {
    const context = { host: this.host, catalog: this.catalog };
    return Promise.all(RESOURCE_SECTIONS.map(async (section) => ({ section, nodes: await section.nodes(context) })));
  }

  /** Tables with their item counts and buckets with their objects, read from the running engines. */
  private async resourceChildren(node: ResourcesNode): Promise<LambdaNode[]> {
    const data = this.endpoints.data;
    const { bucketSummaries, tableSummaries } = await import('../../core/data/dataInspection.js');
    const counts = new Map((data?.dynamoDb ? await tableSummaries(data.dynamoDb) : []).map((summary) => [summary.name, summary.itemCount]));
    const objects = new Map((data?.s3 ? await bucketSummaries(data.s3, OBJECT_LIMIT) : []).map((summary) => [summary.name, summary]));
    return [
      ...node.tables.map((table): TableNode => {
        const itemCount = counts.get(table.name);
        return { kind: 'table', table, ...(itemCount !== undefined ? { itemCount } : {}) };
      }),
      ...node.buckets.map((bucket): BucketNode => {
        const listed = objects.get(bucket.name);
        return { kind: 'bucket', bucket, ...(listed ? { objects: { list: listed.objects, truncated: listed.truncated } } : {}) };
      }),
      ...(await this.sectionNodes()).flatMap(({ nodes }) => nodes),
    ];
  }

  private instancesOf(spec: FunctionSpec): InstanceInfo[] {
    return this.host.listInstances().filter((info) => info.functionName === spec.functionName);
  }

  private functionItem(spec: FunctionSpec, api: boolean): vscode.TreeItem {
    const warm = this.instancesOf(spec).length;
    const settings = readSettings();
    const backend = backendKindFor(settings.backend, spec);
    const blocker = cannotRunOn(backend, spec, { imageOverrides: settings.imageOverrides });
    const item = new vscode.TreeItem(spec.functionName, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `function:${spec.templatePath ?? ''}:${spec.functionName}`;
    const reservedConcurrency = (this.host.currentSpec(spec.functionName) ?? spec).reservedConcurrency;
    const reserved = reservedConcurrency === undefined ? undefined : `reserved ${reservedConcurrency}`;
    item.description = [spec.runtime ?? 'image', spec.handler, blocker ? `cannot run as ${backend}` : backend, reserved, warm > 0 ? `${warm} warm` : undefined]
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
        `- Reserved concurrency: ${reservedConcurrency ?? 'none (the account\'s unreserved pool)'}`,
        `- Code: \`${vscode.workspace.asRelativePath(spec.codeDir)}\``,
        `- Warm instances: ${warm}`,
      ].join('\n'),
    );
    item.iconPath = blocker
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : new vscode.ThemeIcon(warm > 0 ? 'symbol-event' : 'symbol-function');
    item.contextValue = `${warm > 0 ? 'function.running' : 'function'}${api ? '.api' : ''}`;
    return item;
  }
}

function apiFunctionsItem(count: number): vscode.TreeItem {
  const item = new vscode.TreeItem('Lambda API', vscode.TreeItemCollapsibleState.Expanded);
  item.id = 'apiFunctions';
  item.description = `${count} function${count === 1 ? '' : 's'} created through the local endpoint`;
  item.tooltip = 'Functions created with CreateFunction on the local endpoints (AWS CLI / SDK); they are kept in the workspace state.';
  item.iconPath = new vscode.ThemeIcon('cloud');
  item.contextValue = 'apiFunctions';
  return item;
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
