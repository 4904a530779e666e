/**
 * The text a failed invocation leaves in logs and dead letters. Powertools' FullBatchFailureError
 * says only "See individual errors below" and keeps the causes in `recordErrors`, which Lambda's
 * logs would show but a dead-letter line would lose; the first distinct causes are appended so a
 * dead letter says why.
 */
export function errorText(err: unknown, maxCauses = 3): string {
  const e = err as { name?: string; message?: string; recordErrors?: unknown[] } | undefined;
  const head = `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`;
  if (!Array.isArray(e?.recordErrors) || e.recordErrors.length === 0) return head;
  const causes = [
    ...new Set(
      e.recordErrors.map((c) => {
        const ce = c as { name?: string; message?: string } | undefined;
        return `${ce?.name ?? 'Error'}: ${ce?.message ?? String(c)}`;
      }),
    ),
  ];
  const shown = causes.slice(0, maxCauses).join('; ');
  const more = causes.length > maxCauses ? ` (+${causes.length - maxCauses} more)` : '';
  return `${head} Causes: ${shown}${more}`;
}
