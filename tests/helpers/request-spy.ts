import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Records each DynamoDB request a client sends: its command name and, for a transaction, its item count. */
export function spyOnRequests(doc: DynamoDBDocumentClient): { command: string; items?: number }[] {
  const seen: { command: string; items?: number }[] = [];
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const items = (args.input as { TransactItems?: unknown[] }).TransactItems?.length;
      seen.push({ command: context.commandName ?? '?', ...(items === undefined ? {} : { items }) });
      return next(args);
    },
    { step: 'initialize', name: 'requestSpy' },
  );
  return seen;
}
