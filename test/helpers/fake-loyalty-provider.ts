import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExternalAccount, ExternalProfile } from '../../libs/loyalty-card/src/provider/loyalty-provider';

export type FakeFault = 'none' | 'slow' | 'error500' | 'malformed';

/**
 * A stand-in for an external loyalty system, speaking the wire format of docs/loyalty-provider.md on loopback.
 * Tests switch it into a fault (slow, 500, malformed body) and count the calls it received.
 */
export class FakeLoyaltyProvider {
  readonly accounts = new Map<string, ExternalAccount & { points: number }>();
  readonly calls: { method: string; path: string }[] = [];
  fault: FakeFault = 'none';
  slowMs = 5_000;
  /** With `slow`, answers also wait for this (a test holds them until it has looked at the app meanwhile). */
  hold: Promise<void> | undefined;
  private server: Server | undefined;
  private nextNumber = 3_839_200;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  }

  add(profile: ExternalProfile, points = 0): ExternalAccount {
    const account = { ...profile, account_number: String(this.nextNumber++), active: true, points };
    this.accounts.set(account.account_number, account);
    return account;
  }

  callsTo(pattern: RegExp): number {
    return this.calls.filter((c) => pattern.test(`${c.method} ${c.path}`)).length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    this.calls.push({ method: req.method ?? 'GET', path: url.pathname });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as ExternalProfile) : undefined;
    if (this.fault === 'slow') {
      await new Promise((resolve) => {
        setTimeout(resolve, this.slowMs).unref();
      });
      await this.hold;
    }
    if (this.fault === 'error500') {
      this.send(res, 500, { error: 'boom' });
      return;
    }
    if (this.fault === 'malformed') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end('{"results": [oops');
    }
    const match = /^\/accounts\/(?:([^/]+)\/)?(points\/|deactivate\/)?$/.exec(url.pathname);
    if (!match) {
      this.send(res, 404, {});
      return;
    }
    const [, number, action] = match;
    const public_ = (a: ExternalAccount & { points: number }): ExternalAccount => {
      const { points: _points, ...rest } = a;
      return rest;
    };
    if (!number && req.method === 'GET') {
      const email = url.searchParams.get('email')?.toLowerCase();
      const phone = url.searchParams.get('phone');
      const results = [...this.accounts.values()].filter(
        (a) => a.active && (a.email.toLowerCase() === email || (phone !== null && a.phone === phone)),
      );
      this.send(res, 200, { results: results.map(public_) });
      return;
    }
    if (!number && req.method === 'POST' && body) {
      this.send(res, 201, this.add(body));
      return;
    }
    const account = number ? this.accounts.get(decodeURIComponent(number)) : undefined;
    if (!account) {
      this.send(res, 404, {});
      return;
    }
    if (action === 'points/') {
      this.send(res, 200, { points: account.points });
      return;
    }
    if (action === 'deactivate/') {
      account.active = false;
      res.writeHead(204);
      return void res.end();
    }
    if (req.method === 'PUT' && body) Object.assign(account, body);
    this.send(res, 200, public_(account));
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}
