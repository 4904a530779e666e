import { Duration } from 'aws-cdk-lib';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import { type IFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Event source mapping defaults for Attune stream consumers. */
export const KINESIS_TO_LAMBDA_DEFAULTS = {
  batchSize: 100,
  maxBatchingWindow: Duration.seconds(1),
  retryAttempts: 3,
  maxRecordAge: Duration.hours(1),
  parallelizationFactor: 1,
  bisectBatchOnError: true,
} as const;

export interface KinesisToLambdaProps {
  /** The stream to read. */
  readonly stream: IStream;
  /** The consumer; it must return `{ batchItemFailures }` (Powertools `processPartialResponse`). */
  readonly fn: IFunction;
  /** Where metadata of batches that exhausted their retries is sent. */
  readonly onFailureQueue: IQueue;
  /** @default 100 */
  readonly batchSize?: number;
  /** @default Duration.seconds(1) */
  readonly maxBatchingWindow?: Duration;
  /** @default 3 */
  readonly retryAttempts?: number;
  /** @default Duration.hours(1) */
  readonly maxRecordAge?: Duration;
  /** Concurrent batches per shard; above 1, per-key ordering holds only within a partition key. @default 1 */
  readonly parallelizationFactor?: number;
  /** @default true */
  readonly bisectBatchOnError?: boolean;
}

/**
 * Wires a Kinesis stream to a Lambda function: partial batch responses, bisect on error, bounded
 * retries and record age, and an SQS on-failure destination. Reads from TRIM_HORIZON so a new
 * consumer does not skip events already in the stream.
 */
export class KinesisToLambda extends Construct {
  public readonly eventSource: KinesisEventSource;

  constructor(scope: Construct, id: string, props: KinesisToLambdaProps) {
    super(scope, id);
    const d = KINESIS_TO_LAMBDA_DEFAULTS;
    this.eventSource = new KinesisEventSource(props.stream, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: props.batchSize ?? d.batchSize,
      maxBatchingWindow: props.maxBatchingWindow ?? d.maxBatchingWindow,
      retryAttempts: props.retryAttempts ?? d.retryAttempts,
      maxRecordAge: props.maxRecordAge ?? d.maxRecordAge,
      parallelizationFactor: props.parallelizationFactor ?? d.parallelizationFactor,
      bisectBatchOnError: props.bisectBatchOnError ?? d.bisectBatchOnError,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(props.onFailureQueue),
    });
    props.fn.addEventSource(this.eventSource);
  }

  /** The event source mapping id (a token until deployment). */
  get eventSourceMappingId(): string {
    return this.eventSource.eventSourceMappingId;
  }
}
