import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoPosteriorReader } from '../../origin-lambdas/adapters/dynamodb-posterior-reader';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import { tableName } from '../../shared/tables';
import { startTestDynamo, type TestDynamo } from '../helpers/standins';

describe('DynamoPosteriorReader (DynamoDB Local)', () => {
  let dynamo: TestDynamo;
  let doc: ReturnType<typeof createDocumentClient>;
  beforeAll(async () => {
    dynamo = await startTestDynamo('posteriors');
    doc = createDocumentClient({ endpoint: dynamo.standIn.endpoint });
    for (const [arm_id, alpha, beta, impressions] of [
      ['item:a', 3, 7, 10],
      ['item:b', 1, 40, 41],
    ] as const)
      await doc.send(
        new PutCommand({
          TableName: tableName(dynamo.prefix, 'posteriors'),
          Item: { arm_id, context: '*', alpha, beta, impressions },
        }),
      );
  });
  afterAll(async () => {
    doc?.destroy();
    await dynamo?.stop();
  });

  it("reads the pooled posteriors when asked for the pooled context itself ('*', what serving asks)", async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `item:x${i}`);
    const read = await new DynamoPosteriorReader(doc, dynamo.prefix).posteriors(
      ['item:a', 'item:b', ...ids],
      '*',
    );

    expect(read.get('item:a')).toEqual({
      arm_id: 'item:a',
      context: '*',
      alpha: 4,
      beta: 8,
      impressions: 10,
    });
    expect(read.get('item:b')).toEqual({
      arm_id: 'item:b',
      context: '*',
      alpha: 2,
      beta: 41,
      impressions: 41,
    });
    expect(read.get('item:x7')).toMatchObject({ alpha: 1, beta: 1, impressions: 0 });
    expect(read.size).toBe(122);
  });
});
