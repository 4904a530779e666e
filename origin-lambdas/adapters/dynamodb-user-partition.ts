import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../shared/tables';
import { unpackStateRows } from './user-state-row';

/**
 * Every row of one user's partition (state, prefs, sessions, last good lists, counters) in one
 * Query, the state row unpacked (user-state-row.ts): the users table keeps a user's facets under one partition key so serving reads them in
 * a single round trip.
 */
export async function userRows(
  doc: DynamoDBDocumentClient,
  prefix: string,
  userId: string,
  { consistent = true }: { consistent?: boolean } = {},
): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new QueryCommand({
        TableName: tableName(prefix, 'users'),
        KeyConditionExpression: 'user_id = :u',
        ExpressionAttributeValues: { ':u': userId },
        ConsistentRead: consistent,
        ExclusiveStartKey: start,
      }),
    );
    rows.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return unpackStateRows(rows);
}
