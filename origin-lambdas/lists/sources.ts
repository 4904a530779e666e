import { type DynamoDBDocumentClient, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../shared/tables';
import { PROFILE_ATTR, unpackStateRows } from '../adapters/user-state-row';
import type { ListItem } from './compute';

/** Where the list job reads the whole catalog and every user's segment facets. */
export interface ListSources {
  /** Every catalog item, listable or not; `onPage` gets the running count. */
  items(onPage?: (count: number) => void): Promise<ListItem[]>;
  /** The `state` and `prefs` rows of every user, with only their segments and affinities. */
  userRows(onPage?: (count: number) => void): Promise<Record<string, unknown>[]>;
}

/**
 * ListSources by paginated Scans of `items` and `users`, projected to the few attributes the
 * lists need: an item's embedding and a user's sessions are most of their bytes, and a Scan's
 * cost is counted on what it reads but its pages fill faster with smaller items.
 */
export class DynamoListSources implements ListSources {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly prefix: string,
  ) {}

  async items(onPage?: (count: number) => void): Promise<ListItem[]> {
    const rows = await this.scan(
      {
        TableName: tableName(this.prefix, 'items'),
        ProjectionExpression: '#i, #c, #p, #a, #d, #r',
        ExpressionAttributeNames: {
          '#i': 'item_id',
          '#c': 'category',
          '#p': 'popularity',
          '#a': 'available',
          '#d': 'deleted',
          '#r': 'regions',
        },
      },
      onPage,
    );
    return rows.map((r) => ({
      item_id: String(r.item_id),
      category: String(r.category ?? ''),
      popularity: Number(r.popularity ?? 0),
      ...(typeof r.available === 'boolean' ? { available: r.available } : {}),
      ...(r.deleted === true ? { deleted: true } : {}),
      ...(r.regions ? { regions: [...(r.regions as Iterable<unknown>)].map(String) } : {}),
    }));
  }

  async userRows(onPage?: (count: number) => void): Promise<Record<string, unknown>[]> {
    const rows = await this.scan(
      {
        TableName: tableName(this.prefix, 'users'),
        // `segments` is a DynamoDB reserved word; names go through placeholders.
        // State rows keep affinities in their blob; rows written before it, as an attribute.
        ProjectionExpression: '#u, #f, #s, #a.#sc, #p',
        FilterExpression: '#f IN (:state, :prefs)',
        ExpressionAttributeNames: {
          '#u': 'user_id',
          '#f': 'facet',
          '#s': 'segments',
          '#a': 'affinities',
          '#sc': 'scores',
          '#p': PROFILE_ATTR,
        },
        ExpressionAttributeValues: { ':state': 'state', ':prefs': 'prefs' },
      },
      onPage,
    );
    return unpackStateRows(rows);
  }

  private async scan(
    input: ScanCommandInput,
    onPage?: (count: number) => void,
  ): Promise<Record<string, unknown>[]> {
    const rows: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(new ScanCommand({ ...input, ExclusiveStartKey: start }));
      rows.push(...(out.Items ?? []));
      onPage?.(rows.length);
      start = out.LastEvaluatedKey;
    } while (start);
    return rows;
  }
}
