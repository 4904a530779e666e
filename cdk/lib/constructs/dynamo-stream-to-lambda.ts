import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Event source mapping defaults for consumers of a table's DynamoDB stream. */
export const DYNAMO_STREAM_TO_LAMBDA_DEFAULTS = {
  batchSize: 100,
  maxBatchingWindow: Duration.seconds(1),
  retryAttempts: 5,
  // The stream keeps records 24 hours; older than this, the batch's metadata goes to the queue.
  maxRecordAge: Duration.hours(6),
  bisectBatchOnError: true,
} as const;

export interface DynamoStreamToLambdaProps {
  /** The table whose stream to read; it must have one (`TABLES[key].stream`). */
  readonly table: ITable;
  /** The consumer; it must return `{ batchItemFailures }` (Powertools `processPartialResponse`). */
  readonly fn: IFunction;
  /** Where metadata of batches that exhausted their retries is sent. */
  readonly onFailureQueue: IQueue;
  /** @default 100 */
  readonly batchSize?: number;
  /** @default Duration.seconds(1) */
  readonly maxBatchingWindow?: Duration;
  /** @default 5 */
  readonly retryAttempts?: number;
  /** @default Duration.hours(6) */
  readonly maxRecordAge?: Duration;
  /** @default true */
  readonly bisectBatchOnError?: boolean;
}

/**
 * Wires a table's DynamoDB stream to a Lambda function: partial batch responses, bisect on error,
 * bounded retries and record age, and an SQS on-failure destination. Reads from TRIM_HORIZON so a
 * new consumer replays the changes the stream still holds. The event source grants the function
 * read on that stream only (plus `dynamodb:ListStreams`, which has no resource-level permission).
 */
export class DynamoStreamToLambda extends Construct {
  public readonly eventSource: DynamoEventSource;

  constructor(scope: Construct, id: string, props: DynamoStreamToLambdaProps) {
    super(scope, id);
    const d = DYNAMO_STREAM_TO_LAMBDA_DEFAULTS;
    this.eventSource = new DynamoEventSource(props.table, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: props.batchSize ?? d.batchSize,
      maxBatchingWindow: props.maxBatchingWindow ?? d.maxBatchingWindow,
      retryAttempts: props.retryAttempts ?? d.retryAttempts,
      maxRecordAge: props.maxRecordAge ?? d.maxRecordAge,
      bisectBatchOnError: props.bisectBatchOnError ?? d.bisectBatchOnError,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(props.onFailureQueue),
    });
    props.fn.addEventSource(this.eventSource);
  }
}
