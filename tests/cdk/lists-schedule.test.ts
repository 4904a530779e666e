import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_FUNCTIONS, API_STACK_DEFAULTS } from '../../cdk/lib/stacks/api-stack';
import { loadListsConfig } from '../../origin-lambdas/lists/config';
import { attuneApp } from './synth';

type Statement = { Action: string | string[]; Resource: unknown };
const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
const tableArn = (name: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':dynamodb:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:table/${name}`,
    ],
  ],
});

/** Logical id of the list function and every statement of its role's policies. */
function listsFunction(stage: string, context: Record<string, unknown> = {}) {
  const { stacks } = attuneApp({ stage, ...context });
  const api = stacks.api;
  const template = Template.fromStack(api);
  const id = api.getLogicalId(api.functions.lists.node.defaultChild as CfnElement);
  const fn = template.findResources('AWS::Lambda::Function')[id];
  const roleId = fn?.Properties.Role['Fn::GetAtt'][0];
  const statements = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => list(p.Properties.Roles).some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  return { api, template, id, fn, statements };
}

describe('the scheduled list job in the API stack', () => {
  let dev: ReturnType<typeof listsFunction>;
  beforeAll(() => {
    dev = listsFunction('dev');
  });

  it('is a Node.js 22 arm64 function on origin-lambdas/lists/handler.ts with the list configuration', () => {
    expect(API_FUNCTIONS.lists).toEqual({
      id: 'Lists',
      entry: 'origin-lambdas/lists/handler.ts',
      serviceName: 'attune-lists',
    });
    const p = dev.fn?.Properties;
    expect({
      runtime: p.Runtime,
      arch: p.Architectures,
      handler: p.Handler,
      timeout: p.Timeout,
      memory: p.MemorySize,
      reserved: p.ReservedConcurrentExecutions,
    }).toEqual({
      runtime: 'nodejs22.x',
      arch: ['arm64'],
      handler: 'index.handler',
      timeout: 240,
      memory: 1024,
      reserved: undefined,
    });
    const vars = p.Environment.Variables as Record<string, string>;
    expect(vars).toMatchObject({
      ATTUNE_TABLE_PREFIX: 'attune-dev',
      POWERTOOLS_SERVICE_NAME: 'attune-lists',
    });
    expect(Object.keys(vars).filter((n) => /_ENDPOINT$|^AWS_REGION$/.test(n))).toEqual([]);
    // What the handler parses at cold start (Lambda adds AWS_REGION).
    expect(loadListsConfig({ ...vars, AWS_REGION: 'eu-west-1' })).toEqual({
      ATTUNE_TABLE_PREFIX: 'attune-dev',
      AWS_REGION: 'eu-west-1',
      ATTUNE_LISTS_COUNTRIES: ['US', 'GB', 'DE', 'FR', 'IN', 'BR', 'JP'],
      ATTUNE_LISTS_WINDOW_MINUTES: 1440,
    });
  });

  it('runs every five minutes from its own EventBridge rule, without retries, inside its timeout', () => {
    const rules = Object.entries(dev.template.findResources('AWS::Events::Rule')).filter(([, r]) =>
      r.Properties.Targets.some(
        (t: { Arn: { 'Fn::GetAtt': string[] } }) => t.Arn['Fn::GetAtt'][0] === dev.id,
      ),
    );
    expect(
      rules.map(([, r]) => [r.Properties.ScheduleExpression, r.Properties.State, r.Properties.Targets]),
    ).toEqual([
      [
        'rate(5 minutes)',
        'ENABLED',
        [
          expect.objectContaining({
            Arn: { 'Fn::GetAtt': [dev.id, 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 0 },
          }),
        ],
      ],
    ]);
    const [ruleId] = rules[0] ?? [];
    const permissions = Object.values(dev.template.findResources('AWS::Lambda::Permission')).filter(
      (p) => p.Properties.FunctionName['Fn::GetAtt']?.[0] === dev.id,
    );
    expect(permissions.map((p) => [p.Properties.Principal, p.Properties.SourceArn])).toEqual([
      ['events.amazonaws.com', { 'Fn::GetAtt': [ruleId, 'Arn'] }],
    ]);
    dev.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: dev.id },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 300,
    });
    expect(API_STACK_DEFAULTS.listsTimeout.toSeconds()).toBeLessThan(
      API_STACK_DEFAULTS.listsSchedule.toSeconds(),
    );
  });

  it('may scan items and users, query trending and put lists: nothing else in DynamoDB, no Kinesis or SageMaker', () => {
    const data = dev.statements
      .filter((s) => list(s.Action).some((a) => !a.startsWith('logs:') && !a.startsWith('xray:')))
      .map((s) => ({ Action: list(s.Action), Resource: s.Resource }))
      .sort((a, b) => JSON.stringify(a.Resource).localeCompare(JSON.stringify(b.Resource)));
    expect(data).toEqual(
      [
        { Action: ['dynamodb:Scan'], Resource: tableArn('attune-dev-items') },
        { Action: ['dynamodb:Scan'], Resource: tableArn('attune-dev-users') },
        // The trending table has no GSI, so a Query grant names the table alone.
        { Action: ['dynamodb:Query'], Resource: tableArn('attune-dev-trending') },
        { Action: ['dynamodb:PutItem'], Resource: tableArn('attune-dev-lists') },
      ].sort((a, b) => JSON.stringify(a.Resource).localeCompare(JSON.stringify(b.Resource))),
    );
  });

  it('gets the table key with encrypt rights in prod with a customer-managed key (it writes lists)', () => {
    const prod = listsFunction('prod', { tableEncryption: 'customer-managed' });
    const kms = prod.statements.filter((s) => list(s.Action).some((a) => a.startsWith('kms:')));
    expect(kms.map((s) => list(s.Action))).toEqual([
      ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
    ]);
    const logGroupId = prod.fn?.Properties.LoggingConfig.LogGroup.Ref;
    expect(prod.template.findResources('AWS::Logs::LogGroup')[logGroupId]?.DeletionPolicy).toBe('Retain');
  });
});
