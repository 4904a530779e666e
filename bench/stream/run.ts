import { writeFile } from 'node:fs/promises';
import {
  type DeadLetterRecord,
  type EventSourceMapping,
  startEventSourceMapping,
} from '../../local/kinesis-runner';
import type { AttuneEvent } from '../../shared/schemas/event';
import type { BenchArgs } from './args';
import { measureHandlerCpu } from './cpu';
import { createWorkload } from './generator';
import { dynamoHandlers, HANDLER_NAMES } from './handlers';
import { FreshnessTracker, percentile } from './instrument';
import { PhaseClock } from './phases';
import { replayFromTrimHorizon } from './replay';
import { rowBytes } from './row-bytes';
import { sendEvents } from './send';
import { startBenchStack } from './stack';
import { truthOf } from './truth';
import { scanAll, snapshot, verify } from './verify';

const log = (msg: string) => console.log(`[bench:stream] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the whole bench and prints (and optionally writes) the final JSON line. */
export async function runBench(args: BenchArgs): Promise<Record<string, unknown>> {
  log(`starting stand-ins (${args.shards} shard(s), ${args.items} items)`);
  const stack = await startBenchStack({ shards: args.shards, items: args.items });
  const mappings: EventSourceMapping[] = [];
  try {
    const tracker = new FreshnessTracker();
    let warmedUp = false;
    const clock = new PhaseClock();
    clock.timeGetRecords(stack.kinesis);
    const { handlers, switches } = dynamoHandlers(stack.doc, stack.prefix, {
      clock,
      writeMode: args.writeMode,
      userCache: args.userCache,
    });
    const deadLettered: DeadLetterRecord[] = [];
    for (const name of HANDLER_NAMES) {
      mappings.push(
        startEventSourceMapping({
          functionName: name,
          streamName: stack.streamName,
          kinesis: stack.kinesis,
          handler: tracker.wrap(name, handlers[name], {
            keepBatches: name === 'user-state',
            // Crash once, in the batch after the first that succeeded: mid-run, mid-batch.
            after: () => args.crash && warmedUp && switches[name].arm(),
          }),
          batchSize: args.batchSize,
          pollIntervalMs: args.pollMs,
          busyPollIntervalMs: args.busyPollMs,
          startingPosition: 'TRIM_HORIZON',
          deadLetter: { put: async (r) => void deadLettered.push(...r) },
          log: (msg, f) => {
            if (!msg.includes('fail') && !msg.includes('dead')) return;
            log(`${name}: ${msg}: ${String(f?.error ?? '').slice(0, 160)}`);
          },
        }),
      );
    }
    const accepted = new Map<string, AttuneEvent>();
    const workload = createWorkload({ users: args.users, itemIds: stack.itemIds });
    let started = Date.now();
    const progress = setInterval(() => {
      const stored = HANDLER_NAMES.map((n) => `${n}=${tracker.count(n)}`).join(' ');
      log(`t=${((Date.now() - started) / 1000).toFixed(1)}s accepted=${accepted.size} stored: ${stored}`);
    }, 1000);
    let sendDone = 0;
    /** Sends `total` events at the offered rate and waits until every handler stored them all. */
    const drive = async (total: number, duplicateRate: number) => {
      const sent = await sendEvents({
        url: stack.ingestUrl,
        total,
        rate: args.rate,
        duplicateRate,
        next: workload.next,
        onAccepted: (events) => {
          for (const e of events) if (!accepted.has(e.event_id)) accepted.set(e.event_id, e);
        },
      });
      sendDone = Date.now();
      const deadline = Date.now() + 180_000;
      while (HANDLER_NAMES.some((n) => tracker.count(n) < accepted.size) && Date.now() < deadline)
        await sleep(20);
      return sent;
    };
    // Warm-up: cold handlers (JIT, first connections, item cache) and a cold DynamoDB Local JVM
    // would otherwise dominate the first batches. Warm-up events are verified, not timed.
    if (args.warmup > 0) {
      log(`warming up with ${args.warmup} events`);
      await drive(args.warmup, 0);
    }
    const warm = new Set(accepted.keys());
    warmedUp = true;
    clock.start();
    started = Date.now();
    log(
      `sending ${args.events} events at ${args.rate || 'max'} events/s, duplicate rate ${args.duplicateRate}`,
    );
    const sent = await drive(args.events, args.duplicateRate);
    clock.stop();
    const sendSeconds = (sendDone - started) / 1000;
    const elapsed = (Date.now() - started) / 1000;
    clearInterval(progress);
    for (const m of mappings.splice(0)) await m.stop();
    const truth = truthOf(accepted.values());
    const verdict = await verify(stack.doc, stack.prefix, truth);
    log(`applied; verifying a replay from TRIM_HORIZON`);
    let replay: Record<string, unknown> = { skipped: true };
    let final = verdict;
    if (args.replay) {
      const before = await snapshot(stack.doc, stack.prefix);
      const plain = dynamoHandlers(stack.doc, stack.prefix, { writeMode: args.writeMode }).handlers;
      const r = await replayFromTrimHorizon(stack.kinesis, stack.streamName, plain, args.batchSize);
      final = await verify(stack.doc, stack.prefix, truth);
      replay = {
        records_redelivered: r.delivered,
        state_identical: (await snapshot(stack.doc, stack.prefix)) === before,
        dead_lettered: r.deadLettered.length,
      };
    }
    const users = (await scanAll(stack.doc, stack.prefix, 'users')).filter((r) => r.facet === 'state');
    log('timing handler compute over null adapters');
    const cpu = await measureHandlerCpu(tracker.batches, args.items);
    const all = tracker.allStored(warm);
    const perHandler = Object.fromEntries(
      HANDLER_NAMES.map((n) => {
        const lags = [...(tracker.lags.get(n) ?? [])].flatMap(([id, lag]) => (warm.has(id) ? [] : [lag]));
        return [n, { p50: percentile(lags, 50), p95: percentile(lags, 95), p99: percentile(lags, 99) }];
      }),
    );
    const result = {
      events: accepted.size - warm.size,
      events_per_s: Math.round((accepted.size - warm.size) / elapsed),
      freshness_p50_ms: percentile(all, 50),
      freshness_p95_ms: percentile(all, 95),
      freshness_p99_ms: percentile(all, 99),
      lost: Math.max(verdict.lost, final.lost),
      double_applied: Math.max(verdict.double_applied, final.double_applied),
      handler_cpu_us_per_event: cpu.total,
      handler_cpu_us_per_event_by_handler: cpu.per,
      freshness_ms_by_handler: perHandler,
      phase_ms: clock.summary(),
      user_row_bytes: rowBytes(users),
      offered_rate: args.rate,
      send_seconds: Math.round(sendSeconds * 10) / 10,
      elapsed_s: Math.round(elapsed * 10) / 10,
      duplicate_sends: sent.duplicateSends,
      crashes_injected: HANDLER_NAMES.filter((n) => switches[n].crashed).length,
      dead_lettered: deadLettered.length,
      replay,
      check_detail: final.detail,
      warmup_events: warm.size,
      settings: {
        poll_ms: args.pollMs,
        busy_poll_ms: args.busyPollMs,
        batch_size: args.batchSize,
        shards: args.shards,
        users: args.users,
        write_mode: args.writeMode,
        user_cache: args.userCache,
      },
    };
    log(
      `${result.events} events, ${result.events_per_s} events/s; freshness p50/p95/p99 ` +
        `${result.freshness_p50_ms}/${result.freshness_p95_ms}/${result.freshness_p99_ms} ms; ` +
        `lost ${result.lost}, double ${result.double_applied}; cpu ${cpu.total} us/event`,
    );
    if (args.out) await writeFile(args.out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result));
    return result;
  } finally {
    for (const m of mappings) await m.stop().catch(() => undefined);
    await stack.stop();
  }
}
