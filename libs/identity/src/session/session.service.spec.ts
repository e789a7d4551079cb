import { AppConfig, ManualClock } from '@app/common';
import { sha256Hex } from '../services/tokens';
import {
  applySessionChange,
  type SessionChange,
  SessionStore,
  type SessionWriteResult,
  type StoredSession,
} from './session-store';
import { SessionService } from './session.service';

class MemoryStore extends SessionStore {
  readonly rows = new Map<string, StoredSession>();
  get(idHash: string): Promise<StoredSession | undefined> {
    return Promise.resolve(this.rows.get(idHash));
  }
  save(idHash: string, session: StoredSession): Promise<void> {
    this.rows.set(idHash, structuredClone(session));
    return Promise.resolve();
  }
  write(idHash: string, change: SessionChange, expiresAt: Date, bytesMax: number): Promise<SessionWriteResult> {
    const row = this.rows.get(idHash);
    if (!row) return Promise.resolve({ outcome: 'gone' });
    const data = structuredClone(applySessionChange(row.data, change));
    if (change.kind !== 'touch' && JSON.stringify(data).length > bytesMax)
      return Promise.resolve({ outcome: 'too_large' });
    this.rows.set(idHash, { ...row, data, expiresAt });
    return Promise.resolve({ outcome: 'written', data: structuredClone(data) });
  }
  delete(idHash: string): Promise<void> {
    this.rows.delete(idHash);
    return Promise.resolve();
  }
}

describe('SessionService', () => {
  const TTL_SECONDS = 1000;
  let clock: ManualClock;
  let store: MemoryStore;
  let sessions: SessionService;

  beforeEach(() => {
    clock = new ManualClock();
    store = new MemoryStore();
    sessions = new SessionService(
      store,
      AppConfig.fromEnv({ SESSION_TTL_SECONDS: String(TTL_SECONDS), SESSION_COOKIE_SECURE: 'true' }),
      clock,
    );
  });

  describe('set', () => {
    it('writes nothing for a visitor until data is set, then creates a session and its cookie', async () => {
      const session = await sessions.load(undefined, 1);
      expect(session.id).toBeUndefined();
      expect(store.rows.size).toBe(0);
      await sessions.set(session, 1, 'sms', { code: '1234' });
      expect(session.id).toMatch(/^[0-9a-f]{64}$/);
      expect(session.setCookie).toBe(`osessionid=${session.id}; Max-Age=1000; Path=/; HttpOnly; SameSite=Lax; Secure`);
      expect(store.rows.has(sha256Hex(session.id!))).toBe(true);
      expect(store.rows.has(session.id!)).toBe(false);
      const again = await sessions.load(session.id, 1);
      expect(again.get('sms')).toEqual({ code: '1234' });
      await sessions.set(again, 1, 'sms', undefined);
      expect((await sessions.load(session.id, 1)).get('sms')).toBeUndefined();
    });

    it('refuses data over the size limit', async () => {
      const session = await sessions.load(undefined, 1);
      await expect(sessions.set(session, 1, 'blob', 'x'.repeat(70_000))).rejects.toThrow('exceeds the limit');
      await sessions.set(session, 1, 'small', 1);
      await expect(sessions.set(session, 1, 'blob', 'x'.repeat(70_000))).rejects.toThrow('exceeds the limit');
      expect((await sessions.load(session.id, 1)).data).toEqual({ small: 1 });
    });

    it('does not undo a key another request of the session wrote after this one loaded it', async () => {
      const session = await sessions.load(undefined, 1);
      await sessions.login(session, 1, 42);
      const [first, second] = [await sessions.load(session.id, 1), await sessions.load(session.id, 1)];
      await sessions.set(first, 1, 'basket_pk', 7);
      await sessions.set(second, 1, 'currency', 'usd');
      expect(second.data).toEqual({ basket_pk: 7, currency: 'usd' });
      expect((await sessions.load(session.id, 1)).data).toEqual({ basket_pk: 7, currency: 'usd' });
    });
  });

  describe('merge', () => {
    it('sets the fields given, removes those given as undefined, and keeps the others', async () => {
      const session = await sessions.load(undefined, 1);
      await sessions.merge(session, 1, 'checkout', { delivery_option: 1, completed_order: 'N1' });
      await sessions.merge(session, 1, 'checkout', { shipping_option: 1, completed_order: undefined });
      expect(session.data).toEqual({ checkout: { delivery_option: 1, shipping_option: 1 } });
      expect((await sessions.load(session.id, 1)).get('checkout')).toEqual({ delivery_option: 1, shipping_option: 1 });
    });

    it('keeps the fields another request of the session merged after this one loaded it', async () => {
      const session = await sessions.load(undefined, 1);
      await sessions.login(session, 1, 42);
      await sessions.set(session, 1, 'checkout', { shipping_option: 1 });
      const [loyalty, payment] = [await sessions.load(session.id, 1), await sessions.load(session.id, 1)];
      await sessions.merge(loyalty, 1, 'checkout', { loyalty_money: '5.00' });
      await sessions.merge(payment, 1, 'checkout', { payment_option: 2 });
      const both = { shipping_option: 1, loyalty_money: '5.00', payment_option: 2 };
      expect(payment.get('checkout')).toEqual(both);
      expect((await sessions.load(session.id, 1)).get('checkout')).toEqual(both);
    });

    it('starts from an empty object when the key holds none', async () => {
      const session = await sessions.load(undefined, 1);
      await sessions.set(session, 1, 'checkout', 'not an object');
      await sessions.merge(session, 1, 'checkout', { delivery_option: 1 });
      expect((await sessions.load(session.id, 1)).get('checkout')).toEqual({ delivery_option: 1 });
    });
  });

  describe('login', () => {
    it('gives a new id carrying the data, and the old id stops working', async () => {
      const session = await sessions.load(undefined, 1);
      await sessions.set(session, 1, 'basket', 7);
      const oldId = session.id;
      await sessions.login(session, 1, 42);
      expect(session.id).not.toBe(oldId);
      expect((await sessions.load(oldId, 1)).userId).toBeNull();
      const loaded = await sessions.load(session.id, 1);
      expect([loaded.userId, loaded.get('basket')]).toEqual([42, 7]);
    });

    it('keeps the data when the same user signs in again', async () => {
      const session = await sessions.load(undefined, 1);
      await sessions.login(session, 1, 42);
      await sessions.set(session, 1, 'checkout', { step: 1 });
      const replaced = await sessions.login(session, 1, 42);
      expect(replaced).toEqual({ userId: 42, data: { checkout: { step: 1 } } });
      expect((await sessions.load(session.id, 1)).get('checkout')).toEqual({ step: 1 });
    });

    it('starts empty when the session was another user’s, and hands the replaced data to the caller', async () => {
      const session = await sessions.load(undefined, 1);
      await sessions.login(session, 1, 42);
      await sessions.set(session, 1, 'checkout', { step: 1 });
      const oldId = session.id;
      const replaced = await sessions.login(session, 1, 43);
      expect(replaced).toEqual({ userId: 42, data: { checkout: { step: 1 } } });
      const loaded = await sessions.load(session.id, 1);
      expect([loaded.userId, loaded.data]).toEqual([43, {}]);
      expect(store.rows.has(sha256Hex(oldId!))).toBe(false);
    });
  });

  describe('a write after the session ended elsewhere', () => {
    it('does not bring the old id back, sends no cookie, and drops later writes of that request', async () => {
      const session = await sessions.load(undefined, 1);
      await sessions.login(session, 1, 42);
      const stale = await sessions.load(session.id, 1);
      await sessions.login(session, 1, 43);
      await sessions.set(stale, 1, 'checkout', { step: 1 });
      expect([stale.id, stale.userId, stale.setCookie, stale.ended]).toEqual([undefined, null, undefined, true]);
      await sessions.set(stale, 1, 'basket', 7);
      await sessions.merge(stale, 1, 'checkout', { step: 2 });
      expect(store.rows.size).toBe(1);
      expect((await sessions.load(session.id, 1)).userId).toBe(43);
    });
  });

  describe('load', () => {
    it('ignores a session of another channel, an expired one and malformed ids', async () => {
      const session = await sessions.load(undefined, 1);
      await sessions.login(session, 1, 42);
      expect((await sessions.load(session.id, 2)).userId).toBeNull();
      expect((await sessions.load('bad id!', 1)).userId).toBeNull();
      clock.advanceMs(TTL_SECONDS * 1000);
      expect((await sessions.load(session.id, 1)).userId).toBeNull();
      expect(store.rows.size).toBe(0);
    });

    it('renews the expiry only after a tenth of the TTL has passed', async () => {
      const session = await sessions.load(undefined, 1);
      await sessions.login(session, 1, 42);
      clock.advanceMs(50_000);
      expect((await sessions.load(session.id, 1)).setCookie).toBeUndefined();
      clock.advanceMs(60_000);
      const renewed = await sessions.load(session.id, 1);
      expect(renewed.setCookie).toContain('Max-Age=1000');
      expect(store.rows.get(sha256Hex(session.id!))!.expiresAt).toEqual(new Date(clock.nowMs() + TTL_SECONDS * 1000));
    });

    it('renews the expiry without writing back the data it read', async () => {
      const session = await sessions.load(undefined, 1);
      await sessions.login(session, 1, 42);
      const other = await sessions.load(session.id, 1);
      clock.advanceMs(110_000);
      const read = store.get.bind(store);
      jest.spyOn(store, 'get').mockImplementationOnce(async (idHash) => {
        const row = await read(idHash);
        // Another request of the session writes between this one's read and its renewal.
        await sessions.merge(other, 1, 'checkout', { step: 1 });
        return row;
      });
      const renewed = await sessions.load(session.id, 1);
      expect(renewed.setCookie).toContain('Max-Age=1000');
      expect((await sessions.load(session.id, 1)).get('checkout')).toEqual({ step: 1 });
    });
  });

  describe('logout', () => {
    it('deletes the session and clears the cookie', async () => {
      const session = await sessions.load(undefined, 1);
      await sessions.login(session, 1, 42);
      const id = session.id;
      await sessions.logout(session);
      expect(session.setCookie).toMatch(/^osessionid=; Max-Age=0;/);
      expect(store.rows.size).toBe(0);
      expect((await sessions.load(id, 1)).userId).toBeNull();
    });
  });
});
