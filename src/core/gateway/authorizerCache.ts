// Lambda authorizer answers reused for the authorizer's result TTL, keyed by API, authorizer and identity source values, as API Gateway caches them.
import type { AuthorizerConfig, GatewayApi } from './gatewayModel';

/** Past this many entries, expired ones are dropped before a new one is kept. */
const PRUNE_AT = 1000;

export class AuthorizerCache {
  private readonly entries = new Map<string, { answer: object; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The cache key, or undefined when this authorizer's answers are not cached (TTL 0, or no identity sources). */
  static key(api: GatewayApi, authorizer: Extract<AuthorizerConfig, { type: 'REQUEST' | 'TOKEN' }>, identityValues: readonly string[]): string | undefined {
    if (authorizer.resultTtlSeconds <= 0 || identityValues.length === 0) return undefined;
    return JSON.stringify([api.id, authorizer.name, ...identityValues]);
  }

  get(key: string): object | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > this.now()) return entry.answer;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, answer: object, ttlSeconds: number): void {
    if (this.entries.size >= PRUNE_AT) {
      const now = this.now();
      for (const [other, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(other);
    }
    this.entries.set(key, { answer, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  /** Forgets every answer (the authorizers may have changed with the templates). */
  clear(): void {
    this.entries.clear();
  }
}
