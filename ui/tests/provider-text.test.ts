import { describe, expect, it } from 'vitest';
import type { ProviderInfo, SettingField } from '../src/lib/backend/types';
import {
  capabilityReason,
  fieldHelp,
  fieldLabel,
  noteText,
  optionLabel,
  untranslatedTexts,
} from '../src/lib/providerText';
import { PROVIDERS } from './catalog.mjs';

const catalogue = PROVIDERS as ProviderInfo[];

function fieldOf(provider: ProviderInfo['id'], key: string): SettingField {
  const f = catalogue.find((p) => p.id === provider)?.fields.find((x) => x.key === key);
  if (!f) throw new Error(`no field ${provider}.${key}`);
  return f;
}

describe('provider texts', () => {
  it('translates field labels, help and options by provider and field key', () => {
    const flavour = fieldOf('zchat', 'flavour');
    expect(fieldLabel('pt-BR', 'wegly', fieldOf('wegly', 'token'))).toBe('Token de integração');
    expect(fieldHelp('pt-BR', 'zchat', fieldOf('zchat', 'base_url'))).toBe('Qualquer outra URL também funciona.');
    expect(optionLabel('pt-BR', 'zchat', flavour, flavour.options[0])).toBe('Interações (ClientApi V1)');
    expect(fieldHelp('pt-BR', 'cirrus', fieldOf('cirrus', 'channel_id'))).toBeNull();
  });

  it('translates notes and reasons for missing capabilities', () => {
    expect(noteText('pt-BR', 'wegly', 'A new chat opens with an approved template.')).toBe(
      'Uma conversa nova começa com um modelo aprovado.',
    );
    expect(capabilityReason('pt-BR', 'cirrus', 'typing', "Cirrus's library has no typing notification.")).toBe(
      'A biblioteca da Cirrus não tem aviso de digitação.',
    );
  });

  it('gives the engine text itself in English', () => {
    const f = fieldOf('mconnect', 'number');
    expect(fieldLabel('en', 'mconnect', f)).toBe(f.label);
    expect(capabilityReason('en', 'wegly', 'delete', "Wegly's external API cannot delete messages.")).toBe(
      "Wegly's external API cannot delete messages.",
    );
  });

  it('shares the ZChat texts with Omnize, the same API family', () => {
    expect(capabilityReason('pt-BR', 'omnize', 'reply', 'The API has no quoted replies.')).toBe(
      'A API não tem respostas com citação.',
    );
    expect(fieldLabel('pt-BR', 'omnize', fieldOf('omnize', 'department_id'))).toBe('Departamento padrão');
  });

  it('shows a text the engine has reworded, or that it does not know, as sent', () => {
    const label = { ...fieldOf('wegly', 'token'), label: 'Access token' };
    expect(fieldLabel('pt-BR', 'wegly', label)).toBe('Access token');
    expect(capabilityReason('pt-BR', 'mconnect', 'templates', 'No templates on WhatsApp Web.')).toBe(
      'No templates on WhatsApp Web.',
    );
    expect(noteText('pt-BR', 'cirrus', 'A note from a newer engine.')).toBe('A note from a newer engine.');
    expect(fieldLabel('pt-BR', 'mconnect', { ...label, key: 'toString' })).toBe('Access token');
  });

  it("knows every text of the engine's catalogue", () => {
    expect(catalogue.map((p) => p.id).sort()).toEqual(['cirrus', 'mconnect', 'omnize', 'wegly', 'zchat']);
    for (const info of catalogue) expect(untranslatedTexts(info), info.id).toEqual([]);
    expect(untranslatedTexts({ ...catalogue[0], notes: ['Something new.'] })).toEqual(['Something new.']);
  });
});
