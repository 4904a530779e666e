import { App, Stack } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type AttuneStacks, buildAttune } from '../../cdk/lib/attune-app';
import { readConfig } from '../../cdk/lib/config';
import { attuneFunction } from '../../cdk/lib/constructs/attune-function';
import { KinesisToLambda } from '../../cdk/lib/constructs/kinesis-to-lambda';

/**
 * A fresh app built exactly like `cdk/bin/app.ts`, with `context` in place of `-c key=value`.
 * Asset bundling is skipped (as `cdk synth --exclusively` does for unselected stacks) unless
 * `context` lists stacks under `aws:cdk:bundling-stacks`: esbuild runs for tests that read bundles.
 */
export function attuneApp(context: Record<string, unknown> = {}): { app: App; stacks: AttuneStacks } {
  const app = new App({ context: { [BUNDLING_STACKS]: [], ...context } });
  return { app, stacks: buildAttune(app, readConfig(app.node)) };
}

/** The CDK context key that selects which stacks bundle their assets (`['**']` in a real synth). */
export const BUNDLING_STACKS = 'aws:cdk:bundling-stacks';

export const FIXTURE_HANDLER = 'tests/cdk/fixtures/stream-handler.ts';

/**
 * A consumer stack such as the lead's future API stack: a real bundled function wired to the
 * stream stack's stream and on-failure queue through cross-stack references.
 */
export function addConsumerStack(
  app: App,
  stacks: AttuneStacks,
): { stack: Stack; fn: NodejsFunction; wiring: KinesisToLambda } {
  const stack = new Stack(app, 'attune-test-consumers');
  const fn = attuneFunction(stack, 'UserState', {
    entry: FIXTURE_HANDLER,
    environment: { USERS_TABLE: stacks.data.tables.users.tableName },
    serviceName: 'attune-user-state',
  });
  const wiring = new KinesisToLambda(stack, 'EventsToUserState', {
    stream: stacks.stream.stream,
    fn,
    onFailureQueue: stacks.stream.onFailureQueue,
  });
  return { stack, fn, wiring };
}
