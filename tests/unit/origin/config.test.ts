import { describe, expect, it } from 'vitest';
import { loadLocalConfig } from '../../../local/config';
import { ConfigError, loadOriginConfig } from '../../../origin-lambdas/common/config';

describe('config', () => {
  it('fills defaults', () => {
    expect(loadOriginConfig({})).toMatchObject({
      ATTUNE_TABLE_PREFIX: 'attune-local',
      MODEL_TIMEOUT_MS: 150,
    });
    expect(loadLocalConfig({}).ATTUNE_EDGE_PORT).toBe(8787);
  });

  it('takes the embedded index partitions, probes and the item store from the environment', () => {
    expect(loadOriginConfig({})).toMatchObject({
      VECTOR_PARTITIONS: 16,
      VECTOR_NPROBE: 4,
      ITEM_STORE: 'dynamodb',
    });
    expect(
      loadOriginConfig({ VECTOR_PARTITIONS: '32', VECTOR_NPROBE: '6', ITEM_STORE: 'memory' }),
    ).toMatchObject({
      VECTOR_PARTITIONS: 32,
      VECTOR_NPROBE: 6,
      ITEM_STORE: 'memory',
    });
    expect(() => loadOriginConfig({ VECTOR_NPROBE: '0' })).toThrow(/VECTOR_NPROBE/);
    expect(() => loadOriginConfig({ VECTOR_PARTITIONS: '1.5' })).toThrow(/VECTOR_PARTITIONS/);
    expect(() => loadOriginConfig({ ITEM_STORE: 'redis' })).toThrow(/ITEM_STORE/);
  });

  it('fails naming the variable', () => {
    expect(() => loadOriginConfig({ DYNAMODB_ENDPOINT: 'not a url' })).toThrow(ConfigError);
    expect(() => loadOriginConfig({ MODEL_TIMEOUT_MS: '-5' })).toThrow(/MODEL_TIMEOUT_MS/);
    expect(() => loadLocalConfig({ ATTUNE_EDGE_PORT: '80' })).toThrow(/ATTUNE_EDGE_PORT/);
  });
});
