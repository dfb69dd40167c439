// Reads CORS settings (HTTP API CorsConfiguration, SAM REST `Cors`, OpenAPI x-amazon-apigateway-cors) into one shape.
import type { CorsConfig } from './gatewayModel';
import type { GatewayReadContext } from './gatewayReadContext';
import { isRecord } from '../template/templateDocument';

/** SAM's REST `Cors` values are quoted header values ("'*'"); the quotes go. */
function unquote(value: string): string {
  return value.replace(/^'(.*)'$/s, '$1');
}

function list(ctx: GatewayReadContext, raw: unknown, label: string, quoted: boolean): string[] {
  const items = ctx.textList(raw, label);
  return items.flatMap((item) => (quoted ? unquote(item) : item).split(',')).map((item) => item.trim()).filter(Boolean);
}

/** HTTP APIs: CorsConfiguration (CloudFormation, SAM, OpenAPI x-amazon-apigateway-cors). `true` allows everything. */
export function readHttpCors(ctx: GatewayReadContext, raw: unknown, label: string): CorsConfig | undefined {
  const value = ctx.value(raw, label);
  if (value === true || value === 'true') {
    return { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'], exposeHeaders: [], allowCredentials: false };
  }
  if (!isRecord(value)) return undefined;
  const field = (...names: string[]) => names.map((name) => value[name]).find((item) => item !== undefined);
  const maxAge = Number(field('MaxAge', 'maxAge'));
  return {
    allowOrigins: list(ctx, field('AllowOrigins', 'allowOrigins'), `${label}.AllowOrigins`, false),
    allowMethods: list(ctx, field('AllowMethods', 'allowMethods'), `${label}.AllowMethods`, false).map((m) => m.toUpperCase()),
    allowHeaders: list(ctx, field('AllowHeaders', 'allowHeaders'), `${label}.AllowHeaders`, false).map((h) => h.toLowerCase()),
    exposeHeaders: list(ctx, field('ExposeHeaders', 'exposeHeaders'), `${label}.ExposeHeaders`, false).map((h) => h.toLowerCase()),
    allowCredentials: field('AllowCredentials', 'allowCredentials') === true || field('AllowCredentials', 'allowCredentials') === 'true',
    ...(Number.isFinite(maxAge) ? { maxAgeSeconds: maxAge } : {}),
  };
}

/** SAM REST `Cors`: a quoted origin string ("'*'") or {AllowOrigin, AllowMethods, AllowHeaders, AllowCredentials, MaxAge}. */
export function readRestCors(ctx: GatewayReadContext, raw: unknown, label: string): CorsConfig | undefined {
  const value = ctx.value(raw, label);
  if (typeof value === 'string') {
    return { allowOrigins: [unquote(value)], allowMethods: ['*'], allowHeaders: ['*'], exposeHeaders: [], allowCredentials: false };
  }
  if (!isRecord(value)) return undefined;
  const maxAge = typeof value.MaxAge === 'string' ? Number(unquote(value.MaxAge)) : Number(value.MaxAge);
  return {
    allowOrigins: value.AllowOrigin === undefined ? ['*'] : list(ctx, value.AllowOrigin, `${label}.AllowOrigin`, true),
    allowMethods: value.AllowMethods === undefined ? ['*'] : list(ctx, value.AllowMethods, `${label}.AllowMethods`, true).map((m) => m.toUpperCase()),
    allowHeaders: list(ctx, value.AllowHeaders, `${label}.AllowHeaders`, true).map((h) => h.toLowerCase()),
    exposeHeaders: [],
    allowCredentials: value.AllowCredentials === true || value.AllowCredentials === 'true',
    ...(Number.isFinite(maxAge) ? { maxAgeSeconds: maxAge } : {}),
  };
}
