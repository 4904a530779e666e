/** Local Kinesis event source mapping: runs Lambda Kinesis handlers against kinesalite. */
export { FileDeadLetterSink, readDeadLetters } from './dead-letter';
export { startEventSourceMapping } from './mapping';
export { type ReplayOptions, type ReplayResult, replayDeadLetters } from './replay-dead-letters';
export type {
  DeadLetterRecord,
  DeadLetterSink,
  EventSourceMapping,
  EventSourceMappingOptions,
  KinesisHandler,
  KinesisHandlerResult,
  MappingStats,
  PollResult,
  ShardPollResult,
} from './types';
