import { Annotations, CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmRule,
  AlarmState,
  AlarmStatusWidget,
  ComparisonOperator,
  CompositeAlarm,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { METRICS, METRICS_NAMESPACE, SERVICE_DIMENSION } from '../../../shared/metrics';
import { isProdStage, stagePrefix } from '../config';
import { ALARM_EVALUATION, ALARM_THRESHOLDS } from '../observability/signals';
import { API_FUNCTIONS, type ApiFunctionKey, STREAM_FUNCTIONS } from './api-stack';

export interface AttuneObservabilityStackProps extends StackProps {
  readonly stage: string;
  /** The API stack's functions. */
  readonly functions: Record<ApiFunctionKey, IFunction>;
  readonly httpApi: IHttpApi;
  readonly stream: IStream;
  /** The on-failure queue alarms (Kinesis handlers, item indexer), reused, not duplicated. */
  readonly dlqAlarms: readonly IAlarm[];
  /** Ranking endpoint name and variant (AWS/SageMaker dimensions). */
  readonly rankerEndpointName: string;
  readonly rankerVariantName: string;
  /** Subscribe this address to the alarm topic. @default - no subscription */
  readonly alarmEmail?: string;
}

const ORIGIN_FUNCTIONS = ['recommend', 'ingest', 'admin'] as const;

/**
 * One CloudWatch dashboard and the alarms of the signals that matter: origin p95 latency, error
 * rates, stream freshness, the on-failure queue, the ranking endpoint, and the recommend function's
 * fallback and empty-response metrics. Every alarm notifies one encrypted, TLS-only SNS topic.
 */
export class AttuneObservabilityStack extends Stack {
  public readonly topic: Topic;
  public readonly dashboard: Dashboard;
  /** Alarms by signal, e.g. `recommend-p95-duration`, `stream-iterator-age`, `dlq-depth`. */
  public readonly alarms: Record<string, IAlarm> = {};
  readonly #prefix: string;
  readonly #action: SnsAction;

  constructor(scope: Construct, id: string, props: AttuneObservabilityStackProps) {
    super(scope, id, { description: `Attune dashboard and alarms (stage ${props.stage})`, ...props });
    this.#prefix = stagePrefix(props.stage);
    const t = ALARM_THRESHOLDS;

    // CloudWatch can publish to an encrypted topic only with a customer-managed key that trusts it.
    const key = new Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the Attune alarm topic',
      enableKeyRotation: true,
      removalPolicy: isProdStage(props.stage) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');
    this.topic = new Topic(this, 'AlarmTopic', {
      topicName: `${this.#prefix}-alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.#action = new SnsAction(this.topic);

    const widgets: GraphWidget[] = [];
    const fnMetric = (key: ApiFunctionKey, name: string, statistic: string) =>
      props.functions[key].metric(name, { statistic, period: ALARM_EVALUATION.period });

    for (const key of ORIGIN_FUNCTIONS) {
      const p95 = fnMetric(key, 'Duration', 'p95');
      this.alarm(
        `${key}-p95-duration`,
        p95,
        t.durationP95Ms[key],
        `${key} Lambda Duration p95 above ${t.durationP95Ms[key]} ms`,
      );
      widgets.push(new GraphWidget({ title: `${key} duration p95 (ms)`, left: [p95] }));
    }
    for (const key of Object.keys(API_FUNCTIONS) as ApiFunctionKey[]) {
      const rate = new MathExpression({
        expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
        usingMetrics: {
          errors: fnMetric(key, 'Errors', 'Sum'),
          invocations: fnMetric(key, 'Invocations', 'Sum'),
        },
        label: `${key} error rate (%)`,
        period: ALARM_EVALUATION.period,
      });
      this.alarm(
        `${key}-error-rate`,
        rate,
        t.errorRatePercent,
        `${key} Lambda Errors/Invocations above ${t.errorRatePercent}%`,
      );
      widgets.push(new GraphWidget({ title: `${key} error rate (%)`, left: [rate] }));
    }

    const apiLatency = props.httpApi.metricLatency({ statistic: 'p95', period: ALARM_EVALUATION.period });
    this.alarm(
      'api-p95-latency',
      apiLatency,
      t.apiLatencyP95Ms,
      `HTTP API Latency p95 above ${t.apiLatencyP95Ms} ms`,
    );
    const api5xx = new MathExpression({
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: {
        errors: props.httpApi.metricServerError({ statistic: 'Sum', period: ALARM_EVALUATION.period }),
        requests: props.httpApi.metricCount({ statistic: 'Sum', period: ALARM_EVALUATION.period }),
      },
      label: 'HTTP API 5xx rate (%)',
      period: ALARM_EVALUATION.period,
    });
    this.alarm(
      'api-5xx-rate',
      api5xx,
      t.api5xxRatePercent,
      `HTTP API 5xx above ${t.api5xxRatePercent}% of requests`,
    );
    widgets.push(new GraphWidget({ title: 'HTTP API', left: [apiLatency], right: [api5xx] }));

    const streamAge = props.stream.metricGetRecordsIteratorAgeMilliseconds({
      statistic: 'Maximum',
      period: ALARM_EVALUATION.period,
    });
    this.alarm(
      'stream-iterator-age',
      streamAge,
      t.iteratorAgeMs,
      `Kinesis GetRecords.IteratorAgeMilliseconds above ${t.iteratorAgeMs} ms`,
    );
    const handlerAges = STREAM_FUNCTIONS.map((key) => {
      // Alarm names in kebab case: user-state-iterator-age, bandit-posteriors-iterator-age, ...
      const name = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      const age = fnMetric(key, 'IteratorAge', 'Maximum');
      this.alarm(
        `${name}-iterator-age`,
        age,
        t.iteratorAgeMs,
        `${name} Lambda IteratorAge above ${t.iteratorAgeMs} ms`,
      );
      return age;
    });
    widgets.push(
      new GraphWidget({ title: 'Freshness: iterator age (ms)', left: [streamAge, ...handlerAges] }),
    );

    // The queue alarm lives with the queue; this composite only routes it to the topic.
    const dlq = new CompositeAlarm(this, 'DlqDepth', {
      compositeAlarmName: `${this.#prefix}-dlq-depth`,
      alarmDescription:
        'A stream handler or the item indexer gave up on a batch: it is in an on-failure queue (docs/operations.md)',
      alarmRule: AlarmRule.anyOf(...props.dlqAlarms.map((a) => AlarmRule.fromAlarm(a, AlarmState.ALARM))),
    });
    dlq.addAlarmAction(this.#action);
    dlq.addOkAction(this.#action);
    this.alarms['dlq-depth'] = dlq;

    const sagemaker = (metricName: string, statistic: string) =>
      new Metric({
        namespace: 'AWS/SageMaker',
        metricName,
        dimensionsMap: { EndpointName: props.rankerEndpointName, VariantName: props.rankerVariantName },
        statistic,
        period: ALARM_EVALUATION.period,
      });
    const modelLatency = sagemaker('ModelLatency', 'p95');
    this.alarm(
      'model-p95-latency',
      modelLatency,
      t.modelLatencyP95Micros,
      `Ranker ModelLatency p95 above ${t.modelLatencyP95Micros / 1000} ms`,
    );
    const model5xx = sagemaker('Invocation5XXErrors', 'Sum');
    this.alarm(
      'model-5xx',
      model5xx,
      t.model5xxErrors,
      `Ranker Invocation5XXErrors above ${t.model5xxErrors} per minute`,
    );
    widgets.push(new GraphWidget({ title: 'Ranker endpoint', left: [modelLatency], right: [model5xx] }));

    const custom = (metricName: string, statistic = 'Sum') =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { [SERVICE_DIMENSION]: API_FUNCTIONS.recommend.serviceName },
        statistic,
        period: ALARM_EVALUATION.period,
      });
    const fallbackRate = new MathExpression({
      expression: 'IF(served > 0, 100 * fallback / served, 0)',
      usingMetrics: { fallback: custom(METRICS.fallbackResponses), served: custom(METRICS.recommendations) },
      label: 'fallback rate (%)',
      period: ALARM_EVALUATION.period,
    });
    this.alarm(
      'fallback-rate',
      fallbackRate,
      t.fallbackRatePercent,
      `More than ${t.fallbackRatePercent}% of recommendations served below full personalization`,
    );
    const empty = custom(METRICS.emptyResponses);
    this.alarm('empty-responses', empty, t.emptyResponses, 'Recommendations were served with no items');
    const level = custom(METRICS.fallbackLevel, 'Average');
    widgets.push(new GraphWidget({ title: 'Degradation', left: [fallbackRate, level], right: [empty] }));

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${this.#prefix}-overview` });
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: Object.values(this.alarms), width: 24 }),
    );
    for (let i = 0; i < widgets.length; i += 3) this.dashboard.addWidgets(...widgets.slice(i, i + 3));

    Annotations.of(this).acknowledgeWarning(
      '@aws-cdk/core:crossStackReferencesDefaultStrong',
      'Strong references are intended: the monitored functions, API, stream and queue alarm cannot be removed while alarmed here.',
    );
    new CfnOutput(this, 'AlarmTopicArn', { value: this.topic.topicArn });
  }

  /** A `> threshold` alarm named `attune-<stage>-<signal>` that notifies the topic on ALARM and OK. */
  private alarm(signal: string, metric: IMetric, threshold: number, description: string): Alarm {
    const alarm = new Alarm(this, `Alarm-${signal}`, {
      alarmName: `${this.#prefix}-${signal}`,
      alarmDescription: `${description}. Runbook: docs/operations.md#alarms`,
      metric,
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: ALARM_EVALUATION.evaluationPeriods,
      datapointsToAlarm: ALARM_EVALUATION.datapointsToAlarm,
      // No traffic publishes no datapoints; that is not an incident by itself.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.#action);
    alarm.addOkAction(this.#action);
    this.alarms[signal] = alarm;
    return alarm;
  }
}
