/**
 * Blocking waits on the queues' wake markers. A dedicated connection, since BLPOP holds it;
 * interrupt() unblocks it at once (config change, shutdown) with CLIENT UNBLOCK sent on the
 * main connection.
 */
import type { Redis } from 'ioredis';
import type { KeyCatalogue } from './keys.js';

export class WakeWaiter {
  private blocking: Redis | null = null;
  private blockingId: number | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly keys: KeyCatalogue,
    private readonly createBlocking: () => Redis,
  ) {}

  async wait(queues: string[], timeoutMs: number): Promise<string | null> {
    if (!this.blocking) {
      const conn = this.createBlocking();
      this.blocking = conn;
      const refreshId = () => {
        conn.client('ID').then(
          (id) => (this.blockingId = Number(id)),
          () => (this.blockingId = null),
        );
      };
      conn.on('ready', refreshId);
      if (conn.status === 'ready') refreshId();
    }
    if (queues.length === 0) {
      await new Promise((r) => setTimeout(r, timeoutMs));
      return null;
    }
    const conn = this.blocking;
    const reply = await conn.blpop(...queues.map((q) => this.keys.queue(q).wake), timeoutMs / 1000);
    if (reply) return this.keys.queueOf(reply[0]);
    await this.checkAlive(conn);
    return null;
  }

  /**
   * After a timed-out wait, prove the connection still answers; one that does not (a silently
   * dead socket) is dropped and reconnected, so the next wait can be woken again.
   */
  private async checkAlive(conn: Redis): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'dead'>((resolve) => (timer = setTimeout(() => resolve('dead'), 1000)));
    const alive = await Promise.race([
      conn.ping().then(
        () => 'alive' as const,
        () => 'dead' as const,
      ),
      timeout,
    ]);
    clearTimeout(timer);
    if (alive === 'dead') conn.disconnect(true);
  }

  async interrupt(): Promise<void> {
    if (this.blockingId !== null) await this.redis.client('UNBLOCK', this.blockingId).catch(() => undefined);
  }

  close(): void {
    this.blocking?.disconnect();
    this.blocking = null;
  }
}
