import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * One launcher per embedded PostgreSQL data folder (issue 15, item 6). The launcher that starts a server on a folder
 * holds `<folder>.lock` (beside the folder: initdb wants the folder itself empty) naming its process. A second
 * launcher on the same folder refuses while that process lives, instead of taking the first one's live server for a
 * leftover and stopping it; a lock whose process is gone (a killed run) is taken over, and the leftover server then
 * stopped as before.
 */

/** A process as the lock names it: its start time tells a live holder from an unrelated process that reused the pid. */
export interface LockHolder {
  pid: number;
  /** Clock ticks since boot (`/proc/<pid>/stat`, field 22); unknown without /proc (macOS): the pid alone is trusted. */
  startTime?: string;
  command: string;
}

export interface DataDirLock {
  readonly path: string;
  /** Removes the lock if it is still ours; safe to call more than once. */
  release(): void;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded PostgreSQL data folder ${dataDir} is in use by another running launcher ` +
        `(pid ${holder.pid}: ${holder.command}). Stop that one first (Ctrl-C in its terminal, or kill ${holder.pid}), ` +
        `or point this one at another folder with EMBEDDED_POSTGRES_DIR.`,
    );
    this.name = 'DataDirInUseError';
  }
}

const COMMAND_LENGTH_MAX = 200;
/** Rounds of "the lock exists, but its holder is gone: take it over" before giving up; each round is a few syscalls. */
const TAKEOVER_ATTEMPTS_MAX = 5;

export function lockPathOf(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, '')}.lock`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function startTimeOf(pid: number): string | undefined {
  try {
    // The command name (field 2) may hold spaces and parentheses: count the fields after its closing one.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function commandOf(pid: number): string {
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return command.slice(0, COMMAND_LENGTH_MAX) || 'unknown command';
  } catch {
    return pid === process.pid ? process.argv.join(' ').slice(0, COMMAND_LENGTH_MAX) : 'unknown command';
  }
}

/** The lock's view of a running process; undefined when no such process runs. */
export function lockHolderOf(pid: number): LockHolder | undefined {
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  return { pid, startTime: startTimeOf(pid), command: commandOf(pid) };
}

/** Whether the process a lock names still runs (the same process: a reused pid has another start time). */
export function isHolderAlive(holder: LockHolder): boolean {
  const now = lockHolderOf(holder.pid);
  if (!now) return false;
  return holder.startTime === undefined || now.startTime === undefined || holder.startTime === now.startTime;
}

function readHolder(path: string): { text: string; holder: LockHolder | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.command !== 'string') return { text, holder: undefined };
    const startTime = typeof parsed.startTime === 'string' ? parsed.startTime : undefined;
    return { text, holder: { pid: parsed.pid, startTime, command: parsed.command } };
  } catch {
    // Unreadable content: not a live launcher's (its file is written whole before it appears, see below).
    return { text, holder: undefined };
  }
}

/**
 * Takes the folder's lock for `holder` (this process unless a test names another), or throws DataDirInUseError
 * naming the live launcher that has it.
 */
export function acquireDataDirLock(dataDir: string, holder: LockHolder = lockHolderOf(process.pid)!): DataDirLock {
  const path = lockPathOf(dataDir);
  const content = `${JSON.stringify(holder)}\n`;
  const staging = `${path}.${process.pid}.${Date.now().toString(36)}`;
  for (let attempt = 0; attempt < TAKEOVER_ATTEMPTS_MAX; attempt++) {
    // Written whole under another name, then linked into place: link fails if the lock exists, so exactly one of
    // two launchers starting together wins, and a reader never sees a half-written lock.
    writeFileSync(staging, content, { mode: 0o644 });
    try {
      linkSync(staging, path);
      return ownLock(path, content);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(staging, { force: true });
    }
    const found = readHolder(path);
    if (!found) continue; // released meanwhile
    if (found.holder && isHolderAlive(found.holder)) throw new DataDirInUseError(dataDir, found.holder);
    // Left by a launcher that is gone. Moved aside before it is removed, and checked to be the file judged stale:
    // a launcher that took it over a moment ago must not lose its fresh lock to us.
    const aside = `${path}.stale.${process.pid}.${attempt}`;
    try {
      renameSync(path, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const moved = readFileSync(aside, 'utf8');
    if (moved !== found.text) {
      try {
        linkSync(aside, path);
      } catch {
        // Yet another launcher holds it now; the next round reads that one.
      }
    }
    rmSync(aside, { force: true });
  }
  throw new Error(`Could not lock ${dataDir} (${path}): it changed hands ${TAKEOVER_ATTEMPTS_MAX} times`);
}

function ownLock(path: string, content: string): DataDirLock {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    try {
      if (readFileSync(path, 'utf8') === content) rmSync(path, { force: true });
    } catch {
      // Gone already.
    }
  };
  // A launcher that exits without stopping its server (a failed start, an uncaught error) frees the folder too.
  process.on('exit', release);
  return { path, release };
}
