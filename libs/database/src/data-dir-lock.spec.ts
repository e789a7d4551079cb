import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireDataDirLock, DataDirInUseError, lockHolderOf, lockPathOf } from './data-dir-lock';

/** Another live process, standing in for a first launcher; bounded so that a failed test leaves nothing behind. */
function sleeper(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('spawn', () => {
      resolve(child);
    });
    child.once('error', reject);
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else
      child.once('exit', () => {
        resolve();
      });
  });
}

describe('acquireDataDirLock', () => {
  let root: string;
  let dataDir: string;
  const children: ChildProcess[] = [];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'data-dir-lock-'));
    dataDir = join(root, 'postgres');
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  it('locks a free folder for this process, beside the folder, and frees it on release', () => {
    const lock = acquireDataDirLock(dataDir);
    expect(lock.path).toBe(`${dataDir}.lock`);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(existsSync(dataDir)).toBe(false);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    acquireDataDirLock(dataDir).release();
  });

  it('refuses while the launcher holding the folder lives, naming the folder and the process, and leaves its lock', async () => {
    const first = await sleeper();
    children.push(first);
    const holder = lockHolderOf(first.pid!)!;
    acquireDataDirLock(dataDir, holder);
    const before = readFileSync(lockPathOf(dataDir), 'utf8');

    let refusal: unknown;
    try {
      acquireDataDirLock(dataDir);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DataDirInUseError);
    const message = (refusal as Error).message;
    expect(message).toContain(dataDir);
    expect(message).toContain(`pid ${first.pid}`);
    expect(message).toContain(holder.command);
    expect(message).toContain('EMBEDDED_POSTGRES_DIR');
    expect(readFileSync(lockPathOf(dataDir), 'utf8')).toBe(before);
  });

  it('takes over the lock of a launcher that was killed', async () => {
    const killed = await sleeper();
    acquireDataDirLock(dataDir, lockHolderOf(killed.pid!));
    killed.kill('SIGKILL');
    await exited(killed);

    const lock = acquireDataDirLock(dataDir);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('takes over a lock whose pid now belongs to another process (another start time)', async () => {
    const unrelated = await sleeper();
    children.push(unrelated);
    const holder = lockHolderOf(unrelated.pid!)!;
    if (holder.startTime === undefined) {
      process.stdout.write('pid-reuse case skipped: no /proc to read start times from\n');
      return;
    }
    writeFileSync(lockPathOf(dataDir), JSON.stringify({ ...holder, startTime: '1' }));
    const lock = acquireDataDirLock(dataDir);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('takes over a lock it cannot read', () => {
    writeFileSync(lockPathOf(dataDir), 'not json');
    const lock = acquireDataDirLock(dataDir);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('does not remove a lock that another launcher holds by now', async () => {
    const lock = acquireDataDirLock(dataDir);
    const other = await sleeper();
    children.push(other);
    const theirs = JSON.stringify(lockHolderOf(other.pid!));
    writeFileSync(lock.path, theirs);
    lock.release();
    expect(readFileSync(lockPathOf(dataDir), 'utf8')).toBe(theirs);
  });
});
