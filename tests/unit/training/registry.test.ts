import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCurrentVersion, setCurrentVersion, writeModelBundle } from '../../../local/model-server/bundle';
import { incompatibility } from '../../../local/model-server/compatibility';
import { DEFAULT_LINEAR_RANKER } from '../../../local/model-server/default-model';
import { ModelHolder } from '../../../local/model-server/model-holder';
import { listVersions, pruneVersions, rollback } from '../../../local/model-server/registry';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attune-registry-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const at = (day: number) => new Date(Date.UTC(2026, 0, day));
const space = (v: string) => ({ embedding: { dimensions: 8, space_version: v } });

describe('model registry', () => {
  it('lists by creation time, prunes beyond N but never the current, and rolls back', async () => {
    for (const d of [1, 2, 3, 4]) await writeModelBundle(dir, `v${d}`, DEFAULT_LINEAR_RANKER, at(d));
    await setCurrentVersion(dir, 'v1');
    expect((await listVersions(dir)).map((m) => m.version)).toEqual(['v1', 'v2', 'v3', 'v4']);
    expect(await pruneVersions(dir, 2)).toEqual(['v2']);
    expect((await readdir(dir)).filter((f) => f.startsWith('v')).sort()).toEqual(['v1', 'v3', 'v4']);
    await setCurrentVersion(dir, 'v4');
    expect(await rollback(dir)).toBe('v3');
    expect(await readCurrentVersion(dir)).toBe('v3');
    expect(await rollback(dir)).toBe('v1');
    await expect(rollback(dir)).rejects.toThrow('no version older than v1');
  });
});

describe('bundle compatibility', () => {
  const base = { version: 'x', feature_names: ['a', 'b'], created_at: '', kind: 'linear-logistic' as const };
  it('refuses a different feature schema, space or dimension and accepts a match', () => {
    expect(incompatibility(base, { feature_names: ['a', 'c'] })).toContain('feature schema');
    expect(incompatibility({ ...base, ...space('s1') }, { space_version: 's2' })).toContain(
      'embedding space s1',
    );
    expect(incompatibility({ ...base, ...space('s1') }, { dimensions: 16 })).toContain('dimension 8');
    expect(
      incompatibility(
        { ...base, ...space('s1') },
        { feature_names: ['a', 'b'], space_version: 's1', dimensions: 8 },
      ),
    ).toBeUndefined();
    expect(incompatibility(base, { space_version: 's9' })).toBeUndefined();
  });

  it('keeps serving the current model when the next bundle is refused', async () => {
    await writeModelBundle(dir, 'good', DEFAULT_LINEAR_RANKER, at(1), space('s1'));
    await writeModelBundle(dir, 'bad', DEFAULT_LINEAR_RANKER, at(2), space('s2'));
    await setCurrentVersion(dir, 'good');
    const holder = new ModelHolder(dir, async () => ({ space_version: 's1' }));
    try {
      await holder.reload();
      await setCurrentVersion(dir, 'bad');
      await expect(holder.reload()).rejects.toThrow('bundle bad refused (still serving good)');
      expect(holder.manifest?.version).toBe('good');
      const { scores, model } = await holder.score(Float32Array.from([0, 0, 0, 0]), 1);
      expect(model.version).toBe('good');
      expect(scores[0]).toBeCloseTo(1 / (1 + Math.exp(2)), 6);
    } finally {
      await holder.close();
    }
  });
});
