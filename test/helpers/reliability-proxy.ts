/**
 * A fault-injecting TCP proxy (node:net) for the network-fault tests: processes connect to it
 * instead of Redis. It forwards bytes by hand (no pipe()), so it can
 *   - drop connections with a TCP reset (and refuse new ones for a while),
 *   - stall them: hold every byte in both directions, then deliver it all on resume,
 *   - black-hole them: swallow every byte forever without closing (a silent half-open peer, as
 *     after a NAT or firewall forgets the flow).
 * Each connection is tagged with the name the client gives itself (CLIENT SETNAME, which ioredis
 * sends for `connectionName`), so faults can target e.g. only the workers' blocking connections.
 */
import { createServer, Socket, type Server } from 'node:net';

type State = 'open' | 'stalled' | 'blackhole';

export class ProxiedConnection {
  name: string | null = null;
  state: State = 'open';
  readonly openedAt = Date.now();
  closed = false;
  private sniffed = '';
  private readonly held: Array<{ to: Socket; chunk: Buffer }> = [];

  constructor(
    readonly client: Socket,
    readonly upstream: Socket,
  ) {
    client.on('data', (chunk: Buffer) => {
      if (this.name === null && this.sniffed.length < 4096) {
        this.sniffed += chunk.toString('latin1');
        const m = /setname\r\n\$\d+\r\n([^\r]+)\r\n/i.exec(this.sniffed);
        if (m) this.name = m[1] as string;
      }
      this.forward(upstream, chunk);
    });
    upstream.on('data', (chunk: Buffer) => this.forward(client, chunk));
    const close = () => this.destroy(false);
    for (const s of [client, upstream]) {
      s.on('error', () => undefined);
      s.on('close', close);
    }
  }

  private forward(to: Socket, chunk: Buffer): void {
    if (this.state === 'blackhole') return;
    if (this.state === 'stalled') this.held.push({ to, chunk });
    else if (!to.destroyed) to.write(chunk);
  }

  stall(): void {
    if (this.state === 'open') this.state = 'stalled';
  }

  blackhole(): void {
    this.state = 'blackhole';
    this.held.length = 0;
  }

  resume(): void {
    if (this.state !== 'stalled') return;
    this.state = 'open';
    for (const { to, chunk } of this.held.splice(0)) if (!to.destroyed) to.write(chunk);
  }

  /** Reset (RST) both sides; `false` just closes both after the other side went away. */
  destroy(reset = true): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [this.client, this.upstream]) {
      if (reset && typeof s.resetAndDestroy === 'function') s.resetAndDestroy();
      else s.destroy();
    }
  }
}

export class FaultProxy {
  readonly connections = new Set<ProxiedConnection>();
  /** Every connection ever accepted (for figures). */
  accepted = 0;
  private refuseUntil = 0;
  private server: Server | null = null;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<void> {
    this.server = createServer((client) => {
      client.on('error', () => undefined);
      if (Date.now() < this.refuseUntil) {
        client.resetAndDestroy();
        return;
      }
      this.accepted++;
      const upstream = new Socket();
      upstream.on('error', () => undefined);
      upstream.connect(this.targetPort, this.targetHost);
      client.setNoDelay(true);
      upstream.setNoDelay(true);
      const conn = new ProxiedConnection(client, upstream);
      this.connections.add(conn);
      const forget = () => this.connections.delete(conn);
      client.on('close', forget);
      upstream.on('close', forget);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
  }

  /** Live connections, optionally only those whose client name matches. */
  live(match?: (name: string | null) => boolean): ProxiedConnection[] {
    return [...this.connections].filter((c) => !c.closed && (!match || match(c.name)));
  }

  /** Count of live, named connections per name. */
  byName(): Map<string, number> {
    const m = new Map<string, number>();
    for (const c of this.live()) if (c.name) m.set(c.name, (m.get(c.name) ?? 0) + 1);
    return m;
  }

  /** RST the matching connections; with `refuseMs`, new connections are reset too for that long. */
  drop(match?: (name: string | null) => boolean, refuseMs = 0): number {
    if (refuseMs > 0) this.refuseUntil = Date.now() + refuseMs;
    const victims = this.live(match);
    for (const c of victims) c.destroy(true);
    return victims.length;
  }

  stall(match?: (name: string | null) => boolean): ProxiedConnection[] {
    const victims = this.live(match);
    for (const c of victims) c.stall();
    return victims;
  }

  blackhole(match?: (name: string | null) => boolean): ProxiedConnection[] {
    const victims = this.live(match);
    for (const c of victims) c.blackhole();
    return victims;
  }

  resume(conns?: ProxiedConnection[]): void {
    for (const c of conns ?? this.live()) c.resume();
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.destroy(false);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
