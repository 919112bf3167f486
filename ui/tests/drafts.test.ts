import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DraftKeeper, EMPTY_DRAFT, isEmptyDraft, sameDraft, toInput, type DraftState } from '../src/lib/drafts/keeper';
import { previewOfDraft } from '../src/lib/drafts/preview';
import type { Draft } from '../src/lib/backend/types';

const d = (body: string, extra: Partial<DraftState> = {}): DraftState => ({ ...EMPTY_DRAFT, body, ...extra });

describe('DraftKeeper', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('saves once typing pauses, with the latest text', async () => {
    const saved: string[] = [];
    const k = new DraftKeeper({ save: async (x) => void saved.push(x.body), delayMs: 400 });
    k.change(d('O'));
    k.change(d('Ol'));
    vi.advanceTimersByTime(300);
    k.change(d('Olá'));
    vi.advanceTimersByTime(399);
    expect(saved).toEqual([]);
    expect(k.dirty).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(saved).toEqual(['Olá']);
    expect(k.dirty).toBe(false);
  });

  it('does not save what the engine already has', async () => {
    const save = vi.fn(async () => {});
    const k = new DraftKeeper({ save }, d('Olá'));
    k.change(d('Olá'));
    await vi.advanceTimersByTimeAsync(1000);
    k.change(d('Olá!'));
    k.change(d('Olá'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).not.toHaveBeenCalled();
  });

  it('flushes a waiting change at once (switching conversation)', async () => {
    const saved: DraftState[] = [];
    const k = new DraftKeeper({ save: async (x) => void saved.push(x) });
    k.change(d('meio escrito', { quotedMessageId: 'm1', note: true }));
    await k.flush();
    expect(saved).toEqual([d('meio escrito', { quotedMessageId: 'm1', note: true })]);
  });

  it('settles before a send: a waiting change is dropped and saves on their way finish', async () => {
    let release!: () => void;
    const order: string[] = [];
    const k = new DraftKeeper({
      save: (x) =>
        new Promise<void>((r) => {
          order.push(`save ${x.body}`);
          release = () => {
            order.push(`saved ${x.body}`);
            r();
          };
        }),
    });
    k.change(d('a'));
    void k.flush();
    await vi.advanceTimersByTimeAsync(0);
    k.change(d('ab'));
    const settled = k.settle().then(() => order.push('settled'));
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['save a']);
    release();
    await settled;
    await vi.advanceTimersByTimeAsync(2000);
    expect(order).toEqual(['save a', 'saved a', 'settled']);
  });

  it('keeps a change whose save failed for the next attempt', async () => {
    let fail = true;
    const saved: string[] = [];
    const errors: unknown[] = [];
    const k = new DraftKeeper({
      save: async (x) => {
        if (fail) throw new Error('offline');
        saved.push(x.body);
      },
      onError: (e) => errors.push(e),
    });
    k.change(d('não perca'));
    await k.flush();
    expect(errors).toHaveLength(1);
    expect(k.dirty).toBe(true);
    fail = false;
    await k.flush();
    expect(saved).toEqual(['não perca']);
  });

  it('after reset, a change equal to the new state saves nothing', async () => {
    const save = vi.fn(async () => {});
    const k = new DraftKeeper({ save }, d('x'));
    k.change(d('xy'));
    k.reset(EMPTY_DRAFT);
    k.change(d(''));
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).not.toHaveBeenCalled();
  });
});

describe('draft helpers', () => {
  it('an empty draft is blank text with no quote and no attachment, whatever its mode', () => {
    expect(isEmptyDraft(d('  \n', { note: true }))).toBe(true);
    expect(isEmptyDraft(d('', { quotedMessageId: 'm1' }))).toBe(false);
    expect(isEmptyDraft(d('', { mediaIds: ['media-1'] }))).toBe(false);
    expect(sameDraft(d(' ', { note: true }), EMPTY_DRAFT)).toBe(true);
  });

  it('sends attachments and the quote unchanged', () => {
    expect(toInput(d('oi', { quotedMessageId: 'm1', mediaIds: ['a', 'b'], note: false }))).toEqual({
      body: 'oi',
      quoted_message_id: 'm1',
      media_ids: ['a', 'b'],
      note: false,
    });
  });

  it('previews a draft on one line, cut to 140 characters', () => {
    const draft: Draft = {
      conversation_id: 'c1',
      body: `linha um\n\nlinha   dois ${'é'.repeat(200)}`,
      quoted_message_id: null,
      media_ids: ['x'],
      note: false,
      updated_at: '2025-01-01T00:00:00Z',
    };
    const p = previewOfDraft(draft)!;
    expect(p.text.startsWith('linha um linha dois é')).toBe(true);
    expect(Array.from(p.text)).toHaveLength(141);
    expect(p.text.endsWith('…')).toBe(true);
    expect(p.media).toBe(1);
    expect(previewOfDraft(null)).toBeNull();
  });
});
