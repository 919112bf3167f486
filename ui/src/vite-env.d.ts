/// <reference types="svelte" />
/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Optional inboxd base URL for the HTTP backend (default: same origin). */
  readonly VITE_INBOXD_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
