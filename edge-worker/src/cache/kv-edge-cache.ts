import type { DependencyHealth } from '../../../shared/ports/event-stream';
import type { RecommendationResponse } from '../../../shared/schemas/recommendation';
import { log } from '../log';
import type { EdgeCache } from './edge-cache';
import { KV_KEYS, type ListRecord, listRecordSchema, type RecsRecord, recsRecordSchema } from './records';

/** Options for {@link KvEdgeCache}. */
export interface KvEdgeCacheOptions {
  /** KV expiry of an answer, in seconds: how long it may be served stale. */
  readonly maxStaleSeconds: number;
}

/** EdgeCache over a KV namespace. A record that fails its schema counts as a miss. */
export class KvEdgeCache implements EdgeCache {
  constructor(
    private readonly kv: KVNamespace,
    private readonly options: KvEdgeCacheOptions,
  ) {}

  async getRecs(subject: string, surface: string, variant = ''): Promise<RecsRecord | undefined> {
    return this.read(KV_KEYS.recs(subject, surface, variant), recsRecordSchema);
  }

  async putRecs(
    subject: string,
    surface: string,
    response: RecommendationResponse,
    storedAt: number,
    variant = '',
  ) {
    const { candidates, slots, ...answer } = response;
    // The candidates live beside the answer, not inside it, so they are stored once.
    const record: RecsRecord = candidates
      ? { v: 2, stored_at: storedAt, response: answer, candidates, ...(slots ? { slots } : {}) }
      : { v: 1, stored_at: storedAt, response: answer };
    await this.kv.put(KV_KEYS.recs(subject, surface, variant), JSON.stringify(record), {
      expirationTtl: this.options.maxStaleSeconds,
    });
  }

  async getList(key: string): Promise<ListRecord | undefined> {
    return this.read(key, listRecordSchema);
  }

  async health(): Promise<DependencyHealth> {
    try {
      await this.kv.get('health:v1:probe');
      return { ok: true };
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  private async read<T>(
    key: string,
    schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  ): Promise<T | undefined> {
    const raw = await this.kv.get(key, 'json').catch((error: unknown) => {
      // Unparseable JSON or a KV outage: both mean "not usable", the ladder goes on.
      log('warn', 'kv read failed', { key, error });
      return null;
    });
    if (raw === null) return undefined;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      log('warn', 'kv record ignored: schema mismatch', { key });
      return undefined;
    }
    return parsed.data;
  }
}
