import type { UserState } from '../../shared/ports/user-state-store';

/**
 * The user rows this container last wrote, so the next batch of a recurring user skips the read.
 * A stale row is safe: the write's version condition fails, and the user is read and folded again,
 * exactly as after a lost race. Least recently used rows go first.
 */
export class UserStateCache {
  private readonly rows = new Map<string, UserState>();

  /** @param maxUsers Rows kept; a row is ~5 KB of JSON, so 2,000 hold about 10 MB. */
  constructor(private readonly maxUsers = 2000) {}

  get size(): number {
    return this.rows.size;
  }

  get(userId: string): UserState | undefined {
    const row = this.rows.get(userId);
    if (row) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      this.rows.delete(userId);
      this.rows.set(userId, row);
    }
    return row;
  }

  set(row: UserState): void {
    if (this.maxUsers <= 0) return;
    this.rows.delete(row.user_id);
    this.rows.set(row.user_id, row);
    for (const oldest of this.rows.keys()) {
      if (this.rows.size <= this.maxUsers) break;
      this.rows.delete(oldest);
    }
  }

  delete(userId: string): void {
    this.rows.delete(userId);
  }
}
