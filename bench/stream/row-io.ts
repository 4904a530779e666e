import { randomUUID } from 'node:crypto';
import { freePort } from '../../local/net/free-port';
import { startDynamoDbLocal } from '../../local/standins/dynamodb-local';
import { ensureTables } from '../../local/standins/tables';
import { DynamoUserStateStore } from '../../origin-lambdas/adapters/dynamodb-user-state-store';
import { createDocumentClient, createDynamoClient } from '../../origin-lambdas/common/aws-clients';
import type { UserState } from '../../shared/ports/user-state-store';
import { benchUserRows } from './bench-rows';

/**
 * What one batch's user-state store calls cost per row format, alone on DynamoDB Local: the 200
 * bench rows as written now (`digests`) and the same rows with 100 raw UUIDs in
 * `recent_event_ids` instead (`ids`, the format before 2026-11-24), read with `getUsers` and
 * written with `putManyIfVersion`, the two formats alternating, the first two rounds discarded.
 *
 *   node --import tsx bench/stream/row-io.ts [rounds, default 16]
 */
const fresh = benchUserRows();
const formats: Record<string, UserState[]> = {
  ids: fresh.map((r) => {
    const { recent_event_digests: _packed, ...rest } = r;
    const ids = Array.from({ length: 100 }, () => randomUUID());
    return { ...rest, user_id: `old-${r.user_id}`, recent_event_ids: ids } as UserState;
  }),
  digests: fresh.map((r) => ({ ...r, user_id: `new-${r.user_id}` })),
};

const median = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0);
const dynamo = await startDynamoDbLocal({ port: await freePort() });
const client = createDynamoClient({ endpoint: dynamo.endpoint });
const doc = createDocumentClient({ endpoint: dynamo.endpoint });
try {
  await ensureTables(client, 'rowio');
  const store = new DynamoUserStateStore(doc, 'rowio');
  const version: Record<string, number> = { ids: 0, digests: 0 };
  const ms: Record<string, { get: number[]; put: number[] }> = {
    ids: { get: [], put: [] },
    digests: { get: [], put: [] },
  };
  const rounds = Number(process.argv[2] ?? 16);
  for (let r = 0; r < rounds; r++) {
    for (const fmt of r % 2 ? ['ids', 'digests'] : ['digests', 'ids']) {
      const rows = formats[fmt] as UserState[];
      const v = version[fmt] as number;
      let t = performance.now();
      if (v > 0 && (await store.getUsers(rows.map((x) => x.user_id))).size !== rows.length)
        throw new Error('rows missing');
      const get = performance.now() - t;
      t = performance.now();
      const ok = await store.putManyIfVersion(
        rows.map((x) => ({ next: { ...x, version: v + 1 }, expectedVersion: v })),
      );
      if (ok.includes(false)) throw new Error('lost a version race');
      const put = performance.now() - t;
      version[fmt] = v + 1;
      if (r < 2) continue;
      ms[fmt]?.get.push(get);
      ms[fmt]?.put.push(put);
    }
  }
  for (const [fmt, m] of Object.entries(ms))
    console.log(
      JSON.stringify({
        format: fmt,
        rounds: m.get.length,
        getUsers_ms_median: median(m.get),
        getUsers_ms_range: [Math.round(Math.min(...m.get)), Math.round(Math.max(...m.get))],
        putManyIfVersion_ms_median: median(m.put),
        putManyIfVersion_ms_range: [Math.round(Math.min(...m.put)), Math.round(Math.max(...m.put))],
      }),
    );
} finally {
  doc.destroy();
  client.destroy();
  await dynamo.stop();
}
process.exit(0);
