import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttuneStacks, buildAttune } from '../../cdk/lib/attune-app';
import { readConfig } from '../../cdk/lib/config';
import { REPO_ROOT } from '../../cdk/lib/constructs/attune-function';
import { API_FUNCTIONS, type ApiFunctionKey, STREAM_FUNCTIONS } from '../../cdk/lib/stacks/api-stack';
import { loadOriginConfig } from '../../origin-lambdas/common/config';
import { loadStreamConfig } from '../../stream-handlers/common/config';
import { attuneApp, BUNDLING_STACKS } from './synth';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
type CfnFunction = {
  Properties: {
    Runtime: string;
    Handler: string;
    Architectures: string[];
    Code: { S3Key: string };
    Environment: { Variables: Record<string, string> };
    ReservedConcurrentExecutions?: number;
    Role: { 'Fn::GetAtt': [string, string] };
  };
};

const execFileAsync = promisify(execFile);
const KEYS = Object.keys(API_FUNCTIONS) as ApiFunctionKey[];
const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
const isWildcardAction = (action: string) => action.includes('*');
// What `Stack.formatArn` resolves to in an environment-agnostic stack.
const arn = (service: string, resource: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      `:${service}:`,
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:${resource}`,
    ],
  ],
});

/** An endpoint as it would resolve at deploy time, for the one variable that imports from the search stack. */
const SEARCH_ENDPOINT = 'https://search-attune-dev-search-abc123.us-east-1.es.amazonaws.com';

/** A function's variables with cross-stack values resolved the way CloudFormation would. */
const deployed = (vars: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, typeof v === 'string' ? v : SEARCH_ENDPOINT]));

/** Logical id of each API function, from the construct tree. */
function functionIds(stacks: AttuneStacks): Record<ApiFunctionKey, string> {
  const api = stacks.api;
  return Object.fromEntries(
    KEYS.map((k) => [k, api.getLogicalId(api.functions[k].node.defaultChild as CfnElement)]),
  ) as Record<ApiFunctionKey, string>;
}

/** Every statement of the inline policies attached to the role of `fnId`. */
function statementsOf(template: Template, fnId: string): Statement[] {
  const fn = template.findResources('AWS::Lambda::Function')[fnId] as CfnFunction;
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => list(p.Properties.Roles).some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

const actionsOf = (statements: Statement[]) => statements.flatMap((s) => list(s.Action));

/** Every function with no statement of a service, for `grantsOf` comparisons. */
const NO_GRANTS = Object.fromEntries(KEYS.map((k) => [k, []]));

describe('AttuneApiStack', () => {
  let outdir: string;
  let built: { app: App; stacks: AttuneStacks };
  let template: Template;
  let ids: Record<ApiFunctionKey, string>;
  let functions: Record<string, CfnFunction>;

  beforeAll(() => {
    // Under node_modules so the bundles resolve `@aws-sdk/*` there, as Lambda's runtime provides it.
    const cache = join(REPO_ROOT, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    outdir = mkdtempSync(join(cache, 'attune-cdk-api-'));
    const app = new App({ outdir, context: { stage: 'dev', [BUNDLING_STACKS]: ['attune-dev-api'] } });
    built = { app, stacks: buildAttune(app, readConfig(app.node)) };
    template = Template.fromStack(built.stacks.api);
    ids = functionIds(built.stacks);
    functions = template.findResources('AWS::Lambda::Function') as Record<string, CfnFunction>;
    // Synthesizing runs the cdk-nag plugin over the whole app and throws on any unacknowledged finding.
    built.app.synth();
  });

  afterAll(() => {
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  /** Per function, its statements with an action of the service `prefix` (e.g. `s3:`). */
  const grantsOf = (prefix: string) =>
    Object.fromEntries(
      KEYS.map((k) => [
        k,
        statementsOf(template, ids[k])
          .filter((s) => actionsOf([s]).some((a) => a.startsWith(prefix)))
          .map((s) => ({ Action: s.Action, Resource: s.Resource })),
      ]),
    );

  it('is the stack attune-<stage>-api and deploys after the data stack', () => {
    expect(built.stacks.api.stackName).toBe('attune-dev-api');
    expect(built.stacks.api.dependencies.map((s) => s.stackName)).toEqual(
      expect.arrayContaining(['attune-dev-data', 'attune-dev-stream']),
    );
  });

  it("builds eight Node.js 22 arm64 functions, the sweep on the admin module's `sweep` export", () => {
    expect(KEYS).toHaveLength(8);
    expect(Object.keys(functions).sort()).toEqual(Object.values(ids).sort());
    for (const [id, fn] of Object.entries(functions)) {
      expect(fn.Properties.Runtime, id).toBe('nodejs22.x');
      expect(fn.Properties.Architectures, id).toEqual(['arm64']);
    }
    expect(Object.fromEntries(KEYS.map((k) => [k, functions[ids[k]]?.Properties.Handler]))).toEqual({
      recommend: 'index.handler',
      ingest: 'index.handler',
      admin: 'index.handler',
      adminSweep: 'index.sweep',
      lists: 'index.handler',
      userState: 'index.handler',
      banditPosteriors: 'index.handler',
      trending: 'index.handler',
    });
    expect(API_FUNCTIONS.adminSweep.entry).toBe(API_FUNCTIONS.admin.entry);
  });

  it('gives the origin functions the configuration origin-lambdas/common/config.ts reads', () => {
    for (const key of ['recommend', 'ingest', 'admin', 'adminSweep'] as const) {
      const vars = functions[ids[key]]?.Properties.Environment.Variables ?? {};
      expect(vars, key).toMatchObject({
        ATTUNE_TABLE_PREFIX: 'attune-dev',
        EVENT_STREAM_NAME: 'attune-dev-events',
        SAGEMAKER_ENDPOINT_NAME: 'attune-dev-ranker',
        MODEL_TIMEOUT_MS: '150',
        DYNAMODB_TIMEOUT_MS: '200',
        POWERTOOLS_SERVICE_NAME: API_FUNCTIONS[key].serviceName,
      });
      // Lambda sets AWS_REGION; the handler parses the rest exactly as it would at cold start.
      const config = loadOriginConfig({ ...deployed(vars), AWS_REGION: 'eu-west-1' });
      expect(config).toMatchObject({ ATTUNE_TABLE_PREFIX: 'attune-dev', MODEL_TIMEOUT_MS: 150 });
      expect([config.DYNAMODB_ENDPOINT, config.KINESIS_ENDPOINT, config.SAGEMAKER_ENDPOINT_URL]).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
    }
    // Without the edgeUrl context the deletion cascade has no edge to purge.
    expect(functions[ids.admin]?.Properties.Environment.Variables.ATTUNE_EDGE_URL).toBeUndefined();
    for (const key of STREAM_FUNCTIONS) {
      const vars = functions[ids[key]]?.Properties.Environment.Variables ?? {};
      expect(vars.POWERTOOLS_SERVICE_NAME, key).toBe(API_FUNCTIONS[key].serviceName);
      expect(vars.STATE_WRITE_MODE, key).toBe('transact');
      expect(loadStreamConfig({ ...vars, AWS_REGION: 'eu-west-1' }), key).toEqual({
        ATTUNE_TABLE_PREFIX: 'attune-dev',
        AWS_REGION: 'eu-west-1',
        STATE_WRITE_MODE: 'transact',
        USER_STATE_CACHE_ROWS: 2000,
      });
    }
  });

  it('sets no local stand-in endpoint and no AWS_REGION (Lambda provides it)', () => {
    for (const [id, fn] of Object.entries(functions)) {
      const names = Object.keys(fn.Properties.Environment.Variables);
      // The one endpoint allowed is the search domain's, imported from the search stack.
      const allowed = id === ids.recommend ? ['OPENSEARCH_ENDPOINT'] : [];
      expect(
        names.filter((n) => (/_ENDPOINT(_URL)?$/.test(n) || n === 'AWS_REGION') && !allowed.includes(n)),
        id,
      ).toEqual([]);
    }
  });

  it('points recommend at the search domain: OpenSearch k-NN, its endpoint from the search stack, read-only HTTP', () => {
    const vars = functions[ids.recommend]?.Properties.Environment.Variables ?? {};
    expect(vars.VECTOR_BACKEND).toBe('opensearch');
    expect(JSON.stringify(vars.OPENSEARCH_ENDPOINT)).toMatch(
      /^\{"Fn::Join":\["",\["https:\/\/",\{"Fn::ImportValue":"attune-dev-search:ExportsOutputFnGetAttDomain\w+DomainEndpoint\w+"\}\]\]\}$/,
    );
    expect(loadOriginConfig({ ...deployed(vars), AWS_REGION: 'us-east-1' })).toMatchObject({
      VECTOR_BACKEND: 'opensearch',
      OPENSEARCH_ENDPOINT: SEARCH_ENDPOINT,
    });
    const es = statementsOf(template, ids.recommend).filter((st) =>
      list(st.Action).some((a: string) => a.startsWith('es:')),
    );
    expect(es).toEqual([
      expect.objectContaining({
        Action: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost'],
        Resource: arn('es', 'domain/attune-dev-search/*'),
      }),
    ]);
    for (const key of KEYS.filter((k) => k !== 'recommend')) {
      expect(functions[ids[key]]?.Properties.Environment.Variables.VECTOR_BACKEND, key).toBeUndefined();
    }
  });

  it('reserves concurrency for ingest and the stream consumers only', () => {
    const reserved = Object.fromEntries(
      KEYS.map((k) => [k, functions[ids[k]]?.Properties.ReservedConcurrentExecutions]),
    );
    expect(reserved).toEqual({
      recommend: undefined,
      ingest: 25,
      admin: undefined,
      adminSweep: undefined,
      lists: undefined,
      userState: 10,
      banditPosteriors: 10,
      trending: 10,
    });
  });

  it('maps the stream to each consumer with partial batch responses and the on-failure queue', () => {
    const stream = built.stacks.stream.stackName;
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 3);
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings.map((m) => m.Properties.FunctionName.Ref).sort()).toEqual(
      STREAM_FUNCTIONS.map((k) => ids[k]).sort(),
    );
    for (const mapping of mappings) {
      expect(mapping.Properties, mapping.Properties.FunctionName.Ref).toMatchObject({
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        StartingPosition: 'TRIM_HORIZON',
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 3,
        EventSourceArn: { 'Fn::ImportValue': expect.stringMatching(new RegExp(`^${stream}:.*EventStream`)) },
        DestinationConfig: {
          OnFailure: {
            Destination: {
              'Fn::ImportValue': expect.stringMatching(new RegExp(`^${stream}:.*OnFailureQueue`)),
            },
          },
        },
      });
    }
  });

  it('runs the campaign sweep every minute and the list job every 5 minutes from EventBridge rules, without retries', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    expect(
      rules.map((r) => ({
        schedule: r.Properties.ScheduleExpression,
        state: r.Properties.State,
        targets: r.Properties.Targets.map((t: { Arn: { 'Fn::GetAtt': string[] }; RetryPolicy: unknown }) => ({
          fn: t.Arn['Fn::GetAtt'][0],
          retry: t.RetryPolicy,
        })),
      })),
    ).toEqual([
      {
        schedule: 'rate(1 minute)',
        state: 'ENABLED',
        targets: [{ fn: ids.adminSweep, retry: { MaximumRetryAttempts: 0 } }],
      },
      {
        schedule: 'rate(5 minutes)',
        state: 'ENABLED',
        targets: [{ fn: ids.lists, retry: { MaximumRetryAttempts: 0 } }],
      },
    ]);
    const [sweepRule, listsRule] = Object.keys(template.findResources('AWS::Events::Rule'));
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).filter(
      (p) => p.Properties.Principal === 'events.amazonaws.com',
    );
    expect(permissions.map((p) => [p.Properties.FunctionName, p.Properties.SourceArn])).toEqual([
      [{ 'Fn::GetAtt': [ids.adminSweep, 'Arn'] }, { 'Fn::GetAtt': [sweepRule, 'Arn'] }],
      [{ 'Fn::GetAtt': [ids.lists, 'Arn'] }, { 'Fn::GetAtt': [listsRule, 'Arn'] }],
    ]);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ids.adminSweep },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
    });
  });

  it('has no IAM statement with a wildcard action', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Statement[],
    );
    expect(statements.length).toBeGreaterThan(12);
    expect(actionsOf(statements).filter(isWildcardAction)).toEqual([]);
  });

  it("gives recommend the promoted model's bundle in S3 for its in-process fallback, read-only", () => {
    const bucket = (tail: string) => ({
      'Fn::Join': ['', ['s3://attune-dev-models-', { Ref: 'AWS::AccountId' }, tail]],
    });
    expect(functions[ids.recommend]?.Properties.Environment.Variables.FALLBACK_MODEL_PATH).toEqual(
      bucket('/ranker/v1/'),
    );
    expect(grantsOf('s3:')).toEqual({
      ...NO_GRANTS,
      recommend: [
        {
          Action: 's3:GetObject',
          // The bundle's two files, not the folder: the role can read nothing else of the bucket.
          Resource: ['manifest.json', 'model.onnx'].map((file) => ({
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':s3:::attune-dev-models-',
                { Ref: 'AWS::AccountId' },
                `/ranker/v1/${file}`,
              ],
            ],
          })),
        },
      ],
    });
  });

  it('lets only the recommend role invoke, and only the configured endpoint', () => {
    expect(grantsOf('sagemaker:')).toEqual({
      ...NO_GRANTS,
      recommend: [
        { Action: 'sagemaker:InvokeEndpoint', Resource: arn('sagemaker', 'endpoint/attune-dev-ranker') },
      ],
    });
  });

  it('grants each function exactly the DynamoDB calls its code makes, on named tables and indexes', () => {
    const byResource = (xs: { Action: string[]; Resource: unknown }[]) =>
      [...xs].sort((x, y) => JSON.stringify(x.Resource).localeCompare(JSON.stringify(y.Resource)));
    const dynamoCalls = (k: ApiFunctionKey) =>
      byResource(
        statementsOf(template, ids[k])
          .filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')))
          .map((s) => ({ Action: list(s.Action), Resource: s.Resource })),
      );
    const table = (name: string) => arn('dynamodb', `table/attune-dev-${name}`);
    const index = (name: string, gsi: string) => arn('dynamodb', `table/attune-dev-${name}/index/${gsi}`);
    // Short action names per physical table name; Query also covers the table's named GSIs.
    const gsis: Record<string, string[]> = { items: ['by_category'], campaigns: ['by_status'] };
    const expected = (access: Record<string, string[]>) =>
      byResource(
        Object.entries(access).map(([name, actions]) => ({
          Action: actions.map((a) => `dynamodb:${a}`).sort(),
          Resource:
            actions.includes('Query') && gsis[name]
              ? [table(name), ...(gsis[name] ?? []).map((g) => index(name, g))]
              : table(name),
        })),
      );
    const read = ['BatchGetItem', 'GetItem', 'Query'];
    expect(dynamoCalls('recommend')).toEqual(
      byResource([
        {
          Action: ['dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query'],
          Resource: [table('items'), arn('dynamodb', 'table/attune-dev-items/index/by_category')],
        },
        { Action: read.map((a) => `dynamodb:${a}`), Resource: table('lists') },
        // The last good list is the one write.
        {
          Action: ['BatchGetItem', 'GetItem', 'PutItem', 'Query'].map((a) => `dynamodb:${a}`),
          Resource: table('users'),
        },
        // Serving data: rules, campaigns, posteriors; trending counts; the item cache's change feed.
        ...expected({
          rules: ['Query'],
          campaigns: ['Scan'],
          posteriors: ['BatchGetItem'],
          trending: ['Query'],
          changes: ['BatchGetItem'],
          experiments: ['Scan'],
        }),
      ]),
    );
    expect(dynamoCalls('ingest')).toEqual([]);
    expect(dynamoCalls('admin')).toEqual(
      expected({
        'admin-jobs': ['GetItem', 'PutItem', 'UpdateItem'],
        'admin-keys': ['GetItem', 'PutItem', 'Scan', 'UpdateItem'],
        audit: ['BatchWriteItem', 'PutItem', 'Query'],
        campaigns: ['GetItem', 'PutItem', 'Query', 'Scan'],
        rules: ['GetItem', 'PutItem', 'Query'],
        experiments: ['GetItem', 'PutItem', 'Scan'],
        posteriors: ['BatchGetItem', 'PutItem', 'Query'],
        users: ['BatchWriteItem', 'GetItem', 'Query', 'UpdateItem'],
        lists: ['BatchWriteItem', 'GetItem', 'Scan'],
        items: ['BatchGetItem', 'DescribeTable'],
      }),
    );
    expect(dynamoCalls('adminSweep')).toEqual(
      expected({ campaigns: ['GetItem', 'PutItem', 'Scan'], audit: ['PutItem'] }),
    );
    expect(dynamoCalls('lists')).toEqual(
      expected({ items: ['Scan'], users: ['Scan'], trending: ['Query'], lists: ['PutItem'] }),
    );
    expect(dynamoCalls('userState')).toEqual(
      expected({
        users: ['BatchGetItem', 'GetItem', 'PutItem'],
        items: ['BatchGetItem'],
        changes: ['UpdateItem'],
      }),
    );
    expect(dynamoCalls('banditPosteriors')).toEqual(
      expected({
        posteriors: ['GetItem', 'PutItem', 'UpdateItem'],
        changes: ['UpdateItem'],
        experiments: ['Scan'],
        users: ['GetItem', 'PutItem', 'UpdateItem'],
        campaigns: ['Scan'],
      }),
    );
    expect(dynamoCalls('trending')).toEqual(
      expected({ trending: ['GetItem', 'PutItem', 'UpdateItem'], items: ['BatchGetItem'] }),
    );
  });

  it('lets only ingest write to the stream, and only the consumers read it', () => {
    const kinesisCalls = (k: ApiFunctionKey) =>
      statementsOf(template, ids[k])
        .filter((s) => actionsOf([s]).some((a) => a.startsWith('kinesis:')))
        .map((s) => ({ Action: list(s.Action), Resource: s.Resource }));
    expect(kinesisCalls('ingest')).toEqual([
      {
        Action: ['kinesis:DescribeStreamSummary', 'kinesis:PutRecords'],
        Resource: arn('kinesis', 'stream/attune-dev-events'),
      },
    ]);
    for (const key of ['recommend', 'admin', 'adminSweep', 'lists'] as const)
      expect(kinesisCalls(key), key).toEqual([]);
    for (const key of STREAM_FUNCTIONS) {
      // The event source mapping's read access to the stream (the L2's fixed list), nothing else.
      const actions = kinesisCalls(key).flatMap((s) => s.Action);
      expect(actions, key).toContain('kinesis:GetRecords');
      expect(
        actions.filter((a) => !/^kinesis:(Get|Describe|List|Subscribe)/.test(a)),
        key,
      ).toEqual([]);
    }
  });

  it('routes the HTTP API to the right functions', () => {
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => {
      const integrationId = String(r.Properties.Target['Fn::Join'][1][1].Ref);
      const uri = integrations[integrationId]?.Properties.IntegrationUri['Fn::GetAtt'][0];
      return [r.Properties.RouteKey, KEYS.find((k) => ids[k] === uri)];
    });
    expect(Object.fromEntries(routes)).toEqual({
      'GET /v1/recommendations': 'recommend',
      'POST /v1/recommendations': 'recommend',
      'GET /v1/items/{id}/related': 'recommend',
      'GET /v1/edge/snapshot': 'recommend',
      'GET /health': 'recommend',
      'POST /v1/events': 'ingest',
      'ANY /admin/{proxy+}': 'admin',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { PayloadFormatVersion: '2.0' });
  });

  it('throttles the $default stage and writes a JSON access log to its own log group', () => {
    const [stage] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    const props = stage?.Properties;
    expect(props.StageName).toBe('$default');
    expect(props.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 });
    const logGroupId = props.AccessLogSettings.DestinationArn['Fn::GetAtt'][0];
    expect(template.findResources('AWS::Logs::LogGroup')[logGroupId]?.Properties.RetentionInDays).toBe(30);
    expect(JSON.parse(props.AccessLogSettings.Format)).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
    });
  });

  it('leaves no unacknowledged cdk-nag finding and explains each public route', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(built.stacks.api);
    expect(
      report.violations.map((v) => `${v.ruleName} at ${v.violatingResources[0]?.constructPath}`),
    ).toEqual([]);
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    for (const r of routes) {
      const acks = r.Metadata?.cdk_nag?.rules_to_suppress as { id: string; reason: string }[];
      expect(
        acks.find((a) => a.id === 'AwsSolutions-APIG4')?.reason.length,
        r.Properties.RouteKey,
      ).toBeGreaterThan(20);
    }
  });

  describe('bundles', () => {
    const assetDir = (key: ApiFunctionKey) =>
      join(outdir, `asset.${functions[ids[key]]?.Properties.Code.S3Key.replace(/\.zip$/, '')}`);

    it.each(KEYS)('%s imports only Node built-ins and the AWS SDK the Lambda runtime provides', (key) => {
      const code = readFileSync(join(assetDir(key), 'index.mjs'), 'utf8');
      const specifiers = new Set(
        [
          // A module specifier, not a minified string that happens to follow `from` (e.g. `':from'`).
          /\bfrom\s*["']([@\w][\w@./:-]*)["']/g,
          /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
          /\bimport\s*["']([^"']+)["']/g,
          /require\(\s*["']([^"']+)["']\s*\)/g,
        ].flatMap((re) => [...code.matchAll(re)].map((m) => m[1] ?? '')),
      );
      const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
      expect([...specifiers].filter((s) => !builtins.has(s) && !s.startsWith('@aws-sdk/'))).toEqual([]);
      // Named, so a failure lists the culprits instead of printing the whole bundle.
      expect([...new Set(code.match(/onnxruntime[\w-]*|usearch|node-gyp-build|\bbindings\b/g))]).toEqual([]);
    });

    it('each loads in a fresh Node process with its Lambda environment and exports a handler', async () => {
      // One process per bundle, all at once: the runtime's view of a cold start, in a few seconds.
      const loaded = await Promise.all(
        KEYS.map(async (key) => {
          const env = functions[ids[key]]?.Properties.Environment.Variables ?? {};
          const url = pathToFileURL(join(assetDir(key), 'index.mjs')).href;
          try {
            // The export the function's Handler names (`index.sweep` for the sweep).
            const exported = API_FUNCTIONS[key].handler ?? 'handler';
            const { stdout } = await execFileAsync(
              process.execPath,
              [
                '--input-type=module',
                '-e',
                `const m = await import(${JSON.stringify(url)}); console.log(typeof m[${JSON.stringify(exported)}]);`,
              ],
              {
                env: { ...deployed(env), PATH: process.env.PATH, AWS_REGION: 'us-east-1' },
                encoding: 'utf8',
              },
            );
            return [key, stdout.trim()];
          } catch (err) {
            // The error line of the failed import, not the whole minified bundle around it.
            const stderr = String((err as { stderr?: string }).stderr ?? err);
            return [key, stderr.split('\n').find((l) => /^\w*Error\b/.test(l)) ?? stderr.slice(0, 300)];
          }
        }),
      );
      expect(Object.fromEntries(loaded)).toEqual({
        recommend: 'function',
        ingest: 'function',
        admin: 'function',
        adminSweep: 'function',
        lists: 'function',
        userState: 'function',
        banditPosteriors: 'function',
        trending: 'function',
      });
    });
  });
});

describe('AttuneApiStack context parameters', () => {
  it('ranks with the endpoint named by sagemakerEndpointName (ARN in lower case)', () => {
    const { stacks } = attuneApp({ stage: 'qa', sagemakerEndpointName: 'Ranker-V2' });
    const t = Template.fromStack(stacks.api);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { SAGEMAKER_ENDPOINT_NAME: 'Ranker-V2', ATTUNE_TABLE_PREFIX: 'attune-qa' } },
    });
    const recommend = stacks.api.getLogicalId(stacks.api.functions.recommend.node.defaultChild as CfnElement);
    const invoke = statementsOf(t, recommend).filter((s) => s.Action === 'sagemaker:InvokeEndpoint');
    expect(invoke.map((s) => s.Resource)).toEqual([arn('sagemaker', 'endpoint/ranker-v2')]);
  });

  it('rejects an endpoint name SageMaker would refuse', () => {
    expect(() => attuneApp({ sagemakerEndpointName: 'bad_name' })).toThrow(/sagemakerEndpointName/);
  });

  it('drops every reservation with reservedConcurrency=false', () => {
    const t = Template.fromStack(attuneApp({ reservedConcurrency: 'false' }).stacks.api);
    const reserved = Object.values(t.findResources('AWS::Lambda::Function')).map(
      (f) => f.Properties.ReservedConcurrentExecutions,
    );
    expect(reserved).toEqual(Array(8).fill(undefined));
  });

  it('points the admin deletion cascade at the edge named by edgeUrl', () => {
    const { stacks } = attuneApp({ edgeUrl: 'https://edge.example.com' });
    const t = Template.fromStack(stacks.api);
    const env = (k: ApiFunctionKey) =>
      t.findResources('AWS::Lambda::Function')[
        stacks.api.getLogicalId(stacks.api.functions[k].node.defaultChild as CfnElement)
      ]?.Properties.Environment.Variables;
    expect(env('admin').ATTUNE_EDGE_URL).toBe('https://edge.example.com');
    expect(env('adminSweep').ATTUNE_EDGE_URL).toBeUndefined();
    // The purge secret is read by ARN from Secrets Manager, never placed in the environment.
    expect(env('admin').ATTUNE_INTERNAL_SECRET).toBeUndefined();
    const secretId = stacks.api.getLogicalId(stacks.api.edgeInternalSecret!.node.defaultChild as CfnElement);
    expect(env('admin').ATTUNE_INTERNAL_SECRET_ARN).toEqual({ Ref: secretId });
    t.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'attune-dev/edge/internal-secret' });
    const adminRole = stacks.api.getLogicalId(
      stacks.api.functions.admin.role!.node.defaultChild as CfnElement,
    );
    const statements = Object.values(t.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(adminRole))
      .flatMap(
        (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
      );
    const secretStatement = statements.find((s) => JSON.stringify(s.Resource).includes(secretId));
    expect([secretStatement?.Action].flat().sort()).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    expect(() => attuneApp({ edgeUrl: 'http://edge.example.com' })).toThrow(/edgeUrl/);
  });

  describe('in prod with a customer-managed table key', () => {
    let prod: { stacks: AttuneStacks; t: Template };
    beforeAll(() => {
      const { stacks } = attuneApp({ stage: 'prod', tableEncryption: 'customer-managed' });
      prod = { stacks, t: Template.fromStack(stacks.api) };
    });

    it('grants the key to readers and writers by what they send, never to ingest', () => {
      const { stacks, t } = prod;
      const kms = (k: ApiFunctionKey) =>
        statementsOf(t, stacks.api.getLogicalId(stacks.api.functions[k].node.defaultChild as CfnElement))
          .filter((s) => actionsOf([s]).some((a) => a.startsWith('kms:')))
          .map((s) => ({ Action: s.Action, Resource: s.Resource }));
      const key = { 'Fn::ImportValue': expect.stringMatching(/^attune-prod-data:.*TableKey/) };
      const write = [
        { Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'], Resource: key },
      ];
      // recommend writes too: the user's last good list.
      for (const k of ['recommend', 'admin', 'adminSweep', 'lists', ...STREAM_FUNCTIONS] as const)
        expect(kms(k), k).toEqual(write);
      expect(kms('ingest')).toEqual([]);
    });

    it('keeps function and access logs', () => {
      const groups = Object.values(prod.t.findResources('AWS::Logs::LogGroup'));
      expect(groups).toHaveLength(9);
      for (const g of groups) expect(g.DeletionPolicy).toBe('Retain');
    });
  });
});
