import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ITEM_INDEXER_ES_ACTIONS, itemIndexerRoleName } from '../../cdk/lib/stacks/indexer-stack';
import { TABLES, type TableDef } from '../../shared/tables';
import { loadItemIndexerConfig } from '../../stream-handlers/item-indexer/config';
import { attuneApp } from './synth';

type Statement = { Action: string | string[]; Resource: unknown };
const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
const SEARCH_ENDPOINT = 'https://search-attune-dev-search-abc123.us-east-1.es.amazonaws.com';

describe('AttuneIndexerStack (items stream -> item indexer -> OpenSearch)', () => {
  let t: Template;
  let data: Template;
  let statements: Statement[];

  beforeAll(() => {
    const { stacks } = attuneApp({ stage: 'dev' });
    t = Template.fromStack(stacks.indexer);
    data = Template.fromStack(stacks.data);
    statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Statement[],
    );
  });

  it('streams the items table with new and old images, and no other table', () => {
    const streamed = Object.values(data.findResources('AWS::DynamoDB::Table'))
      .filter((r) => r.Properties.StreamSpecification)
      .map((r) => [r.Properties.TableName, r.Properties.StreamSpecification]);
    expect(streamed).toEqual([['attune-dev-items', { StreamViewType: 'NEW_AND_OLD_IMAGES' }]]);
    expect(Object.values(TABLES).filter((d: TableDef) => d.stream)).toEqual([TABLES.items]);
  });

  it('maps the items stream to the indexer with partial batch responses, bisection, bounded retries and the alarmed queue', () => {
    t.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    const [mapping] = Object.values(t.findResources('AWS::Lambda::EventSourceMapping'));
    const [queueId] = Object.keys(t.findResources('AWS::SQS::Queue'));
    expect(mapping?.Properties).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 6 * 3600,
      EventSourceArn: {
        'Fn::ImportValue': expect.stringMatching(
          /^attune-dev-data:ExportsOutputFnGetAttitemsTable\w+StreamArn/,
        ),
      },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    t.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'attune-dev-item-indexer-on-failure' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'attune-dev-item-indexer-on-failure-visible',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('runs a Node.js 22 arm64 function under its fixed role name, configured for the items alias', () => {
    const fns = Object.values(t.findResources('AWS::Lambda::Function'));
    expect(fns).toHaveLength(1);
    const props = fns[0]?.Properties;
    expect([props.Runtime, props.Architectures, props.Handler]).toEqual([
      'nodejs22.x',
      ['arm64'],
      'index.handler',
    ]);
    t.hasResourceProperties('AWS::IAM::Role', { RoleName: itemIndexerRoleName('dev') });
    const vars = props.Environment.Variables as Record<string, unknown>;
    expect(JSON.stringify(vars.OPENSEARCH_ENDPOINT)).toMatch(/"Fn::ImportValue":"attune-dev-search:/);
    expect(
      loadItemIndexerConfig({ ...vars, OPENSEARCH_ENDPOINT: SEARCH_ENDPOINT, AWS_REGION: 'us-east-1' }),
    ).toEqual({
      AWS_REGION: 'us-east-1',
      OPENSEARCH_ENDPOINT: SEARCH_ENDPOINT,
      OPENSEARCH_ALIAS: 'attune-items',
      VECTOR_DIMENSIONS: 32,
      VECTOR_METRIC: 'ip',
    });
  });

  it('may read only the items stream and call only the search domain paths', () => {
    const dynamo = statements.filter((s) => list(s.Action).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toEqual([
      // ListStreams has no resource-level permission.
      expect.objectContaining({ Action: 'dynamodb:ListStreams', Resource: '*' }),
      expect.objectContaining({
        Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        Resource: { 'Fn::ImportValue': expect.stringMatching(/itemsTable\w+StreamArn/) },
      }),
    ]);
    const es = statements.filter((s) => list(s.Action).some((a) => a.startsWith('es:')));
    expect(es).toEqual([
      expect.objectContaining({
        Action: [...ITEM_INDEXER_ES_ACTIONS],
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':es:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':domain/attune-dev-search/*',
            ],
          ],
        },
      }),
    ]);
    expect([...ITEM_INDEXER_ES_ACTIONS]).toEqual([
      'es:ESHttpDelete',
      'es:ESHttpGet',
      'es:ESHttpHead',
      'es:ESHttpPost',
      'es:ESHttpPut',
    ]);
  });
});
