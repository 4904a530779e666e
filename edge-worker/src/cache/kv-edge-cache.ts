import type { DependencyHealth } from '../../../shared/ports/event-stream';
import type { RecommendationResponse } from '../../../shared/schemas/recommendation';
import { log } from '../log';
import type { EdgeCache } from './edge-cache';
import {
  KV_KEYS,
  type ListRecord,
  listRecordSchema,
  RECS_RECORD_FINGERPRINT,
  type RecsRecord,
  recsRecordFor,
  recsRecordSchema,
} from './records';
import { type RecordParser, readStamped, stamped } from './stamped-record';

/** Options for {@link KvEdgeCache}. */
export interface KvEdgeCacheOptions {
  /** KV expiry of an answer, in seconds: how long it may be served stale. */
  readonly maxStaleSeconds: number;
}

/**
 * EdgeCache over a KV namespace. A record that fails its schema counts as a miss. Answers are
 * stamped when written (`stamped-record.ts`), so the hot read skips re-validating them.
 */
export class KvEdgeCache implements EdgeCache {
  constructor(
    private readonly kv: KVNamespace,
    private readonly options: KvEdgeCacheOptions,
  ) {}

  async getRecs(subject: string, surface: string, variant = ''): Promise<RecsRecord | undefined> {
    return this.read(KV_KEYS.recs(subject, surface, variant), recsRecordSchema, RECS_RECORD_FINGERPRINT);
  }

  async putRecs(
    subject: string,
    surface: string,
    response: RecommendationResponse,
    storedAt: number,
    variant = '',
  ) {
    const record = recsRecordFor(response, storedAt);
    // The response was validated when the origin client received it: the stamp vouches for that.
    const body = JSON.stringify(stamped(record, RECS_RECORD_FINGERPRINT));
    await this.kv.put(KV_KEYS.recs(subject, surface, variant), body, {
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

  private async read<T>(key: string, schema: RecordParser<T>, fingerprint = ''): Promise<T | undefined> {
    const raw = await this.kv.get(key, 'json').catch((error: unknown) => {
      // Unparseable JSON or a KV outage: both mean "not usable", the ladder goes on.
      log('warn', 'kv read failed', { key, error });
      return null;
    });
    if (raw === null) return undefined;
    const record = readStamped(raw, fingerprint, schema);
    if (record === undefined) log('warn', 'kv record ignored: schema mismatch', { key });
    return record;
  }
}
