import { ConditionalCheckFailedException, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DependencyHealth } from '../../shared/ports/event-stream';
import type { UserState, UserStateStore, VersionedPut } from '../../shared/ports/user-state-store';
import { tableName } from '../../shared/tables';
import { type TransactOptions, transactWriteEach } from './dynamodb-transact';
import { fromStateItem, STATE_FACET, toStateItem } from './user-state-row';

/**
 * UserStateStore on the `users` table, row `facet = state` (its bulk in one blob, user-state-row.ts),
 * with a version condition on every write.
 */
export class DynamoUserStateStore implements UserStateStore {
  private readonly table: string;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    prefix: string,
    private readonly transact: TransactOptions = {},
  ) {
    this.table = tableName(prefix, 'users');
  }

  async getUser(userId: string): Promise<UserState | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { user_id: userId, facet: STATE_FACET },
        ConsistentRead: true,
      }),
    );
    return out.Item ? fromItem(out.Item) : undefined;
  }

  async getUsers(userIds: readonly string[]): Promise<Map<string, UserState>> {
    const result = new Map<string, UserState>();
    const unique = [...new Set(userIds)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] = unique
        .slice(i, i + 100)
        .map((user_id) => ({ user_id, facet: STATE_FACET }));
      for (let attempt = 0; keys.length && attempt < 8; attempt++) {
        const out = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of out.Responses?.[this.table] ?? [])
          result.set(item.user_id as string, fromItem(item));
        keys = (out.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
      if (keys.length) throw new Error(`getUsers: ${keys.length} keys left unprocessed`);
    }
    return result;
  }

  async putIfVersion(next: UserState, expectedVersion: number): Promise<boolean> {
    try {
      await this.doc.send(new PutCommand(this.versionedPut({ next, expectedVersion })));
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** One TransactWriteItems per 100 users, each Put under its own version condition. */
  async putManyIfVersion(entries: readonly VersionedPut[]): Promise<boolean[]> {
    const out = await transactWriteEach(
      this.doc,
      entries.map((e) => ({ id: e.next.user_id, item: { Put: this.versionedPut(e) } })),
      this.transact,
    );
    return out.map((o) => o.ok);
  }

  private versionedPut({ next, expectedVersion }: VersionedPut) {
    return {
      TableName: this.table,
      Item: toStateItem(next),
      ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(user_id)' : '#v = :expected',
      ...(expectedVersion === 0
        ? {}
        : {
            ExpressionAttributeNames: { '#v': 'version' },
            ExpressionAttributeValues: { ':expected': expectedVersion },
          }),
    };
  }

  async health(): Promise<DependencyHealth> {
    try {
      const out = await this.doc.send(new DescribeTableCommand({ TableName: this.table }));
      return { ok: out.Table?.TableStatus === 'ACTIVE', detail: out.Table?.TableStatus };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }
}

function fromItem(item: Record<string, unknown>): UserState {
  const { facet: _facet, ...rest } = fromStateItem(item);
  return {
    recent_items: [],
    event_count: 0,
    version: 0,
    ...(rest as Partial<UserState>),
  } as UserState;
}
