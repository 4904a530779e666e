import { parseArgs } from 'node:util';
import { exitWithParent } from '../supervisor/exit-with-parent';
import { startModelServer } from './index';

// CLI for the local supervisor: `node --import tsx local/model-server/main.ts --port N --model-dir DIR`.
// Prints exactly one line on stdout when ready; everything else goes to stderr.
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    'model-dir': { type: 'string', default: '.attune/models' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`model server: invalid --port '${values.port}'\n`);
  process.exit(2);
}

const log = (msg: string) => process.stderr.write(`model server: ${msg}\n`);

try {
  const server = await startModelServer({ port, modelDir: values['model-dir'], host: values.host, log });
  process.stdout.write(`model server listening on ${server.url} (model ${server.modelVersion})\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await server.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  exitWithParent(() => void stop());
} catch (err) {
  log(`failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
