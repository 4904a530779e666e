// Runs kinesalite bound to loopback. Usage: node kinesalite-server.mjs <port> [dataDir]
// A separate process so the supervisor can stop it by process group like every other stand-in.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const kinesalite = require('kinesalite');
const port = Number(process.argv[2]);
const path = process.argv[3];
const server = kinesalite({
  createStreamMs: 0,
  deleteStreamMs: 0,
  updateStreamMs: 0,
  shardLimit: 100,
  ...(path ? { path } : {}),
});
server.listen(port, '127.0.0.1', (err) => {
  if (err) {
    console.error(`kinesalite: ${err.message}`);
    process.exit(1);
  }
  console.log(`kinesalite listening on http://127.0.0.1:${port}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Under the supervisor, go when it goes (even if it was SIGKILLed and could not stop us).
const parent = process.ppid;
if (process.env.ATTUNE_SUPERVISED)
  setInterval(() => process.ppid !== parent && process.exit(0), 1000).unref();
