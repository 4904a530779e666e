import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** One conditional write of a batch; `id` names its table and key, and must be unique in the batch. */
export interface KeyedWrite {
  readonly id: string;
  readonly item: TransactItem;
}

/** Per write: committed, or refused by its own condition (with the item as it was, raw). */
export type TransactOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly old?: Record<string, unknown> };

export interface TransactOptions {
  /** Items per TransactWriteItems request; DynamoDB allows 100. @default 100 */
  readonly maxItems?: number;
  /**
   * Estimated request bytes per transaction. DynamoDB's limit is 4 MB; the estimate is the items'
   * JSON, which overstates binary attributes, so a chunk errs on the small side. @default 3_500_000
   */
  readonly maxBytes?: number;
  /** Sends of a chunk that settle none of its writes (conflicts, throttling) before the call fails. @default 4 */
  readonly maxResends?: number;
}

// Cancelled for another item's sake, or contention that passes: resend these.
const RESEND = new Set(['None', 'TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

/**
 * Writes many items with TransactWriteItems, each keeping its own ConditionExpression, instead of a
 * request per item: DynamoDB Local (and Lambda's per-request overhead) makes the request, not the
 * item, the unit of cost. A transaction is all-or-nothing, so one item's failed condition cancels
 * the chunk: that item is reported refused, like a single conditional write, and the others are
 * sent again without it. Any other cancellation reason or error rejects the call; chunks already
 * committed stay committed, which callers' version and watermark conditions make safe to redo.
 */
export async function transactWriteEach(
  doc: DynamoDBDocumentClient,
  writes: readonly KeyedWrite[],
  opts: TransactOptions = {},
): Promise<TransactOutcome[]> {
  const ids = new Set(writes.map((w) => w.id));
  // DynamoDB refuses a transaction that touches one item twice; the callers write once per key.
  if (ids.size !== writes.length) throw new Error('transactWriteEach: a key appears twice in one batch');
  const outcomes: TransactOutcome[] = new Array(writes.length);
  for (const chunk of chunks(writes, opts.maxItems ?? 100, opts.maxBytes ?? 3_500_000)) {
    let pending = chunk;
    // A cancellation that settles an item by its condition always shrinks the chunk; only sends
    // that settle nothing (conflicts, throttling) count against the limit, and back off.
    for (let stalls = 0; pending.length > 0; ) {
      const rest = await sendChunk(doc, writes, pending, outcomes);
      if (rest.length === pending.length) {
        if (++stalls > (opts.maxResends ?? 4))
          throw new Error(`transactWriteEach: ${rest.length} writes still cancelled after ${stalls} sends`);
        await new Promise((r) => setTimeout(r, 20 * 2 ** stalls));
      }
      pending = rest;
    }
  }
  return outcomes;
}

/** Sends one transaction; records the outcome of every write it settles and returns the rest. */
async function sendChunk(
  doc: DynamoDBDocumentClient,
  writes: readonly KeyedWrite[],
  pending: readonly number[],
  outcomes: TransactOutcome[],
): Promise<number[]> {
  try {
    await doc.send(
      new TransactWriteCommand({ TransactItems: pending.map((i) => (writes[i] as KeyedWrite).item) }),
    );
  } catch (err) {
    const reasons = err instanceof TransactionCanceledException ? err.CancellationReasons : undefined;
    if (!reasons || reasons.length !== pending.length) throw err;
    const resend: number[] = [];
    pending.forEach((i, at) => {
      const reason = reasons[at];
      const code = reason?.Code ?? 'None';
      if (code === 'ConditionalCheckFailed') outcomes[i] = { ok: false, old: reason?.Item };
      else if (RESEND.has(code)) resend.push(i);
      else
        throw new Error(
          `transaction write ${(writes[i] as KeyedWrite).id}: ${code}: ${reason?.Message ?? ''}`,
        );
    });
    return resend;
  }
  for (const i of pending) outcomes[i] = { ok: true };
  return [];
}

/** Indexes of `writes` in order, cut at `maxItems` items or `maxBytes` estimated bytes. */
function chunks(writes: readonly KeyedWrite[], maxItems: number, maxBytes: number): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  writes.forEach((w, i) => {
    const size = JSON.stringify(w.item).length;
    if (current.length > 0 && (current.length >= maxItems || bytes + size > maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(i);
    bytes += size;
  });
  if (current.length > 0) out.push(current);
  return out;
}
