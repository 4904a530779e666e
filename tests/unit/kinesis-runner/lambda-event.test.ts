import type { _Record } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { buildKinesisEvent, buildLambdaContext } from '../../../local/kinesis-runner/lambda-event';

const src = { functionName: 'user-state', streamName: 'events', shardId: 'shardId-000000000001' };

const record = (seq: string, text: string, key = 'u1'): _Record => ({
  SequenceNumber: seq,
  PartitionKey: key,
  Data: new TextEncoder().encode(text),
  ApproximateArrivalTimestamp: new Date('2024-05-01T10:00:00.250Z'),
});

describe('buildKinesisEvent', () => {
  it('presents records the way the Lambda Kinesis event source does', () => {
    const event = buildKinesisEvent([record('49590', '{"a":1}')], src);
    expect(event).toEqual({
      Records: [
        {
          kinesis: {
            kinesisSchemaVersion: '1.0',
            partitionKey: 'u1',
            sequenceNumber: '49590',
            data: 'eyJhIjoxfQ==',
            approximateArrivalTimestamp: 1714557600.25,
          },
          eventSource: 'aws:kinesis',
          eventVersion: '1.0',
          eventID: 'shardId-000000000001:49590',
          eventName: 'aws:kinesis:record',
          invokeIdentityArn: 'arn:aws:iam::000000000000:role/user-state-role',
          awsRegion: 'us-east-1',
          eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/events',
        },
      ],
    });
  });

  it('keeps record order and round-trips non-ASCII bytes through base64', () => {
    const event = buildKinesisEvent([record('1', 'héllo ✓'), record('2', 'second', 'u2')], src);
    expect(event.Records.map((r) => r.kinesis.sequenceNumber)).toEqual(['1', '2']);
    expect(Buffer.from(event.Records[0]!.kinesis.data, 'base64').toString('utf8')).toBe('héllo ✓');
  });
});

describe('buildLambdaContext', () => {
  it('names the function and counts the remaining time down from the timeout', () => {
    let t = 1000;
    const ctx = buildLambdaContext('user-state', 5000, () => t);
    expect(ctx.functionName).toBe('user-state');
    expect(ctx.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:user-state');
    expect(ctx.logGroupName).toBe('/aws/lambda/user-state');
    expect(ctx.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    t = 3500;
    expect(ctx.getRemainingTimeInMillis()).toBe(2500);
    t = 9000;
    expect(ctx.getRemainingTimeInMillis()).toBe(0);
  });
});
