import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Defaults for a failure queue: two weeks to look at what failed, alarm on the first message. */
export const ALARMED_QUEUE_DEFAULTS = {
  retentionPeriod: Duration.days(14),
  alarmPeriod: Duration.minutes(1),
  retain: false,
} as const;

export interface AlarmedQueueProps {
  /** Physical queue name; the alarm is named `<queueName>-visible`. */
  readonly queueName: string;
  /** What lands in the queue, for the alarm description. */
  readonly purpose: string;
  /**
   * How long a failure record stays in the queue.
   * @default Duration.days(14)
   */
  readonly retentionPeriod?: Duration;
  /**
   * Keep the queue when the stack is deleted.
   * @default false
   */
  readonly retain?: boolean;
}

/**
 * An SQS queue meant to stay empty (SQS-managed SSE, TLS-only) with a CloudWatch alarm that fires as
 * soon as ApproximateNumberOfMessagesVisible is above zero.
 */
export class AlarmedQueue extends Construct {
  public readonly queue: Queue;
  public readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: AlarmedQueueProps) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      queueName: props.queueName,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.retentionPeriod ?? ALARMED_QUEUE_DEFAULTS.retentionPeriod,
      removalPolicy:
        (props.retain ?? ALARMED_QUEUE_DEFAULTS.retain) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.alarm = new Alarm(this, 'MessagesVisible', {
      alarmName: `${props.queueName}-visible`,
      alarmDescription: `${props.purpose}: at least one message is waiting in ${props.queueName}`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({
        period: ALARMED_QUEUE_DEFAULTS.alarmPeriod,
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // An idle queue publishes no datapoints; that is the healthy state.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
