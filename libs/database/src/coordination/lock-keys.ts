/**
 * Every PostgreSQL advisory-lock key and lease name of the service, in one place: two features that picked the
 * same key would wait for each other (or, for a lease, run as if they held each other's), and nothing else in
 * the code would say so. A new lock takes a key here; `lock-keys.spec.ts` checks the keys are distinct and that no
 * statement or migration takes an advisory lock on a key not listed here.
 *
 * Keys are arbitrary fixed numbers. A two-key lock (`pg_advisory_xact_lock(key, id)`) uses its key as the class
 * and the id as the member.
 */
export const ADVISORY_LOCK_KEYS = {
  /** Migrations of instances booting together run once (a session lock, held around `runMigrations`). */
  migrations: 72_310_417,
  /** Geography imports run one after the other (transaction lock). */
  geographyImport: 48_311_311,
  /** A user's address writes (two keys: this class and the user's id), so the address cap holds under concurrency. */
  addressWrites: 48_311_207,
  /**
   * What reads then writes the refund totals of one order (payment, refund, cross-refund): two keys, this class
   * ("LOYD") and `hashtext(channel || ':' || order number)`. The ledger's SQL functions take it too (migrations
   * 1765020000000 and 1765030000000 write the number out: a migration's text never changes).
   */
  orderRefunds: 0x4c4f5944,
} as const;

/** Lease names (`Leases`, the `lease` table): one per kind of work serialised across instances. */
export const LEASE_NAMES = {
  /** One customer's order placements: final checkout posts and the recovery worker alike. */
  orderPlacement: (userId: number): string => `checkout:user:${userId}`,
  /** One customer's loyalty-card enrolments (search, create, link with the provider). */
  loyaltyCardEnrolment: (userId: number): string => `loyalty-card:user:${userId}`,
  /** The leader of a periodic task run by one instance at a time (LeaderElection). */
  leader: (task: string): string => `leader:${task}`,
} as const;
