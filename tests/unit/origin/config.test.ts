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

  it('fails naming the variable', () => {
    expect(() => loadOriginConfig({ DYNAMODB_ENDPOINT: 'not a url' })).toThrow(ConfigError);
    expect(() => loadOriginConfig({ MODEL_TIMEOUT_MS: '-5' })).toThrow(/MODEL_TIMEOUT_MS/);
    expect(() => loadLocalConfig({ ATTUNE_EDGE_PORT: '80' })).toThrow(/ATTUNE_EDGE_PORT/);
  });
});
