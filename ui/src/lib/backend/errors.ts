import { currentLocale, translateEngine } from '../i18n';

/** What the engine sends when a command fails: a code, its English message, and the text's key and params. */
export interface ErrorPayload {
  code: string;
  message: string;
  key?: string;
  params?: Record<string, string>;
}

/**
 * Every failed backend call rejects with a BackendError: a code and a human message. When the
 * engine sent its text as a key with params, `message` is that text in the UI's language (at the
 * time the error was made); `englishMessage` keeps the engine's own wording.
 */
export class BackendError extends Error {
  readonly code: string;
  readonly key: string | undefined;
  readonly params: Record<string, string>;
  readonly englishMessage: string;

  constructor(code: string, message: string, key?: string, params?: Record<string, string>) {
    super(translateEngine(currentLocale(), key, params, message));
    this.name = 'BackendError';
    this.code = code;
    this.key = key;
    this.params = params ?? {};
    this.englishMessage = message;
  }

  /** An error body from the engine (`ErrorBody`), its text rendered in the UI's language. */
  static fromPayload(p: ErrorPayload): BackendError {
    const key = typeof p.key === 'string' ? p.key : undefined;
    return new BackendError(p.code, p.message, key, isStringRecord(p.params) ? p.params : undefined);
  }
}

function isStringRecord(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'string');
}

function isApiError(v: unknown): v is ErrorPayload {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { code?: unknown }).code === 'string' &&
    typeof (v as { message?: unknown }).message === 'string'
  );
}

/** Map anything thrown/rejected (IPC payload, Error, string) to a BackendError. */
export function toBackendError(err: unknown): BackendError {
  if (err instanceof BackendError) return err;
  if (isApiError(err)) return BackendError.fromPayload(err);
  if (typeof err === 'string') return new BackendError('internal', err || 'Unknown error');
  if (err instanceof Error) {
    if (err.name === 'AbortError') return new BackendError('aborted', err.message);
    return new BackendError('internal', err.message || err.name);
  }
  return new BackendError('internal', 'Unknown error');
}

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'invalid',
  429: 'rate_limited',
  502: 'bad_gateway',
  503: 'unavailable',
  504: 'timeout',
};

/** Fallback code for an HTTP status whose body was not a JSON {code, message}. */
export function codeForHttpStatus(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'server_error' : 'http_error');
}

/**
 * Build the error for a failed HTTP response from its status and raw body text.
 * A JSON {code, message} body wins; otherwise the status decides the code.
 */
export function httpError(status: number, statusText: string, bodyText: string): BackendError {
  const trimmed = bodyText.trim();
  if (trimmed) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (isApiError(parsed)) return BackendError.fromPayload(parsed);
      // Some servers wrap it: {"error": {code, message}}
      const inner = (parsed as { error?: unknown } | null)?.error;
      if (isApiError(inner)) return BackendError.fromPayload(inner);
    } catch {
      // not JSON: fall through
    }
  }
  const message =
    trimmed && trimmed.length <= 300 && !trimmed.startsWith('<')
      ? trimmed
      : `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  return new BackendError(codeForHttpStatus(status), message);
}

/** fetch() itself rejected: the server could not be reached. */
export function networkError(err: unknown): BackendError {
  if (err instanceof Error && err.name === 'AbortError') {
    return new BackendError('aborted', 'Request aborted');
  }
  const detail = err instanceof Error && err.message ? `: ${err.message}` : '';
  return new BackendError('network', `Cannot reach the inbox service${detail}`);
}
