// Adds lockfile entries for platform-specific optional packages that this machine's npm
// registry does not serve (for example @biomejs/cli-darwin-arm64). npm install leaves them
// out when it cannot fetch them, and `npm ci` then refuses the lockfile as out of sync. The
// entries carry os/cpu/libc, so npm ci skips them on Linux without fetching anything.
// Usage: node local/tools/complete-lockfile.mjs [package-lock.json]
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(readFileSync(file, 'utf8'));
const pkgs = lock.packages;

/** os, cpu and libc from a platform package's name. */
function platformOf(name) {
  const n = name.split('/').pop();
  const os = /android/.test(n)
    ? 'android'
    : /darwin/.test(n)
      ? 'darwin'
      : /win32|windows/.test(n)
        ? 'win32'
        : /linux/.test(n)
          ? 'linux'
          : /freebsd/.test(n)
            ? 'freebsd'
            : undefined;
  const cpu = /arm64|aarch64/.test(n)
    ? 'arm64'
    : /x64|-64$|amd64/.test(n)
      ? 'x64'
      : /ia32/.test(n)
        ? 'ia32'
        : /arm/.test(n)
          ? 'arm'
          : undefined;
  const libc = /musl/.test(n) ? 'musl' : undefined;
  return os && cpu ? { os, cpu, libc } : undefined;
}

/** Where node would resolve `dep` from the package at `from`; undefined if absent or another version. */
function resolved(from, dep, version) {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${dep}`;
    if (pkgs[candidate]) return pkgs[candidate].version === version ? candidate : undefined;
    if (!dir) return undefined;
    const i = dir.lastIndexOf('/node_modules/');
    dir = i < 0 ? '' : dir.slice(0, i);
  }
}

let added = 0;
for (const [path, meta] of Object.entries(pkgs)) {
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    if (resolved(path, dep, version)) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    // Place it beside a sibling platform package that npm did record, else under the parent.
    const sibling = Object.entries(meta.optionalDependencies)
      .map(([d, v]) => resolved(path, d, v))
      .find(Boolean);
    const base = sibling
      ? sibling.slice(0, sibling.lastIndexOf('node_modules/') + 'node_modules/'.length)
      : `${path ? `${path}/` : ''}node_modules/`;
    const entry = {
      version,
      dev: meta.dev || undefined,
      optional: true,
      os: [platform.os],
      cpu: [platform.cpu],
    };
    if (platform.libc) entry.libc = [platform.libc];
    pkgs[`${base}${dep}`] = JSON.parse(JSON.stringify(entry));
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform entries`);
