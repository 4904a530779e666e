import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { UsearchVectorIndex } from '../../origin-lambdas/adapters/vector/usearch-index';
import { type AdminApp, createAdminApp } from '../../origin-lambdas/admin/app';
import { issueKey } from '../../origin-lambdas/admin/auth/issue';
import { ROLES, type Role } from '../../origin-lambdas/admin/auth/roles';
import type { AdminDeps } from '../../origin-lambdas/admin/services';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import { HashedNgramEncoder } from '../../shared/embedding/hashed-encoder';
import { startTestDynamo, type TestDynamo } from '../helpers/standins';

/** An admin app on DynamoDB Local with one key per role, and a small request helper. */
export interface AdminHarness {
  readonly dynamo: TestDynamo;
  readonly doc: DynamoDBDocumentClient;
  readonly catalog: DynamoItemCatalog;
  readonly app: AdminApp;
  readonly keys: Record<Role, string>;
  /** A settable clock the app reads. */
  readonly clock: { now: number };
  call(
    method: string,
    path: string,
    opts?: { role?: Role | null; key?: string; body?: unknown; ifMatch?: string | number },
    // biome-ignore lint/suspicious/noExplicitAny: response bodies of every route shape, asserted field by field.
  ): Promise<{ status: number; headers: Headers; body: any }>;
  stop(): Promise<void>;
}

export async function startAdminHarness(
  prefix: string,
  overrides: Partial<AdminDeps> = {},
): Promise<AdminHarness> {
  const dynamo = await startTestDynamo(prefix);
  const doc = createDocumentClient({ endpoint: dynamo.standIn.endpoint });
  const catalog = new DynamoItemCatalog(doc, dynamo.prefix);
  const clock = { now: Date.parse('2026-06-01T12:00:00Z') };
  const app = createAdminApp({
    doc,
    prefix: dynamo.prefix,
    catalog,
    encoder: new HashedNgramEncoder(32),
    newIndex: (dimensions) => new UsearchVectorIndex({ dimensions }),
    now: () => clock.now,
    ...overrides,
  });
  const keys = {} as Record<Role, string>;
  for (const role of ROLES)
    keys[role] = (
      await issueKey(app.services.keys, { role, name: `test-${role}`, createdBy: 'test' })
    ).plaintext;
  return {
    dynamo,
    doc,
    catalog,
    app,
    keys,
    clock,
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const key = opts.key ?? (opts.role === null ? undefined : keys[opts.role ?? 'admin']);
      if (key) headers['x-api-key'] = key;
      if (opts.ifMatch !== undefined) headers['if-match'] = `"${opts.ifMatch}"`;
      const res = await app.request(path, {
        method,
        headers,
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      doc.destroy();
      await dynamo.stop();
    },
  };
}

/** A valid campaign body; override what a test is about. */
export function campaignBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Summer running',
    status: 'scheduled',
    surfaces: ['home'],
    creative: {
      title: 'Run further this summer',
      body: 'Trainers and run plans',
      landing_url: 'https://example.com/run',
    },
    ...overrides,
  };
}
