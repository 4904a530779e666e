import { type DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../../shared/tables';
import { notFound, staleVersion } from '../http/concurrency';
import type { Experiment } from './schemas';

/** Experiments on the `experiments` table; every update is conditional on the version read. */
export class ExperimentStore {
  private readonly table: string;
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    prefix: string,
  ) {
    this.table = tableName(prefix, 'experiments');
  }

  async create(e: Experiment): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: e,
        ConditionExpression: 'attribute_not_exists(experiment_id)',
      }),
    );
  }

  async require(id: string): Promise<Experiment> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { experiment_id: id }, ConsistentRead: true }),
    );
    if (!out.Item) throw notFound(`experiment ${id}`);
    return out.Item as Experiment;
  }

  async replace(next: Experiment, expected: number): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: next,
          ConditionExpression: 'attribute_exists(experiment_id) AND #v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': expected },
        }),
      );
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
      await this.require(next.experiment_id);
      throw staleVersion(`experiment ${next.experiment_id}`);
    }
  }

  async list(limit: number, start?: Record<string, unknown>) {
    const out = await this.doc.send(
      new ScanCommand({ TableName: this.table, Limit: limit, ExclusiveStartKey: start }),
    );
    return { items: (out.Items ?? []) as Experiment[], last: out.LastEvaluatedKey };
  }
}
