import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../../shared/tables';
import { decodeVector } from '../../adapters/vector-codec';
import { notFound, staleVersion } from '../http/concurrency';
import type { Campaign, CampaignStatus } from './schemas';

/** The stored row: the campaign without derived fields, plus its embedding as float32 bytes. */
export type StoredCampaign = Omit<Campaign, 'serving_now'> & { embedding: Uint8Array };

const isConditionFailure = (err: unknown) => (err as Error).name === 'ConditionalCheckFailedException';

/** Campaigns on the `campaigns` table; every write is conditional on the version read. */
export class CampaignStore {
  private readonly table: string;
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    prefix: string,
  ) {
    this.table = tableName(prefix, 'campaigns');
  }

  async create(c: StoredCampaign): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: c,
        ConditionExpression: 'attribute_not_exists(campaign_id)',
      }),
    );
  }

  async get(id: string): Promise<StoredCampaign | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { campaign_id: id }, ConsistentRead: true }),
    );
    return out.Item as StoredCampaign | undefined;
  }

  async require(id: string): Promise<StoredCampaign> {
    const c = await this.get(id);
    if (!c) throw notFound(`campaign ${id}`);
    return c;
  }

  /** Writes `next` only if the stored version is still `expected`; 409 otherwise. */
  async replace(next: StoredCampaign, expected: number): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: next,
          ConditionExpression: 'attribute_exists(campaign_id) AND #v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': expected },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      if (!(await this.get(next.campaign_id))) throw notFound(`campaign ${next.campaign_id}`);
      throw staleVersion(`campaign ${next.campaign_id}`);
    }
  }

  /** A page of campaigns, by stored status through the `by_status` index when one is given. */
  async list(limit: number, start?: Record<string, unknown>, status?: CampaignStatus) {
    const out = status
      ? await this.doc.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: 'by_status',
            KeyConditionExpression: '#s = :s',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':s': status },
            ScanIndexForward: false,
            Limit: limit,
            ExclusiveStartKey: start,
          }),
        )
      : await this.doc.send(
          new ScanCommand({ TableName: this.table, Limit: limit, ExclusiveStartKey: start }),
        );
    return { items: (out.Items ?? []) as StoredCampaign[], last: out.LastEvaluatedKey };
  }

  /** Every campaign; campaigns number in the hundreds, so ranking and the sweep read them all. */
  async all(): Promise<StoredCampaign[]> {
    const rows: StoredCampaign[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.list(100, start);
      rows.push(...page.items);
      start = page.last;
    } while (start);
    return rows;
  }
}

/** The embedding of a stored campaign as numbers. */
export const campaignVector = (c: StoredCampaign): number[] => decodeVector(c.embedding);
