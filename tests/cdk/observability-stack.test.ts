import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALARM_THRESHOLDS } from '../../cdk/lib/observability/signals';
import { METRICS, METRICS_NAMESPACE } from '../../shared/metrics';
import { attuneApp } from './synth';

type Alarm = { Properties: Record<string, unknown> };

describe('AttuneObservabilityStack', () => {
  let t: Template;
  let alarms: Map<string, Alarm>;
  let stackIds: { stream: string; indexer: string };

  beforeAll(() => {
    const { stacks } = attuneApp({ alarmEmail: 'oncall@example.com' });
    t = Template.fromStack(stacks.observability);
    stackIds = { stream: stacks.stream.stackName, indexer: stacks.indexer.stackName };
    alarms = new Map(
      Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a) => [
        a.Properties.AlarmName as string,
        a as Alarm,
      ]),
    );
  });

  const metricOf = (name: string) => alarms.get(name)?.Properties as Record<string, unknown>;
  const mathMetrics = (name: string) =>
    metricOf(name).Metrics as {
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string; Namespace: string } };
    }[];

  it('alarms on every listed signal', () => {
    expect([...alarms.keys()].sort()).toEqual(
      [
        'recommend-p95-duration',
        'ingest-p95-duration',
        'admin-p95-duration',
        'recommend-error-rate',
        'ingest-error-rate',
        'admin-error-rate',
        'adminSweep-error-rate',
        'lists-error-rate',
        'userState-error-rate',
        'banditPosteriors-error-rate',
        'trending-error-rate',
        'api-p95-latency',
        'api-5xx-rate',
        'stream-iterator-age',
        'user-state-iterator-age',
        'bandit-posteriors-iterator-age',
        'trending-iterator-age',
        'model-p95-latency',
        'model-5xx',
        'fallback-rate',
        'empty-responses',
      ]
        .map((s) => `attune-dev-${s}`)
        .sort(),
    );
  });

  it('watches p95 latency of the origin functions and the HTTP API', () => {
    expect(metricOf('attune-dev-recommend-p95-duration')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Duration',
      ExtendedStatistic: 'p95',
      Threshold: ALARM_THRESHOLDS.durationP95Ms.recommend,
    });
    expect(metricOf('attune-dev-api-p95-latency')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      ExtendedStatistic: 'p95',
    });
  });

  it('computes error rates as Errors / Invocations and 5xx / Count', () => {
    const rate = mathMetrics('attune-dev-recommend-error-rate');
    expect(rate.find((m) => m.Expression)?.Expression).toBe(
      'IF(invocations > 0, 100 * errors / invocations, 0)',
    );
    expect(rate.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : [])).sort()).toEqual([
      'Errors',
      'Invocations',
    ]);
    const api = mathMetrics('attune-dev-api-5xx-rate');
    expect(api.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : [])).sort()).toEqual([
      '5xx',
      'Count',
    ]);
  });

  it('watches freshness on the stream and on each stream handler', () => {
    expect(metricOf('attune-dev-stream-iterator-age')).toMatchObject({
      Namespace: 'AWS/Kinesis',
      MetricName: 'GetRecords.IteratorAgeMilliseconds',
      Statistic: 'Maximum',
      Threshold: 60_000,
    });
    for (const consumer of ['user-state', 'bandit-posteriors', 'trending']) {
      expect(metricOf(`attune-dev-${consumer}-iterator-age`), consumer).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'IteratorAge',
        Statistic: 'Maximum',
        Threshold: 60_000,
      });
    }
  });

  it('watches the ranking endpoint by name and variant', () => {
    for (const [alarm, metric] of [
      ['attune-dev-model-p95-latency', 'ModelLatency'],
      ['attune-dev-model-5xx', 'Invocation5XXErrors'],
    ] as const) {
      expect(metricOf(alarm)).toMatchObject({
        Namespace: 'AWS/SageMaker',
        MetricName: metric,
        Dimensions: expect.arrayContaining([
          { Name: 'EndpointName', Value: 'attune-dev-ranker' },
          { Name: 'VariantName', Value: 'AllTraffic' },
        ]),
      });
    }
  });

  it('alarms on the custom EMF metrics by their shared names', () => {
    const fallback = mathMetrics('attune-dev-fallback-rate').flatMap((m) =>
      m.MetricStat ? [m.MetricStat.Metric] : [],
    );
    expect(fallback.map((m) => m.MetricName).sort()).toEqual(
      [METRICS.fallbackResponses, METRICS.recommendations].sort(),
    );
    expect(fallback.every((m) => m.Namespace === METRICS_NAMESPACE)).toBe(true);
    expect(metricOf('attune-dev-empty-responses')).toMatchObject({
      Namespace: 'Attune',
      MetricName: METRICS.emptyResponses,
      Dimensions: [{ Name: 'service', Value: 'attune-recommend' }],
      Threshold: 0,
    });
  });

  it('routes the stream and item indexer DLQ alarms through one composite alarm instead of duplicates', () => {
    const [composite] = Object.values(t.findResources('AWS::CloudWatch::CompositeAlarm'));
    const rule = JSON.stringify(composite?.Properties.AlarmRule);
    expect(rule).toContain(stackIds.stream);
    expect(rule).toContain(stackIds.indexer);
    expect(rule).toContain(' OR ');
    expect(composite?.Properties.AlarmActions).toHaveLength(1);
  });

  it('notifies an encrypted, TLS-only topic from every alarm', () => {
    const topic = Object.keys(t.findResources('AWS::SNS::Topic'))[0] as string;
    t.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: Match.anyValue(),
      TopicName: 'attune-dev-alarms',
    });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    for (const [name, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions, name).toEqual([{ Ref: topic }]);
    }
    t.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'attune-dev-overview' });
  });
});
