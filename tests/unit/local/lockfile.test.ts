import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../local/supervisor/node-service';

// `npm ci` refuses a lockfile that lacks platform packages the registry here does not serve;
// this catches it before CI does. Fix with `npm run lockfile:complete`.
describe('package-lock.json', () => {
  it('has an entry for every platform-specific optional package', () => {
    const dir = mkdtempSync(join(tmpdir(), 'attune-lock-'));
    try {
      copyFileSync(join(REPO_ROOT, 'package-lock.json'), join(dir, 'package-lock.json'));
      const out = execFileSync(
        process.execPath,
        [join(REPO_ROOT, 'local/tools/complete-lockfile.mjs'), join(dir, 'package-lock.json')],
        {
          encoding: 'utf8',
        },
      );
      expect(out.trim()).toBe('complete-lockfile: added 0 platform entries');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
