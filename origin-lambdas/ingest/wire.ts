import type { OriginRuntime } from '../common/runtime';
import { createIngestApp } from './app';

export function ingestAppFor(rt: OriginRuntime) {
  return createIngestApp({ stream: rt.stream() }, { kinesis: () => rt.stream().health() });
}
