import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
vi.mock('@tauri-apps/api/event', () => ({ listen: () => Promise.resolve(() => {}) }));
vi.mock('@tauri-apps/plugin-opener', () => ({ openUrl: vi.fn() }));

const { tauriStartup } = await import('../src/lib/backend/tauri');
const { getStartup } = await import('../src/lib/backend');
const { BackendError } = await import('../src/lib/backend/errors');

beforeEach(() => {
  invoke.mockReset();
});

describe('start-up calls', () => {
  it('ask the shell how start-up went and call its actions by name', async () => {
    const failure = { kind: 'corrupt_database', path: '/data/inbox.db', detail: 'file is not a database' };
    invoke.mockResolvedValueOnce(failure).mockResolvedValueOnce('/data/inbox.db.damaged-1');
    invoke.mockResolvedValue(null);
    expect(await tauriStartup.failure()).toEqual(failure);
    expect(await tauriStartup.moveDatabaseAside()).toBe('/data/inbox.db.damaged-1');
    await tauriStartup.restart();
    await tauriStartup.quit();
    expect(invoke.mock.calls).toEqual([
      ['startup_failure', undefined],
      ['move_database_aside', undefined],
      ['restart_app', undefined],
      ['quit_app', undefined],
    ]);
  });

  it('map refusals to backend errors', async () => {
    invoke.mockRejectedValueOnce({ code: 'unsupported', message: 'only a damaged database is moved aside' });
    await expect(tauriStartup.moveDatabaseAside()).rejects.toBeInstanceOf(BackendError);
  });

  it('are not offered outside the desktop shell', () => {
    expect(getStartup()).toBeNull();
  });
});
