import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../../shared/tables';
import type { Role } from './roles';

/** The stored form of an API key: never the secret, only its scrypt hash and salt. */
export interface ApiKeyRecord {
  readonly key_id: string;
  readonly name: string;
  readonly role: Role;
  readonly salt: string;
  readonly hash: string;
  readonly created_at: string;
  readonly created_by: string;
  /** Epoch seconds; DynamoDB's TTL removes the record some time after, auth refuses it at once. */
  readonly expires_at?: number;
  readonly revoked_at?: string;
}

/** Admin keys on the `admin-keys` table. */
export class ApiKeyStore {
  private readonly table: string;
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    prefix: string,
  ) {
    this.table = tableName(prefix, 'adminKeys');
  }

  async put(record: ApiKeyRecord): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: record,
        ConditionExpression: 'attribute_not_exists(key_id)',
      }),
    );
  }

  async get(keyId: string): Promise<ApiKeyRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { key_id: keyId } }));
    return out.Item as ApiKeyRecord | undefined;
  }

  /** One page of keys; the table is small, so a scan is fine. */
  async list(limit: number, start?: Record<string, unknown>) {
    const out = await this.doc.send(
      new ScanCommand({ TableName: this.table, Limit: limit, ExclusiveStartKey: start }),
    );
    return { items: (out.Items ?? []) as ApiKeyRecord[], last: out.LastEvaluatedKey };
  }

  async revoke(keyId: string, at: string): Promise<ApiKeyRecord | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { key_id: keyId },
          UpdateExpression: 'SET revoked_at = if_not_exists(revoked_at, :at)',
          ConditionExpression: 'attribute_exists(key_id)',
          ExpressionAttributeValues: { ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes as ApiKeyRecord;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return undefined;
      throw err;
    }
  }
}
