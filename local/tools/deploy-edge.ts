/**
 * `npm run deploy:edge -- [--dry-run] [--plan free|paid] [--outdir dir] [wrangler deploy args...]`
 *
 * With `--dry-run`: builds the Worker bundle offline (`wrangler deploy --dry-run --outdir`, no
 * metrics, no network), then reports its raw and gzip size against the Workers plan limit and
 * checks that it pulls in no Node built-in and no AWS SDK. Exits 1 when the bundle is over the
 * limit or imports something it must not. Without `--dry-run`: runs `wrangler deploy` with the
 * given arguments (e.g. `--env production`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { spawnGroup } from '../standins/process-group';

/** Compressed Worker size limits per plan (Cloudflare Workers limits). */
export const PLAN_LIMITS_BYTES = { free: 3 * 1024 * 1024, paid: 10 * 1024 * 1024 } as const;
export type Plan = keyof typeof PLAN_LIMITS_BYTES;

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WRANGLER = join(REPO_ROOT, 'node_modules/.bin/wrangler');
export const DEFAULT_OUTDIR = 'dist/edge';

export interface DeployArgs {
  readonly dryRun: boolean;
  readonly plan: Plan;
  readonly outdir: string;
  /** Everything else, passed to `wrangler deploy` unchanged. */
  readonly passthrough: readonly string[];
}

/** Splits this tool's own flags from the ones for wrangler. */
export function parseDeployArgs(argv: readonly string[]): DeployArgs {
  let dryRun = false;
  let plan: Plan = 'free';
  let outdir = DEFAULT_OUTDIR;
  const passthrough: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (flag: string) => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!v) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (a === '--dry-run') dryRun = true;
    else if (a === '--plan' || a.startsWith('--plan=')) {
      const p = value('--plan');
      if (p !== 'free' && p !== 'paid') throw new Error(`--plan must be free or paid, not ${p}`);
      plan = p;
    } else if (a === '--outdir' || a.startsWith('--outdir=')) outdir = value('--outdir');
    else passthrough.push(a);
  }
  return { dryRun, plan, outdir, passthrough };
}

/** Size of one bundle and what it imports. */
export interface BundleReport {
  readonly file: string;
  readonly rawBytes: number;
  readonly gzipBytes: number;
  readonly plan: Plan;
  readonly limitBytes: number;
  /** Specifiers the Worker must not import: `node:*` built-ins and `@aws-sdk/*`. */
  readonly forbiddenImports: readonly string[];
}

// Static and dynamic import specifiers left in an ES module bundle.
const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([^"']+)["']/g;

/** Import specifiers the bundle leaves for the runtime to resolve. */
export function bundleImports(code: string): string[] {
  return [...new Set([...code.matchAll(IMPORT_RE)].map((m) => m[1] as string))];
}

/** Measures `file` (gzip level 9, as Cloudflare counts the compressed size) and checks its imports. */
export function reportBundle(file: string, plan: Plan): BundleReport {
  const code = readFileSync(file);
  const text = code.toString('utf8');
  const forbidden = bundleImports(text).filter((s) => s.startsWith('node:') || s.startsWith('@aws-sdk/'));
  // An inlined SDK leaves its user agent string behind even when no import remains.
  if (text.includes('aws-sdk-js')) forbidden.push('(inlined AWS SDK)');
  return {
    file,
    rawBytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    plan,
    limitBytes: PLAN_LIMITS_BYTES[plan],
    forbiddenImports: forbidden,
  };
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/** The size line, e.g. `edge bundle: 868.5 KiB raw, 146.0 KiB gzip = 4.8% of the free plan limit (3 MiB gzip); paid 10 MiB`. */
export function formatReport(r: BundleReport): string {
  const pct = ((100 * r.gzipBytes) / r.limitBytes).toFixed(1);
  const other: Plan = r.plan === 'free' ? 'paid' : 'free';
  const lines = [
    `edge bundle: ${kib(r.rawBytes)} raw, ${kib(r.gzipBytes)} gzip = ${pct}% of the ${r.plan} plan limit (${PLAN_LIMITS_BYTES[r.plan] / 1024 / 1024} MiB gzip); ${other} plan limit ${PLAN_LIMITS_BYTES[other] / 1024 / 1024} MiB`,
    `imports: ${r.forbiddenImports.length ? `FORBIDDEN ${r.forbiddenImports.join(', ')}` : 'no node: built-ins, no AWS SDK'}`,
  ];
  return lines.join('\n');
}

/** The Worker entry wrangler wrote into `outdir` (the largest .js file). */
export function findBundle(outdir: string): string {
  const js = readdirSync(outdir)
    .filter((f) => f.endsWith('.js') || f.endsWith('.mjs'))
    .map((f) => join(outdir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (!js[0]) throw new Error(`no .js bundle in ${outdir}`);
  return js[0];
}

function run(args: string[], env: NodeJS.ProcessEnv, quiet: boolean): Promise<number> {
  const child = spawnGroup('wrangler', WRANGLER, args, {
    cwd: REPO_ROOT,
    env,
    stdio: ['inherit', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'],
    onLine: (line, stream) => (stream === 'stderr' ? console.error(line) : undefined),
  });
  const forward = () => child.stop();
  process.once('SIGINT', forward);
  return new Promise((done) =>
    child.child.once('exit', (code) => {
      process.off('SIGINT', forward);
      done(code ?? 1);
    }),
  );
}

async function main(argv: string[]): Promise<number> {
  const args = parseDeployArgs(argv);
  if (!args.dryRun) return run(['deploy', ...args.passthrough], process.env, false);

  const outdir = resolve(REPO_ROOT, args.outdir);
  const code = await run(
    ['deploy', '--dry-run', '--outdir', outdir, ...args.passthrough],
    {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    },
    true,
  );
  if (code !== 0) return code;
  const report = reportBundle(findBundle(outdir), args.plan);
  console.log(formatReport(report));
  if (report.forbiddenImports.length) return 1;
  if (report.gzipBytes > report.limitBytes) {
    console.error(`edge bundle is over the ${report.plan} plan limit`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
