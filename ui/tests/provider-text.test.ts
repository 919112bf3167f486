import { describe, expect, it } from 'vitest';
import type { Capability, ProviderInfo, SettingField, Text } from '../src/lib/backend/types';
import { UNTRANSLATED } from '../src/lib/backend/generated/texts';
import { engineText, fieldHelp, fieldLabel, optionLabel, untranslatedTexts } from '../src/lib/providerText';
import { PROVIDERS } from './catalog.mjs';

const catalogue = PROVIDERS as ProviderInfo[];

const text = (key: string): Text => ({ key, params: {} });
const untranslated = (sentence: string): Text => ({ key: UNTRANSLATED, params: { text: sentence } });

function reasonOf(provider: ProviderInfo['id'], capability: Capability): Text {
  const r = catalogue.find((p) => p.id === provider)?.unavailable.find((n) => n.capability === capability)?.reason;
  if (!r) throw new Error(`no reason ${provider}.${capability}`);
  return r;
}

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
    expect(engineText('pt-BR', text('wegly.note_new_chat'))).toBe('Uma conversa nova começa com um modelo aprovado.');
    expect(engineText('en', text('wegly.note_new_chat'))).toBe('A new chat opens with an approved template.');
    expect(engineText('pt-BR', reasonOf('cirrus', 'typing'))).toBe(
      'A biblioteca da Cirrus não tem aviso de digitação.',
    );
  });

  it('gives the engine text itself in English', () => {
    const f = fieldOf('mconnect', 'number');
    expect(fieldLabel('en', 'mconnect', f)).toBe(f.label);
    expect(engineText('en', reasonOf('wegly', 'delete'))).toBe("Wegly's external API cannot delete messages.");
  });

  it('shares the ZChat texts with Omnize, the same API family', () => {
    expect(reasonOf('omnize', 'reply')).toEqual(reasonOf('zchat', 'reply'));
    expect(engineText('en', reasonOf('omnize', 'reply'))).toBe('The API has no quoted replies.');
    expect(engineText('pt-BR', reasonOf('omnize', 'reply'))).toBe('A API não tem respostas com citação.');
    expect(fieldLabel('pt-BR', 'omnize', fieldOf('omnize', 'department_id'))).toBe('Departamento padrão');
  });

  it('shows a text the engine has reworded, or that it does not know, as sent', () => {
    const label = { ...fieldOf('wegly', 'token'), label: 'Access token' };
    expect(fieldLabel('pt-BR', 'wegly', label)).toBe('Access token');
    expect(engineText('pt-BR', untranslated('No templates on WhatsApp Web.'))).toBe('No templates on WhatsApp Web.');
    expect(engineText('pt-BR', untranslated('A note from a newer engine.'))).toBe('A note from a newer engine.');
    expect(engineText('pt-BR', text('cirrus.note_from_a_newer_engine'))).toBe('cirrus.note_from_a_newer_engine');
    expect(fieldLabel('pt-BR', 'mconnect', { ...label, key: 'toString' })).toBe('Access token');
  });

  it("knows every text of the engine's catalogue", () => {
    expect(catalogue.map((p) => p.id).sort()).toEqual(['cirrus', 'mconnect', 'omnize', 'wegly', 'zchat']);
    for (const info of catalogue) expect(untranslatedTexts(info), info.id).toEqual([]);
    expect(untranslatedTexts({ ...catalogue[0], notes: [untranslated('Something new.')] })).toEqual(['Something new.']);
    expect(untranslatedTexts({ ...catalogue[0], notes: [text('mconnect.note_unknown')] })).toEqual([
      'mconnect.note_unknown',
    ]);
  });
});
