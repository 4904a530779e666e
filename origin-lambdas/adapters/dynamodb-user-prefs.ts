import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../shared/tables';

/** The `prefs` row of a user's partition in the `users` table. */
export interface UserPrefs {
  readonly user_id: string;
  /** Opted out of personalization: served popular or segment lists only. */
  readonly opted_out?: boolean;
  readonly opted_out_at?: string;
  readonly segments?: readonly string[];
}

/** Reads and writes users' preferences (row `facet = prefs`). */
export class DynamoUserPrefs {
  private readonly table: string;
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    prefix: string,
  ) {
    this.table = tableName(prefix, 'users');
  }

  async get(userId: string): Promise<UserPrefs | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { user_id: userId, facet: 'prefs' },
        ConsistentRead: true,
      }),
    );
    if (!out.Item) return undefined;
    const { facet: _f, ...prefs } = out.Item;
    return prefs as UserPrefs;
  }

  async isOptedOut(userId: string): Promise<boolean> {
    return (await this.get(userId))?.opted_out === true;
  }

  /** Sets the flag, keeping the row's other preferences; returns the row before and after. */
  async setOptedOut(userId: string, optedOut: boolean, at: string) {
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { user_id: userId, facet: 'prefs' },
        UpdateExpression: 'SET opted_out = :o, opted_out_at = :at',
        ExpressionAttributeValues: { ':o': optedOut, ':at': at },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const before = out.Attributes as UserPrefs | undefined;
    return { before, after: { ...before, user_id: userId, opted_out: optedOut, opted_out_at: at } };
  }
}
