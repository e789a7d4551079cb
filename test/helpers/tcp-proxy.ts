import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a server the tests share (PostgreSQL), so that a test can make that server look
 * frozen or unreachable to one app without touching the server itself. Frozen: bytes are held, in both directions,
 * until thawed (a query or a connection handshake gets no answer). Refusing: every connection is cut and new ones
 * are refused, as when the server is down.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private readonly held: (() => void)[] = [];
  private frozen = false;
  private server: Server | undefined;

  private constructor(
    private readonly target: { host: string; port: number },
    public port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target, 0);
    await proxy.listen(0);
    return proxy;
  }

  /** `postgres://user@host:port/db` of the target, through this proxy. */
  url(targetUrl: string): string {
    const url = new URL(targetUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
    for (const deliver of this.held.splice(0)) deliver();
  }

  /** Cuts every connection and refuses new ones until `accept()`. */
  async refuse(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.held.length = 0;
    if (server)
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
  }

  async accept(): Promise<void> {
    await this.listen(this.port);
  }

  close(): Promise<void> {
    return this.refuse();
  }

  private listen(port: number): Promise<void> {
    const server = createServer((client) => {
      this.pair(client);
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.port = (server.address() as { port: number }).port;
        this.server = server;
        resolve();
      });
    });
  }

  private pair(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(from);
      from.on('data', (chunk: Buffer) => {
        const deliver = (): void => {
          if (!to.destroyed) to.write(chunk);
        };
        if (this.frozen) this.held.push(deliver);
        else deliver();
      });
      from.on('error', () => undefined);
      from.on('close', () => {
        this.sockets.delete(from);
        to.destroy();
      });
    }
  }
}
