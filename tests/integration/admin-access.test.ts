import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, roleAllows } from '../../origin-lambdas/admin/auth/roles';
import { tableName } from '../../shared/tables';
import { openApi31Problems } from '../unit/admin/openapi-shape';
import { type AdminHarness, startAdminHarness } from './admin-harness';

interface Operation {
  operationId: string;
  responses: Record<string, unknown>;
  /** Omitted by the generator when an operation has none. */
  parameters?: { name: string; in: string }[];
}

/** A concrete URL for a route: parameters filled with values that pass validation. */
const SAMPLE: Record<string, string> = {
  id: '0b9c2f4e-5d7a-4c1e-9f3b-2a6d8e1c4b7f',
  surface: 'home',
  version: '1',
};
const concrete = (path: string) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) =>
    path.startsWith('/admin/keys') ? 'a1b2c3d4e5f60718' : (SAMPLE[name] ?? 'x'),
  );

describe('admin access: OpenAPI document, roles and keys', () => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdminHarness('admaccess');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('serves an OpenAPI 3.1 document that matches the registered routes', async () => {
    const res = await h.call('GET', '/admin/openapi.json', { role: null });
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(openApi31Problems(doc)).toEqual([]);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes.apiKey).toEqual({
      type: 'apiKey',
      in: 'header',
      name: 'x-api-key',
    });

    const documented = new Set<string>();
    const operationIds = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
      for (const [method, op] of Object.entries(ops)) {
        documented.add(`${method.toUpperCase()} ${path}`);
        expect(operationIds.has(op.operationId)).toBe(false);
        operationIds.add(op.operationId);
        expect(Object.keys(op.responses).some((s) => s.startsWith('2'))).toBe(true);
        const declared = (op.parameters ?? [])
          .filter((p) => p.in === 'path')
          .map((p) => p.name)
          .sort();
        expect(declared).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());
        const refs = JSON.stringify(op).match(/#\/components\/schemas\/\w+/g) ?? [];
        for (const ref of refs) expect(doc.components.schemas[ref.split('/').pop() as string]).toBeDefined();
      }
    }
    const registered = new Set(
      h.app.routes
        .filter(
          (r) =>
            r.method !== 'ALL' && !['/admin/health', '/admin/openapi.json', '/admin/docs'].includes(r.path),
        )
        .map((r) => `${r.method} ${r.path}`),
    );
    expect(new Set([...documented].map((d) => d.replace(/\{(\w+)\}/g, ':$1')))).toEqual(registered);
    expect(documented.size).toBe(h.app.definitions.length);
    for (const name of [
      'Campaign',
      'RuleVersion',
      'Experiment',
      'ExperimentResults',
      'CampaignStats',
      'Problem',
    ])
      expect(doc.components.schemas[name]?.type).toBe('object');

    const docs = await h.app.request('/admin/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/admin/openapi.json');
  });

  it('lets no route through without a key or with a weaker role', async () => {
    let checked = 0;
    for (const r of h.app.definitions) {
      const url = concrete(r.path);
      const method = r.method.toUpperCase();
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
      const anonymous = await h.call(method, url, { role: null, body });
      expect(anonymous.status, `${method} ${r.path} without a key`).toBe(401);
      const forged = await h.call(method, url, { key: `attune_${'0'.repeat(16)}_${'A'.repeat(43)}`, body });
      expect(forged.status, `${method} ${r.path} with an unknown key`).toBe(401);
      for (const role of ROLES) {
        const res = await h.call(method, url, { role, body });
        if (roleAllows(role, r.role as (typeof ROLES)[number]))
          expect([401, 403], `${method} ${r.path} as ${role}`).not.toContain(res.status);
        else {
          expect(res.status, `${method} ${r.path} as ${role}`).toBe(403);
          expect(res.headers.get('content-type')).toBe('application/problem+json');
        }
        checked++;
      }
    }
    expect(checked).toBe(h.app.definitions.length * ROLES.length);
  });

  it('shows a key once, stores only its hash, and honours expiry and revocation', async () => {
    const issued = await h.call('POST', '/admin/keys', {
      body: { role: 'viewer', name: 'dashboard', expires_in_days: 1 },
    });
    expect(issued.status).toBe(201);
    const plaintext = issued.body.key as string;
    const secret = plaintext.split('_')[2] as string;
    const stored = await h.doc.send(new ScanCommand({ TableName: tableName(h.dynamo.prefix, 'adminKeys') }));
    expect(JSON.stringify(stored.Items)).not.toContain(secret);
    expect(stored.Items?.find((k) => k.key_id === issued.body.key_id)).toMatchObject({
      role: 'viewer',
      hash: expect.any(String),
      salt: expect.any(String),
    });
    const listed = await h.call('GET', '/admin/keys?limit=100');
    const row = listed.body.items.find((k: { key_id: string }) => k.key_id === issued.body.key_id);
    expect(row).toBeDefined();
    expect(row.key ?? row.hash ?? row.salt).toBeUndefined();

    expect((await h.call('GET', '/admin/whoami', { key: plaintext })).body).toEqual({
      key_id: issued.body.key_id,
      role: 'viewer',
    });
    const saved = h.clock.now;
    h.clock.now += 2 * 86_400_000;
    const expired = await h.call('GET', '/admin/whoami', { key: plaintext });
    h.clock.now = saved;
    expect(expired.status).toBe(401);
    expect(expired.body.detail).toBe('API key expired');

    const revoked = await h.call('DELETE', `/admin/keys/${issued.body.key_id}`);
    expect(revoked.body.revoked_at).toEqual(expect.any(String));
    const after = await h.call('GET', '/admin/whoami', { key: plaintext });
    expect(after.status).toBe(401);
    expect(after.body.detail).toBe('API key revoked');
    const trail = await h.call('GET', `/admin/audit?entity=key:${issued.body.key_id}`);
    expect(trail.body.items.map((a: { action: string }) => a.action)).toEqual(['key.revoke', 'key.create']);
  });
});
