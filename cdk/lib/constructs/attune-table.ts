import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { type KeyAttribute, TABLES, type TableDef, type TableKey, tableName } from '../../../shared/tables';

/** Defaults for every Attune table, kept as data so a reader sees them in one place. */
export const ATTUNE_TABLE_DEFAULTS = {
  billingMode: BillingMode.PAY_PER_REQUEST,
  pointInTimeRecovery: true,
  retain: false,
} as const;

const ATTRIBUTE_TYPES: Record<KeyAttribute['type'], AttributeType> = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
  B: AttributeType.BINARY,
};

const attribute = (a: KeyAttribute) => ({ name: a.name, type: ATTRIBUTE_TYPES[a.type] });

export interface AttuneTableProps {
  /** Stage prefix such as `attune-prod`; the physical name is `tableName(prefix, tableKey)`. */
  readonly prefix: string;
  /** Which entry of `TABLES` (shared/tables.ts) to build. */
  readonly tableKey: TableKey;
  /**
   * Customer-managed KMS key for encryption at rest.
   * @default - the AWS-managed key (`aws/dynamodb`)
   */
  readonly encryptionKey?: IKey;
  /**
   * Keep the table when the stack is deleted or the resource replaced.
   * @default false (RemovalPolicy.DESTROY)
   */
  readonly retain?: boolean;
  /**
   * Refuse DeleteTable calls.
   * @default - same as `retain`
   */
  readonly deletionProtection?: boolean;
  /**
   * Continuous backups with point-in-time recovery.
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;
}

/**
 * One DynamoDB table built from its shared definition: key schema, GSIs (ALL projection), TTL
 * attribute and stream view come from `TABLES`, never restated here, so the local stack and AWS cannot drift.
 */
export class AttuneTable extends Construct {
  public readonly table: Table;
  public readonly definition: TableDef;

  constructor(scope: Construct, id: string, props: AttuneTableProps) {
    super(scope, id);
    const def: TableDef = TABLES[props.tableKey];
    const retain = props.retain ?? ATTUNE_TABLE_DEFAULTS.retain;
    this.definition = def;
    this.table = new Table(this, 'Table', {
      tableName: tableName(props.prefix, props.tableKey),
      partitionKey: attribute(def.partitionKey),
      sortKey: def.sortKey && attribute(def.sortKey),
      billingMode: ATTUNE_TABLE_DEFAULTS.billingMode,
      timeToLiveAttribute: def.ttlAttribute,
      ...(def.stream ? { stream: StreamViewType[def.stream] } : {}),
      pointInTimeRecoverySpecification: {
        pointInTimeRecoveryEnabled: props.pointInTimeRecovery ?? ATTUNE_TABLE_DEFAULTS.pointInTimeRecovery,
      },
      ...(props.encryptionKey
        ? { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }
        : { encryption: TableEncryption.AWS_MANAGED }),
      deletionProtection: props.deletionProtection ?? retain,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const gsi of def.globalIndexes ?? []) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: attribute(gsi.partitionKey),
        sortKey: gsi.sortKey && attribute(gsi.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
