import { describe, expect, it } from 'vitest';
import { BackendError, codeForHttpStatus, httpError, networkError, toBackendError } from '../src/lib/backend/errors';
import { TEXTS, UNTRANSLATED } from '../src/lib/backend/generated/texts';
import { currentLocale, setLocale, translateEngine } from '../src/lib/i18n';

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

describe('engine texts in the UI language', () => {
  const tooLong = {
    code: 'invalid_input',
    message: 'the message is longer than 4096 characters',
    key: 'outbound.too_long',
    params: { max: '4096' },
  };

  it('renders a known key in English and in Portuguese', () => {
    expect(translateEngine('en', tooLong.key, tooLong.params, tooLong.message)).toBe(
      'the message is longer than 4096 characters',
    );
    expect(translateEngine('pt-BR', tooLong.key, tooLong.params, tooLong.message)).toBe(
      'a mensagem tem mais de 4096 caracteres',
    );
    expect(translateEngine('pt-BR', 'conversation.not_found', {}, 'conversation not found')).toBe(
      'conversa não encontrada',
    );
  });

  it('falls back to the message for an unknown key, an untranslated text or no key', () => {
    expect(translateEngine('pt-BR', 'nothing.like_this', {}, 'as the engine said')).toBe('as the engine said');
    expect(translateEngine('pt-BR', UNTRANSLATED, { text: '`base_url` is required' }, '`base_url` is required')).toBe(
      '`base_url` is required',
    );
    expect(translateEngine('pt-BR', undefined, undefined, 'plain')).toBe('plain');
  });

  it('leaves a placeholder whose parameter is missing', () => {
    expect(translateEngine('pt-BR', 'outbound.too_long', {}, 'x')).toBe('a mensagem tem mais de {max} caracteres');
  });

  it('builds errors whose message is in the current locale', () => {
    const before = currentLocale();
    try {
      setLocale('pt-BR');
      const e = toBackendError(tooLong);
      expect(e).toMatchObject({ code: 'invalid_input', key: 'outbound.too_long', params: { max: '4096' } });
      expect(e.message).toBe('a mensagem tem mais de 4096 caracteres');
      expect(e.englishMessage).toBe('the message is longer than 4096 characters');
      expect(httpError(422, '', JSON.stringify(tooLong)).message).toBe('a mensagem tem mais de 4096 caracteres');
      const untranslated = toBackendError({
        code: 'invalid_input',
        message: '`base_url` is required',
        key: UNTRANSLATED,
        params: { text: '`base_url` is required' },
      });
      expect(untranslated.message).toBe('`base_url` is required');
      expect(toBackendError({ code: 'x', message: 'no key at all' }).message).toBe('no key at all');
      setLocale('en');
      expect(toBackendError(tooLong).message).toBe('the message is longer than 4096 characters');
    } finally {
      setLocale(before);
    }
  });

  it('has every catalog entry in both locales with the same placeholders', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, entry] of Object.entries(TEXTS)) {
      expect(entry.en, key).not.toBe('');
      expect(entry['pt-BR'], key).not.toBe('');
      expect(names(entry['pt-BR']), key).toEqual(names(entry.en));
    }
  });
});
