// Picks the route for a request the way API Gateway does: the most specific path wins (literal > {param} > {greedy+}), a method over ANY,
// $default last. All APIs share one port: a path may start with an API's stage name to reach that API when two APIs share a path.
import type { GatewayRoute } from './gatewayModel';
import { safeDecode } from './gatewayRequest';

export interface RouteMatch {
  route: GatewayRoute;
  /** The request path within the API (without a stage name the client put first). */
  path: string;
  /** Decoded path parameters; undefined when the route has none. */
  pathParameters?: Record<string, string>;
}

/** Specificity of each segment of a matched route: 3 literal, 2 parameter, 1 greedy. */
type Rank = number[];

function matchPath(pattern: string, requestSegments: string[]): { rank: Rank; parameters: Record<string, string> } | undefined {
  const patternSegments = pattern.split('/').slice(1);
  const parameters: Record<string, string> = {};
  const rank: Rank = [];
  for (const [index, part] of patternSegments.entries()) {
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy) {
      const rest = requestSegments.slice(index);
      if (index !== patternSegments.length - 1 || rest.length === 0 || rest.every((segment) => segment === '')) return undefined;
      parameters[greedy[1]] = rest.map(safeDecode).join('/');
      rank.push(1);
      return { rank, parameters };
    }
    const segment = requestSegments[index];
    if (segment === undefined) return undefined;
    const param = /^\{(.+)\}$/.exec(part);
    if (param) {
      if (segment === '') return undefined;
      parameters[param[1]] = safeDecode(segment);
      rank.push(2);
    } else if (part === segment || safeDecode(segment) === part) {
      rank.push(3);
    } else {
      return undefined;
    }
  }
  return patternSegments.length === requestSegments.length ? { rank, parameters } : undefined;
}

function compareRank(a: Rank, b: Rank): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The route for `method rawPath`, or undefined (the gateway answers 404 / 403). */
export function matchRoute(routes: readonly GatewayRoute[], method: string, rawPath: string): RouteMatch | undefined {
  const [, first, rest] = /^\/([^/]+)(\/.*)?$/.exec(rawPath) ?? [];
  if (first !== undefined) {
    const staged = routes.filter((route) => route.api.stageName !== '$default' && route.api.stageName === safeDecode(first));
    const match = staged.length ? matchInApi(staged, method, rest ?? '/') : undefined;
    if (match) return match;
  }
  return matchInApi(routes, method, rawPath);
}

function matchInApi(routes: readonly GatewayRoute[], method: string, rawPath: string): RouteMatch | undefined {
  // A trailing slash is ignored, as API Gateway ignores it.
  const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') : rawPath;
  const requestSegments = path === '/' ? [''] : path.split('/').slice(1);
  let best: { match: RouteMatch; rank: Rank } | undefined;
  for (const route of routes) {
    if (route.path === '$default') continue;
    if (route.method !== 'ANY' && route.method !== method) continue;
    const found = route.path === '/' ? (path === '/' ? { rank: [3], parameters: {} } : undefined) : matchPath(route.path, requestSegments);
    if (!found) continue;
    // Ties: a method over ANY, then an API without a stage name in its URL (the others are reachable under /STAGE).
    const rank = [...found.rank, 0, route.method !== 'ANY' ? 1 : 0, route.api.stageName === '$default' ? 1 : 0];
    if (!best || compareRank(rank, best.rank) > 0) {
      const hasParameters = Object.keys(found.parameters).length > 0;
      best = { match: { route, path: rawPath, ...(hasParameters ? { pathParameters: found.parameters } : {}) }, rank };
    }
  }
  if (best) return best.match;
  const fallback = routes.find((route) => route.path === '$default');
  return fallback ? { route: fallback, path: rawPath } : undefined;
}
