import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import {
  artifactOfVersion,
  artifactReadPrefix,
  repositoryArnOf,
} from '../../cdk/lib/constructs/sagemaker-endpoint';
import { attuneApp } from './synth';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };

const actionsOf = (t: Template) =>
  Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) =>
    (p.Properties.PolicyDocument.Statement as Statement[]).map((s) => ({
      actions: ([] as string[]).concat(s.Action),
      resource: JSON.stringify(s.Resource),
    })),
  );

describe('AttuneInferenceStack', () => {
  it('puts the ranker on ml.g5.xlarge by default, named as the API stack invokes it', () => {
    const { stacks } = attuneApp();
    const t = Template.fromStack(stacks.inference);
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [
        Match.objectLike({
          InstanceType: 'ml.g5.xlarge',
          InitialInstanceCount: 1,
          VariantName: 'AllTraffic',
        }),
      ],
    });
    t.hasResourceProperties('AWS::SageMaker::Endpoint', { EndpointName: 'attune-dev-ranker' });
    expect(stacks.api.sagemakerEndpointName).toBe('attune-dev-ranker');
    t.hasResourceProperties('AWS::SageMaker::Model', {
      EnableNetworkIsolation: true,
      PrimaryContainer: {
        Image: { 'Fn::Join': ['', Match.arrayWith(['.dkr.ecr.', '.amazonaws.com/attune-ranker:latest'])] },
        ModelDataUrl: {
          'Fn::Join': ['', Match.arrayWith(['s3://attune-dev-models-', '/ranker/v1/model.tar.gz'])],
        },
      },
    });
    t.resourceCountIs('AWS::SageMaker::Endpoint', 1);
  });

  it('takes instance type, image, artifact and endpoint name from the context', () => {
    const { stacks } = attuneApp({
      rankerInstanceType: 'ml.g6.2xlarge',
      rankerImageUri: '763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.3-gpu-py311',
      rankerModelDataUrl: 's3://acme-models/attune/ranker/v7/model.tar.gz',
      sagemakerEndpointName: 'attune-dev-ranker-v2',
      rankerMinInstances: '2',
      rankerMaxInstances: '6',
    });
    const t = Template.fromStack(stacks.inference);
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ InstanceType: 'ml.g6.2xlarge', InitialInstanceCount: 2 })],
    });
    t.hasResourceProperties('AWS::SageMaker::Endpoint', { EndpointName: 'attune-dev-ranker-v2' });
    t.hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: {
        Image: '763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.3-gpu-py311',
        ModelDataUrl: 's3://acme-models/attune/ranker/v7/model.tar.gz',
      },
    });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ResourceId: 'endpoint/attune-dev-ranker-v2/variant/AllTraffic',
      MinCapacity: 2,
      MaxCapacity: 6,
    });
    // Least privilege follows the override: the prefix above the version folder, the image's own repository.
    const statements = actionsOf(t);
    expect(statements).toContainEqual({
      actions: ['s3:GetObject'],
      resource: JSON.stringify({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-models/attune/ranker/*']],
      }),
    });
    expect(statements.find((s) => s.actions.includes('ecr:BatchGetImage'))?.resource).toContain(
      ':ecr:eu-west-1:763104351884:repository/pytorch-inference"',
    );
  });

  it('scales the variant on invocations per instance', () => {
    const t = Template.fromStack(attuneApp().stacks.inference);
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ServiceNamespace: 'sagemaker',
      ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      ResourceId: 'endpoint/attune-dev-ranker/variant/AllTraffic',
      MinCapacity: 1,
      MaxCapacity: 4,
    });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
        TargetValue: 3000,
      }),
    });
  });

  it('gives the execution role only artifact reads, image pulls and its own logs', () => {
    const t = Template.fromStack(attuneApp().stacks.inference);
    const actions = actionsOf(t)
      .flatMap((s) => s.actions)
      .sort();
    expect(actions).toEqual(
      [
        's3:GetObject',
        'ecr:BatchGetImage',
        'ecr:GetDownloadUrlForLayer',
        'ecr:BatchCheckLayerAvailability',
        'ecr:GetAuthorizationToken',
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'logs:DescribeLogStreams',
        'cloudwatch:PutMetricData',
      ].sort(),
    );
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'sagemaker.amazonaws.com' } })],
      },
    });
  });

  it('adds -c rankerVariants versions as weight-0 production variants named by rankerVariantName, each scaled', () => {
    const t = Template.fromStack(
      attuneApp({ rankerVariants: 'attune-20250101T000000,v1.2', rankerMaxInstances: '3' }).stacks.inference,
    );
    const name = 'v1-2-f67fe000';
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [
        Match.objectLike({
          VariantName: 'AllTraffic',
          InitialVariantWeight: 1,
          InstanceType: 'ml.g5.xlarge',
        }),
        Match.objectLike({
          VariantName: 'attune-20250101T000000',
          InitialVariantWeight: 0,
          InitialInstanceCount: 1,
          InstanceType: 'ml.g5.xlarge',
        }),
        Match.objectLike({ VariantName: name, InitialVariantWeight: 0, InstanceType: 'ml.g5.xlarge' }),
      ],
    });
    t.resourceCountIs('AWS::SageMaker::Model', 3);
    t.hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: {
        ModelDataUrl: {
          'Fn::Join': ['', Match.arrayWith(['s3://attune-dev-models-', '/ranker/v1.2/model.tar.gz'])],
        },
      },
    });
    for (const variant of ['AllTraffic', 'attune-20250101T000000', name]) {
      t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        ResourceId: `endpoint/attune-dev-ranker/variant/${variant}`,
        MaxCapacity: 3,
      });
    }
    // The extra artifacts sit under the same prefix: still one read grant.
    expect(actionsOf(t).filter((s) => s.actions.includes('s3:GetObject'))).toHaveLength(1);
  });

  it('keeps cdk-nag clean with extra variants whose artifacts need a second read grant', () => {
    const { stacks } = attuneApp({
      rankerVariants: 'v2',
      rankerModelDataUrl: 's3://acme-models/v7/model.tar.gz',
    });
    const t = Template.fromStack(stacks.inference);
    const reads = actionsOf(t).find((s) => s.actions.includes('s3:GetObject'))?.resource ?? '';
    expect(reads).toContain(':s3:::acme-models/v7/*');
    expect(reads).toContain(':s3:::acme-models/v2/*');
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stacks.inference);
    expect(
      report.violations.map((v) => `${v.ruleName} at ${v.violatingResources[0]?.constructPath}`),
    ).toEqual([]);
  });

  it('refuses a rankerVariants entry that is the modelVersion or shares a variant name', () => {
    expect(() => attuneApp({ rankerVariants: 'v1' })).toThrow(/lists v1, the modelVersion/);
    expect(() => attuneApp({ rankerVariants: 'v2,v2' })).toThrow(/v2 and v2 share variant name v2/);
    expect(() => attuneApp({ rankerVariants: 'v2/x' })).toThrow(/rankerVariants "v2\/x" must match/);
  });

  it('adds the LLM endpoint only behind -c llmEndpoint=true', () => {
    expect(attuneApp().stacks.inference.llm).toBeUndefined();
    const t = Template.fromStack(
      attuneApp({ llmEndpoint: 'true', llmInstanceType: 'ml.g5.4xlarge' }).stacks.inference,
    );
    t.resourceCountIs('AWS::SageMaker::Endpoint', 2);
    t.hasResourceProperties('AWS::SageMaker::Endpoint', { EndpointName: 'attune-dev-reasoner' });
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ InstanceType: 'ml.g5.4xlarge' })],
    });
  });

  it('derives read prefixes and repository ARNs', () => {
    expect(artifactReadPrefix('ranker/v3/model.tar.gz')).toBe('ranker/');
    expect(artifactReadPrefix('a/b/ranker/v3/model.tar.gz')).toBe('a/b/ranker/');
    expect(artifactReadPrefix('v3/model.tar.gz')).toBe('v3/');
    expect(artifactOfVersion({ bucket: 'b', key: 'a/ranker/v3/model.tar.gz' }, 'v4')).toEqual({
      bucket: 'b',
      key: 'a/ranker/v4/model.tar.gz',
    });
    expect(
      repositoryArnOf(`123456789012.dkr.ecr.us-east-1.amazonaws.com/team/ranker@sha256:${'a'.repeat(64)}`),
    ).toBe('arn:aws:ecr:us-east-1:123456789012:repository/team/ranker');
  });
});
