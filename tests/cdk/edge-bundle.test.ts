import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundleImports,
  findBundle,
  PLAN_LIMITS_BYTES,
  parseDeployArgs,
  reportBundle,
} from '../../local/tools/deploy-edge';

const run = promisify(execFile);
const NODE = join(process.cwd(), 'node_modules/.bin/node');

describe('npm run deploy:edge -- --dry-run', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'attune-edge-'));
  let stdout = '';

  beforeAll(async () => {
    // Arrange/act: the real tool, the real wrangler, offline.
    ({ stdout } = await run(
      NODE,
      ['--import', 'tsx', 'local/tools/deploy-edge.ts', '--dry-run', '--outdir', outdir],
      {
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
      },
    ));
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('reports raw and gzip size against the free plan limit', () => {
    const bundle = readFileSync(findBundle(outdir));
    const line = stdout.split('\n').find((l) => l.startsWith('edge bundle:'));
    expect(line).toMatch(
      /^edge bundle: \d+\.\d KiB raw, \d+\.\d KiB gzip = \d+\.\d% of the free plan limit \(3 MiB gzip\); paid plan limit 10 MiB$/,
    );
    expect(line).toContain(`${(bundle.length / 1024).toFixed(1)} KiB raw`);
    expect(stdout).toContain('imports: no node: built-ins, no AWS SDK');
  });

  it('builds a bundle without node: imports or the AWS SDK, well under the limit', () => {
    const file = findBundle(outdir);
    const code = readFileSync(file, 'utf8');
    expect(code.length).toBeGreaterThan(10_000);
    const imports = bundleImports(code);
    expect(imports.filter((s) => s.startsWith('node:') || s.startsWith('@aws-sdk/'))).toEqual([]);
    expect(code).not.toContain('aws-sdk-js');
    const report = reportBundle(file, 'free');
    expect(report.forbiddenImports).toEqual([]);
    expect(report.gzipBytes).toBeLessThan(PLAN_LIMITS_BYTES.free / 4);
  });
});

describe('deploy-edge helpers', () => {
  it('flags node: built-ins and the AWS SDK in a bundle (the check is live)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'attune-edge-probe-'));
    const file = join(dir, 'index.js');
    writeFileSync(
      file,
      'import{readFileSync as r}from"node:fs";import {S3} from "@aws-sdk/client-s3";const h=await import("hono");export default {r,S3,h};',
    );
    const report = reportBundle(file, 'paid');
    expect(bundleImports(readFileSync(file, 'utf8'))).toEqual(['node:fs', '@aws-sdk/client-s3', 'hono']);
    expect(report.forbiddenImports).toEqual(['node:fs', '@aws-sdk/client-s3']);
    expect(report.limitBytes).toBe(10 * 1024 * 1024);
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps its own flags and passes the rest to wrangler', () => {
    expect(parseDeployArgs(['--dry-run', '--env', 'production', '--plan=paid', '--outdir', 'out'])).toEqual({
      dryRun: true,
      plan: 'paid',
      outdir: 'out',
      passthrough: ['--env', 'production'],
    });
    expect(parseDeployArgs(['--env', 'staging'])).toEqual({
      dryRun: false,
      plan: 'free',
      outdir: 'dist/edge',
      passthrough: ['--env', 'staging'],
    });
    expect(() => parseDeployArgs(['--plan', 'enterprise'])).toThrow(/free or paid/);
  });
});
