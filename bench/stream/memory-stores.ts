import type { DependencyHealth } from '../../shared/ports/event-stream';
import type { UserState, UserStateStore, VersionedPut } from '../../shared/ports/user-state-store';
import type { ChangeFeed } from '../../stream-handlers/common/change-feed';
import type {
  AddOutcome,
  CounterStore,
  CounterWrite,
  Fence,
  FencedWrite,
  ShardLedger,
} from '../../stream-handlers/common/counter-store';
import { compareSequence } from '../../stream-handlers/common/sequence';

// Null adapters: they let the bench time handler compute alone, without any wait on DynamoDB.
const ok: DependencyHealth = { ok: true };

export class MemoryUserStateStore implements UserStateStore {
  private readonly rows = new Map<string, UserState>();
  async getUser(id: string) {
    return this.rows.get(id);
  }
  async getUsers(ids: readonly string[]) {
    return new Map(ids.flatMap((id) => (this.rows.has(id) ? [[id, this.rows.get(id) as UserState]] : [])));
  }
  async putIfVersion(next: UserState, expected: number) {
    if ((this.rows.get(next.user_id)?.version ?? 0) !== expected) return false;
    this.rows.set(next.user_id, next);
    return true;
  }
  async putManyIfVersion(entries: readonly VersionedPut[]) {
    const out: boolean[] = [];
    for (const e of entries) out.push(await this.putIfVersion(e.next, e.expectedVersion));
    return out;
  }
  async health() {
    return ok;
  }
}

export class MemoryCounterStore implements CounterStore {
  private readonly rows = new Map<string, Record<string, number | string>>();
  private readonly ledgers = new Map<string, ShardLedger>();
  async addOnce(write: CounterWrite, fence: Fence): Promise<AddOutcome> {
    const k = JSON.stringify(write.key);
    const row = this.rows.get(k) ?? {};
    const wm = row[`wm_${fence.shardId}`] as string | undefined;
    if (wm && compareSequence(wm, fence.firstSequence) >= 0) return { applied: false, watermark: wm };
    for (const [a, v] of Object.entries(write.add)) row[a] = ((row[a] as number) ?? 0) + v;
    Object.assign(row, write.set, { [`wm_${fence.shardId}`]: fence.lastSequence });
    this.rows.set(k, row);
    return { applied: true };
  }
  async addManyOnce(writes: readonly FencedWrite[]) {
    const out: AddOutcome[] = [];
    for (const w of writes) out.push(await this.addOnce(w.write, w.fence));
    return out;
  }
  async getLedger(shardId: string) {
    return this.ledgers.get(shardId);
  }
  async putLedger(next: ShardLedger, expected: number) {
    if ((this.ledgers.get(next.shard_id)?.version ?? 0) !== expected) return false;
    this.ledgers.set(next.shard_id, next);
    return true;
  }
}

export const memoryChangeFeed: ChangeFeed = {
  async publish() {},
  async changedSince() {
    return { ids: [], until: 0 };
  },
};
