/**
 * Queue and role configuration (spec §4). The SQL implementation lives in src/config/.
 *
 * Roles are sets of queues. The role `default` always exists and contains the queue `default`
 * after the first migration; unlike the original it is an ordinary role that operators may edit.
 */
import type { QueueConfig, RoleConfig } from '../domain/queue-config.js';

export interface ConfigStore {
  /** Queue names, sorted. */
  listQueues(): Promise<string[]>;
  getQueue(name: string): Promise<QueueConfig | null>;
  /** Every queue with its configuration, sorted by name. */
  listQueueConfigs(): Promise<QueueConfig[]>;
  /** Insert; throws ERRORS.queueExists when the name is taken. */
  createQueue(config: QueueConfig): Promise<QueueConfig>;
  /** Insert or update by name (race-free upsert). */
  saveQueue(config: QueueConfig): Promise<QueueConfig>;
  /** Deletes the queue and its role memberships; returns false when it did not exist. */
  deleteQueue(name: string): Promise<boolean>;

  /** Role names, sorted. */
  listRoles(): Promise<string[]>;
  /** Null when the role does not exist. Queue names sorted. */
  getRole(name: string): Promise<RoleConfig | null>;
  /** Insert; throws ERRORS.roleExists when the role exists (with or without queues). */
  createRole(role: RoleConfig): Promise<RoleConfig>;
  /**
   * Insert or replace the role's queue set in one transaction. Throws ERRORS.unknownQueue naming
   * the missing queues when any does not exist (nothing is written then).
   */
  saveRole(role: RoleConfig): Promise<RoleConfig>;
  /** Returns false when it did not exist. Queues are kept. */
  deleteRole(name: string): Promise<boolean>;
  /** Queue names of a role, sorted; empty for an unknown role. */
  getRoleQueues(role: string): Promise<string[]>;

  /** Quick connectivity check for /healthz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
