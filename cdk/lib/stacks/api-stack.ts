import { Annotations, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { streamName, type TableKey } from '../../../shared/tables';
import { defaultEndpointName, isProdStage, stagePrefix } from '../config';
import { attuneFunction } from '../constructs/attune-function';
import { HttpFrontDoor } from '../constructs/http-front-door';
import { KinesisToLambda } from '../constructs/kinesis-to-lambda';
import { grantTableAccess } from '../constructs/table-access';

/** The four Lambda functions of the API stack. */
export type ApiFunctionKey = 'recommend' | 'ingest' | 'admin' | 'userState';

/** Construct id, handler entry (relative to the repo root) and Powertools service name of each function. */
export const API_FUNCTIONS: Record<ApiFunctionKey, { id: string; entry: string; serviceName: string }> = {
  recommend: {
    id: 'Recommend',
    entry: 'origin-lambdas/recommend/handler.ts',
    serviceName: 'attune-recommend',
  },
  ingest: { id: 'Ingest', entry: 'origin-lambdas/ingest/handler.ts', serviceName: 'attune-ingest' },
  admin: { id: 'Admin', entry: 'origin-lambdas/admin/handler.ts', serviceName: 'attune-admin' },
  userState: {
    id: 'UserState',
    entry: 'stream-handlers/user-state/handler.ts',
    serviceName: 'attune-user-state',
  },
};

/** Defaults of the API stack, kept as data. */
export const API_STACK_DEFAULTS = {
  /**
   * Ingest is capped so a traffic spike cannot push more than the stream's shards accept; user-state
   * is capped so replays and parallelization cannot swamp the users table. Recommend and admin scale freely.
   */
  reservedConcurrency: { ingest: 25, userState: 10 } as Partial<Record<ApiFunctionKey, number>>,
  modelTimeoutMs: 150,
  dynamoTimeoutMs: 200,
  userStateTimeout: Duration.seconds(30),
} as const;

export interface AttuneApiStackProps extends StackProps {
  /** Stage name; functions read tables `attune-<stage>-*` and the stream `attune-<stage>-events`. */
  readonly stage: string;
  /** The data stack's tables (their customer-managed key, if any, is granted to readers and writers). */
  readonly tables: Record<TableKey, ITable>;
  /** The stream stack's event stream, consumed by user-state. */
  readonly stream: IStream;
  /** The stream stack's on-failure queue for the user-state mapping. */
  readonly onFailureQueue: IQueue;
  /**
   * SageMaker endpoint the recommend function ranks with.
   * @default `attune-<stage>-ranker`
   */
  readonly sagemakerEndpointName?: string;
  /**
   * Reserved concurrency per function; `undefined` for a key leaves that function unreserved.
   * Pass `{}` on an account whose concurrency limit leaves no room to reserve.
   * @default API_STACK_DEFAULTS.reservedConcurrency (ingest 25, user-state 10)
   */
  readonly reservedConcurrency?: Partial<Record<ApiFunctionKey, number>>;
  /** MODEL_TIMEOUT_MS of the origin functions. @default 150 */
  readonly modelTimeoutMs?: number;
  /** DYNAMODB_TIMEOUT_MS of the origin functions. @default 200 */
  readonly dynamoTimeoutMs?: number;
  /** Stage-wide HTTP API throttling. @default HTTP_FRONT_DOOR_DEFAULTS */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
}

/**
 * The origin behind the edge Worker: recommend, ingest and admin Lambdas behind one HTTP API, and the
 * user-state stream handler on the event stream. Each role may send exactly the calls its code makes.
 */
export class AttuneApiStack extends Stack {
  public readonly functions: Record<ApiFunctionKey, NodejsFunction>;
  public readonly frontDoor: HttpFrontDoor;
  public readonly streamToUserState: KinesisToLambda;
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
    const fn = (key: ApiFunctionKey, environment: Record<string, string>, timeout?: Duration) => {
      const spec = API_FUNCTIONS[key];
      return attuneFunction(this, spec.id, {
        entry: spec.entry,
        serviceName: spec.serviceName,
        description: `Attune ${spec.serviceName} (${props.stage})`,
        environment,
        timeout,
        retainLogs,
      });
    };
    this.functions = {
      recommend: fn('recommend', originEnv),
      ingest: fn('ingest', originEnv),
      admin: fn('admin', originEnv),
      // stream-handlers/common/config.ts reads only the prefix (and the region Lambda sets).
      userState: fn('userState', { ATTUNE_TABLE_PREFIX: prefix }, API_STACK_DEFAULTS.userStateTimeout),
    };
    const reserved = props.reservedConcurrency ?? API_STACK_DEFAULTS.reservedConcurrency;
    for (const [key, f] of Object.entries(this.functions) as [ApiFunctionKey, NodejsFunction][]) {
      // attuneFunction has no reserved-concurrency prop; the L1 property is all the L2 would set.
      if (reserved[key] !== undefined)
        (f.node.defaultChild as CfnFunction).reservedConcurrentExecutions = reserved[key];
    }

    this.grantLeastPrivilege(prefix, props.tables);

    this.streamToUserState = new KinesisToLambda(this, 'EventsToUserState', {
      stream: props.stream,
      fn: this.functions.userState,
      onFailureQueue: props.onFailureQueue,
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
      { method: HttpMethod.GET, path: '/v1/items/{id}/related', publicReason: publicRead },
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

  /** Exactly the calls each function's adapters make (see origin-lambdas/common/runtime.ts). */
  private grantLeastPrivilege(prefix: string, tables: Record<TableKey, ITable>): void {
    const read = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;
    const { recommend, ingest, admin, userState } = this.functions;
    grantTableAccess(recommend, this, {
      prefix,
      tables,
      access: { items: [...read, 'dynamodb:DescribeTable'], lists: read, users: read },
    });
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
    grantTableAccess(admin, this, { prefix, tables, access: { items: ['dynamodb:DescribeTable'] } });
    grantTableAccess(userState, this, {
      prefix,
      tables,
      access: { users: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem'] },
    });
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
