import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { type StreamMappingProps, streamMappingOptions } from './stream-mapping';

/** Event source mapping defaults for consumers of a table's DynamoDB stream. */
export const DYNAMO_STREAM_TO_LAMBDA_DEFAULTS = {
  batchSize: 100,
  maxBatchingWindow: Duration.seconds(1),
  retryAttempts: 5,
  // The stream keeps records 24 hours; older than this, the batch's metadata goes to the queue.
  maxRecordAge: Duration.hours(6),
  bisectBatchOnError: true,
} as const;

/** Unset options take `DYNAMO_STREAM_TO_LAMBDA_DEFAULTS`. */
export interface DynamoStreamToLambdaProps extends StreamMappingProps {
  /** The table whose stream to read; it must have one (`TABLES[key].stream`). */
  readonly table: ITable;
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
    this.eventSource = new DynamoEventSource(
      props.table,
      streamMappingOptions(props, DYNAMO_STREAM_TO_LAMBDA_DEFAULTS),
    );
    props.fn.addEventSource(this.eventSource);
  }
}
