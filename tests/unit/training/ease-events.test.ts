import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { easeScores, invertSpdInPlace, trainEase } from '../../../local/training/ease';
import { readEventLog } from '../../../local/training/event-log';
import { buildCsr } from '../../../local/training/interactions';

describe('EASE', () => {
  it('inverts an SPD matrix in place', () => {
    const a = Float64Array.from([4, 2, 2, 3]);
    invertSpdInPlace(a, 2);
    // inverse of [[4,2],[2,3]] is [[3,-2],[-2,4]] / 8
    expect(Array.from(a)).toEqual([3 / 8, -2 / 8, -2 / 8, 4 / 8]);
  });

  it('has a zero diagonal and B = -P_ij / P_jj off it', () => {
    // Items 0 and 1 always together, item 2 alone; λ = 1.
    const m = buildCsr(3, 3, [
      { r: 0, c: 0, v: 1 },
      { r: 0, c: 1, v: 1 },
      { r: 1, c: 0, v: 1 },
      { r: 1, c: 1, v: 1 },
      { r: 2, c: 2, v: 1 },
    ]);
    const model = trainEase(m, { lambda: 1, minUsers: 1 });
    // G = [[3,2,0],[2,3,0],[0,0,2]]; P's 2x2 block = [[3,-2],[-2,3]]/5, so B_01 = 2/3 and B_22 = 0.
    expect(model.b[0]).toBe(0);
    expect(model.b[1]).toBeCloseTo(2 / 3, 12);
    expect(model.b[2]).toBeCloseTo(0, 12);
    const out = new Float64Array(3);
    easeScores(model, new Map([[0, 1]]), out);
    expect(out[1]).toBeCloseTo(2 / 3, 12);
    expect(out[2]).toBeCloseTo(0, 12);
  });
});

describe('event log reader', () => {
  it('keeps positive item events and puts their weight on the star scale', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attune-events-'));
    try {
      const lines = [
        { user_id: 'u', item_id: 'a', type: 'purchase', ts: '2026-01-01T00:00:00Z' },
        { user_id: 'u', item_id: 'b', type: 'impression', ts: '2026-01-01T00:00:01Z' },
        { user_id: 'u', item_id: 'c', type: 'hide', ts: '2026-01-01T00:00:02Z' },
        { user_id: 'u', item_id: 'd', type: 'rating', rating: 5, ts: '2026-01-01T00:00:03Z' },
        { anonymous_id: 'x', item_id: 'e', type: 'click', ts: '2026-01-01T00:00:04Z' },
      ];
      await writeFile(join(dir, 'events.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
      expect(await readEventLog(join(dir, 'events.jsonl'))).toEqual([
        { user: 'u', item: 'a', value: 7, at: Date.parse('2026-01-01T00:00:00Z') },
        { user: 'u', item: 'd', value: 5, at: Date.parse('2026-01-01T00:00:03Z') },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
