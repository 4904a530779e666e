/**
 * The origin ingest app in its own process, as in the local stack, so its request parsing does not
 * share the bench's event loop with the stream handlers it feeds. Prints `listening <port>`.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { exitWithParent } from '../../local/supervisor/exit-with-parent';
import { KinesisEventStream } from '../../origin-lambdas/adapters/kinesis-event-stream';
import { createKinesisClient } from '../../origin-lambdas/common/aws-clients';
import { createIngestApp } from '../../origin-lambdas/ingest/app';

exitWithParent();
const [endpoint, streamName] = process.argv.slice(2);
if (!endpoint || !streamName) throw new Error('usage: ingest-server <kinesis endpoint> <stream name>');
const stream = new KinesisEventStream({ client: createKinesisClient({ endpoint }), streamName });
const server = serve({ fetch: createIngestApp({ stream }, {}).fetch, port: 0, hostname: '127.0.0.1' });
server.once('listening', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
