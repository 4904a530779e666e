import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Where a client points: the real service when `endpoint` is absent, a local stand-in otherwise. */
export interface ClientTarget {
  endpoint?: string;
  region?: string;
}

// Stand-ins accept any credentials; real AWS uses the Lambda role's, so only pin them locally.
function localCredentials(target: ClientTarget) {
  return target.endpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {};
}

const region = (t: ClientTarget) => t.region ?? process.env.AWS_REGION ?? 'us-east-1';

export function createDynamoClient(target: ClientTarget = {}): DynamoDBClient {
  return new DynamoDBClient({
    region: region(target),
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...localCredentials(target),
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 3000 }),
  });
}

export function createDocumentClient(target: ClientTarget = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoClient(target), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** Kinesis over HTTP/1.1: kinesalite does not speak HTTP/2. */
export function createKinesisClient(target: ClientTarget = {}): KinesisClient {
  return new KinesisClient({
    region: region(target),
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...localCredentials(target),
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 5000 }),
  });
}

export function createSageMakerRuntimeClient(target: ClientTarget = {}): SageMakerRuntimeClient {
  return new SageMakerRuntimeClient({
    region: region(target),
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...localCredentials(target),
    // The circuit breaker above this client decides about retries; one attempt keeps latency bounded.
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 500, requestTimeout: 2000 }),
  });
}
