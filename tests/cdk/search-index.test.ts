import { describe, expect, it } from 'vitest';
import {
  type ApplyIndexProps,
  applyIndex,
  CLIENT_SECURITY_ROLE,
} from '../../cdk/lib/search/apply-index-handler';
import { signRequest } from '../../cdk/lib/search/signed-fetch';
import { ITEMS_INDEX_BODY } from '../../origin-lambdas/adapters/vector/opensearch-mapping';

const props: ApplyIndexProps = {
  Endpoint: 'search.example',
  MasterSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x',
  IndexName: 'attune-items-v1',
  AliasName: 'attune-items',
  IndexBody: JSON.stringify(ITEMS_INDEX_BODY),
  ClientRoleArns: 'arn:aws:iam::123456789012:role/recommend,arn:aws:iam::123456789012:role/indexer',
};

/** Records the calls and answers HEAD probes from `existing`. */
function recorder(existing: Set<string>) {
  const calls: { method: string; path: string; body?: unknown }[] = [];
  const call = async (method: string, path: string, body?: unknown) => {
    calls.push({ method, path, body });
    if (method === 'HEAD') return new Response(null, { status: existing.has(path) ? 200 : 404 });
    return new Response('{}', { status: 200 });
  };
  return { calls, call };
}

describe('applyIndex (custom resource steps)', () => {
  it('creates the index, points the alias and maps the client roles on a fresh domain', async () => {
    const { calls, call } = recorder(new Set());
    await applyIndex(call, props);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'HEAD /attune-items-v1',
      'PUT /attune-items-v1',
      'HEAD /_alias/attune-items',
      'POST /_aliases',
      `PUT /_plugins/_security/api/roles/${CLIENT_SECURITY_ROLE}`,
      `PUT /_plugins/_security/api/rolesmapping/${CLIENT_SECURITY_ROLE}`,
    ]);
    expect(calls[1]?.body).toEqual(ITEMS_INDEX_BODY);
    expect(calls[3]?.body).toEqual({
      actions: [{ add: { index: 'attune-items-v1', alias: 'attune-items' } }],
    });
    expect(calls[5]?.body).toEqual({
      backend_roles: ['arn:aws:iam::123456789012:role/recommend', 'arn:aws:iam::123456789012:role/indexer'],
    });
    // What OpenSearchVectorIndex sends, including a rebuild's refresh and delete of the old index.
    expect(calls[4]?.body).toEqual({
      cluster_permissions: ['cluster_composite_ops'],
      index_permissions: [
        {
          index_patterns: ['attune-items*'],
          allowed_actions: [
            'crud',
            'create_index',
            'manage_aliases',
            'indices:admin/refresh*',
            'indices:admin/delete',
          ],
        },
      ],
    });
  });

  it('updates the mapping in place and never moves an existing alias (a rebuild may own it)', async () => {
    const { calls, call } = recorder(new Set(['/attune-items-v1', '/_alias/attune-items']));
    await applyIndex(call, props);
    const writes = calls.filter((c) => c.method !== 'HEAD').map((c) => `${c.method} ${c.path}`);
    expect(writes).toEqual([
      'PUT /attune-items-v1/_mapping',
      `PUT /_plugins/_security/api/roles/${CLIENT_SECURITY_ROLE}`,
      `PUT /_plugins/_security/api/rolesmapping/${CLIENT_SECURITY_ROLE}`,
    ]);
    expect(calls.find((c) => c.path.endsWith('_mapping'))?.body).toEqual(ITEMS_INDEX_BODY.mappings);
  });

  it('fails the deployment with the cluster error when a step is refused', async () => {
    const call = async (method: string) =>
      method === 'HEAD'
        ? new Response(null, { status: 404 })
        : new Response('{"error":"mapper_parsing_exception"}', { status: 400 });
    await expect(applyIndex(call, props)).rejects.toThrow(
      /create index attune-items-v1: HTTP 400 .*mapper_parsing/,
    );
  });
});

describe('signRequest (SigV4 for calls without an SDK client)', () => {
  it('reproduces the AWS SigV4 test suite vector "get-vanilla"', async () => {
    const headers = await signRequest(
      { url: new URL('https://example.amazonaws.com/'), method: 'GET', headers: {} },
      {
        service: 'service',
        region: 'us-east-1',
        now: new Date('2015-08-30T12:36:00Z'),
        credentials: {
          accessKeyId: 'AKIDEXAMPLE',
          secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
        },
      },
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
  });
});
