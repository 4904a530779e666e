import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DeadLetterRecord, DeadLetterSink } from './types';

/** Dead letters as JSON lines appended to one file, the local stand-in for an on-failure destination. */
export class FileDeadLetterSink implements DeadLetterSink {
  constructor(readonly file: string) {}

  async put(records: DeadLetterRecord[]): Promise<void> {
    if (records.length === 0) return;
    await mkdir(dirname(this.file), { recursive: true });
    await appendFile(this.file, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
}

/** Reads a dead-letter file; a missing file holds no records. */
export async function readDeadLetters(file: string): Promise<DeadLetterRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as DeadLetterRecord);
}
