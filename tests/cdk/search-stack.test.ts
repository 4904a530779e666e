import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { recommendRoleName } from '../../cdk/lib/stacks/api-stack';
import { itemIndexerRoleName } from '../../cdk/lib/stacks/indexer-stack';
import { searchDomainName } from '../../cdk/lib/stacks/search-stack';
import { EMBEDDING_DIM } from '../../local/seed/catalog';
import {
  EMBEDDING_DIMENSIONS,
  EMBEDDING_FIELD,
  ITEMS_INDEX_ALIAS,
  ITEMS_INDEX_BODY,
  itemsIndexName,
} from '../../origin-lambdas/adapters/vector/opensearch-mapping';
import { HashedNgramEncoder } from '../../shared/embedding/hashed-encoder';
import { attuneApp } from './synth';

describe('AttuneSearchStack (defaults, stage dev)', () => {
  let t: Template;
  beforeAll(() => {
    t = Template.fromStack(attuneApp().stacks.search);
  });

  it('runs OpenSearch 2.x, encrypted at rest and between nodes, HTTPS only with TLS 1.2', () => {
    t.hasResourceProperties('AWS::OpenSearchService::Domain', {
      DomainName: 'attune-dev-search',
      EngineVersion: Match.stringLikeRegexp('^OpenSearch_2\\.'),
      EncryptionAtRestOptions: { Enabled: true },
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07' },
      EBSOptions: { EBSEnabled: true, VolumeType: 'gp3', VolumeSize: 20 },
      ClusterConfig: Match.objectLike({
        InstanceCount: 1,
        InstanceType: 'r7g.large.search',
        ZoneAwarenessEnabled: false,
      }),
    });
  });

  it('enables fine-grained access control with the master user from Secrets Manager', () => {
    const secret = Object.keys(t.findResources('AWS::SecretsManager::Secret'))[0] as string;
    t.hasResourceProperties('AWS::OpenSearchService::Domain', {
      AdvancedSecurityOptions: {
        Enabled: true,
        InternalUserDatabaseEnabled: true,
        MasterUserOptions: {
          MasterUserName: 'attune-admin',
          MasterUserPassword: {
            'Fn::Join': [
              '',
              Match.arrayWith([Match.objectLike({ Ref: secret }), ':SecretString:password::}}']),
            ],
          },
        },
      },
    });
    t.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ GenerateStringKey: 'password', PasswordLength: 32 }),
    });
  });

  it('publishes slow search, slow index and application logs to CloudWatch', () => {
    const domain = Object.values(t.findResources('AWS::OpenSearchService::Domain'))[0];
    const logs = domain?.Properties.LogPublishingOptions as Record<string, { Enabled: boolean }>;
    expect(Object.keys(logs).sort()).toEqual(['ES_APPLICATION_LOGS', 'INDEX_SLOW_LOGS', 'SEARCH_SLOW_LOGS']);
    expect(Object.values(logs).every((l) => l.Enabled)).toBe(true);
    t.resourceCountIs('AWS::Logs::ResourcePolicy', 1);
  });

  it('applies the k-NN items index through the custom resource', () => {
    const [index] = Object.values(t.findResources('Custom::AttuneSearchIndex'));
    const props = index?.Properties as Record<string, unknown>;
    expect(props.IndexName).toBe('attune-items-v1');
    expect(props.AliasName).toBe(ITEMS_INDEX_ALIAS);
    const body = JSON.parse(props.IndexBody as string);
    expect(body.settings.index.knn).toBe(true);
    expect(body.mappings.properties[EMBEDDING_FIELD]).toEqual({
      type: 'knn_vector',
      dimension: 32,
      method: {
        name: 'hnsw',
        engine: 'lucene',
        // Inner product: the origin's VECTOR_METRIC default, what the trained CF embeddings need.
        space_type: 'innerproduct',
        parameters: { m: 16, ef_construction: 128 },
      },
    });
  });

  it('maps the recommend and item-indexer roles (by their fixed names) to the index role, so their signed calls pass FGAC', () => {
    const [index] = Object.values(t.findResources('Custom::AttuneSearchIndex'));
    expect(((index?.Properties ?? {}) as Record<string, unknown>).ClientRoleArns).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':iam::',
          { Ref: 'AWS::AccountId' },
          `:role/${recommendRoleName('dev')},arn:`,
          { Ref: 'AWS::Partition' },
          ':iam::',
          { Ref: 'AWS::AccountId' },
          `:role/${itemIndexerRoleName('dev')}`,
        ],
      ],
    });
    expect(itemIndexerRoleName('dev')).toBe('attune-dev-item-indexer-exec');
    expect(recommendRoleName('dev')).toBe('attune-dev-recommend-exec');
    const api = Template.fromStack(attuneApp().stacks.api);
    api.hasResourceProperties('AWS::IAM::Role', { RoleName: 'attune-dev-recommend-exec' });
  });

  it('keeps the index dimension equal to the embeddings the code produces', () => {
    expect(EMBEDDING_DIMENSIONS).toBe(EMBEDDING_DIM);
    expect(EMBEDDING_DIMENSIONS).toBe(new HashedNgramEncoder().dimensions);
    expect(ITEMS_INDEX_BODY.mappings.properties.embedding.dimension).toBe(EMBEDDING_DIMENSIONS);
    expect(itemsIndexName('v2')).toBe('attune-items-v2');
  });

  it('has no VPC options and no zone awareness with one data node', () => {
    const domain = Object.values(t.findResources('AWS::OpenSearchService::Domain'))[0];
    expect(domain?.Properties.VPCOptions).toBeUndefined();
  });
});

describe('AttuneSearchStack sized by context', () => {
  it('turns on zone awareness, dedicated masters and VPC placement', () => {
    const { stacks } = attuneApp({
      stage: 'prod',
      searchDataNodes: '4',
      searchMasterNodes: '3',
      searchDataNodeInstanceType: 'r7g.xlarge.search',
      searchVpcId: 'vpc-0abc1234',
      searchSubnetIds: 'subnet-0aaa1111,subnet-0bbb2222',
    });
    const t = Template.fromStack(stacks.search);
    t.hasResourceProperties('AWS::OpenSearchService::Domain', {
      ClusterConfig: Match.objectLike({
        InstanceCount: 4,
        InstanceType: 'r7g.xlarge.search',
        DedicatedMasterEnabled: true,
        DedicatedMasterCount: 3,
        ZoneAwarenessEnabled: true,
        ZoneAwarenessConfig: { AvailabilityZoneCount: 2 },
      }),
      VPCOptions: { SubnetIds: ['subnet-0aaa1111', 'subnet-0bbb2222'], SecurityGroupIds: [Match.anyValue()] },
    });
    t.hasResource('AWS::OpenSearchService::Domain', { DeletionPolicy: 'Retain' });
    // The index function must reach the domain inside the VPC.
    t.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('index mapping'),
      VpcConfig: { SubnetIds: ['subnet-0aaa1111', 'subnet-0bbb2222'], SecurityGroupIds: [Match.anyValue()] },
    });
  });

  it('refuses a data node count zone awareness cannot spread', () => {
    expect(() => attuneApp({ searchDataNodes: '5' })).toThrow(/multiple of 2 or 3/);
  });

  it('keeps the domain name within 28 characters', () => {
    expect(searchDomainName('dev')).toBe('attune-dev-search');
    expect(searchDomainName('a-very-long-stage-nm').length).toBeLessThanOrEqual(28);
  });
});
