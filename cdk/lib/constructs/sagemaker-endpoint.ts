import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import {
  PredefinedMetric,
  ScalableTarget,
  ServiceNamespace,
  type TargetTrackingScalingPolicy,
} from 'aws-cdk-lib/aws-applicationautoscaling';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnEndpoint, CfnEndpointConfig, CfnModel } from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { nagResourceId } from '../nag-ids';

/** Where a model artifact lives. */
export interface ModelArtifact {
  readonly bucket: string;
  /** Object key of `model.tar.gz`, e.g. `ranker/v3/model.tar.gz`. */
  readonly key: string;
}

/** Another production variant of the endpoint: the same image and instance type, another model. */
export interface ExtraVariant {
  /** Production variant name, the `TargetVariant` callers send (`rankerVariantName(version)`). */
  readonly variantName: string;
  readonly artifact: ModelArtifact;
}

/** Defaults of an endpoint, kept as data. */
export const SAGEMAKER_ENDPOINT_DEFAULTS = {
  variantName: 'AllTraffic',
  /** Seconds after a scale-out before the next one, and after a scale-in before the next one. */
  scaleOutCooldownSeconds: 60,
  scaleInCooldownSeconds: 300,
  /** Instances an extra variant starts with and never scales below. */
  extraVariantMinInstances: 1,
} as const;

export interface SageMakerEndpointProps {
  /** Physical endpoint name, the one the callers' IAM policies name. */
  readonly endpointName: string;
  /** Container image URI (ECR). */
  readonly imageUri: string;
  /** ECR repository ARN the image is pulled from. */
  readonly repositoryArn: string;
  readonly artifact: ModelArtifact;
  /** e.g. `ml.g5.xlarge`. */
  readonly instanceType: string;
  readonly minInstances: number;
  readonly maxInstances: number;
  /** Target tracking value of SageMakerVariantInvocationsPerInstance (per minute). */
  readonly invocationsPerInstanceTarget: number;
  /** Extra container environment. */
  readonly environment?: Record<string, string>;
  /**
   * More production variants, each with its own model, on `instanceType`, with initial weight 0:
   * no share of untargeted traffic, only requests that name them in `TargetVariant`. Each scales
   * on its own invocations between `extraVariantMinInstances` and `maxInstances`.
   * @default []
   */
  readonly extraVariants?: readonly ExtraVariant[];
}

/** `s3://bucket/key`. */
export function s3Url(a: ModelArtifact): string {
  return `s3://${a.bucket}/${a.key}`;
}

/** Parses `s3://bucket/key`. */
export function parseS3Url(url: string): ModelArtifact {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!m?.[1] || !m[2]) throw new Error(`not an s3:// URL: ${url}`);
  return { bucket: m[1], key: m[2] };
}

/** The artifact of another version in the same layout: `ranker/v3/model.tar.gz` -> `ranker/<version>/model.tar.gz`. */
export function artifactOfVersion(a: ModelArtifact, version: string): ModelArtifact {
  const parts = a.key.split('/');
  const file = parts.pop() as string;
  if (parts.length) parts.pop();
  return { bucket: a.bucket, key: [...parts, version, file].join('/') };
}

/**
 * The prefix the execution role may read: the parent of the version folder
 * (`ranker/v3/model.tar.gz` -> `ranker/`), so the old and the new model of a rollout both load.
 */
export function artifactReadPrefix(key: string): string {
  const dirs = key.split('/').slice(0, -1);
  const keep = dirs.length >= 2 ? dirs.slice(0, -1) : dirs;
  return keep.length ? `${keep.join('/')}/` : '';
}

/** ECR repository ARN of an image URI `<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>`. */
export function repositoryArnOf(imageUri: string, partition = 'aws'): string {
  const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(imageUri);
  if (!m) throw new Error(`not an ECR image URI: ${imageUri}`);
  return `arn:${partition}:ecr:${m[2]}:${m[1]}:repository/${m[3]}`;
}

/**
 * A SageMaker real-time endpoint: model, endpoint config (the `AllTraffic` variant on
 * `instanceType`, plus any extra variants of weight 0) and endpoint, with an execution role that may read only the artifact prefix, pull only the image's
 * repository and write only the endpoint's logs, and target-tracking auto scaling on invocations
 * per instance. Model and endpoint config get generated names, so a changed model or instance type
 * replaces them and SageMaker moves the endpoint over (blue/green) without downtime.
 */
export class SageMakerEndpoint extends Construct {
  public readonly role: Role;
  public readonly model: CfnModel;
  public readonly endpointConfig: CfnEndpointConfig;
  public readonly endpoint: CfnEndpoint;
  public readonly scalableTarget: ScalableTarget;
  public readonly scalingPolicy: TargetTrackingScalingPolicy;
  public readonly variantName: string = SAGEMAKER_ENDPOINT_DEFAULTS.variantName;
  /** The extra variants' models, by variant name. */
  public readonly variantModels: ReadonlyMap<string, CfnModel>;

  constructor(scope: Construct, id: string, props: SageMakerEndpointProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new Role(this, 'ExecutionRole', {
      assumedBy: new ServicePrincipal('sagemaker.amazonaws.com'),
      description: `SageMaker execution role of ${props.endpointName}`,
    });
    const extras = props.extraVariants ?? [];
    const artifacts = [
      ...new Set(
        [props.artifact, ...extras.map((v) => v.artifact)].map(
          (a) => `arn:${stack.partition}:s3:::${a.bucket}/${artifactReadPrefix(a.key)}*`,
        ),
      ),
    ];
    this.role.addToPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: artifacts }));
    const logStreams = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `/aws/sagemaker/Endpoints/${props.endpointName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources: [props.repositoryArn],
      }),
    );
    this.role.addToPolicy(new PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
    this.role.addToPolicy(
      new PolicyStatement({
        actions: [
          'logs:CreateLogGroup',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'logs:DescribeLogStreams',
        ],
        resources: [logStreams],
      }),
    );
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/*'] } },
      }),
    );
    // Finding ids name resources as cdk-nag renders them (`<AWS::AccountId>` for the account token).
    const rendered = (arn: string) => nagResourceId(this, arn);
    const reasons: [string, string][] = [
      [
        '*',
        'ecr:GetAuthorizationToken and cloudwatch:PutMetricData have no resource-level permissions; PutMetricData is limited to the SageMaker namespaces by condition.',
      ],
      ...artifacts.map((a): [string, string] => [
        rendered(a),
        'Read of the model artifact prefix only: every version folder under it, so a rollout can load the new model while the old one still serves.',
      ]),
      [rendered(logStreams), "The endpoint's own log group; SageMaker names one stream per instance."],
    ];
    for (const [resource, reason] of reasons) {
      Validations.of(this.role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
    }

    const modelOf = (id: string, artifact: ModelArtifact) => {
      const model = new CfnModel(this, id, {
        executionRoleArn: this.role.roleArn,
        primaryContainer: {
          image: props.imageUri,
          modelDataUrl: s3Url(artifact),
          environment: props.environment,
        },
        // The ranker needs no network at inference time.
        enableNetworkIsolation: true,
      });
      model.node.addDependency(this.role);
      return model;
    };
    this.model = modelOf('Model', props.artifact);
    this.variantModels = new Map(
      extras.map((v) => [v.variantName, modelOf(`Model${v.variantName}`, v.artifact)]),
    );

    this.endpointConfig = new CfnEndpointConfig(this, 'Config', {
      productionVariants: [
        {
          variantName: this.variantName,
          modelName: this.model.attrModelName,
          instanceType: props.instanceType,
          initialInstanceCount: props.minInstances,
          initialVariantWeight: 1,
        },
        // Weight 0: untargeted traffic never reaches them, a TargetVariant request always does.
        ...extras.map((v) => ({
          variantName: v.variantName,
          modelName: (this.variantModels.get(v.variantName) as CfnModel).attrModelName,
          instanceType: props.instanceType,
          initialInstanceCount: SAGEMAKER_ENDPOINT_DEFAULTS.extraVariantMinInstances,
          initialVariantWeight: 0,
        })),
      ],
    });

    this.endpoint = new CfnEndpoint(this, 'Endpoint', {
      endpointName: props.endpointName,
      endpointConfigName: this.endpointConfig.attrEndpointConfigName,
    });

    const scale = (id: string, variantName: string, minCapacity: number) => {
      const target = new ScalableTarget(this, id, {
        serviceNamespace: ServiceNamespace.SAGEMAKER,
        resourceId: `endpoint/${props.endpointName}/variant/${variantName}`,
        scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        minCapacity,
        maxCapacity: Math.max(minCapacity, props.maxInstances),
      });
      target.node.addDependency(this.endpoint);
      const policy = target.scaleToTrackMetric('InvocationsPerInstance', {
        predefinedMetric: PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
        targetValue: props.invocationsPerInstanceTarget,
        scaleOutCooldown: Duration.seconds(SAGEMAKER_ENDPOINT_DEFAULTS.scaleOutCooldownSeconds),
        scaleInCooldown: Duration.seconds(SAGEMAKER_ENDPOINT_DEFAULTS.scaleInCooldownSeconds),
      });
      return { target, policy };
    };
    const main = scale('Scaling', this.variantName, props.minInstances);
    this.scalableTarget = main.target;
    this.scalingPolicy = main.policy;
    for (const v of extras) {
      scale(`Scaling${v.variantName}`, v.variantName, SAGEMAKER_ENDPOINT_DEFAULTS.extraVariantMinInstances);
    }
  }
}
