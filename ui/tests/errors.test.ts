import { describe, expect, it } from 'vitest';
import { BackendError, codeForHttpStatus, httpError, networkError, toBackendError } from '../src/lib/backend/errors';

describe('toBackendError', () => {
  it('keeps {code, message} objects (Tauri invoke rejections)', () => {
    const e = toBackendError({ code: 'invalid_settings', message: 'number is invalid' });
    expect(e).toBeInstanceOf(BackendError);
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('invalid_settings');
    expect(e.message).toBe('number is invalid');
  });

  it('passes BackendError through unchanged', () => {
    const orig = new BackendError('x', 'y');
    expect(toBackendError(orig)).toBe(orig);
  });

  it('maps plain strings (Tauri-level errors) to internal', () => {
    const e = toBackendError('command list_foo not found');
    expect(e.code).toBe('internal');
    expect(e.message).toBe('command list_foo not found');
  });

  it('maps Error and unknown values', () => {
    expect(toBackendError(new TypeError('boom'))).toMatchObject({ code: 'internal', message: 'boom' });
    expect(toBackendError(42)).toMatchObject({ code: 'internal', message: 'Unknown error' });
    expect(toBackendError(null).code).toBe('internal');
    expect(toBackendError({ code: 1, message: 'not a string code' }).code).toBe('internal');
  });
});

describe('httpError', () => {
  it('uses the JSON {code, message} body', () => {
    const e = httpError(422, 'Unprocessable Entity', '{"code":"validation","message":"base_url must be http(s)"}');
    expect(e).toMatchObject({ code: 'validation', message: 'base_url must be http(s)' });
  });

  it('accepts a wrapped {error: {code, message}} body', () => {
    expect(httpError(400, '', '{"error":{"code":"bad","message":"nope"}}')).toMatchObject({
      code: 'bad',
      message: 'nope',
    });
  });

  it('falls back to the status when the body is not an ApiError', () => {
    expect(httpError(401, 'Unauthorized', '')).toMatchObject({
      code: 'unauthorized',
      message: 'HTTP 401 Unauthorized',
    });
    expect(httpError(404, 'Not Found', '{"unexpected":true}')).toMatchObject({ code: 'not_found' });
    expect(httpError(502, 'Bad Gateway', '<html>proxy error</html>')).toMatchObject({
      code: 'bad_gateway',
      message: 'HTTP 502 Bad Gateway',
    });
    expect(httpError(500, '', 'database is locked')).toMatchObject({
      code: 'server_error',
      message: 'database is locked',
    });
    expect(httpError(418, '', '')).toMatchObject({ code: 'http_error', message: 'HTTP 418' });
  });

  it('maps status codes', () => {
    expect(codeForHttpStatus(403)).toBe('forbidden');
    expect(codeForHttpStatus(409)).toBe('conflict');
    expect(codeForHttpStatus(599)).toBe('server_error');
  });
});

describe('networkError', () => {
  it('reports unreachable servers as network errors', () => {
    const e = networkError(new TypeError('Failed to fetch'));
    expect(e.code).toBe('network');
    expect(e.message).toContain('Failed to fetch');
  });

  it('reports aborts separately', () => {
    const abort = new Error('The operation was aborted');
    abort.name = 'AbortError';
    expect(networkError(abort).code).toBe('aborted');
  });
});
