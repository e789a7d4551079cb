import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of the processes named `postgres` on this machine (the database servers' backends), read from /proc
 * (Linux; NaN elsewhere). A run's database CPU is the difference of two readings: a backend that starts during the
 * run counts from zero, one that ends during it is lost (the benchmarks' pools keep theirs for the whole run). On a
 * shared server this includes other clients' work: read it on a quiet machine.
 */
export function postgresCpu(): Map<number, number> {
  const ticks = new Map<number, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return ticks;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (command !== 'postgres') continue;
      // utime and stime: the 14th and 15th fields, counted after the parenthesised command name.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(Number(pid), Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return ticks;
}

/** Milliseconds of postgres CPU between two readings (NaN when /proc could not be read). */
export function postgresCpuMsBetween(before: Map<number, number>, after: Map<number, number>): number {
  if (after.size === 0) return Number.NaN;
  let ticks = 0;
  for (const [pid, now] of after) ticks += now - (before.get(pid) ?? 0);
  return ticks * 10; // USER_HZ is 100 on Linux: a tick is 10 ms.
}
