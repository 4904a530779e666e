import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/net/free-port';
import { waitFor } from '../../local/net/wait-for';
import { groupAlive } from '../../local/standins/process-group';
import { REPO_ROOT } from '../../local/supervisor/node-service';
import { fromStateItem } from '../../origin-lambdas/adapters/user-state-row';
import { createDocumentClient } from '../../origin-lambdas/common/aws-clients';
import { tableName } from '../../shared/tables';
import { makeEvent } from '../helpers/events';

/** The whole platform started exactly as `npm start` starts it, on free ports and a temp data dir. */
describe('local stack end to end (npm start)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'attune-e2e-'));
  const ports: Record<string, number> = {};
  let proc: ChildProcess;
  let output = '';
  let pgids: number[] = [];
  const url = (name: string) => `http://127.0.0.1:${ports[name]}`;

  beforeAll(async () => {
    for (const name of ['EDGE', 'ORIGIN', 'ADMIN', 'MODEL', 'DYNAMODB', 'KINESIS'])
      ports[name] = await freePort();
    proc = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', '--reset'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [`ATTUNE_${k}_PORT`, String(v)])),
        ATTUNE_DATA_DIR: dataDir,
        ATTUNE_SEED_ITEMS: '600',
        ATTUNE_SEED_USERS: '40',
        ATTUNE_POLL_MS: '250',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout?.on('data', (d) => {
      output += String(d);
    });
    proc.stderr?.on('data', (d) => {
      output += String(d);
    });
    await waitFor('npm start', async () => output.includes('Attune is up'), {
      timeoutMs: 150_000,
      intervalMs: 500,
      giveUp: () => (proc.exitCode !== null ? `exited early:\n${output.slice(-3000)}` : undefined),
    });
    pgids = (JSON.parse(readFileSync(join(dataDir, 'pids.json'), 'utf8')) as { pgid: number }[]).map(
      (e) => e.pgid,
    );
  });

  afterAll(async () => {
    if (proc && proc.exitCode === null) proc.kill('SIGKILL');
    for (const g of pgids) if (groupAlive(g)) process.kill(-g, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints every URL', () => {
    expect(output).toContain(`edge     ${url('EDGE')}`);
    expect(output).toContain(url('ORIGIN'));
    expect(output).toContain(url('MODEL'));
    expect(pgids.length).toBe(7);
  });

  it('reports each dependency on /health at the edge and the origin', async () => {
    const origin = (await (await fetch(`${url('ORIGIN')}/health`)).json()) as {
      dependencies: Record<string, { ok: boolean }>;
    };
    expect(origin.dependencies).toMatchObject({
      dynamodb: { ok: true },
      kinesis: { ok: true },
      model: { ok: true },
    });
    const edge = await fetch(`${url('EDGE')}/health`);
    expect(edge.status).toBe(200);
    const body = (await edge.json()) as { dependencies: Record<string, { ok: boolean }> };
    expect(body.dependencies.origin?.ok).toBe(true);
  });

  it('serves a non-empty recommendation list from the edge', async () => {
    const res = await fetch(`${url('EDGE')}/v1/recommendations?user_id=e2e-user&surface=home&limit=20`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      items: { item_id: string; score: number }[];
      request_id: string;
      fallback_level: number;
    };
    expect(body.items.length).toBe(20);
    expect(body.items[0]?.item_id).toMatch(/^item-\d{5}$/);
    expect(typeof body.request_id).toBe('string');
    expect(body.fallback_level).toBe(0);
  });

  it('an event sent to the edge reaches DynamoDB through Kinesis and the stream handler', async () => {
    const event = makeEvent({ user_id: 'e2e-clicker', item_id: 'item-00042', type: 'click' });
    const res = await fetch(`${url('EDGE')}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
    });
    expect(res.status).toBe(202);
    const doc = createDocumentClient({ endpoint: url('DYNAMODB') });
    let state: Record<string, unknown> | undefined;
    await waitFor(
      'user state in DynamoDB',
      async () => {
        const out = await doc.send(
          new GetCommand({
            TableName: tableName('attune-local', 'users'),
            Key: { user_id: 'e2e-clicker', facet: 'state' },
          }),
        );
        state = out.Item ? fromStateItem(out.Item) : undefined;
        return Boolean(state);
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    doc.destroy();
    expect(state).toMatchObject({ event_count: 1, recent_items: ['item-00042'], last_event_type: 'click' });
  });

  it('Ctrl-C stops every process group it started', async () => {
    expect(pgids.every((g) => groupAlive(g))).toBe(true);
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    proc.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(pgids.filter((g) => groupAlive(g))).toEqual([]);
  });
});
