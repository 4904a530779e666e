import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Checksum, SourceData } from '@smithy/types';

/** SHA-256 (or HMAC-SHA-256 with a secret) for the Smithy signer, on node:crypto. */
class NodeSha256 implements Checksum {
  #hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.#hash = this.fresh();
  }
  update(data: Uint8Array | string): void {
    this.#hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
  reset(): void {
    this.#hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key = typeof this.secret === 'string' ? this.secret : Buffer.from(this.secret as Uint8Array);
    return createHmac('sha256', key);
  }
}

/** The Lambda role's credentials, which Lambda puts in the environment. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): AwsCredentialIdentity {
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = env;
  if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) throw new Error('no AWS credentials in the environment');
  return {
    accessKeyId: AWS_ACCESS_KEY_ID,
    secretAccessKey: AWS_SECRET_ACCESS_KEY,
    ...(AWS_SESSION_TOKEN ? { sessionToken: AWS_SESSION_TOKEN } : {}),
  };
}

export interface SignedRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export interface SigningOptions {
  readonly service: string;
  readonly region: string;
  readonly credentials: AwsCredentialIdentity;
  /** Add and sign `x-amz-content-sha256` (S3 and OpenSearch want it). @default false */
  readonly applyChecksum?: boolean;
}

/**
 * Signs a request with AWS Signature Version 4 for `service` in `region` and returns the headers to
 * send. Used where no SDK client is installed: Secrets Manager from the deploy-time index function.
 */
export async function signRequest(
  req: SignedRequest,
  opts: SigningOptions & { now?: Date },
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    applyChecksum: opts.applyChecksum ?? false,
    service: opts.service,
    region: opts.region,
    credentials: opts.credentials,
    sha256: NodeSha256,
  });
  const query: Record<string, string> = {};
  req.url.searchParams.forEach((v, k) => {
    query[k] = v;
  });
  const signed = await signer.sign(
    {
      method: req.method,
      protocol: req.url.protocol,
      hostname: req.url.hostname,
      path: req.url.pathname,
      query,
      headers: { ...req.headers, host: req.url.host },
      body: req.body,
    },
    opts.now ? { signingDate: opts.now } : {},
  );
  return signed.headers as Record<string, string>;
}

/** `fetch` with a SigV4-signed request. */
export async function signedFetch(req: SignedRequest, opts: SigningOptions): Promise<Response> {
  const headers = await signRequest(req, opts);
  // fetch sets Host itself and refuses to be told.
  const { host: _host, ...rest } = headers;
  return fetch(req.url, { method: req.method, headers: rest, body: req.body });
}
