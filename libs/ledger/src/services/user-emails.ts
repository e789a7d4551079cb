import type { LedgerUserDirectory } from '../ports';

/** Resolves user emails through the identity port once per user per call, for views that list many rows. */
export class UserEmails {
  private readonly cache = new Map<number, Promise<string | null>>();

  constructor(
    private readonly directory: LedgerUserDirectory,
    private readonly channelId: number,
  ) {}

  get(userId: number | null): Promise<string | null> {
    if (userId === null) return Promise.resolve(null);
    let found = this.cache.get(userId);
    if (!found) {
      found = this.directory.findById(this.channelId, userId).then((user) => user?.email ?? null);
      this.cache.set(userId, found);
    }
    return found;
  }
}
