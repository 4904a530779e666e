import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Reads a secret's string value by ARN; injectable so tests need no AWS. */
export type SecretFetcher = (arn: string) => Promise<string>;

const fetchFromSecretsManager: SecretFetcher = async (arn) => {
  const client = new SecretsManagerClient({});
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    if (!out.SecretString) throw new Error(`secret ${arn} has no string value`);
    return out.SecretString;
  } finally {
    client.destroy();
  }
};

/**
 * The secret the edge's internal purge route expects: `ATTUNE_INTERNAL_SECRET` locally, or read
 * from Secrets Manager by `ATTUNE_INTERNAL_SECRET_ARN` in AWS, so it never sits in the Lambda's
 * environment. Fetched on first use and kept for the container's life; undefined when neither is set.
 */
export function internalSecretSource(
  env: Record<string, string | undefined>,
  fetchSecret: SecretFetcher = fetchFromSecretsManager,
): (() => Promise<string>) | undefined {
  const plain = env.ATTUNE_INTERNAL_SECRET;
  if (plain) return async () => plain;
  const arn = env.ATTUNE_INTERNAL_SECRET_ARN;
  if (!arn) return undefined;
  let cached: Promise<string> | undefined;
  return () => {
    cached ??= fetchSecret(arn).catch((err) => {
      cached = undefined; // a failed fetch is retried on the next purge
      throw err;
    });
    return cached;
  };
}
