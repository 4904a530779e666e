import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalConfig } from '../../local/config';
import { freePort } from '../../local/net/free-port';
import { assertPortsFree } from '../../local/supervisor/ports';

describe('supervisor port check', () => {
  let holder: Server;
  let taken: number;
  beforeAll(async () => {
    taken = await freePort();
    holder = createServer();
    await new Promise<void>((r) => holder.listen(taken, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => holder.close(() => r())));

  it('names the service and the variable when a port is taken', async () => {
    const free = await Promise.all(Array.from({ length: 5 }, () => freePort()));
    const config = loadLocalConfig({
      ATTUNE_EDGE_PORT: String(free[0]),
      ATTUNE_ORIGIN_PORT: String(free[1]),
      ATTUNE_ADMIN_PORT: String(free[2]),
      ATTUNE_MODEL_PORT: String(taken),
      ATTUNE_DYNAMODB_PORT: String(free[3]),
      ATTUNE_KINESIS_PORT: String(free[4]),
    });
    await expect(assertPortsFree(config)).rejects.toThrow(
      `port ${taken} (model) is already in use: stop what holds it or set ATTUNE_MODEL_PORT`,
    );
  });

  it('passes when every port is free', async () => {
    const free = await Promise.all(Array.from({ length: 6 }, () => freePort()));
    const config = loadLocalConfig({
      ATTUNE_EDGE_PORT: String(free[0]),
      ATTUNE_ORIGIN_PORT: String(free[1]),
      ATTUNE_ADMIN_PORT: String(free[2]),
      ATTUNE_MODEL_PORT: String(free[3]),
      ATTUNE_DYNAMODB_PORT: String(free[4]),
      ATTUNE_KINESIS_PORT: String(free[5]),
    });
    await expect(assertPortsFree(config)).resolves.toBeUndefined();
  });
});
