import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { rankerVariantName } from '../../../shared/ranking/model-variant';
import { defaultEndpointName, stagePrefix } from '../config';
import {
  artifactOfVersion,
  type ModelArtifact,
  parseS3Url,
  repositoryArnOf,
  SageMakerEndpoint,
} from '../constructs/sagemaker-endpoint';
import {
  type EndpointModelConfig,
  INFERENCE_CONFIG_DEFAULTS,
  type InferenceConfig,
} from '../inference/inference-config';

export interface AttuneInferenceStackProps extends StackProps {
  readonly stage: string;
  /** @default INFERENCE_CONFIG_DEFAULTS */
  readonly inference?: InferenceConfig;
  /**
   * Name of the ranking endpoint (the one the API stack's recommend role may invoke).
   * @default defaultEndpointName(stage)
   */
  readonly rankerEndpointName?: string;
}

/** The model bucket of a stage: `attune-<stage>-models-<account>`. */
export function modelBucketName(stack: Stack, stage: string): string {
  return `${stagePrefix(stage)}-models-${stack.account}`;
}

/**
 * SageMaker real-time inference: the ranking endpoint on a GPU instance type (default
 * `ml.g5.xlarge`) with auto scaling on invocations per instance, and, behind `-c llmEndpoint=true`,
 * an LLM endpoint `attune-<stage>-reasoner` for the reasoning path. `-c rankerVariants=v2,v3` adds
 * those versions to the ranking endpoint as weight-0 production variants named
 * `rankerVariantName(version)`, for model A/B tests that target them per request.
 */
export class AttuneInferenceStack extends Stack {
  public readonly ranker: SageMakerEndpoint;
  public readonly llm?: SageMakerEndpoint;
  public readonly rankerEndpointName: string;
  public readonly llmEndpointName?: string;

  constructor(scope: Construct, id: string, props: AttuneInferenceStackProps) {
    super(scope, id, { description: `Attune model endpoints (stage ${props.stage})`, ...props });
    const cfg = props.inference ?? INFERENCE_CONFIG_DEFAULTS;
    this.rankerEndpointName = props.rankerEndpointName ?? defaultEndpointName(props.stage);
    const bucket = modelBucketName(this, props.stage);

    this.ranker = this.endpoint(
      'Ranker',
      this.rankerEndpointName,
      cfg.ranker,
      { repository: 'attune-ranker', artifact: { bucket, key: `ranker/${cfg.modelVersion}/model.tar.gz` } },
      cfg.rankerVariants,
    );
    new CfnOutput(this, 'RankerEndpointName', { value: this.rankerEndpointName });

    if (cfg.llmEnabled) {
      this.llmEndpointName = `${stagePrefix(props.stage)}-reasoner`;
      this.llm = this.endpoint('Reasoner', this.llmEndpointName, cfg.llm, {
        repository: 'attune-reasoner',
        artifact: { bucket, key: 'reasoner/current/model.tar.gz' },
      });
      new CfnOutput(this, 'ReasonerEndpointName', { value: this.llmEndpointName });
    }
  }

  private endpoint(
    id: string,
    endpointName: string,
    cfg: EndpointModelConfig,
    defaults: { repository: string; artifact: ModelArtifact },
    extraVersions: readonly string[] = [],
  ): SageMakerEndpoint {
    // Defaults point at this account's ECR repository and model bucket; override with -c <prefix>ImageUri / ModelDataUrl.
    const imageUri =
      cfg.imageUri ?? `${this.account}.dkr.ecr.${this.region}.amazonaws.com/${defaults.repository}:latest`;
    const repositoryArn = cfg.imageUri
      ? repositoryArnOf(cfg.imageUri, this.partition)
      : this.formatArn({ service: 'ecr', resource: 'repository', resourceName: defaults.repository });
    const artifact = cfg.modelDataUrl ? parseS3Url(cfg.modelDataUrl) : defaults.artifact;
    return new SageMakerEndpoint(this, id, {
      endpointName,
      imageUri,
      repositoryArn,
      artifact,
      // Each extra version sits beside the default one: `<prefix>/<version>/model.tar.gz`.
      extraVariants: extraVersions.map((v) => ({
        variantName: rankerVariantName(v),
        artifact: artifactOfVersion(artifact, v),
      })),
      instanceType: cfg.instanceType,
      minInstances: cfg.minInstances,
      maxInstances: cfg.maxInstances,
      invocationsPerInstanceTarget: cfg.invocationsPerInstanceTarget,
    });
  }
}
