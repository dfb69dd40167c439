// Lambda event filtering (FilterCriteria): which records of a batch reach the function. A record passes when any pattern matches it.

/** The record as filters see it: an SQS body or a Kinesis data payload that is JSON is matched as JSON (as Lambda does). */
function filterView(event: object): Record<string, unknown> {
  const record = event as Record<string, unknown>;
  if (typeof record.body === 'string') return { ...record, body: jsonOrText(record.body) };
  const kinesis = record.kinesis as Record<string, unknown> | undefined;
  if (kinesis && typeof kinesis.data === 'string') {
    return { ...record, ...kinesis, data: jsonOrText(Buffer.from(kinesis.data, 'base64').toString('utf8')) };
  }
  return record;
}

/** Whether the record passes the mapping's filters (no filters: every record passes). Patterns are JSON objects. */
export function passesFilters(patterns: readonly string[] | undefined, record: object): boolean {
  if (!patterns || patterns.length === 0) return true;
  const view = filterView(record);
  return patterns.some((pattern) => matchesPattern(JSON.parse(pattern) as Record<string, unknown>, view));
}

/** One pattern (event filtering, SNS filter policies) against a JSON value; `$or` takes a list of alternative patterns. */
export function matchesPattern(pattern: Record<string, unknown>, value: unknown): boolean {
  const object = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  return Object.entries(pattern).every(([key, rule]) => {
    if (key === '$or' && Array.isArray(rule)) return rule.some((alternative) => typeof alternative === 'object' && alternative !== null && matchesPattern(alternative as Record<string, unknown>, value));
    if (Array.isArray(rule)) return matchesRules(rule, object[key]);
    if (typeof rule === 'object' && rule !== null) return matchesPattern(rule as Record<string, unknown>, object[key]);
    return false;
  });
}

/** One field against a list of rules: any rule may match; an array field matches when any element does. */
function matchesRules(rules: unknown[], field: unknown): boolean {
  const values = Array.isArray(field) ? field : [field];
  return rules.some((rule) => values.some((value) => matchesRule(rule, value, field === undefined)));
}

function matchesRule(rule: unknown, value: unknown, absent: boolean): boolean {
  if (rule === null || typeof rule !== 'object') return !absent && value === rule;
  const [operator, operand] = Object.entries(rule as Record<string, unknown>)[0] ?? [];
  if (operator === 'exists') return operand === !absent;
  if (absent) return false;
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && typeof operand === 'string' && value.startsWith(operand);
    case 'suffix':
      return typeof value === 'string' && typeof operand === 'string' && value.endsWith(operand);
    case 'equals-ignore-case':
      return typeof value === 'string' && typeof operand === 'string' && value.toLowerCase() === operand.toLowerCase();
    case 'anything-but':
      if (Array.isArray(operand)) return !operand.includes(value);
      if (typeof operand === 'object' && operand !== null) return !matchesRule(operand, value, false);
      return value !== operand;
    case 'numeric':
      return typeof value === 'number' && Array.isArray(operand) && numericMatch(operand, value);
    default:
      return false;
  }
}

/** ["<", 10] or [">=", 0, "<", 10]. */
function numericMatch(conditions: unknown[], value: number): boolean {
  for (let i = 0; i + 1 < conditions.length; i += 2) {
    const limit = Number(conditions[i + 1]);
    const holds = { '<': value < limit, '<=': value <= limit, '=': value === limit, '>': value > limit, '>=': value >= limit }[String(conditions[i])];
    if (!holds) return false;
  }
  return true;
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
