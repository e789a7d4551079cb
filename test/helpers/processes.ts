import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { Env } from '@app/common';

/** A port free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** Polls `probe` until it gives a value; fails after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when the process had exited. */
  atMs: number;
}

/** A child node process whose output is collected. */
export class NodeProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  private text = '';

  constructor(script: string, env: Env, options: { detached?: boolean } = {}) {
    this.child = spawn(process.execPath, [script], {
      env,
      // detached: a process group of its own, as a terminal gives a command (signals to -pid reach all of it).
      detached: options.detached ?? false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        resolve({ code, signal, atMs: Date.now() });
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  get output(): string {
    return this.text;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits for `text` in the output; fails early if the process exits first. */
  async waitFor(text: string, timeoutMs = 30_000): Promise<void> {
    await until(
      `"${text}" in the output of ${this.pid}`,
      () => {
        if (this.text.includes(text)) return Promise.resolve(true);
        if (!this.running) return Promise.reject(new Error(`process ${this.pid} exited:\n${this.text}`));
        return Promise.resolve(undefined);
      },
      timeoutMs,
    );
  }

  /** Waits for the exit, at most `timeoutMs`; undefined if it still runs. */
  async exit(timeoutMs: number): Promise<Exit | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        resolve(undefined);
      }, timeoutMs);
    });
    const result = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    return result;
  }

  /** Test clean-up: the process (and its group, when detached) is killed outright. */
  kill(): void {
    if (!this.running) return;
    try {
      this.child.kill('SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
