import type { LocalConfig } from '../config';
import { isPortFree } from '../net/free-port';

/** Fails before anything starts when a port is taken, naming the variable that moves it. */
export async function assertPortsFree(config: LocalConfig): Promise<void> {
  const wanted: [string, string, number][] = [
    ['edge', 'ATTUNE_EDGE_PORT', config.ATTUNE_EDGE_PORT],
    ['origin', 'ATTUNE_ORIGIN_PORT', config.ATTUNE_ORIGIN_PORT],
    ['admin', 'ATTUNE_ADMIN_PORT', config.ATTUNE_ADMIN_PORT],
    ['model', 'ATTUNE_MODEL_PORT', config.ATTUNE_MODEL_PORT],
    ['dynamodb', 'ATTUNE_DYNAMODB_PORT', config.ATTUNE_DYNAMODB_PORT],
    ['kinesis', 'ATTUNE_KINESIS_PORT', config.ATTUNE_KINESIS_PORT],
  ];
  const taken: string[] = [];
  for (const [name, variable, port] of wanted) {
    if (!(await isPortFree(port)))
      taken.push(`port ${port} (${name}) is already in use: stop what holds it or set ${variable}`);
  }
  if (taken.length) throw new Error(taken.join('\n'));
}
