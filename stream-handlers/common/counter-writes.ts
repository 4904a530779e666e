import type { AddOutcome, CounterStore, CounterWrite, Fence } from './counter-store';
import { forEachLimit } from './limit';
import { compareSequence } from './sequence';
import type { WriteMode } from './write-mode';

/** One event's contribution to one counter key. */
export interface Part {
  readonly seq: string;
  readonly write: CounterWrite;
}

export interface GroupWriteOptions {
  readonly mode: WriteMode;
  readonly maxRaces: number;
  /** Keys in flight at once in `single` mode. */
  readonly concurrency: number;
}

export interface GroupWriteResult {
  readonly keysWritten: number;
  /** The earliest part (by sequence) of a key that could not be written, with why. */
  readonly firstFailed?: { readonly seq: string; readonly err: Error };
}

// A frozen key cannot change, so its string is kept: handlers share one frozen key per counter row
// among the writes of a batch (trending's bucket rows), and every write asks for its key's string.
const frozenKeys = new WeakMap<object, string>();

/** A counter key as one string, `name=value` joined by `|` in name order, whatever the key's order. */
export function keyString(k: Readonly<Record<string, string>>): string {
  const known = frozenKeys.get(k);
  if (known !== undefined) return known;
  const names = Object.keys(k);
  // Insertion sort: keys have two or three names, and Array#sort copies them first (once per event).
  for (let i = 1; i < names.length; i++) {
    const name = names[i] as string;
    let j = i - 1;
    for (; j >= 0 && (names[j] as string) > name; j--) names[j + 1] = names[j] as string;
    names[j + 1] = name;
  }
  let out = '';
  for (let i = 0; i < names.length; i++) out += `${i ? '|' : ''}${names[i]}=${k[names[i] as string]}`;
  if (Object.isFrozen(k)) frozenKeys.set(k, out);
  return out;
}

function sumParts(parts: readonly Part[]): CounterWrite {
  const add: Record<string, number> = {};
  const set: Record<string, string | number> = {};
  for (const p of parts) {
    const more = p.write.add;
    for (const a in more) add[a] = (add[a] ?? 0) + (more[a] as number);
    Object.assign(set, p.write.set);
  }
  return { key: (parts[0] as Part).write.key, add, set };
}

const fenceOf = (shardId: string, parts: readonly Part[]): Fence => ({
  shardId,
  firstSequence: (parts[0] as Part).seq,
  lastSequence: (parts[parts.length - 1] as Part).seq,
});

/**
 * Writes each key's summed parts once, fenced by the shard's sequence numbers. A refused write
 * (the key's watermark is already past some parts: a redelivery) is retried with only the parts
 * after that watermark, up to `maxRaces` times.
 */
export async function writeCounterGroups(
  store: CounterStore,
  shardId: string,
  groups: readonly (readonly Part[])[],
  opts: GroupWriteOptions,
): Promise<GroupWriteResult> {
  let keysWritten = 0;
  let firstFailed: GroupWriteResult['firstFailed'];
  const fail = (all: readonly Part[], err: unknown) => {
    const seq = (all[0] as Part).seq;
    if (!firstFailed || compareSequence(seq, firstFailed.seq) < 0) firstFailed = { seq, err: err as Error };
  };
  const stale = (all: readonly Part[]) =>
    new Error(`counter ${keyString((all[0] as Part).write.key)}: fence kept moving`);
  const result = () => ({ keysWritten, ...(firstFailed ? { firstFailed } : {}) });
  if (opts.mode === 'single') {
    await forEachLimit(groups, opts.concurrency, async (all) => {
      let parts = all;
      try {
        for (let race = 0; parts.length && race <= opts.maxRaces; race++) {
          const out = await store.addOnce(sumParts(parts), fenceOf(shardId, parts));
          if (out.applied) {
            keysWritten++;
            return;
          }
          parts = parts.filter((p) => compareSequence(p.seq, out.watermark) > 0);
        }
        if (parts.length) throw stale(all);
      } catch (err) {
        fail(all, err);
      }
    });
    return result();
  }
  let pending = groups.map((all) => ({ all, parts: all }));
  for (let race = 0; pending.length && race <= opts.maxRaces; race++) {
    let outcomes: AddOutcome[];
    try {
      outcomes = await store.addManyOnce(
        pending.map((p) => ({ write: sumParts(p.parts), fence: fenceOf(shardId, p.parts) })),
      );
    } catch (err) {
      for (const p of pending) fail(p.all, err);
      return result();
    }
    const next: typeof pending = [];
    pending.forEach((p, i) => {
      const out = outcomes[i] as AddOutcome;
      if (out.applied) keysWritten++;
      else {
        const parts = p.parts.filter((x) => compareSequence(x.seq, out.watermark) > 0);
        if (parts.length) next.push({ all: p.all, parts });
      }
    });
    pending = next;
  }
  for (const p of pending) fail(p.all, stale(p.all));
  return result();
}
