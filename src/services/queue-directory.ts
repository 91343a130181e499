/**
 * Cached view of the queue/role configuration for hot paths (submission checks, worker limits).
 * Invalidated by ConfigWatcher events, so changes are seen within a second with no SQL per call.
 */
import { queueLimits, type QueueConfig, type QueueLimits } from '../domain/queue-config.js';
import type { ConfigStore } from '../ports/config-store.js';

export class QueueDirectory {
  private configs: Map<string, QueueConfig> | null = null;
  private loading: Promise<Map<string, QueueConfig>> | null = null;
  private readonly roles = new Map<string, Promise<string[]>>();

  constructor(private readonly config: ConfigStore) {}

  invalidate(): void {
    this.configs = null;
    this.loading = null;
    this.roles.clear();
  }

  private async all(): Promise<Map<string, QueueConfig>> {
    if (this.configs) return this.configs;
    if (!this.loading) {
      this.loading = this.config.listQueueConfigs().then((list) => {
        const map = new Map(list.map((c) => [c.name, c]));
        this.configs = map;
        return map;
      });
      this.loading.catch(() => (this.loading = null));
    }
    return this.loading;
  }

  async exists(queue: string): Promise<boolean> {
    return (await this.all()).has(queue);
  }

  /** exists() without waiting: null when the queue list is not loaded (then call exists()). */
  existsCached(queue: string): boolean | null {
    return this.configs ? this.configs.has(queue) : null;
  }

  async get(queue: string): Promise<QueueConfig | null> {
    return (await this.all()).get(queue) ?? null;
  }

  async limits(queue: string): Promise<QueueLimits> {
    return queueLimits(await this.get(queue));
  }

  async queueNames(): Promise<string[]> {
    return [...(await this.all()).keys()].sort();
  }

  async roleQueues(role: string): Promise<string[]> {
    let p = this.roles.get(role);
    if (!p) {
      p = this.config.getRoleQueues(role);
      this.roles.set(role, p);
      p.catch(() => this.roles.delete(role));
    }
    return p;
  }
}
