/**
 * Builds the browser SDK as an npm package into `dist/sdk` (or `--out DIR`):
 *
 *   npm run build:sdk [-- --out DIR]
 *   cd dist/sdk && npm pack        # or npm publish, with a registry configured
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sdkPackageFiles } from './package-files';

const here = import.meta.dirname;
const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist/sdk' } } });
const out = resolve(values.out as string);
const source = readFileSync(join(here, '../src/static/sdk.js.txt'), 'utf8');
const declarations = readFileSync(join(here, 'index.d.ts'), 'utf8');
const { version } = JSON.parse(readFileSync(join(here, '../../package.json'), 'utf8')) as { version: string };

mkdirSync(out, { recursive: true });
for (const file of sdkPackageFiles(source, declarations, version)) {
  writeFileSync(join(out, file.path), file.text);
  console.log(`  ${file.path.padEnd(14)} ${String(Buffer.byteLength(file.text)).padStart(6)} bytes`);
}
console.log(`@attune/browser-sdk@${version} written to ${out}`);
