import type { AttuneEvent } from '../../shared/schemas/event';
import { createApp } from './app';
import { consumeEventBatch } from './events/forward-consumer';

const app = createApp();

/**
 * The Worker entry: hono answers HTTP; `queue` consumes the events queue this same Worker
 * produces to (wrangler.toml, `[[queues.consumers]]`).
 */
export default {
  fetch: app.fetch,
  queue: (batch, env) => consumeEventBatch(batch, env),
} satisfies ExportedHandler<Env, AttuneEvent>;
