import { type App, Aws, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { AttuneConfig } from './config';
import { AttuneApiStack, recommendRoleName } from './stacks/api-stack';
import { AttuneDataStack } from './stacks/data-stack';
import { AttuneIndexerStack, itemIndexerRoleName } from './stacks/indexer-stack';
import { AttuneInferenceStack } from './stacks/inference-stack';
import { AttuneObservabilityStack } from './stacks/observability-stack';
import { AttuneSearchStack } from './stacks/search-stack';
import { AttuneStreamStack } from './stacks/stream-stack';

/** The stacks of one Attune stage. */
export interface AttuneStacks {
  readonly data: AttuneDataStack;
  readonly stream: AttuneStreamStack;
  readonly api: AttuneApiStack;
  readonly search: AttuneSearchStack;
  readonly indexer: AttuneIndexerStack;
  readonly inference: AttuneInferenceStack;
  readonly observability: AttuneObservabilityStack;
}

/**
 * Adds the Attune stacks for `config.stage` to `app` and runs the cdk-nag AwsSolutions pack over
 * the whole app (see `addNagChecks`). Stacks are environment-agnostic so synth needs no AWS credentials or lookups.
 */
export function buildAttune(app: App, config: AttuneConfig): AttuneStacks {
  const { stage } = config;
  const data = new AttuneDataStack(app, `attune-${stage}-data`, {
    stage,
    tableEncryption: config.tableEncryption,
  });
  const stream = new AttuneStreamStack(app, `attune-${stage}-stream`, {
    stage,
    shardCount: config.shardCount,
    onDemand: config.onDemand,
  });
  // Search before the API and the indexer: both read its endpoint, and the search stack maps their
  // roles by fixed name (ARN strings, not references, so no dependency cycle).
  const roleArn = (name: string) => `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${name}`;
  const search = new AttuneSearchStack(app, `attune-${stage}-search`, {
    stage,
    search: config.search,
    clientRoleArns: [roleArn(recommendRoleName(stage)), roleArn(itemIndexerRoleName(stage))],
  });
  const indexer = new AttuneIndexerStack(app, `attune-${stage}-indexer`, {
    stage,
    itemsTable: data.tables.items,
    domainEndpoint: search.domain.domainEndpoint,
  });
  const api = new AttuneApiStack(app, `attune-${stage}-api`, {
    stage,
    tables: data.tables,
    stream: stream.stream,
    onFailureQueue: stream.onFailureQueue,
    sagemakerEndpointName: config.sagemakerEndpointName,
    // The promoted version's bundle, also the endpoint's default variant: the CPU copy scores alike.
    fallbackModelVersion: config.inference.modelVersion,
    search: { domainEndpoint: search.domain.domainEndpoint },
    ...(config.edgeUrl ? { edgeUrl: config.edgeUrl } : {}),
    ...(config.reservedConcurrency ? {} : { reservedConcurrency: {} }),
  });
  const inference = new AttuneInferenceStack(app, `attune-${stage}-inference`, {
    stage,
    inference: config.inference,
    rankerEndpointName: api.sagemakerEndpointName,
  });
  const observability = new AttuneObservabilityStack(app, `attune-${stage}-observability`, {
    stage,
    functions: api.functions,
    httpApi: api.frontDoor.api,
    stream: stream.stream,
    dlqAlarms: [stream.onFailure.alarm, indexer.onFailure.alarm],
    rankerEndpointName: inference.rankerEndpointName,
    rankerVariantName: inference.ranker.variantName,
    ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
  });
  addNagChecks(app);
  return { data, stream, api, search, indexer, inference, observability };
}

/**
 * Registers the cdk-nag AwsSolutions pack as a CDK validation plugin (cdk-nag 3 is a plugin, not an
 * aspect): any unacknowledged finding fails `cdk synth`. Acknowledged rules are also written into the
 * resources' template Metadata (`cdk_nag.rules_to_suppress`) as an audit trail.
 */
export function addNagChecks(app: App): AwsSolutionsChecks {
  const checks = new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true });
  Validations.of(app).addPlugins(checks);
  return checks;
}
