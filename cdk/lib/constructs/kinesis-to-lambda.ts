import { Duration } from 'aws-cdk-lib';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import { KinesisEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { type StreamMappingProps, streamMappingOptions } from './stream-mapping';

/** Event source mapping defaults for Attune stream consumers. */
export const KINESIS_TO_LAMBDA_DEFAULTS = {
  batchSize: 100,
  maxBatchingWindow: Duration.seconds(1),
  retryAttempts: 3,
  maxRecordAge: Duration.hours(1),
  parallelizationFactor: 1,
  bisectBatchOnError: true,
} as const;

/** Unset options take `KINESIS_TO_LAMBDA_DEFAULTS`. */
export interface KinesisToLambdaProps extends StreamMappingProps {
  /** The stream to read. */
  readonly stream: IStream;
  /** Concurrent batches per shard; above 1, per-key ordering holds only within a partition key. @default 1 */
  readonly parallelizationFactor?: number;
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
      ...streamMappingOptions(props, d),
      parallelizationFactor: props.parallelizationFactor ?? d.parallelizationFactor,
    });
    props.fn.addEventSource(this.eventSource);
  }

  /** The event source mapping id (a token until deployment). */
  get eventSourceMappingId(): string {
    return this.eventSource.eventSourceMappingId;
  }
}
