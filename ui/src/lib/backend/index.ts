// Picks the backend: Tauri IPC inside the desktop shell, inboxd HTTP otherwise.
// Components import from here (types + getBackend) and never from the
// implementations directly.

import { createHttpBackendFromWindow } from './http';
import { TauriBackend, tauriStartup, type Startup } from './tauri';
import type { Backend } from './types';

export type { Startup } from './tauri';

export * from './types';
export { BackendError, toBackendError } from './errors';

export function isTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

let instance: Backend | null = null;

export function getBackend(): Backend {
  if (!instance) {
    instance = isTauri() ? new TauriBackend() : createHttpBackendFromWindow(import.meta.env.VITE_INBOXD_URL);
  }
  return instance;
}

/**
 * The desktop shell's start-up calls (why the engine did not open; what to do about it), or
 * null behind inboxd, which serves the UI only once its engine is open.
 */
export function getStartup(): Startup | null {
  return isTauri() ? tauriStartup : null;
}
