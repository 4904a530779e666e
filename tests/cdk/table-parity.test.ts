import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTableInput } from '../../local/standins/tables';
import { TABLES, type TableDef, type TableKey } from '../../shared/tables';
import { attuneApp } from './synth';

// The key guarantee: the local stack (DynamoDB Local, built by local/standins/tables.ts) and
// the CDK data stack create the same tables from shared/tables.ts, so code tested locally meets the
// same key schemas, indexes and expiry attributes in AWS.

type CfnKey = { AttributeName: string; KeyType: string };
type CfnTableProps = {
  TableName: string;
  BillingMode: string;
  KeySchema: CfnKey[];
  AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
  GlobalSecondaryIndexes?: {
    IndexName: string;
    KeySchema: CfnKey[];
    Projection: { ProjectionType: string };
  }[];
  TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
  StreamSpecification?: { StreamViewType: string };
};

const PREFIX = 'attune-parity';
const KEYS = Object.keys(TABLES) as TableKey[];

const byName = <T extends { AttributeName?: string }>(xs: readonly T[] = []) =>
  [...xs].sort((a, b) => (a.AttributeName ?? '').localeCompare(b.AttributeName ?? ''));

describe('local tables equal CDK tables', () => {
  let cdkTables: Map<string, CfnTableProps>;

  beforeAll(() => {
    const template = Template.fromStack(attuneApp({ stage: 'parity' }).stacks.data);
    const found = template.findResources('AWS::DynamoDB::Table') as Record<
      string,
      { Properties: CfnTableProps }
    >;
    cdkTables = new Map(Object.values(found).map((r) => [r.Properties.TableName, r.Properties]));
  });

  it('has a CDK table for every local table and no other', () => {
    const localNames = KEYS.map((k) => createTableInput(PREFIX, k).TableName);
    expect([...cdkTables.keys()].sort()).toEqual([...localNames].sort());
  });

  for (const key of KEYS) {
    describe(key, () => {
      const local = createTableInput(PREFIX, key);
      const cdk = () => {
        const t = cdkTables.get(local.TableName ?? '');
        if (!t) throw new Error(`no CDK table named ${local.TableName}`);
        return t;
      };

      it('has the same key schema and on-demand billing', () => {
        expect(cdk().KeySchema).toEqual(local.KeySchema);
        expect(local.BillingMode).toBe('PAY_PER_REQUEST');
        expect(cdk().BillingMode).toBe(local.BillingMode);
      });

      it('defines the same attributes (as a set)', () => {
        expect(byName(cdk().AttributeDefinitions)).toEqual(byName(local.AttributeDefinitions));
      });

      it('has the same GSIs with the same key schemas and projection', () => {
        const localGsis = (local.GlobalSecondaryIndexes ?? []).map((g) => ({
          IndexName: g.IndexName,
          KeySchema: g.KeySchema,
          Projection: g.Projection,
        }));
        expect(cdk().GlobalSecondaryIndexes ?? []).toEqual(localGsis);
      });

      it('streams the same changes (the item indexer reads the items stream)', () => {
        expect(cdk().StreamSpecification?.StreamViewType).toBe(local.StreamSpecification?.StreamViewType);
      });

      it('expires items on the attribute ensureTables enables locally', () => {
        // ensureTables turns on TTL with TABLES[key].ttlAttribute, exactly when it is defined.
        const localTtl = (TABLES[key] as TableDef).ttlAttribute;
        expect(cdk().TimeToLiveSpecification).toEqual(
          localTtl ? { AttributeName: localTtl, Enabled: true } : undefined,
        );
      });
    });
  }
});
