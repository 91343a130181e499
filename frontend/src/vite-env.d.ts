/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Prefix of the Manager API (default `/api`). */
  readonly VITE_API_BASE?: string;
}
