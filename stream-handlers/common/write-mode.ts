/**
 * How a stream handler writes a batch's keys: `transact` sends TransactWriteItems of up to 100
 * conditional writes, `single` one conditional request per key. Both write each key once per
 * batch under the same condition, so they leave the same state; see docs/streaming.md.
 */
export const WRITE_MODES = ['transact', 'single'] as const;

export type WriteMode = (typeof WRITE_MODES)[number];

export const DEFAULT_WRITE_MODE: WriteMode = 'transact';
