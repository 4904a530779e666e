import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { seededRandom } from '../../shared/random';
import { formatBanditLog, parseBanditLog } from './bandit-log';
import { estimatePolicyValue } from './ope';
import { loggingTarget, thompsonTarget, uniformTarget } from './ope-policies';
import { syntheticBanditLog } from './synthetic-log';

// npm run ope -- --log FILE.csv --out FILE.json [--bootstrap 500] [--seed 1]
// npm run ope -- --generate 20000 --log FILE.csv --out FILE.json   (writes a synthetic log first)
// The log format is documented on LoggedDecision (bench/bandits/bandit-log.ts) and in docs/evaluation.md.
const { values } = parseArgs({
  options: {
    log: { type: 'string' },
    out: { type: 'string', default: 'ope.json' },
    bootstrap: { type: 'string', default: '500' },
    seed: { type: 'string', default: '1' },
    generate: { type: 'string' },
  },
});
const say = (m: string) => process.stderr.write(`ope: ${m}\n`);
if (!values.log) {
  say('usage: npm run ope -- --log FILE.csv --out FILE.json [--generate N]');
  process.exit(2);
}
if (values.generate) {
  await writeFile(
    values.log,
    formatBanditLog(syntheticBanditLog(Number(values.generate), Number(values.seed)).log),
  );
  say(`wrote a synthetic log of ${values.generate} decisions to ${values.log}`);
}
const log = parseBanditLog(await readFile(values.log, 'utf8'));
say(`${log.length} logged decisions`);
const rand = seededRandom(Number(values.seed) * 97);
const opts = { rand, bootstrap: Number(values.bootstrap) };
const results = {
  logging: estimatePolicyValue(log, loggingTarget(log), opts),
  uniform: estimatePolicyValue(log, uniformTarget, opts),
  attune_thompson: estimatePolicyValue(log, thompsonTarget(log, rand), opts),
};
await writeFile(values.out, `${JSON.stringify({ rows: log.length, ...results }, null, 2)}\n`);
say(`estimates written to ${values.out}`);
const flat: Record<string, number> = { rows: log.length };
for (const [policy, r] of Object.entries(results))
  for (const [est, e] of Object.entries(r)) {
    flat[`${policy}_${est}`] = Math.round(e.value * 1e5) / 1e5;
    flat[`${policy}_${est}_low`] = Math.round(e.low * 1e5) / 1e5;
    flat[`${policy}_${est}_high`] = Math.round(e.high * 1e5) / 1e5;
  }
process.stdout.write(`${JSON.stringify(flat)}\n`);
