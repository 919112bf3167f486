// The template libraries the UI has read, per account, shared by the composer's picker and the
// templates manager. Talks to the engine only through the Backend interface. One store per
// backend (a WeakMap), so no context needs setting up.

import { toBackendError } from '../backend/errors';
import type { Backend, LibraryTemplate, LibraryTemplateInput, TemplateImportPreview } from '../backend/types';

export interface Library {
  /** null until loaded. */
  templates: LibraryTemplate[] | null;
  error: string | null;
  loading: boolean;
}

const sortByName = (list: LibraryTemplate[]) =>
  [...list].sort((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language));

export class TemplateStore {
  readonly backend: Backend;
  libraries = $state<Record<string, Library>>({});

  constructor(backend: Backend) {
    this.backend = backend;
  }

  library(accountId: string): Library {
    return this.libraries[accountId] ?? { templates: null, error: null, loading: false };
  }

  /** Reads an account's library (again). */
  async load(accountId: string): Promise<void> {
    const before = this.library(accountId);
    this.libraries[accountId] = { ...before, loading: true };
    try {
      const templates = sortByName(await this.backend.listTemplates(accountId));
      this.libraries[accountId] = { templates, error: null, loading: false };
    } catch (err) {
      this.libraries[accountId] = { ...before, error: toBackendError(err).message, loading: false };
    }
  }

  /** Reads the library once. */
  ensure(accountId: string): void {
    const l = this.library(accountId);
    if (l.templates === null && !l.loading) void this.load(accountId);
  }

  private put(accountId: string, t: LibraryTemplate) {
    const list = (this.library(accountId).templates ?? []).filter((x) => x.id !== t.id);
    this.libraries[accountId] = { templates: sortByName([...list, t]), error: null, loading: false };
  }

  /** Throws the engine's error (shown by the editor). */
  async create(accountId: string, input: LibraryTemplateInput): Promise<LibraryTemplate> {
    const t = await this.backend.createTemplate(accountId, input);
    this.put(accountId, t);
    return t;
  }

  async update(accountId: string, id: string, input: LibraryTemplateInput): Promise<LibraryTemplate> {
    const t = await this.backend.updateTemplate(id, input);
    this.put(accountId, t);
    return t;
  }

  async remove(accountId: string, id: string): Promise<void> {
    await this.backend.deleteTemplate(id);
    const list = (this.library(accountId).templates ?? []).filter((x) => x.id !== id);
    this.libraries[accountId] = { templates: list, error: null, loading: false };
  }

  previewImport(accountId: string, content: string): Promise<TemplateImportPreview> {
    return this.backend.previewTemplateImport(accountId, content);
  }

  async import(accountId: string, content: string): Promise<LibraryTemplate[]> {
    const templates = sortByName(await this.backend.importTemplates(accountId, content));
    this.libraries[accountId] = { templates, error: null, loading: false };
    return templates;
  }
}

const stores = new WeakMap<Backend, TemplateStore>();

/** The template store of a backend (the directory's, in components). */
export function templateStore(backend: Backend): TemplateStore {
  let s = stores.get(backend);
  if (!s) {
    s = new TemplateStore(backend);
    stores.set(backend, s);
  }
  return s;
}
