import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  type HttpMethod,
  HttpRoute,
  HttpRouteKey,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Stage-wide throttling and access-log retention of the front door. */
export const HTTP_FRONT_DOOR_DEFAULTS = {
  /** Steady-state requests per second across all routes. */
  throttleRateLimit: 500,
  /** Requests allowed in a burst above the rate. */
  throttleBurstLimit: 1000,
  accessLogRetention: RetentionDays.ONE_MONTH,
  retainLogs: false,
} as const;

// One JSON object per request; HTTP API context variables only (it has no `$context.identity.caller`).
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTimeEpoch',
  method: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  userAgent: '$context.identity.userAgent',
};

const routeId = (r: FrontDoorRoute) =>
  `${r.method}${r.path}`
    .replace(/[{}+]/g, '')
    .replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string) => c?.toUpperCase() ?? '');

/** One route of the front door. */
export interface FrontDoorRoute {
  readonly method: HttpMethod;
  /** Path with `{param}` / `{proxy+}` placeholders, e.g. `/v1/items/{id}/related`. */
  readonly path: string;
  /** Why this route has no API Gateway authorizer (recorded as the cdk-nag APIG4 acknowledgement). */
  readonly publicReason: string;
}

export interface HttpFrontDoorProps {
  /** API name, e.g. `attune-dev-api`. */
  readonly apiName: string;
  /** @default 500 */
  readonly throttleRateLimit?: number;
  /** @default 1000 */
  readonly throttleBurstLimit?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly accessLogRetention?: RetentionDays;
  /** Keep the access log group when the stack is deleted. @default false */
  readonly retainLogs?: boolean;
}

/**
 * An HTTP API with one auto-deployed `$default` stage that throttles and writes a JSON access log
 * to its own log group. Routes go to Lambda functions through payload-v2 proxy integrations.
 */
export class HttpFrontDoor extends Construct {
  public readonly api: HttpApi;
  public readonly stage: HttpStage;
  public readonly accessLogs: LogGroup;
  readonly #integrations = new Map<IFunction, HttpLambdaIntegration>();

  constructor(scope: Construct, id: string, props: HttpFrontDoorProps) {
    super(scope, id);
    const d = HTTP_FRONT_DOOR_DEFAULTS;
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? d.accessLogRetention,
      removalPolicy: (props.retainLogs ?? d.retainLogs) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // No default stage from HttpApi: its props cannot carry access logging or throttling.
    this.api = new HttpApi(this, 'Api', { apiName: props.apiName, createDefaultStage: false });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: {
        rateLimit: props.throttleRateLimit ?? d.throttleRateLimit,
        burstLimit: props.throttleBurstLimit ?? d.throttleBurstLimit,
      },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
  }

  /** The base URL of the `$default` stage (what the edge Worker's ORIGIN_URL points at). */
  get url(): string {
    return this.api.apiEndpoint;
  }

  /** Routes each of `routes` to `fn`, sharing one integration (and one invoke permission per route). */
  addRoutes(fn: IFunction, routes: readonly FrontDoorRoute[]): HttpRoute[] {
    let integration = this.#integrations.get(fn);
    if (!integration) {
      integration = new HttpLambdaIntegration(`${fn.node.id}Integration`, fn);
      this.#integrations.set(fn, integration);
    }
    return routes.map((r) => {
      const route = new HttpRoute(this, routeId(r), {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(r.path, r.method),
        integration,
      });
      Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: r.publicReason });
      return route;
    });
  }
}
