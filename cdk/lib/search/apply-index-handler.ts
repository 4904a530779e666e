import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { credentialsFromEnv, signedFetch } from './signed-fetch';

/**
 * Properties of the `Custom::AttuneSearchIndex` resource (CloudFormation passes them as strings
 * inside JSON, so the body travels serialized).
 */
export interface ApplyIndexProps {
  /** Domain endpoint host, without scheme. */
  readonly Endpoint: string;
  /** ARN of the Secrets Manager secret `{ username, password }` of the fine-grained-access master user. */
  readonly MasterSecretArn: string;
  readonly IndexName: string;
  readonly AliasName: string;
  /** JSON of `ITEMS_INDEX_BODY`. */
  readonly IndexBody: string;
  /** Comma-separated IAM role ARNs mapped to the read-write `attune_items_rw` security role. */
  readonly ClientRoleArns?: string;
}

/** The security role given to the IAM roles of the clients (SigV4-signed requests). */
export const CLIENT_SECURITY_ROLE = 'attune_items_rw';

type Call = (method: string, path: string, body?: unknown) => Promise<Response>;

/**
 * Custom resource `onEvent` handler (behind the CDK Provider framework): creates the items index
 * with its k-NN mapping, points the alias at it when no alias exists yet (a rebuild may have moved
 * it; never move it back), and maps the clients' IAM roles to a security role. Delete leaves the
 * data alone: the index goes with the domain.
 */
export async function handler(
  event: CloudFormationCustomResourceEvent,
): Promise<{ PhysicalResourceId: string }> {
  const props = event.ResourceProperties as unknown as ApplyIndexProps;
  const physicalId = `${props.Endpoint}/${props.IndexName}`;
  if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalId };

  const region = process.env.AWS_REGION ?? '';
  const { username, password } = await masterUser(props.MasterSecretArn, region);
  const auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const call: Call = (method, path, body) =>
    fetch(`https://${props.Endpoint}${path}`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  await applyIndex(call, props);
  return { PhysicalResourceId: physicalId };
}

/** The idempotent steps of `handler`, against any OpenSearch reachable through `call`. */
export async function applyIndex(call: Call, props: ApplyIndexProps): Promise<void> {
  const body = JSON.parse(props.IndexBody) as { settings: unknown; mappings: { properties: unknown } };
  const index = `/${encodeURIComponent(props.IndexName)}`;
  const head = await call('HEAD', index);
  if (head.status === 404) {
    await expectOk(call('PUT', index, body), `create index ${props.IndexName}`);
  } else {
    // Additive mapping changes apply in place; a changed field type fails here: rebuild under a new version.
    await expectOk(call('PUT', `${index}/_mapping`, body.mappings), `update mapping of ${props.IndexName}`);
  }
  const alias = await call('HEAD', `/_alias/${encodeURIComponent(props.AliasName)}`);
  if (alias.status === 404) {
    await expectOk(
      call('POST', '/_aliases', { actions: [{ add: { index: props.IndexName, alias: props.AliasName } }] }),
      `point alias ${props.AliasName}`,
    );
  }
  const roles = (props.ClientRoleArns ?? '').split(',').filter(Boolean);
  await expectOk(
    call('PUT', `/_plugins/_security/api/roles/${CLIENT_SECURITY_ROLE}`, {
      cluster_permissions: ['cluster_composite_ops'],
      index_permissions: [
        {
          index_patterns: [`${props.AliasName}*`],
          // A rebuild (OpenSearchVectorIndex.rebuild) also refreshes the new index and deletes the old one.
          allowed_actions: [
            'crud',
            'create_index',
            'manage_aliases',
            'indices:admin/refresh*',
            'indices:admin/delete',
          ],
        },
      ],
    }),
    `define role ${CLIENT_SECURITY_ROLE}`,
  );
  await expectOk(
    call('PUT', `/_plugins/_security/api/rolesmapping/${CLIENT_SECURITY_ROLE}`, { backend_roles: roles }),
    `map role ${CLIENT_SECURITY_ROLE}`,
  );
}

async function expectOk(pending: Promise<Response>, what: string): Promise<void> {
  const res = await pending;
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${(await res.text()).slice(0, 500)}`);
}

// No Secrets Manager SDK client is bundled, so the one call it takes is signed here.
async function masterUser(
  secretArn: string,
  region: string,
): Promise<{ username: string; password: string }> {
  const res = await signedFetch(
    {
      url: new URL(`https://secretsmanager.${region}.amazonaws.com/`),
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'secretsmanager.GetSecretValue',
      },
      body: JSON.stringify({ SecretId: secretArn }),
    },
    { service: 'secretsmanager', region, credentials: credentialsFromEnv() },
  );
  if (!res.ok) throw new Error(`GetSecretValue: HTTP ${res.status} ${await res.text()}`);
  const { SecretString } = (await res.json()) as { SecretString?: string };
  const secret = JSON.parse(SecretString ?? '{}') as { username?: string; password?: string };
  if (!secret.username || !secret.password) throw new Error('master secret lacks username or password');
  return { username: secret.username, password: secret.password };
}
