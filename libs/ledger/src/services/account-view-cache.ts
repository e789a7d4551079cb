import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { AppConfig, type Broadcast, Clock, RedisBroadcast } from '@app/common';
import { keepsRunningBalance } from '../entities/loyalty-account.entity';
import type { AccountView } from './views';

/** The accounts a money operation or an account change may have touched: by id, and every account of a user. */
export interface AccountChange {
  channelId: number;
  accounts?: readonly number[];
  users?: readonly (number | null)[];
}

const TOPIC = 'ledger-accounts';
/** Accounts remembered per instance: a back office reads a few hundred at a time, not millions. */
const ACCOUNT_CACHE_ENTRIES_MAX = 10_000;

/**
 * Back-office reads of one account (`GET .../loyalty_account/{pk}/`) answered from memory, for the instance that
 * read it last. Correct on several instances because every change is announced to all of them over Redis
 * (`RedisBroadcast`) after it committed, and each forgets what it touched:
 * - a read that was in flight when a change message arrived is answered but not kept (it may have read before the
 *   commit), so a kept view is never older than the last change this instance heard of;
 * - while this instance's subscription is down, nothing is read from or kept in memory, and everything is forgotten
 *   when it goes down and again when it comes back;
 * - a message lost otherwise (a publish that failed, an instance killed between commit and publish) leaves a view
 *   at most ACCOUNT_CACHE_SECONDS old.
 * Without Redis there is nothing to tell other instances, so nothing is cached. Only accounts that keep a running
 * balance (customer, invoice): a system account's balance is a sum that every order changes.
 */
@Injectable()
export class AccountViewCache {
  private readonly views: LRUCache<string, Readonly<AccountView>> | undefined;
  /** The keys of each user's kept views, for a change named by user (order payments, refunds, earnings). */
  private readonly byUser = new Map<string, Set<string>>();
  /** Reads in flight, each with a token of its own: one is kept only if its token is still there when it ends. */
  private readonly loading = new Map<string, object>();
  /** Subscribed on the first read: an app that never reads accounts one by one (the storefront) only announces. */
  private listening = false;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(RedisBroadcast) private readonly broadcast: Broadcast,
    @Inject(Clock) clock: Clock,
  ) {
    const ttl = config.accountCacheSeconds * 1000;
    if (ttl <= 0 || !broadcast.available) return;
    this.views = new LRUCache<string, Readonly<AccountView>>({
      max: ACCOUNT_CACHE_ENTRIES_MAX,
      ttl,
      // Monotonic: a wall clock stepped back must not keep a view past its time.
      perf: { now: () => clock.monotonicMs() },
      ttlResolution: 0,
      dispose: (view, key) => {
        this.unindex(view, key);
      },
    });
  }

  /** The account's view, from memory when this instance may answer it so, else from `load` (and kept). */
  async read(channelId: number, accountId: number, load: () => Promise<AccountView>): Promise<AccountView> {
    const views = this.views;
    if (!views) return load();
    if (!this.listening) {
      this.listening = true;
      this.broadcast.listen(TOPIC, {
        message: (text) => {
          this.heard(text);
        },
        reset: () => {
          this.forgetAll();
        },
      });
    }
    if (!this.broadcast.live) return load();
    const key = accountKey(channelId, accountId);
    const kept = views.get(key);
    if (kept) return kept;
    const token = {};
    this.loading.set(key, token);
    try {
      const view = await load();
      if (this.loading.get(key) === token && this.broadcast.live && keepsRunningBalance(view.kind)) {
        views.set(key, Object.freeze({ ...view }));
        this.index(channelId, view.user, key);
      }
      return view;
    } finally {
      if (this.loading.get(key) === token) this.loading.delete(key);
    }
  }

  /**
   * After a change committed (or may have): forgotten here at once, and on every other instance by message. Sent
   * whenever there is Redis, whether this instance caches or not (ACCOUNT_CACHE_SECONDS is each instance's own),
   * and never throws: it runs in the `finally` of operations that may have committed.
   */
  changed(change: AccountChange): void {
    if (!this.broadcast.available) return;
    try {
      if (this.listening) this.forget(change);
      this.broadcast.publish(TOPIC, JSON.stringify(change));
    } catch {
      this.forgetAll();
    }
  }

  private heard(text: string): void {
    const change = changeOf(text);
    if (change) this.forget(change);
    else this.forgetAll();
  }

  private forget(change: AccountChange): void {
    const views = this.views;
    if (!views) return;
    // A read in flight may be of one of these accounts, and by user there is no telling which: none is kept.
    this.loading.clear();
    for (const id of change.accounts ?? []) views.delete(accountKey(change.channelId, id));
    for (const user of change.users ?? []) {
      if (user === null) continue;
      for (const key of [...(this.byUser.get(userKey(change.channelId, user)) ?? [])]) views.delete(key);
    }
  }

  private forgetAll(): void {
    this.loading.clear();
    this.views?.clear();
    this.byUser.clear();
  }

  private index(channelId: number, user: number | null, key: string): void {
    if (user === null) return;
    const owner = userKey(channelId, user);
    let keys = this.byUser.get(owner);
    if (!keys) this.byUser.set(owner, (keys = new Set()));
    keys.add(key);
  }

  private unindex(view: Readonly<AccountView>, key: string): void {
    if (view.user === null) return;
    const channelId = key.slice(0, key.indexOf(':'));
    const owner = `${channelId}:${view.user}`;
    const keys = this.byUser.get(owner);
    keys?.delete(key);
    if (keys?.size === 0) this.byUser.delete(owner);
  }
}

/** A change message as `changed` sends it, or undefined for anything else (another version's, or garbage). */
function changeOf(text: string): AccountChange | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { channelId, accounts, users } = value as Record<string, unknown>;
  const ids = (list: unknown, nullable: boolean): list is (number | null)[] =>
    list === undefined ||
    (Array.isArray(list) && list.every((item) => Number.isSafeInteger(item) || (nullable && item === null)));
  if (!Number.isSafeInteger(channelId) || !ids(accounts, false) || !ids(users, true)) return undefined;
  return value as AccountChange;
}

function accountKey(channelId: number, accountId: number): string {
  return `${channelId}:${accountId}`;
}

function userKey(channelId: number, userId: number): string {
  return `${channelId}:${userId}`;
}
