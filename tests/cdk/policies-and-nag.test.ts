import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { addConsumerStack, attuneApp } from './synth';

type Statement = { Effect: string; Action: string | string[] };

const isWildcardAction = (action: string) => action === '*' || /^[a-z0-9-]+:\*$/i.test(action);

describe('IAM policies and cdk-nag across the whole app', () => {
  let app: App;
  let templates: Map<string, Template>;

  beforeAll(() => {
    const built = attuneApp({ stage: 'prod', tableEncryption: 'customer-managed' });
    app = built.app;
    const { stack } = addConsumerStack(app, built.stacks);
    // Synthesizing an in-memory app runs the nag plugin and throws on any unacknowledged finding.
    templates = new Map(
      [built.stacks.data, built.stacks.stream, stack].map((s) => [s.stackName, Template.fromStack(s)]),
    );
  });

  it('has no IAM policy statement with a wildcard action', () => {
    const actions = [...templates.values()].flatMap((t) =>
      Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) =>
        (p.Properties.PolicyDocument.Statement as Statement[]).flatMap((s) =>
          Array.isArray(s.Action) ? s.Action : [s.Action],
        ),
      ),
    );
    // Non-vacuous: the consumer's role does carry policies.
    expect(actions.length).toBeGreaterThan(5);
    expect(actions.filter(isWildcardAction)).toEqual([]);
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
    for (const id of ['AwsSolutions-SQS3', 'AwsSolutions-L1', 'AwsSolutions-IAM5[Resource::*]']) {
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
