import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_STREAM, streamName } from '../../shared/tables';
import { attuneApp } from './synth';

describe('AttuneStreamStack', () => {
  let byDefault: Template;
  let fromContext: Template;
  let onDemand: Template;
  let prod: Template;

  beforeAll(() => {
    byDefault = Template.fromStack(attuneApp({ stage: 'dev' }).stacks.stream);
    // `-c shardCount=4` arrives as a string.
    fromContext = Template.fromStack(attuneApp({ stage: 'dev', shardCount: '4' }).stacks.stream);
    onDemand = Template.fromStack(attuneApp({ stage: 'dev', onDemand: 'true' }).stacks.stream);
    prod = Template.fromStack(attuneApp({ stage: 'prod' }).stacks.stream);
  });

  it('creates the KMS-encrypted event stream with the shared name, retention and default shard count', () => {
    byDefault.resourceCountIs('AWS::Kinesis::Stream', 1);
    byDefault.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: streamName('attune-dev'),
      RetentionPeriodHours: EVENT_STREAM.retentionHours,
      ShardCount: EVENT_STREAM.defaultShardCount,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
  });

  it('takes the shard count from context', () => {
    fromContext.hasResourceProperties('AWS::Kinesis::Stream', {
      ShardCount: 4,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
    });
  });

  it('switches to ON_DEMAND without a shard count when onDemand is set', () => {
    onDemand.hasResourceProperties('AWS::Kinesis::Stream', {
      ShardCount: Match.absent(),
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
  });

  it('creates an encrypted on-failure queue that refuses plain HTTP', () => {
    byDefault.resourceCountIs('AWS::SQS::Queue', 1);
    byDefault.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'attune-dev-stream-on-failure',
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    byDefault.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('alarms as soon as a message is visible in the on-failure queue', () => {
    const [queueId] = Object.keys(byDefault.findResources('AWS::SQS::Queue'));
    byDefault.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    byDefault.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('retains stream and queue in prod and deletes them elsewhere', () => {
    for (const type of ['AWS::Kinesis::Stream', 'AWS::SQS::Queue']) {
      prod.hasResource(type, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      byDefault.hasResource(type, { DeletionPolicy: 'Delete' });
    }
    prod.hasResourceProperties('AWS::Kinesis::Stream', { Name: 'attune-prod-events' });
  });

  it('rejects a shard count that is not a positive integer', () => {
    expect(() => attuneApp({ shardCount: 'two' })).toThrow(/shardCount/);
    expect(() => attuneApp({ shardCount: 0 })).toThrow(/shardCount/);
  });

  it('rejects a stage that cannot be part of a resource name', () => {
    expect(() => attuneApp({ stage: 'Prod_1' })).toThrow(/stage/);
  });
});
