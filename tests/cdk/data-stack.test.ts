import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLES, type TableDef, type TableKey, tableName } from '../../shared/tables';
import { attuneApp } from './synth';

type CfnTable = {
  Properties: Record<string, unknown> & { TableName: string };
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};

const KEYS = Object.keys(TABLES) as TableKey[];

/** The synthesized table resources keyed by physical table name. */
function tablesByName(template: Template): Map<string, CfnTable> {
  const found = template.findResources('AWS::DynamoDB::Table') as Record<string, CfnTable>;
  return new Map(Object.values(found).map((t) => [t.Properties.TableName, t]));
}

describe('AttuneDataStack', () => {
  let dev: Template;
  let prod: Template;
  let cmk: Template;
  let devEnvironment: string;

  beforeAll(() => {
    const { stacks } = attuneApp({ stage: 'dev' });
    devEnvironment = stacks.data.environment;
    dev = Template.fromStack(stacks.data);
    prod = Template.fromStack(attuneApp({ stage: 'prod' }).stacks.data);
    cmk = Template.fromStack(attuneApp({ stage: 'qa', tableEncryption: 'customer-managed' }).stacks.data);
  });

  it('builds exactly one on-demand table per shared definition, named attune-<stage>-<logical>', () => {
    const tables = tablesByName(dev);
    expect([...tables.keys()].sort()).toEqual(KEYS.map((k) => tableName('attune-dev', k)).sort());
    for (const t of tables.values()) expect(t.Properties.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('enables point-in-time recovery and server-side encryption on every table', () => {
    for (const [name, t] of tablesByName(dev)) {
      expect(t.Properties.PointInTimeRecoverySpecification, name).toEqual({
        PointInTimeRecoveryEnabled: true,
      });
      expect(t.Properties.SSESpecification, name).toEqual({ SSEEnabled: true });
    }
  });

  it('sets the TTL attribute of each definition, and none where the definition has none', () => {
    const tables = tablesByName(dev);
    for (const key of KEYS) {
      const def: TableDef = TABLES[key];
      const t = tables.get(tableName('attune-dev', key));
      const expected = def.ttlAttribute ? { AttributeName: def.ttlAttribute, Enabled: true } : undefined;
      expect(t?.Properties.TimeToLiveSpecification, key).toEqual(expected);
    }
  });

  it('builds the GSIs of each definition with ALL projection', () => {
    const tables = tablesByName(dev);
    for (const key of KEYS) {
      const def: TableDef = TABLES[key];
      const expected = def.globalIndexes?.map((g) => ({
        IndexName: g.indexName,
        KeySchema: [
          { AttributeName: g.partitionKey.name, KeyType: 'HASH' },
          ...(g.sortKey ? [{ AttributeName: g.sortKey.name, KeyType: 'RANGE' }] : []),
        ],
        Projection: { ProjectionType: 'ALL' },
      }));
      expect(tables.get(tableName('attune-dev', key))?.Properties.GlobalSecondaryIndexes, key).toEqual(
        expected,
      );
    }
    // Guard against a vacuous pass: the shared definitions do declare indexes.
    expect(KEYS.filter((k) => (TABLES[k] as TableDef).globalIndexes?.length)).toEqual(['items', 'campaigns']);
  });

  it('lets non-prod stages delete tables', () => {
    for (const [name, t] of tablesByName(dev)) {
      expect(t.DeletionPolicy, name).toBe('Delete');
      expect(t.Properties.DeletionProtectionEnabled, name).toBe(false);
    }
  });

  it('protects and retains every table in prod', () => {
    const tables = tablesByName(prod);
    expect(tables.size).toBe(KEYS.length);
    for (const [name, t] of tables) {
      expect(name.startsWith('attune-prod-')).toBe(true);
      expect(t.Properties.DeletionProtectionEnabled, name).toBe(true);
      expect(t.DeletionPolicy, name).toBe('Retain');
      expect(t.UpdateReplacePolicy, name).toBe('Retain');
    }
  });

  it('encrypts every table with one rotated customer-managed key when asked', () => {
    cmk.resourceCountIs('AWS::KMS::Key', 1);
    cmk.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const [keyId] = Object.keys(cmk.findResources('AWS::KMS::Key'));
    for (const [name, t] of tablesByName(cmk)) {
      expect(t.Properties.SSESpecification, name).toEqual({
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      });
    }
    dev.resourceCountIs('AWS::KMS::Key', 0);
  });

  it('is environment-agnostic, so synth needs no credentials or lookups', () => {
    expect(devEnvironment).toBe('aws://unknown-account/unknown-region');
  });
});
