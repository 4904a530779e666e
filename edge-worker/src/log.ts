type Level = 'info' | 'warn' | 'error';

/**
 * One JSON line per log record, so Workers observability can index the fields.
 * Errors are flattened because `JSON.stringify(new Error())` is `{}`.
 */
export function log(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  const record: Record<string, unknown> = { level, message, service: 'attune-edge', ...fields };
  for (const [k, v] of Object.entries(record)) {
    if (v instanceof Error) record[k] = { name: v.name, message: v.message };
  }
  const line = JSON.stringify(record);
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}
