import { randomUUID } from 'node:crypto';
import type { _Record } from '@aws-sdk/client-kinesis';
import type { Context, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

/** The local stand-ins' account and region, as the ARNs in a real event would carry them. */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

/** Where a batch came from and who it is for. */
export interface EventSource {
  functionName: string;
  streamName: string;
  shardId: string;
}

export const streamArn = (streamName: string) =>
  `arn:aws:kinesis:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stream/${streamName}`;

/** One record as Lambda's Kinesis event source mapping presents it. */
export function toLambdaRecord(r: _Record, src: EventSource): KinesisStreamRecord {
  const seq = r.SequenceNumber ?? '';
  const arrived = r.ApproximateArrivalTimestamp?.getTime() ?? Date.now();
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: r.PartitionKey ?? '',
      sequenceNumber: seq,
      data: Buffer.from(r.Data ?? new Uint8Array()).toString('base64'),
      // Lambda sends epoch seconds with a millisecond fraction.
      approximateArrivalTimestamp: arrived / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${src.shardId}:${seq}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/${src.functionName}-role`,
    awsRegion: LOCAL_REGION,
    eventSourceARN: streamArn(src.streamName),
  };
}

/** The event one invocation receives. */
export function buildKinesisEvent(records: readonly _Record[], src: EventSource): KinesisStreamEvent {
  return { Records: records.map((r) => toLambdaRecord(r, src)) };
}

/** A Lambda context for one invocation; the remaining time counts down from `timeoutMs`. */
export function buildLambdaContext(functionName: string, timeoutMs = 60_000, now = Date.now): Context {
  const deadline = now() + timeoutMs;
  const requestId = randomUUID();
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = () => {
    throw new Error('callback-style context methods are not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${requestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
