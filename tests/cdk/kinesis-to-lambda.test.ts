import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { attuneFunction } from '../../cdk/lib/constructs/attune-function';
import { addConsumerStack, attuneApp, BUNDLING_STACKS } from './synth';

describe('KinesisToLambda and attuneFunction', () => {
  let consumers: Template;
  let streamStackId: string;
  let bundle: string;

  beforeAll(() => {
    const { app, stacks } = attuneApp({ stage: 'dev', [BUNDLING_STACKS]: ['attune-test-consumers'] });
    const { stack } = addConsumerStack(app, stacks);
    streamStackId = stacks.stream.stackName;
    consumers = Template.fromStack(stack);
    const outdir = app.synth().directory;
    // Only esbuild bundles have an index.mjs; other stacks' static assets (the search stack's
    // custom-resource framework) are copied even when bundling is skipped.
    const assetDirs = readdirSync(outdir).filter(
      (d) => d.startsWith('asset.') && existsSync(join(outdir, d, 'index.mjs')),
    );
    expect(assetDirs).toHaveLength(1);
    bundle = readFileSync(join(outdir, assetDirs[0] ?? '', 'index.mjs'), 'utf8');
  });

  it('maps the stream with partial batch responses, bisecting, bounded retries and age', () => {
    consumers.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    consumers.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp(`^${streamStackId}:`) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 3600,
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      ParallelizationFactor: 1,
      StartingPosition: 'TRIM_HORIZON',
    });
  });

  it('sends exhausted batches to the on-failure queue', () => {
    consumers.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::ImportValue': Match.stringLikeRegexp(`^${streamStackId}:.*OnFailureQueue`) },
        },
      },
    });
  });

  it('grants the function stream reads and queue sends', () => {
    const statements = Object.values(consumers.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[],
    );
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions).toEqual(
      expect.arrayContaining(['kinesis:GetRecords', 'kinesis:GetShardIterator', 'sqs:SendMessage']),
    );
  });

  it('builds a Node.js 22 arm64 function with tracing, Powertools env and a retained-for-a-month log group', () => {
    consumers.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'attune-user-state',
          POWERTOOLS_METRICS_NAMESPACE: 'Attune',
          LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
          USERS_TABLE: Match.anyValue(),
        }),
      },
      LoggingConfig: { LogGroup: Match.anyValue() },
    });
    consumers.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('uses its own role instead of the AWSLambdaBasicExecutionRole managed policy', () => {
    consumers.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    consumers.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow' }),
        ]),
      },
    });
  });

  it('bundles minified ESM with the createRequire banner and a source map', () => {
    expect(bundle.startsWith("import { createRequire as __attuneCreateRequire } from 'node:module';")).toBe(
      true,
    );
    expect(bundle).toMatch(/sourceMappingURL=index\.mjs\.map/);
    expect(bundle).toContain('batchItemFailures');
  });

  it('refuses an entry file that does not exist', () => {
    const stack = new Stack(new App(), 'missing');
    expect(() => attuneFunction(stack, 'Nope', { entry: 'origin-lambdas/nope/handler.ts' })).toThrow(
      /does not exist/,
    );
  });
});
