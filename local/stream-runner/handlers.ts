import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { handler as userState } from '../../stream-handlers/user-state/handler';

type KinesisHandler = (event: KinesisStreamEvent, context: Context) => Promise<KinesisStreamBatchResponse | void>;

/** Every Kinesis consumer, by function name, exactly as each Lambda exports it. */
export const STREAM_HANDLERS: Record<string, KinesisHandler> = {
  'user-state': userState,
};
