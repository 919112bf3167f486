// The search box's state: the form, results as the agent types (debounced; an answer to an
// older query never replaces a newer one's) and the error the engine gave.

import { toBackendError } from '../backend/errors';
import type { Backend, SearchResults } from '../backend/types';
import { EMPTY_FORM, toQuery, type SearchForm } from './logic';

export const SEARCH_DELAY_MS = 200;

export class SearchState {
  form = $state<SearchForm>({ ...EMPTY_FORM });
  results = $state.raw<SearchResults | null>(null);
  /** The query the results (or the error) answer. */
  answered = $state('');
  loading = $state(false);
  error = $state<string | null>(null);

  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly backend: Pick<Backend, 'search'>;
  private readonly delayMs: number;

  constructor(backend: Pick<Backend, 'search'>, delayMs = SEARCH_DELAY_MS) {
    this.backend = backend;
    this.delayMs = delayMs;
  }

  /** Call after any change to the form: searches once the agent pauses. */
  changed(): void {
    clearTimeout(this.timer);
    if (!this.form.query.trim()) {
      this.seq++;
      this.results = null;
      this.error = null;
      this.loading = false;
      this.answered = '';
      return;
    }
    this.loading = true;
    this.timer = setTimeout(() => void this.run(), this.delayMs);
  }

  async run(): Promise<void> {
    clearTimeout(this.timer);
    const seq = ++this.seq;
    const query = toQuery(this.form);
    this.loading = true;
    try {
      const results = await this.backend.search(query);
      if (seq !== this.seq) return;
      this.results = results;
      this.error = null;
    } catch (err) {
      if (seq !== this.seq) return;
      this.results = null;
      this.error = toBackendError(err).message;
    } finally {
      if (seq === this.seq) {
        this.loading = false;
        this.answered = query.query;
      }
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.seq++;
  }
}
