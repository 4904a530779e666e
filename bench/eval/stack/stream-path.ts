import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type DeadLetterRecord,
  type EventSourceMapping,
  startEventSourceMapping,
} from '../../../local/kinesis-runner';
import { DynamoChangeFeed } from '../../../origin-lambdas/adapters/dynamodb-change-feed';
import { DynamoItemCatalog } from '../../../origin-lambdas/adapters/dynamodb-item-catalog';
import { DynamoUserStateStore } from '../../../origin-lambdas/adapters/dynamodb-user-state-store';
import type { createKinesisClient } from '../../../origin-lambdas/common/aws-clients';
import { createIngestApp } from '../../../origin-lambdas/ingest/app';
import type { EventStream } from '../../../shared/ports/event-stream';
import { type AttuneEvent, EVENT_LIMITS } from '../../../shared/schemas/event';
import { idDigest, unpackDigests } from '../../../stream-handlers/common/event-digest';
import { createItemLookup } from '../../../stream-handlers/common/item-lookup';
import { createUserStateHandler } from '../../../stream-handlers/user-state/handler';

export interface StreamPathOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly prefix: string;
  readonly kinesis: ReturnType<typeof createKinesisClient>;
  readonly streamName: string;
  /** The runtime's event stream adapter (KinesisEventStream), what `ingestAppFor` hands the app. */
  readonly stream: EventStream;
  /** The local mapping's poll interval when the shard is caught up. */
  readonly pollMs: number;
}

/** Events sent, and the outcome of the ingest requests that carried them. */
export interface SendResult {
  readonly accepted: number;
  readonly requests: number;
}

// Margin under the ingest app's 7-day rule, so a batch's oldest event is never on the edge.
const WINDOW_MS = EVENT_LIMITS.maxPastMs - 3_600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The production write path for the streaming replay: `POST /v1/events` on the real ingest app
 * -> KinesisEventStream -> kinesalite -> the local Kinesis event source mapping -> the user-state
 * handler (built as its Lambda entry point builds it) -> DynamoDB Local.
 *
 * The ingest app is `createIngestApp` over the runtime's stream, as `ingestAppFor` wires it, with
 * one difference: its clock. The app refuses events more than 7 days old, and MovieLens ratings
 * are years old, so each request's clock is set to the newest event it carries, and a request
 * carries at most 500 events spanning less than 7 days.
 */
export function startStreamPath(opts: StreamPathOptions) {
  let clock = 0;
  const ingest = createIngestApp({ stream: opts.stream, now: () => clock }, {});
  const catalog = new DynamoItemCatalog(opts.doc, opts.prefix);
  const users = new DynamoUserStateStore(opts.doc, opts.prefix);
  const deadLetters: DeadLetterRecord[] = [];
  const mapping: EventSourceMapping = startEventSourceMapping({
    functionName: 'user-state',
    streamName: opts.streamName,
    kinesis: opts.kinesis,
    handler: createUserStateHandler({
      users,
      items: createItemLookup(catalog),
      changes: new DynamoChangeFeed(opts.doc, opts.prefix),
    }),
    pollIntervalMs: opts.pollMs,
    startingPosition: 'TRIM_HORIZON',
    deadLetter: { put: async (r) => void deadLetters.push(...r) },
  });

  /** Posts `events` through the ingest app; throws if any is rejected. */
  async function send(events: readonly AttuneEvent[]): Promise<SendResult> {
    const sorted = [...events].sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
    let accepted = 0;
    let requests = 0;
    for (let i = 0; i < sorted.length; ) {
      const first = Date.parse((sorted[i] as AttuneEvent).ts);
      let j = i + 1;
      while (
        j < sorted.length &&
        j - i < EVENT_LIMITS.maxBatch &&
        Date.parse((sorted[j] as AttuneEvent).ts) - first <= WINDOW_MS
      )
        j++;
      const batch = sorted.slice(i, j);
      clock = Date.parse((batch[batch.length - 1] as AttuneEvent).ts);
      const res = await ingest.request('/v1/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(batch),
      });
      const body = (await res.json()) as { accepted?: number; rejected?: unknown[] };
      if (res.status !== 202 || body.rejected?.length)
        throw new Error(`ingest answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
      accepted += body.accepted ?? 0;
      requests++;
      i = j;
    }
    return { accepted, requests };
  }

  /**
   * Waits until every user's state shows their expected event applied (its id among the
   * state's recent event digests), reading the users table as the origin does.
   */
  async function waitApplied(expected: ReadonlyMap<string, string>, timeoutMs = 120_000): Promise<void> {
    const pending = new Map(expected);
    const deadline = Date.now() + timeoutMs;
    while (pending.size) {
      const rows = await users.getUsers([...pending.keys()]);
      for (const [user, eventId] of pending)
        if (unpackDigests(rows.get(user)?.recent_event_digests).includes(idDigest(eventId)))
          pending.delete(user);
      if (!pending.size) return;
      if (deadLetters.length) throw new Error(`dead-lettered: ${deadLetters[0]?.error}`);
      if (Date.now() > deadline)
        throw new Error(`${pending.size} users still without their event after ${timeoutMs} ms`);
      await sleep(Math.max(20, Math.floor(opts.pollMs / 2)));
    }
  }

  /**
   * Waits until the mapping has counted `records` records as succeeded. It counts a batch when the
   * handler has returned, so a user's state can show an event (what `waitApplied` sees) a moment
   * before its record is counted: read the stats after this, not right after `waitApplied`.
   */
  async function counted(records: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (mapping.stats().recordsSucceeded < records) {
      if (Date.now() > deadline)
        throw new Error(
          `${mapping.stats().recordsSucceeded} of ${records} records counted after ${timeoutMs} ms`,
        );
      await sleep(20);
    }
  }

  return { send, waitApplied, counted, stats: () => mapping.stats(), stop: () => mapping.stop() };
}

export type StreamPath = ReturnType<typeof startStreamPath>;
