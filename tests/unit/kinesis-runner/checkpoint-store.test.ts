import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointStore, checkpointFile } from '../../../local/kinesis-runner/checkpoint-store';
import { FileDeadLetterSink, readDeadLetters } from '../../../local/kinesis-runner/dead-letter';
import type { DeadLetterRecord } from '../../../local/kinesis-runner/types';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kr-unit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CheckpointStore', () => {
  const ids = { functionName: 'fn/one', streamName: 'events' };

  it('persists every shard and a new store reads them back', async () => {
    const file = checkpointFile(dir, ids.functionName, ids.streamName);
    const store = new CheckpointStore(file, ids);
    await Promise.all([store.set('shard-0', '10'), store.set('shard-1', '20'), store.set('shard-0', '11')]);

    const again = new CheckpointStore(file, ids);
    await again.load();

    expect(again.all()).toEqual({ 'shard-0': '11', 'shard-1': '20' });
    expect(file).toBe(join(dir, 'fn_one--events.checkpoint.json'));
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      functionName: 'fn/one',
      streamName: 'events',
    });
    expect(await readdir(dir)).toEqual(['fn_one--events.checkpoint.json']);
  });

  it('starts empty when there is no file, and stays in memory without one', async () => {
    const missing = new CheckpointStore(join(dir, 'none.json'), ids);
    await missing.load();
    expect(missing.all()).toEqual({});
    const memory = new CheckpointStore(undefined, ids);
    await memory.set('shard-0', '5');
    expect(memory.get('shard-0')).toBe('5');
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('FileDeadLetterSink', () => {
  it('appends JSON lines that readDeadLetters returns in order', async () => {
    const file = join(dir, 'nested', 'dlq.jsonl');
    const sink = new FileDeadLetterSink(file);
    const rec = (seq: string): DeadLetterRecord => ({
      functionName: 'fn',
      streamName: 'events',
      shardId: 'shardId-000000000000',
      sequenceNumber: seq,
      partitionKey: 'u1',
      data: Buffer.from(`payload ${seq}`).toString('base64'),
      error: 'Error: boom',
      attempts: 4,
      failedAt: '2024-05-01T10:00:00.000Z',
    });
    await sink.put([rec('1')]);
    await sink.put([rec('2'), rec('3')]);

    expect(await readDeadLetters(file)).toEqual([rec('1'), rec('2'), rec('3')]);
    expect((await readFile(file, 'utf8')).split('\n')).toHaveLength(4);
    expect(await readDeadLetters(join(dir, 'missing.jsonl'))).toEqual([]);
  });
});
