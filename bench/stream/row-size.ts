import { benchUserRows } from './bench-rows';
import { rowBytes } from './row-bytes';

/**
 * Where a user row's bytes are, without the stand-ins (`bench:stream` reports the same for the
 * rows it actually wrote, as `user_row_bytes`):
 *
 *   node --import tsx bench/stream/row-size.ts [--events 22000] [--users 200] [--batch 3000]
 */
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : undefined;
};
const rows = benchUserRows({ events: arg('events'), users: arg('users'), batch: arg('batch') });
console.log(JSON.stringify(rowBytes(rows as unknown as Record<string, unknown>[]), null, 2));
