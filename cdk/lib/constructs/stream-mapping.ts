import type { Duration } from 'aws-cdk-lib';
import { type IFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';

/** What every Attune stream consumer's event source mapping sets (Kinesis or DynamoDB Streams). */
export interface StreamMappingProps {
  /** The consumer; it must return `{ batchItemFailures }` (Powertools `processPartialResponse`). */
  readonly fn: IFunction;
  /** Where metadata of batches that exhausted their retries is sent. */
  readonly onFailureQueue: IQueue;
  readonly batchSize?: number;
  readonly maxBatchingWindow?: Duration;
  readonly retryAttempts?: number;
  readonly maxRecordAge?: Duration;
  readonly bisectBatchOnError?: boolean;
}

export type StreamMappingDefaults = Required<
  Pick<
    StreamMappingProps,
    'batchSize' | 'maxBatchingWindow' | 'retryAttempts' | 'maxRecordAge' | 'bisectBatchOnError'
  >
>;

/**
 * The mapping options both stream wirings share: partial batch responses, bisect on error,
 * bounded retries and record age, an SQS on-failure destination, and TRIM_HORIZON so a new
 * consumer does not skip what the stream still holds.
 */
export function streamMappingOptions(props: StreamMappingProps, d: StreamMappingDefaults) {
  return {
    startingPosition: StartingPosition.TRIM_HORIZON,
    batchSize: props.batchSize ?? d.batchSize,
    maxBatchingWindow: props.maxBatchingWindow ?? d.maxBatchingWindow,
    retryAttempts: props.retryAttempts ?? d.retryAttempts,
    maxRecordAge: props.maxRecordAge ?? d.maxRecordAge,
    bisectBatchOnError: props.bisectBatchOnError ?? d.bisectBatchOnError,
    reportBatchItemFailures: true,
    onFailure: new SqsDlq(props.onFailureQueue),
  };
}
