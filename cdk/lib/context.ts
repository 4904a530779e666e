import type { Node } from 'constructs';

// `-c key=value` values arrive as strings, `cdk.json` values keep their JSON type: accept both.

/** A positive (or, with `min: 0`, non-negative) integer from the context. */
export function intContext(node: Node, key: string, fallback: number, min = 1): number {
  const raw = node.tryGetContext(key);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`context ${key} "${raw}" must be an integer >= ${min}`);
  return value;
}

/** A boolean from the context (`true`/`false` or the strings). */
export function boolContext(node: Node, key: string, fallback: boolean): boolean {
  const raw = node.tryGetContext(key);
  if (raw === undefined) return fallback;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new Error(`context ${key} "${raw}" must be true or false`);
}

/** A string from the context, checked against `pattern`. */
export function stringContext(node: Node, key: string, fallback: string, pattern: RegExp): string;
export function stringContext(
  node: Node,
  key: string,
  fallback: undefined,
  pattern: RegExp,
): string | undefined;
export function stringContext(
  node: Node,
  key: string,
  fallback: string | undefined,
  pattern: RegExp,
): string | undefined {
  const raw = node.tryGetContext(key);
  if (raw === undefined) return fallback;
  const value = String(raw);
  if (!pattern.test(value)) throw new Error(`context ${key} "${value}" must match ${pattern}`);
  return value;
}

/** A comma-separated list (or a JSON array) from the context. */
export function listContext(node: Node, key: string): string[] {
  const raw = node.tryGetContext(key);
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  return list.map((s) => s.trim()).filter(Boolean);
}
