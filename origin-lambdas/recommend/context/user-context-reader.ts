import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../../shared/tables';
import { userRows } from '../../adapters/dynamodb-user-partition';
import { contextFromRows, type LastGoodItem, lastGoodFacet, type UserContext } from './user-context';

/** Port: the subject's serving context, and where their last good list is kept. */
export interface UserContextReader {
  read(subject: string): Promise<UserContext>;
  saveLastGood(subject: string, surface: string, items: readonly LastGoodItem[], at: number): Promise<void>;
}

// Last good lists expire: after a month of absence a popular list serves a returning user better.
const LAST_GOOD_TTL_S = 30 * 86_400;

/** UserContextReader on the users table: one Query over the subject's partition. */
export class DynamoUserContextReader implements UserContextReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly prefix: string,
  ) {}

  async read(subject: string): Promise<UserContext> {
    // Eventually consistent: serving tolerates a second of lag, and it halves the read cost.
    return contextFromRows(subject, await userRows(this.doc, this.prefix, subject, { consistent: false }));
  }

  async saveLastGood(subject: string, surface: string, items: readonly LastGoodItem[], at: number) {
    await this.doc.send(
      new PutCommand({
        TableName: tableName(this.prefix, 'users'),
        Item: {
          user_id: subject,
          facet: lastGoodFacet(surface),
          items: items.map(({ item_id, category, title }) => ({
            item_id,
            category,
            ...(title ? { title } : {}),
          })),
          at,
          expires_at: Math.floor(at / 1000) + LAST_GOOD_TTL_S,
        },
      }),
    );
  }
}
