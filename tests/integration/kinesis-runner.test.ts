import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { DescribeStreamSummaryCommand, ListShardsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import type {
  Context,
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
  KinesisStreamRecord,
} from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EventSourceMapping,
  type EventSourceMappingOptions,
  FileDeadLetterSink,
  readDeadLetters,
  replayDeadLetters,
  startEventSourceMapping,
} from '../../local/kinesis-runner';
import { waitFor } from '../../local/net/wait-for';
import { ensureStream } from '../../local/standins/tables';
import { putRecordsWithRetry } from '../../origin-lambdas/adapters/kinesis-event-stream';
import { startTestKinesis, type TestKinesis } from '../helpers/standins';

let kinesis: TestKinesis;
let dir: string;
let streams = 0;
const mappings: EventSourceMapping[] = [];

beforeAll(async () => {
  kinesis = await startTestKinesis('runner-unused', 1);
  dir = await mkdtemp(join(tmpdir(), 'kinesis-runner-'));
});
afterAll(async () => {
  await Promise.all(mappings.map((m) => m.stop()));
  await kinesis?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function newStream(shards: number): Promise<string> {
  const name = `runner-${++streams}`;
  await ensureStream(kinesis.client, name, shards);
  return name;
}

const text = (r: KinesisStreamRecord) => Buffer.from(r.kinesis.data, 'base64').toString('utf8');

async function put(streamName: string, items: { key: string; body: string | Uint8Array }[]) {
  const records = items.map((i) => ({
    partitionKey: i.key,
    data: typeof i.body === 'string' ? new TextEncoder().encode(i.body) : i.body,
  }));
  const res = await putRecordsWithRetry(kinesis.client, streamName, records);
  expect(res.failedIndexes).toEqual([]);
}

/** A handler that records each invocation; `decide` may throw or return a partial batch response. */
function recorder(
  decide?: (records: KinesisStreamRecord[], call: number) => KinesisStreamBatchResponse | undefined,
) {
  const calls: KinesisStreamRecord[][] = [];
  const succeeded: KinesisStreamRecord[] = [];
  const contexts: Context[] = [];
  const handler = async (event: KinesisStreamEvent, context: Context) => {
    calls.push(event.Records);
    contexts.push(context);
    const res = decide?.(event.Records, calls.length);
    const failed = new Set(res?.batchItemFailures.map((f) => f.itemIdentifier));
    succeeded.push(...event.Records.filter((r) => !failed.has(r.kinesis.sequenceNumber)));
    return res;
  };
  return { handler, calls, succeeded, contexts };
}

function start(
  streamName: string,
  handler: EventSourceMappingOptions['handler'],
  extra: Partial<EventSourceMappingOptions> = {},
) {
  const m = startEventSourceMapping({
    functionName: `fn-${streamName}`,
    streamName,
    kinesis: kinesis.client,
    handler,
    // Tests drive polling with pollOnce(); the timer would only poll after an hour.
    pollIntervalMs: 3_600_000,
    deadLetter: new FileDeadLetterSink(join(dir, `${streamName}.dlq.jsonl`)),
    ...extra,
  });
  mappings.push(m);
  return m;
}

/** Polls until a poll reads nothing: every record on the stream has been handled. */
async function drain(m: EventSourceMapping) {
  for (let i = 0; i < 100; i++) {
    const r = await m.pollOnce();
    expect(r.shards.filter((s) => s.error)).toEqual([]);
    if (r.fetched === 0) return;
  }
  throw new Error('stream did not drain');
}

const shardOf = (r: KinesisStreamRecord) => r.eventID.split(':')[0]!;

describe('local Kinesis event source mapping', () => {
  it('delivers every record exactly once, in order per shard and per key', async () => {
    const stream = await newStream(3);
    const items = Array.from({ length: 60 }, (_, i) => ({ key: `user-${i % 7}`, body: `${i % 7}:${i}` }));
    await put(stream, items);
    const rec = recorder();
    const m = start(stream, rec.handler, { batchSize: 8 });

    await drain(m);

    expect(rec.calls.every((c) => c.length <= 8)).toBe(true);
    expect(rec.succeeded.map(text).sort()).toEqual(items.map((i) => i.body).sort());
    for (const shard of new Set(rec.succeeded.map(shardOf))) {
      const seqs = rec.succeeded
        .filter((r) => shardOf(r) === shard)
        .map((r) => BigInt(r.kinesis.sequenceNumber));
      expect(seqs).toEqual([...seqs].sort((a, b) => (a < b ? -1 : 1)));
      expect(m.stats().checkpoints[shard]).toBe(String(seqs.at(-1)));
    }
    for (let k = 0; k < 7; k++) {
      const mine = rec.succeeded.filter((r) => r.kinesis.partitionKey === `user-${k}`).map(text);
      expect(mine).toEqual(items.filter((i) => i.key === `user-${k}`).map((i) => i.body));
    }
    expect(m.stats()).toMatchObject({
      recordsDelivered: 60,
      recordsSucceeded: 60,
      recordsFailed: 0,
      retries: 0,
    });
  });

  it('hands the handler a Lambda-shaped event with base64 data that round-trips', async () => {
    const stream = await newStream(1);
    const bytes = Uint8Array.from([0, 1, 2, 250, 255, 10, 13]);
    await put(stream, [
      { key: 'anon:a1', body: bytes },
      { key: 'u2', body: '{"type":"click","note":"héllo ✓"}' },
    ]);
    const rec = recorder();
    await drain(start(stream, rec.handler));

    const [first, second] = rec.calls[0]!;
    expect(Uint8Array.from(Buffer.from(first!.kinesis.data, 'base64'))).toEqual(bytes);
    expect(JSON.parse(text(second!))).toEqual({ type: 'click', note: 'héllo ✓' });
    expect(first).toMatchObject({
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventName: 'aws:kinesis:record',
      awsRegion: 'us-east-1',
      eventSourceARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`,
      eventID: `shardId-000000000000:${first!.kinesis.sequenceNumber}`,
      kinesis: { kinesisSchemaVersion: '1.0', partitionKey: 'anon:a1' },
    });
    expect(first!.invokeIdentityArn).toMatch(/^arn:aws:iam::000000000000:role\//);
    // Epoch seconds, not milliseconds.
    expect(Math.abs(first!.kinesis.approximateArrivalTimestamp - Date.now() / 1000)).toBeLessThan(3600);
    expect(rec.contexts[0]).toMatchObject({ functionName: `fn-${stream}`, functionVersion: '$LATEST' });
    expect(rec.contexts[0]!.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  it('after a partial batch failure retries from the first failed record and never before it', async () => {
    const stream = await newStream(1);
    await put(
      stream,
      Array.from({ length: 10 }, (_, i) => ({ key: 'u1', body: `r${i}` })),
    );
    const rec = recorder((records, call) => {
      if (call > 1) return;
      const failed = records.filter((r) => text(r) === 'r4' || text(r) === 'r7');
      return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })) };
    });
    const m = start(stream, rec.handler, { batchSize: 10 });

    await drain(m);

    expect(rec.calls.map((c) => c.map(text))).toEqual([
      ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9'],
      ['r4', 'r5', 'r6', 'r7', 'r8', 'r9'],
    ]);
    expect(m.stats()).toMatchObject({ batches: 2, recordsFailed: 2, retries: 1, deadLettered: 0 });
    expect(m.stats().checkpoints['shardId-000000000000']).toBe(rec.calls[0]![9]!.kinesis.sequenceNumber);
  });

  it('runs a Powertools partial-response handler unchanged, dead-lettering only its failing record', async () => {
    const stream = await newStream(1);
    await put(
      stream,
      ['a', 'b', 'bad', 'c'].map((body) => ({ key: 'u', body })),
    );
    const processed: string[] = [];
    const processor = new BatchProcessor(EventType.KinesisDataStreams);
    const recordHandler = async (r: KinesisStreamRecord) => {
      if (text(r) === 'bad') throw new Error('rejected by the record handler');
      processed.push(text(r));
    };
    const m = start(
      stream,
      (event, context) => processPartialResponse(event, recordHandler, processor, { context }),
      { maxRetryAttempts: 1 },
    );

    await drain(m);

    // c comes again with the retry from 'bad' (as Lambda would), and once more alone after bisecting.
    expect(processed).toEqual(['a', 'b', 'c', 'c', 'c']);
    const dead = await readDeadLetters(join(dir, `${stream}.dlq.jsonl`));
    expect(dead.map((d) => Buffer.from(d.data, 'base64').toString())).toEqual(['bad']);
    // Alone in its batch, the failing record makes Powertools throw instead of reporting it.
    expect(dead[0]!.error).toMatch(/^FullBatchFailureError/);
    expect(dead[0]!.attempts).toBe(2);
  });

  it('dead-letters exactly the poison record after bounded retries and delivers the rest', async () => {
    const stream = await newStream(1);
    const bodies = Array.from({ length: 12 }, (_, i) => (i === 5 ? 'poison' : `ok${i}`));
    await put(
      stream,
      bodies.map((body) => ({ key: 'u9', body })),
    );
    const rec = recorder((records): undefined => {
      if (records.some((r) => text(r) === 'poison')) throw new TypeError('cannot parse poison');
    });
    const m = start(stream, rec.handler, { batchSize: 12, maxRetryAttempts: 2 });

    await drain(m);

    expect(rec.succeeded.map(text)).toEqual(bodies.filter((b) => b !== 'poison'));
    const dead = await readDeadLetters(join(dir, `${stream}.dlq.jsonl`));
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      functionName: `fn-${stream}`,
      streamName: stream,
      shardId: 'shardId-000000000000',
      partitionKey: 'u9',
      data: Buffer.from('poison').toString('base64'),
      error: 'TypeError: cannot parse poison',
      attempts: 3,
    });
    // Alone after bisecting, the poison record is tried once and retried twice.
    expect(rec.calls.filter((c) => c.length === 1 && text(c[0]!) === 'poison')).toHaveLength(3);
    expect(m.stats()).toMatchObject({ deadLettered: 1, recordsSucceeded: 11 });
  });

  it('resumes after the persisted checkpoint when a new mapping starts', async () => {
    const stream = await newStream(2);
    const checkpointDir = join(dir, 'checkpoints');
    await put(
      stream,
      Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 5}`, body: `first-${i}` })),
    );
    const before = recorder();
    const first = start(stream, before.handler, { checkpointDir, batchSize: 6 });
    await drain(first);
    await first.stop();
    await put(
      stream,
      Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, body: `second-${i}` })),
    );

    const after = recorder();
    const second = start(stream, after.handler, { checkpointDir, batchSize: 6 });
    await drain(second);

    expect(before.succeeded).toHaveLength(20);
    expect(after.succeeded.map(text).sort()).toEqual([
      'second-0',
      'second-1',
      'second-2',
      'second-3',
      'second-4',
    ]);
    const files = await readdir(checkpointDir);
    expect(files).toEqual([`fn-${stream}--${stream}.checkpoint.json`]);
    const saved = JSON.parse(await readFile(join(checkpointDir, files[0]!), 'utf8'));
    expect(saved.shards).toEqual(second.stats().checkpoints);
  });

  it('replays dead letters onto the stream, where they are delivered again', async () => {
    const stream = await newStream(2);
    const file = join(dir, `${stream}.dlq.jsonl`);
    let broken = true;
    const rec = recorder((records): undefined => {
      if (broken && records.some((r) => text(r).startsWith('bad'))) throw new Error('downstream unavailable');
    });
    const m = start(stream, rec.handler, { maxRetryAttempts: 0 });
    await put(stream, [
      { key: 'a', body: 'bad-a' },
      { key: 'a', body: 'good-a' },
      { key: 'b', body: 'bad-b' },
    ]);
    await drain(m);
    expect((await readDeadLetters(file)).map((d) => Buffer.from(d.data, 'base64').toString()).sort()).toEqual(
      ['bad-a', 'bad-b'],
    );

    broken = false;
    const result = await replayDeadLetters({ file, kinesis: kinesis.client, streamName: stream });
    await drain(m);

    expect(result.replayed.map((d) => d.partitionKey).sort()).toEqual(['a', 'b']);
    expect(result.failed).toEqual([]);
    expect(result.movedTo).toMatch(/\.replayed-/);
    expect(await readDeadLetters(file)).toEqual([]);
    expect(await readDeadLetters(result.movedTo!)).toHaveLength(2);
    expect(rec.succeeded.map(text).sort()).toEqual(['bad-a', 'bad-b', 'good-a']);
    expect(rec.succeeded.find((r) => text(r) === 'bad-b')?.kinesis.partitionKey).toBe('b');
  });

  it('the replay CLI re-drives a dead-letter file and prints what it sent', async () => {
    const stream = await newStream(1);
    const file = join(dir, `${stream}.dlq.jsonl`);
    await new FileDeadLetterSink(file).put([
      {
        functionName: 'fn',
        streamName: stream,
        shardId: 'shardId-000000000000',
        sequenceNumber: '42',
        partitionKey: 'cli-user',
        data: Buffer.from('from-cli').toString('base64'),
        error: 'Error: x',
        attempts: 1,
        failedAt: new Date().toISOString(),
      },
    ]);
    const cli = join(import.meta.dirname, '../../local/kinesis-runner/replay-cli.ts');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', cli, '--file', file, '--endpoint', kinesis.standIn.endpoint, '--stream', stream],
      { cwd: join(import.meta.dirname, '../..') },
    );
    expect(stdout).toContain('re-drove shardId-000000000000:42 key=cli-user');
    const rec = recorder();
    await drain(start(stream, rec.handler));
    expect(rec.succeeded.map((r) => [r.kinesis.partitionKey, text(r)])).toEqual([['cli-user', 'from-cli']]);
  });

  it('with LATEST skips what was on the stream before the first poll', async () => {
    const stream = await newStream(1);
    await put(stream, [{ key: 'u', body: 'old' }]);
    const rec = recorder();
    const m = start(stream, rec.handler, { startingPosition: 'LATEST' });
    await m.pollOnce();
    await put(stream, [{ key: 'u', body: 'new' }]);
    await drain(m);
    expect(rec.succeeded.map(text)).toEqual(['new']);
  });

  it('polls on its own timer and stop() waits for the batch in flight', async () => {
    const stream = await newStream(1);
    const steps: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const m = start(
      stream,
      async (event) => {
        steps.push(`start ${event.Records.length}`);
        await gate;
        steps.push('end');
      },
      { pollIntervalMs: 20 },
    );
    await put(stream, [
      { key: 'u', body: 'x' },
      { key: 'u', body: 'y' },
    ]);
    await waitFor('the timer to invoke the handler', async () => steps.length > 0, { intervalMs: 20 });

    const stopped = m.stop().then(() => steps.push('stopped'));
    steps.push('release');
    release();
    await stopped;

    expect(steps).toEqual(['start 2', 'release', 'end', 'stopped']);
    await expect(m.pollOnce()).rejects.toThrow(/stopped/);
  });

  it('picks up child shards after a split, once the parent is drained', async () => {
    const stream = await newStream(1);
    const rec = recorder();
    const m = start(stream, rec.handler, { shardRefreshMs: 0 });
    await put(stream, [{ key: 'u', body: 'before-split' }]);
    await drain(m);
    await kinesis.client.send(
      new SplitShardCommand({
        StreamName: stream,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (2n ** 127n).toString(),
      }),
    );
    await waitFor(
      'the split to finish',
      async () => {
        const d = await kinesis.client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
        return d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
      },
      { intervalMs: 20 },
    );
    await put(
      stream,
      Array.from({ length: 6 }, (_, i) => ({ key: `after-${i}`, body: `after-${i}` })),
    );

    await drain(m);

    const shards = (await kinesis.client.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? [];
    expect(shards).toHaveLength(3);
    expect(rec.succeeded.map(text).sort()).toEqual([
      'after-0',
      'after-1',
      'after-2',
      'after-3',
      'after-4',
      'after-5',
      'before-split',
    ]);
    expect(new Set(rec.succeeded.slice(1).map(shardOf)).has('shardId-000000000000')).toBe(false);
  });
});
