// The nodes of the Lambda view: templates -> functions -> API routes, saved events and running instances.
import type { GatewayRoute } from '../../core/gateway/gatewayModel';
import type { InstanceInfo } from '../../core/instances/instance';
import type { FunctionSpec } from '../../core/template/functionSpec';
import type { SavedEvent } from '../../core/events/savedEvents';
import type { TemplateEntry } from '../services/functionCatalog';

export interface TemplateNode {
  kind: 'template';
  entry: TemplateEntry;
}

export interface FunctionNode {
  kind: 'function';
  spec: FunctionSpec;
}

export interface EventNode {
  kind: 'event';
  spec: FunctionSpec;
  event: SavedEvent;
}

export interface InstanceNode {
  kind: 'instance';
  spec: FunctionSpec;
  info: InstanceInfo;
}

/** An API Gateway route that reaches the function. */
export interface RouteNode {
  kind: 'route';
  spec: FunctionSpec;
  route: GatewayRoute;
}

export interface ProblemNode {
  kind: 'problem';
  message: string;
}

export type LambdaNode = TemplateNode | FunctionNode | EventNode | InstanceNode | RouteNode | ProblemNode;

/** Nodes that name a function: what the function context-menu commands receive. */
export type FunctionTarget = FunctionNode | EventNode | InstanceNode;

export function isFunctionTarget(value: unknown): value is FunctionTarget {
  const kind = (value as { kind?: unknown } | undefined)?.kind;
  return (kind === 'function' || kind === 'event' || kind === 'instance') && 'spec' in (value as object);
}
