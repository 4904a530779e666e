import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { addConsumerStack, attuneApp } from './synth';

type Statement = { Effect: string; Action: string | string[] };

// `svc:*` and partial wildcards such as `es:ESHttp*` alike.
const isWildcardAction = (action: string) => action.includes('*');

describe('IAM policies and cdk-nag across the whole app', () => {
  let app: App;
  let templates: Map<string, Template>;

  beforeAll(() => {
    const built = attuneApp({ stage: 'prod', tableEncryption: 'customer-managed', llmEndpoint: 'true' });
    app = built.app;
    const { stack } = addConsumerStack(app, built.stacks);
    // Synthesizing an in-memory app runs the nag plugin and throws on any unacknowledged finding.
    templates = new Map(
      [...Object.values(built.stacks), stack].map((s) => [s.stackName, Template.fromStack(s)]),
    );
  });

  it('covers every stack of the app', () => {
    expect([...templates.keys()].sort()).toEqual(
      ['api', 'data', 'indexer', 'inference', 'observability', 'search', 'stream']
        .map((s) => `attune-prod-${s}`)
        .concat('attune-test-consumers')
        .sort(),
    );
  });

  it('has no IAM policy statement with a wildcard action, in any stack', () => {
    const perStack = [...templates].map(([name, t]) => {
      const policies = Object.values(t.findResources('AWS::IAM::Policy')).map(
        (p) => p.Properties.PolicyDocument,
      );
      // The OpenSearch domain's resource policy is IAM too.
      const domains = Object.values(t.findResources('AWS::OpenSearchService::Domain')).map(
        (d) => d.Properties.AccessPolicies,
      );
      const actions = [...policies, ...domains].flatMap((doc) =>
        (doc.Statement as Statement[]).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])),
      );
      return [name, actions] as const;
    });
    // Non-vacuous: every stack with roles carries policies.
    for (const [name, actions] of perStack) {
      if (!name.endsWith('-data') && !name.endsWith('-stream') && !name.endsWith('-observability'))
        expect(actions.length, name).toBeGreaterThan(3);
    }
    expect(
      perStack.flatMap(([name, actions]) => actions.filter(isWildcardAction).map((a) => `${name}: ${a}`)),
    ).toEqual([]);
  });

  it('leaves no unacknowledged cdk-nag AwsSolutions finding, error or warning', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
    const findings = report.violations.map(
      (v) => `${v.ruleName} (${v.severity}) at ${v.violatingResources[0]?.constructPath}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('acknowledges each finding at its resource with a written reason', () => {
    const data = JSON.stringify([...templates.values()].map((t) => t.toJSON()));
    for (const id of [
      'AwsSolutions-SQS3',
      'AwsSolutions-L1',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-OS3',
      'AwsSolutions-OS5',
      'AwsSolutions-SMG4',
    ]) {
      expect(data).toContain(`"id":"${id}","reason":"`);
    }
  });

  it('would report an unencrypted, plain-HTTP queue (the checker is live)', () => {
    const probe = new Stack(new App(), 'probe');
    new Queue(probe, 'Leaky', { encryption: undefined, enforceSSL: false });
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(probe);
    expect(report.violations.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']),
    );
    expect(report.success).toBe(false);
  });
});
