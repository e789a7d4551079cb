import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ADVISORY_LOCK_KEYS, LEASE_NAMES } from './lock-keys';

const ROOT = join(__dirname, '../../../..');

/** The project's TypeScript sources (libs and apps), tests left out. */
function sources(dir = ROOT, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, found);
    else if (name.endsWith('.ts') && !/\.(spec|[a-z]+-spec)\.ts$/.test(name)) found.push(path);
  }
  return found;
}

const files = ['libs', 'apps'].flatMap((top) => sources(join(ROOT, top)));
const keys: number[] = Object.values(ADVISORY_LOCK_KEYS);

describe('advisory-lock keys and lease names', () => {
  it('finds the sources it checks', () => {
    expect(files.some((f) => f.endsWith('migrations-runner.ts'))).toBe(true);
    expect(files.length).toBeGreaterThan(100);
  });

  it('gives every lock its own key', () => {
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(Number.isSafeInteger(key) && key > 0 && key <= 2_147_483_647).toBe(true);
  });

  it('takes advisory locks only on listed keys: a number in SQL is one of them, a parameter comes from the registry', () => {
    const strays: string[] = [];
    for (const file of files) {
      if (file.endsWith('lock-keys.ts')) continue;
      const text = readFileSync(file, 'utf8');
      for (const call of text.matchAll(/pg_(?:try_)?advisory_(?:xact_)?lock(?:_shared)?\(\s*([^,)]+)/g)) {
        const first = call[1].trim();
        const where = `${relative(ROOT, file)}: ${call[0]}`;
        if (/^\d+$/.test(first)) {
          if (!keys.includes(Number(first))) strays.push(`${where} (not in ADVISORY_LOCK_KEYS)`);
        } else if (/^\$\d+$/.test(first)) {
          if (!text.includes('ADVISORY_LOCK_KEYS.'))
            strays.push(`${where} (its key is not taken from ADVISORY_LOCK_KEYS)`);
        } else {
          strays.push(`${where} (a key that is neither a listed number nor a parameter)`);
        }
      }
    }
    expect(strays).toEqual([]);
  });

  it('names leases only through LEASE_NAMES', () => {
    const strays = files
      .filter((file) => !file.endsWith('lock-keys.ts'))
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/(?:withLease|tryAcquire|acquire)\(\s*[`'"][^`'"]*/g)].map(
          (m) => `${relative(ROOT, file)}: ${m[0]}`,
        ),
      );
    expect(strays).toEqual([]);
  });

  it('keeps the lease names the running instances share (a rename would let two versions run side by side)', () => {
    expect(LEASE_NAMES.orderPlacement(7)).toBe('checkout:user:7');
    expect(LEASE_NAMES.loyaltyCardEnrolment(7)).toBe('loyalty-card:user:7');
    expect(LEASE_NAMES.leader('order-recovery')).toBe('leader:order-recovery');
  });
});
