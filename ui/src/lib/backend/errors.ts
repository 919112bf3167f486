import type { ApiError } from './types';

/** Every failed backend call rejects with a BackendError (code + human message). */
export class BackendError extends Error implements ApiError {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
  }
}

function isApiError(v: unknown): v is ApiError {
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
  if (isApiError(err)) return new BackendError(err.code, err.message);
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
      if (isApiError(parsed)) return new BackendError(parsed.code, parsed.message);
      // Some servers wrap it: {"error": {code, message}}
      const inner = (parsed as { error?: unknown } | null)?.error;
      if (isApiError(inner)) return new BackendError(inner.code, inner.message);
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
