/**
 * Remembers a parse of Worker variables for the last values seen. Why: zod cannot compile its
 * parsers in workerd (no `new Function`), and parsing the `[vars]` on every request cost about
 * a tenth of a cache hit's CPU. The values themselves are the key, so a changed binding (a new
 * deploy, a test's own env) is parsed again.
 */
export function memoizeByVars<T>(
  names: readonly string[],
  parse: (env: Record<string, unknown>) => T,
): (env: Record<string, unknown>) => T {
  let last: { key: string; value: T } | undefined;
  return (env) => {
    const key = names.map((n) => String(env[n])).join('\u0000');
    if (key !== last?.key) last = { key, value: parse(env) };
    return last.value;
  };
}
