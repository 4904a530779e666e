import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { TABLES, type TableKey } from '../../../shared/tables';
import { isProdStage, stagePrefix, type TableEncryptionChoice } from '../config';
import { AttuneTable } from '../constructs/attune-table';

export interface AttuneDataStackProps extends StackProps {
  /** Stage name; tables are named `attune-<stage>-<logical>`. Stage `prod` retains and protects them. */
  readonly stage: string;
  /**
   * Encrypt with the AWS-managed key, or with one customer-managed key (rotated yearly) for all tables.
   * @default 'aws-managed'
   */
  readonly tableEncryption?: TableEncryptionChoice;
}

/** Every DynamoDB table of `TABLES` in shared/tables.ts, one `AttuneTable` each. */
export class AttuneDataStack extends Stack {
  public readonly tables: Record<TableKey, Table>;
  /** The customer-managed table key, when `tableEncryption` is `customer-managed`. */
  public readonly encryptionKey?: Key;

  constructor(scope: Construct, id: string, props: AttuneDataStackProps) {
    super(scope, id, { description: `Attune DynamoDB tables (stage ${props.stage})`, ...props });
    const prefix = stagePrefix(props.stage);
    const retain = isProdStage(props.stage);
    if (props.tableEncryption === 'customer-managed') {
      this.encryptionKey = new Key(this, 'TableKey', {
        alias: `${prefix}-tables`,
        description: `Encrypts the ${prefix} DynamoDB tables`,
        enableKeyRotation: true,
        removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
    }
    const keys = Object.keys(TABLES) as TableKey[];
    this.tables = Object.fromEntries(
      keys.map((tableKey) => {
        const built = new AttuneTable(this, tableKey, {
          prefix,
          tableKey,
          retain,
          encryptionKey: this.encryptionKey,
        });
        return [tableKey, built.table];
      }),
    ) as Record<TableKey, Table>;
  }
}
