import {
  Annotations,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { MANIFEST_FILE, MODEL_FILE } from '../../../local/model-server/bundle';
import { streamName, type TableKey } from '../../../shared/tables';
import { DEFAULT_WRITE_MODE, type WriteMode } from '../../../stream-handlers/common/write-mode';
import { defaultEndpointName, isProdStage, stagePrefix } from '../config';
import { attuneFunction } from '../constructs/attune-function';
import { HttpFrontDoor } from '../constructs/http-front-door';
import { KinesisToLambda } from '../constructs/kinesis-to-lambda';
import { grantTableAccess, type TableAccessProps } from '../constructs/table-access';
import { nagResourceId } from '../nag-ids';
import {
  API_FUNCTIONS,
  API_TABLE_ACCESS,
  type ApiFunctionKey,
  type StreamFunctionKey,
} from './api-functions';
import { modelBucketName } from './inference-stack';
import { searchDomainName } from './search-stack';

type TableAccess = TableAccessProps['access'];

export {
  API_FUNCTIONS,
  API_TABLE_ACCESS,
  type ApiFunctionKey,
  type ApiFunctionSpec,
  STREAM_FUNCTIONS,
  type StreamFunctionKey,
} from './api-functions';

/** Defaults of the API stack, kept as data. */
export const API_STACK_DEFAULTS = {
  /**
   * Ingest is capped so a traffic spike cannot push more than the stream's shards accept; each stream
   * consumer is capped so replays and parallelization cannot swamp its tables. Recommend, admin and the
   * scheduled sweep and list job scale freely.
   */
  reservedConcurrency: { ingest: 25, userState: 10, banditPosteriors: 10, trending: 10 } as Partial<
    Record<ApiFunctionKey, number>
  >,
  modelTimeoutMs: 150,
  dynamoTimeoutMs: 200,
  /** Timeout of each stream consumer (a batch of 100 records with its retries). */
  streamHandlerTimeout: Duration.seconds(30),
  /** Timeout of the campaign status sweep; it must finish well inside its one-minute schedule. */
  sweepTimeout: Duration.seconds(30),
  /** How often the campaign status sweep runs. */
  sweepSchedule: Duration.minutes(1),
  /** How often the list job refreshes the fallback and cold-start lists. */
  listsSchedule: Duration.minutes(5),
  /** Timeout of the list job (scans of items and users); it must finish inside its schedule. */
  listsTimeout: Duration.minutes(4),
  /** The list job holds the projected catalog and users in memory. */
  listsMemoryMb: 1024,
} as const;

/** The recommend function's role name: fixed, so the search stack can map it by ARN without a cycle. */
export const recommendRoleName = (stage: string): string => `${stagePrefix(stage)}-recommend-exec`;

/** The OpenSearch domain the recommend function retrieves k-NN candidates from. */
export interface ApiSearchProps {
  /** Domain endpoint host, without the scheme (AWS makes it up, so it is a cross-stack value). */
  readonly domainEndpoint: string;
}

export interface AttuneApiStackProps extends StackProps {
  /** Stage name; functions read tables `attune-<stage>-*` and the stream `attune-<stage>-events`. */
  readonly stage: string;
  /** The data stack's tables (their customer-managed key, if any, is granted to readers and writers). */
  readonly tables: Record<TableKey, ITable>;
  /** With it, recommend retrieves from OpenSearch k-NN; without, its k-NN sources are off. */
  readonly search?: ApiSearchProps;
  /** The stream stack's event stream, consumed by user-state, bandit-posteriors and trending. */
  readonly stream: IStream;
  /** The stream stack's on-failure queue for the stream consumers' mappings. */
  readonly onFailureQueue: IQueue;
  /**
   * SageMaker endpoint the recommend function ranks with.
   * @default `attune-<stage>-ranker`
   */
  readonly sagemakerEndpointName?: string;
  /**
   * Reserved concurrency per function; `undefined` for a key leaves that function unreserved.
   * Pass `{}` on an account whose concurrency limit leaves no room to reserve.
   * @default API_STACK_DEFAULTS.reservedConcurrency (ingest 25, each stream consumer 10)
   */
  readonly reservedConcurrency?: Partial<Record<ApiFunctionKey, number>>;
  /** MODEL_TIMEOUT_MS of the origin functions. @default 150 */
  readonly modelTimeoutMs?: number;
  /** DYNAMODB_TIMEOUT_MS of the origin functions. @default 200 */
  readonly dynamoTimeoutMs?: number;
  /**
   * STATE_WRITE_MODE of the stream consumers: TransactWriteItems of up to 100 conditional writes,
   * or one request per key (docs/streaming.md weighs the two). @default 'transact'
   */
  readonly stateWriteMode?: WriteMode;
  /**
   * The model version whose bundle (`manifest.json`, `model.onnx`, unpacked beside the endpoint's
   * `model.tar.gz` in the stage's model bucket) recommend scores with in-process when the endpoint
   * is slow or down (FALLBACK_MODEL_PATH). Unset: no in-process copy, the heuristic ranks instead.
   */
  readonly fallbackModelVersion?: string;
  /** Stage-wide HTTP API throttling. @default HTTP_FRONT_DOOR_DEFAULTS */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * The edge Worker's base URL, set as the admin function's `ATTUNE_EDGE_URL` (the user-deletion
   * cascade's purge target). The purge also needs `ATTUNE_INTERNAL_SECRET`, which this stack does not
   * set (see cdk/README.md).
   * @default - unset: deletions report the edge step as "not configured"
   */
  readonly edgeUrl?: string;
}

/**
 * The origin behind the edge Worker: recommend, ingest and admin Lambdas behind one HTTP API, the
 * admin's scheduled campaign status sweep, the scheduled list job (fallback and cold-start lists),
 * and the user-state, bandit-posteriors and trending stream handlers on the event stream. Each role may send exactly the calls its code makes.
 */
export class AttuneApiStack extends Stack {
  public readonly functions: Record<ApiFunctionKey, NodejsFunction>;
  public readonly frontDoor: HttpFrontDoor;
  /** One event source mapping per stream consumer. */
  public readonly streamConsumers: Record<StreamFunctionKey, KinesisToLambda>;
  /** The user-state mapping (`streamConsumers.userState`). */
  public readonly streamToUserState: KinesisToLambda;
  /** The EventBridge rule that runs the campaign status sweep. */
  public readonly sweepSchedule: Rule;
  /** The EventBridge rule that runs the list job (global, category, country and segment popular lists). */
  public readonly listsSchedule: Rule;
  /**
   * The secret shared with the edge Worker's internal purge route (only with `edgeUrl`). The
   * admin function reads it at first use by ARN; the same value goes to the Worker with
   * `wrangler secret put ATTUNE_INTERNAL_SECRET`.
   */
  public readonly edgeInternalSecret?: Secret;
  /** The ranking endpoint the recommend function may invoke. */
  public readonly sagemakerEndpointName: string;

  constructor(scope: Construct, id: string, props: AttuneApiStackProps) {
    super(scope, id, {
      description: `Attune origin API and stream handlers (stage ${props.stage})`,
      ...props,
    });
    const prefix = stagePrefix(props.stage);
    const retainLogs = isProdStage(props.stage);
    this.sagemakerEndpointName = props.sagemakerEndpointName ?? defaultEndpointName(props.stage);
    // Table ARNs are built from the shared names rather than imported, so state the deploy order.
    const dataStack = Stack.of(props.tables.users);
    if (dataStack !== this) this.addStackDependency(dataStack);

    // The variables origin-lambdas/common/config.ts reads. AWS_REGION comes from Lambda itself, and
    // the *_ENDPOINT stand-in variables stay unset so the SDK finds the real services.
    const originEnv = {
      ATTUNE_TABLE_PREFIX: prefix,
      EVENT_STREAM_NAME: streamName(prefix),
      SAGEMAKER_ENDPOINT_NAME: this.sagemakerEndpointName,
      MODEL_TIMEOUT_MS: String(props.modelTimeoutMs ?? API_STACK_DEFAULTS.modelTimeoutMs),
      DYNAMODB_TIMEOUT_MS: String(props.dynamoTimeoutMs ?? API_STACK_DEFAULTS.dynamoTimeoutMs),
    };
    const fn = (
      key: ApiFunctionKey,
      environment: Record<string, string>,
      timeout?: Duration,
      memorySize?: number,
      roleName?: string,
    ) => {
      const spec = API_FUNCTIONS[key];
      return attuneFunction(this, spec.id, {
        ...(roleName ? { roleName } : {}),
        entry: spec.entry,
        handler: spec.handler,
        serviceName: spec.serviceName,
        description: `Attune ${spec.serviceName} (${props.stage})`,
        environment,
        timeout,
        memorySize,
        retainLogs,
      });
    };
    // What stream-handlers/common/config.ts reads (and the region, which Lambda sets).
    const streamEnv = {
      ATTUNE_TABLE_PREFIX: prefix,
      STATE_WRITE_MODE: props.stateWriteMode ?? DEFAULT_WRITE_MODE,
    };
    const streamTimeout = API_STACK_DEFAULTS.streamHandlerTimeout;
    const modelBucket = modelBucketName(this, props.stage);
    const recommendEnv = {
      ...originEnv,
      ...(props.fallbackModelVersion
        ? { FALLBACK_MODEL_PATH: `s3://${modelBucket}/ranker/${props.fallbackModelVersion}/` }
        : {}),
    };
    this.functions = {
      recommend: props.search
        ? fn(
            'recommend',
            {
              ...recommendEnv,
              VECTOR_BACKEND: 'opensearch',
              OPENSEARCH_ENDPOINT: `https://${props.search.domainEndpoint}`,
            },
            undefined,
            undefined,
            recommendRoleName(props.stage),
          )
        : fn('recommend', recommendEnv),
      ingest: fn('ingest', originEnv),
      // origin-lambdas/admin/wire.ts reads ATTUNE_EDGE_URL beside the origin configuration.
      admin: fn('admin', { ...originEnv, ...(props.edgeUrl ? { ATTUNE_EDGE_URL: props.edgeUrl } : {}) }),
      // Same module as admin (it builds the admin app at import), so the same origin configuration.
      adminSweep: fn('adminSweep', originEnv, API_STACK_DEFAULTS.sweepTimeout),
      // origin-lambdas/lists/config.ts reads the prefix (and the region Lambda sets).
      lists: fn('lists', streamEnv, API_STACK_DEFAULTS.listsTimeout, API_STACK_DEFAULTS.listsMemoryMb),
      userState: fn('userState', streamEnv, streamTimeout),
      banditPosteriors: fn('banditPosteriors', streamEnv, streamTimeout),
      trending: fn('trending', streamEnv, streamTimeout),
    };
    const reserved = props.reservedConcurrency ?? API_STACK_DEFAULTS.reservedConcurrency;
    for (const [key, f] of Object.entries(this.functions) as [ApiFunctionKey, NodejsFunction][]) {
      // attuneFunction has no reserved-concurrency prop; the L1 property is all the L2 would set.
      if (reserved[key] !== undefined)
        (f.node.defaultChild as CfnFunction).reservedConcurrentExecutions = reserved[key];
    }

    this.grantLeastPrivilege(prefix, props.tables);
    if (props.fallbackModelVersion) {
      // The in-process fallback reads its bundle's two files (origin-lambdas/adapters/s3-model-bundle.ts).
      const folder = `arn:${this.partition}:s3:::${modelBucket}/ranker/${props.fallbackModelVersion}`;
      this.functions.recommend.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:GetObject'],
          resources: [`${folder}/${MANIFEST_FILE}`, `${folder}/${MODEL_FILE}`],
        }),
      );
    }
    if (props.search) {
      // Reads only: k-NN queries are POST _search, the health probe a HEAD/GET. Fine-grained access
      // control then authorizes the role through the mapping the search stack applies. The ARN is
      // built from the domain's fixed name, like the search stack's own policy.
      const paths = this.formatArn({
        service: 'es',
        resource: 'domain',
        resourceName: `${searchDomainName(props.stage)}/*`,
      });
      const role = this.functions.recommend.role as IRole;
      this.functions.recommend.addToRolePolicy(
        new PolicyStatement({
          actions: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost'],
          resources: [paths],
        }),
      );
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResourceId(this, paths)}]`,
        reason:
          'OpenSearch authorizes HTTP calls per index path under the domain; the role may read any path, and fine-grained access control limits it to the attune_items_rw mapping.',
      });
    }
    if (props.edgeUrl) {
      this.edgeInternalSecret = new Secret(this, 'EdgeInternalSecret', {
        secretName: `${prefix}/edge/internal-secret`,
        description: 'Shared secret of the edge Worker internal purge route (admin user deletion)',
        generateSecretString: { excludePunctuation: true, passwordLength: 48 },
        removalPolicy: isProdStage(props.stage) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      this.edgeInternalSecret.grantRead(this.functions.admin);
      this.functions.admin.addEnvironment('ATTUNE_INTERNAL_SECRET_ARN', this.edgeInternalSecret.secretArn);
      Validations.of(this.edgeInternalSecret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The value must change on the Worker (wrangler secret put) in the same step; rotation is the manual procedure in docs/operations.md, since an automatic one would desynchronize the two.',
      });
    }

    const consumer = (key: StreamFunctionKey) =>
      new KinesisToLambda(this, `EventsTo${API_FUNCTIONS[key].id}`, {
        stream: props.stream,
        fn: this.functions[key],
        onFailureQueue: props.onFailureQueue,
      });
    this.streamConsumers = {
      userState: consumer('userState'),
      banditPosteriors: consumer('banditPosteriors'),
      trending: consumer('trending'),
    };
    this.streamToUserState = this.streamConsumers.userState;

    this.sweepSchedule = new Rule(this, 'CampaignSweepSchedule', {
      description: `Attune campaign status sweep (${props.stage})`,
      schedule: Schedule.rate(API_STACK_DEFAULTS.sweepSchedule),
      // A missed run is redone by the next one a minute later; retries would only pile up.
      targets: [new LambdaFunction(this.functions.adminSweep, { retryAttempts: 0 })],
    });
    this.functions.adminSweep.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: API_STACK_DEFAULTS.sweepSchedule,
    });
    this.listsSchedule = new Rule(this, 'ListsSchedule', {
      description: `Attune fallback and cold-start list refresh (${props.stage})`,
      schedule: Schedule.rate(API_STACK_DEFAULTS.listsSchedule),
      // Each run recomputes every list from scratch, so a missed run is simply redone by the next.
      targets: [new LambdaFunction(this.functions.lists, { retryAttempts: 0 })],
    });
    this.functions.lists.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: API_STACK_DEFAULTS.listsSchedule,
    });

    this.frontDoor = new HttpFrontDoor(this, 'FrontDoor', {
      apiName: `${prefix}-api`,
      throttleRateLimit: props.throttle?.rateLimit,
      throttleBurstLimit: props.throttle?.burstLimit,
      retainLogs,
    });
    const publicRead = 'Public, anonymous read API called by the edge Worker; throttled at the stage.';
    this.frontDoor.addRoutes(this.functions.recommend, [
      { method: HttpMethod.GET, path: '/v1/recommendations', publicReason: publicRead },
      { method: HttpMethod.POST, path: '/v1/recommendations', publicReason: publicRead },
      { method: HttpMethod.GET, path: '/v1/items/{id}/related', publicReason: publicRead },
      {
        method: HttpMethod.GET,
        path: '/v1/edge/snapshot',
        publicReason:
          'Bandit posteriors and surface rules the edge Worker pulls every few seconds; ids and counts only, cached publicly for 5 s.',
      },
      {
        method: HttpMethod.GET,
        path: '/health',
        publicReason: 'Health probe; reveals dependency states only.',
      },
    ]);
    this.frontDoor.addRoutes(this.functions.ingest, [
      {
        method: HttpMethod.POST,
        path: '/v1/events',
        publicReason:
          'Anonymous event collection forwarded by the edge Worker; events are schema-validated and throttled.',
      },
    ]);
    this.frontDoor.addRoutes(this.functions.admin, [
      {
        method: HttpMethod.ANY,
        path: '/admin/{proxy+}',
        publicReason:
          'Admin API keys are checked inside the admin app (hashed keys in the admin-keys table), not by an API Gateway authorizer.',
      },
    ]);
    Annotations.of(this).acknowledgeWarning(
      '@aws-cdk/core:crossStackReferencesDefaultStrong',
      'Strong references are intended: the stream and its on-failure queue cannot be removed while this stack consumes them.',
    );
    new CfnOutput(this, 'ApiUrl', {
      value: this.frontDoor.url,
      description: 'ORIGIN_URL for the edge Worker',
    });
  }

  /** Exactly the calls each function's adapters make (`API_TABLE_ACCESS`, the SageMaker and Kinesis clients). */
  private grantLeastPrivilege(prefix: string, tables: Record<TableKey, ITable>): void {
    for (const [key, access] of Object.entries(API_TABLE_ACCESS) as [ApiFunctionKey, TableAccess][]) {
      if (Object.keys(access).length) grantTableAccess(this.functions[key], this, { prefix, tables, access });
    }
    const { recommend, ingest } = this.functions;
    recommend.addToRolePolicy(
      new PolicyStatement({ actions: ['sagemaker:InvokeEndpoint'], resources: [this.endpointArn()] }),
    );

    ingest.addToRolePolicy(
      new PolicyStatement({
        actions: ['kinesis:DescribeStreamSummary', 'kinesis:PutRecords'],
        resources: [
          this.formatArn({ service: 'kinesis', resource: 'stream', resourceName: streamName(prefix) }),
        ],
      }),
    );
  }

  /** SageMaker writes endpoint names in ARNs in lower case. */
  endpointArn(): string {
    return this.formatArn({
      service: 'sagemaker',
      resource: 'endpoint',
      resourceName: this.sagemakerEndpointName.toLowerCase(),
    });
  }
}
