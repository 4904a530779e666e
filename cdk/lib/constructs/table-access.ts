import { Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';
import { TABLES, type TableDef, type TableKey, tableName } from '../../../shared/tables';

/** DynamoDB data-plane actions a function may be given; each is spelled out, never `dynamodb:*`. */
export type DynamoAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:Query'
  | 'dynamodb:Scan'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:BatchWriteItem'
  | 'dynamodb:ConditionCheckItem'
  | 'dynamodb:DescribeTable';

const WRITE_ACTIONS: ReadonlySet<DynamoAction> = new Set([
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
]);

// What DynamoDB asks of the caller when a table is encrypted with a customer-managed key (the same
// sets the L2 grantReadData / grantWriteData add, without their `ReEncrypt*` / `GenerateDataKey*` wildcards).
const KMS_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const KMS_WRITE = [...KMS_READ, 'kms:Encrypt', 'kms:GenerateDataKey'];

/** The ARN of `attune-<stage>-<logical>`, built from the shared physical name (no cross-stack export). */
export function tableArn(scope: IConstruct, prefix: string, key: TableKey): string {
  return Stack.of(scope).formatArn({
    service: 'dynamodb',
    resource: 'table',
    resourceName: tableName(prefix, key),
  });
}

/** The ARNs of a table's GSIs, each named (no `index/*`), from its shared definition. */
export function indexArns(scope: IConstruct, prefix: string, key: TableKey): string[] {
  const def: TableDef = TABLES[key];
  return (def.globalIndexes ?? []).map((g) => `${tableArn(scope, prefix, key)}/index/${g.indexName}`);
}

export interface TableAccessProps {
  /** Stage prefix such as `attune-dev`. */
  readonly prefix: string;
  /** The data stack's tables; read for their customer-managed key, if any. */
  readonly tables: Record<TableKey, ITable>;
  /** Per table, exactly the actions the function's code sends. */
  readonly access: Partial<Record<TableKey, readonly DynamoAction[]>>;
}

/**
 * Grants exactly `access` on the named tables (and, for `Query`, on their named GSIs), one statement
 * per table, plus the KMS actions DynamoDB needs when a table uses a customer-managed key.
 */
export function grantTableAccess(grantee: IGrantable, scope: IConstruct, props: TableAccessProps): void {
  // One KMS statement per key (all tables share one key), with write actions if any table is written.
  const keys = new Map<IKey, boolean>();
  for (const [key, actions] of Object.entries(props.access) as [TableKey, readonly DynamoAction[]][]) {
    const resources = [tableArn(scope, props.prefix, key)];
    if (actions.includes('dynamodb:Query')) resources.push(...indexArns(scope, props.prefix, key));
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...actions].sort(), resources }),
    );
    const encryptionKey = props.tables[key].encryptionKey;
    // DescribeTable reads metadata only; it never touches the key.
    if (encryptionKey && actions.some((a) => a !== 'dynamodb:DescribeTable')) {
      const writes = actions.some((a) => WRITE_ACTIONS.has(a));
      keys.set(encryptionKey, (keys.get(encryptionKey) ?? false) || writes);
    }
  }
  for (const [key, write] of keys) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: write ? KMS_WRITE : KMS_READ, resources: [key.keyArn] }),
    );
  }
}
