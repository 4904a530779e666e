import { handler as banditPosteriors } from '../../stream-handlers/bandit-posteriors/handler';
import { handler as trending } from '../../stream-handlers/trending/handler';
import { handler as userState } from '../../stream-handlers/user-state/handler';
import type { KinesisHandler } from '../kinesis-runner';
import type { StreamFunction } from './function-names';

/** Every Kinesis consumer, by function name, exactly as each Lambda exports it. */
export const STREAM_HANDLERS: Record<StreamFunction, KinesisHandler> = {
  'user-state': userState,
  'bandit-posteriors': banditPosteriors,
  trending,
};
