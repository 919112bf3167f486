// Canned responses and the inbox's settings, one copy per backend shared by the composer, the
// message menu and the dialogs. Talks to the engine only through the Backend interface.

import { toBackendError } from '../backend/errors';
import type {
  AppSettings,
  AppSettingsPatch,
  Backend,
  CannedResponse,
  CannedResponseInput,
  FilledCannedResponse,
} from '../backend/types';
import { useInbox } from '../inbox/store.svelte';

export class CannedStore {
  readonly backend: Backend;
  /** null until loaded. */
  list = $state.raw<CannedResponse[] | null>(null);
  error = $state<string | null>(null);
  settings = $state.raw<AppSettings | null>(null);

  constructor(backend: Backend) {
    this.backend = backend;
  }

  /** Loads (again) the list; a failure is kept in `error`. */
  async load(): Promise<void> {
    try {
      this.list = await this.backend.listCannedResponses();
      this.error = null;
    } catch (err) {
      this.error = toBackendError(err).message;
    }
  }

  async create(input: CannedResponseInput): Promise<CannedResponse> {
    const created = await this.backend.createCannedResponse(input);
    await this.load();
    return created;
  }

  async update(id: string, input: CannedResponseInput): Promise<CannedResponse> {
    const updated = await this.backend.updateCannedResponse(id, input);
    await this.load();
    return updated;
  }

  async remove(id: string): Promise<void> {
    await this.backend.deleteCannedResponse(id);
    await this.load();
  }

  fill(id: string, conversationId: string): Promise<FilledCannedResponse> {
    return this.backend.fillCannedResponse(id, conversationId);
  }

  async loadSettings(): Promise<AppSettings> {
    this.settings = await this.backend.getSettings();
    return this.settings;
  }

  async saveSettings(patch: AppSettingsPatch): Promise<AppSettings> {
    this.settings = await this.backend.updateSettings(patch);
    return this.settings;
  }
}

const stores = new WeakMap<Backend, CannedStore>();

/** The canned responses of the inbox in context (created on first use). */
export function useCanned(): CannedStore {
  const backend = useInbox().backend;
  let store = stores.get(backend);
  if (!store) {
    store = new CannedStore(backend);
    stores.set(backend, store);
  }
  return store;
}
