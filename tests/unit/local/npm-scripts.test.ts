import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../local/supervisor/node-service';

// A script that names a missing entry point fails only when someone runs it; catch it here.
describe('npm scripts', () => {
  it('every TypeScript entry point a script runs exists', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const missing = Object.entries(pkg.scripts).flatMap(([name, cmd]) =>
      [...cmd.matchAll(/(?:tsx|node) (\S+\.(?:ts|mjs))/g)]
        .map((m) => m[1] as string)
        .filter((f) => !existsSync(join(REPO_ROOT, f)))
        .map((f) => `${name}: ${f}`),
    );
    expect(missing).toEqual([]);
    expect(Object.keys(pkg.scripts)).toEqual(
      expect.arrayContaining([
        'start',
        'test',
        'typecheck',
        'lint',
        'synth',
        'bench:stream',
        'bench:edge-cpu',
      ]),
    );
  });
});
