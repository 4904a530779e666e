import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { EVENT_STREAM, streamName } from '../../../shared/tables';
import { isProdStage, stagePrefix } from '../config';
import { AlarmedQueue } from '../constructs/alarmed-queue';

export interface AttuneStreamStackProps extends StackProps {
  /** Stage name; the stream is `attune-<stage>-events`. Stage `prod` retains stream and queue. */
  readonly stage: string;
  /**
   * Shards in provisioned mode (ignored when `onDemand`).
   * @default EVENT_STREAM.defaultShardCount
   */
  readonly shardCount?: number;
  /**
   * Let Kinesis scale the stream (StreamMode ON_DEMAND) instead of a fixed shard count.
   * @default false
   */
  readonly onDemand?: boolean;
}

/** The interaction event stream and the on-failure queue shared by its Lambda consumers. */
export class AttuneStreamStack extends Stack {
  public readonly stream: Stream;
  /** Destination of batches a stream handler gave up on (see `KinesisToLambda`). */
  public readonly onFailureQueue: Queue;
  public readonly onFailure: AlarmedQueue;

  constructor(scope: Construct, id: string, props: AttuneStreamStackProps) {
    super(scope, id, {
      description: `Attune event stream and its failure queue (stage ${props.stage})`,
      ...props,
    });
    const prefix = stagePrefix(props.stage);
    const retain = isProdStage(props.stage);
    const removalPolicy = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.stream = new Stream(this, 'EventStream', {
      streamName: streamName(prefix),
      retentionPeriod: Duration.hours(EVENT_STREAM.retentionHours),
      // The AWS-managed aws/kinesis key: encryption at rest without per-consumer KMS grants or CMK costs.
      encryption: StreamEncryption.MANAGED,
      ...(props.onDemand
        ? { streamMode: StreamMode.ON_DEMAND }
        : {
            streamMode: StreamMode.PROVISIONED,
            shardCount: props.shardCount ?? EVENT_STREAM.defaultShardCount,
          }),
      removalPolicy,
    });

    this.onFailure = new AlarmedQueue(this, 'OnFailure', {
      queueName: `${prefix}-stream-on-failure`,
      purpose: 'Kinesis batches that stream handlers could not process',
      retain,
    });
    this.onFailureQueue = this.onFailure.queue;
    Validations.of(this.onFailureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter (on-failure) destination of the Kinesis event source mappings; it is alarmed and drained by hand, not redriven.',
    });
  }
}
