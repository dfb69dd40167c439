// Evaluates a Lambda authorizer's IAM policy document for execute-api:Invoke on a method ARN: an explicit Deny wins, else an Allow is needed.
export type PolicyDecision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** IAM wildcards: `*` any run of characters, `?` one character; case-sensitive. */
function wildcardMatch(pattern: string, text: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(text);
}

function actionMatches(pattern: string): boolean {
  return ['*', 'execute-api:*', 'execute-api:Invoke'].some((action) => wildcardMatch(pattern.toLowerCase(), action.toLowerCase()));
}

/** Undefined when the document is malformed (the gateway answers 500). */
export function evaluatePolicy(policyDocument: unknown, methodArn: string): PolicyDecision | undefined {
  if (typeof policyDocument !== 'object' || policyDocument === null) return undefined;
  const statements = (policyDocument as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? statements : statements === undefined ? undefined : [statements];
  if (!list) return undefined;
  let allowed = false;
  for (const statement of list) {
    if (typeof statement !== 'object' || statement === null) return undefined;
    const { Effect, Action, Resource } = statement as { Effect?: unknown; Action?: unknown; Resource?: unknown };
    if (Effect !== 'Allow' && Effect !== 'Deny') return undefined;
    const applies = asList(Action).some(actionMatches) && asList(Resource).some((resource) => wildcardMatch(resource, methodArn));
    if (!applies) continue;
    if (Effect === 'Deny') return 'ExplicitDeny';
    allowed = true;
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}
