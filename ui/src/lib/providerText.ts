// What the engine says about a provider's settings (field labels, help, preset names) is English.
// This is the one place that gives those texts in the UI language, keyed by provider and by what
// the text is about: a field's key, a preset's value. Each entry keeps the English it translates;
// when the engine's text is no longer that English, the engine's text is shown as sent rather than
// a translation of something else. A provider's notes and its reasons for a missing capability
// come from the engine as catalog keys with parameters, and are rendered from the engine's catalog
// (`translateEngine`).

import { derived } from 'svelte/store';
import type { FieldOption, Provider, ProviderInfo, SettingField, Text as EngineText } from './backend/types';
import { TEXTS as CATALOG, UNTRANSLATED } from './backend/generated/texts';
import { locale, translateEngine, type Locale } from './i18n';

/** An engine text in every UI language (`en` is the engine's wording). */
type Text = Readonly<Record<Locale, string>>;

interface FieldTexts {
  label?: Text;
  help?: Text;
  /** Preset and option labels by option value. */
  options?: Readonly<Record<string, Text>>;
}

interface ProviderTexts {
  fields: Readonly<Record<string, FieldTexts>>;
}

const tr = (en: string, ptBR: string): Text => ({ en, 'pt-BR': ptBR });

const API_TOKEN_LABEL = tr('API token', 'Token da API');

const MCONNECT: ProviderTexts = {
  fields: {
    base_url: {
      label: tr('Endpoint', 'Endpoint'),
      options: {
        'https://omni.mconnectapps.com/api/v1.0/whatsapp-omni/': tr('mConnect production', 'mConnect produção'),
      },
    },
    number: {
      label: tr('WhatsApp number', 'Número do WhatsApp'),
      help: tr('The scanned number, with country code, digits only.', 'O número escaneado, com DDI, somente dígitos.'),
    },
    company: { label: tr('Company', 'Empresa') },
    username: { label: tr('Username', 'Usuário') },
  },
};

/** ZChat and Omnize are one API family: the engine describes both with the same texts. */
const ZCHAT: ProviderTexts = {
  fields: {
    flavour: {
      label: tr('API', 'API'),
      help: tr(
        "Interactions open a hand-off in a department; WhatsApp pushes a customer's WhatsApp messages.",
        'Interações abrem um atendimento em um departamento; WhatsApp repassa as mensagens de WhatsApp de um cliente.',
      ),
      options: {
        interactions: tr('Interactions (ClientApi V1)', 'Interações (ClientApi V1)'),
        whatsapp: tr('WhatsApp (Whatsapp Api V1)', 'WhatsApp (Whatsapp Api V1)'),
      },
    },
    base_url: {
      label: tr('Server', 'Servidor'),
      help: tr('Any other URL works too.', 'Qualquer outra URL também funciona.'),
      options: {
        'https://zchat.zenvia.io': tr('ZChat production', 'ZChat produção'),
        'https://services.omnize.com.br': tr('Omnize production', 'Omnize produção'),
        'https://homolog.services.omnize.com.br': tr('Omnize homolog', 'Omnize homologação'),
      },
    },
    department_id: {
      label: tr('Default department', 'Departamento padrão'),
      help: tr(
        'Where new hand-offs go; "Test connection" lists the departments.',
        'Para onde vão os novos atendimentos; "Testar conexão" lista os departamentos.',
      ),
    },
    token: {
      label: API_TOKEN_LABEL,
      help: tr(
        'Settings > Integrations > API (ClientSDK on Omnize). Kept in the system keychain.',
        'Configurações > Integrações > API (ClientSDK no Omnize). Guardado no chaveiro do sistema.',
      ),
    },
  },
};

const CIRRUS: ProviderTexts = {
  fields: {
    base_url: {
      label: tr('API base URL', 'URL base da API'),
      help: tr(
        'Cirrus does not publish its HTTP address; ask your Cirrus contact.',
        'A Cirrus não publica seu endereço HTTP; peça ao seu contato na Cirrus.',
      ),
    },
    client_identifier: {
      label: tr('Client identifier', 'Identificador do cliente'),
      help: tr("The account's clientIdentifier (a UUID).", 'O clientIdentifier da conta (um UUID).'),
    },
    channel_id: { label: tr('Channel id', 'Id do canal') },
    platform_config_id: {
      label: tr('Platform config id', 'Id da configuração da plataforma'),
      help: tr('Needed to start conversations.', 'Necessário para iniciar conversas.'),
    },
    platform: {
      label: tr('Platform slug', 'Slug da plataforma'),
      help: tr('For example karoochat.', 'Por exemplo karoochat.'),
    },
    service: {
      label: tr('WhatsApp service', 'Serviço de WhatsApp'),
      options: {
        whatsappweb: tr('WhatsApp Web', 'WhatsApp Web'),
        d360: tr('360dialog (official API)', '360dialog (API oficial)'),
      },
    },
    company_name: {
      label: tr('Company name', 'Nome da empresa'),
      help: tr(
        'Required to start conversations over WhatsApp Web.',
        'Obrigatório para iniciar conversas pelo WhatsApp Web.',
      ),
    },
    agent_name: {
      label: tr('Agent name', 'Nome do atendente'),
      help: tr(
        'The name Cirrus shows on messages sent from here.',
        'O nome que a Cirrus mostra nas mensagens enviadas daqui.',
      ),
    },
    routes: {
      label: tr('Route overrides', 'Rotas personalizadas'),
      help: tr(
        'Cirrus\'s HTTP routes are inferred from its library; override any of them here as {"operation": "METHOD /path"}.',
        'As rotas HTTP da Cirrus são deduzidas da sua biblioteca; substitua qualquer uma aqui como {"operation": "MÉTODO /caminho"}.',
      ),
    },
    token: {
      label: API_TOKEN_LABEL,
      help: tr(
        'Sent as a Bearer token if your Cirrus server needs one. Kept in the system keychain.',
        'Enviado como token Bearer se o seu servidor Cirrus exigir. Guardado no chaveiro do sistema.',
      ),
    },
  },
};

const WEGLY: ProviderTexts = {
  fields: {
    base_url: {
      label: tr('API base URL', 'URL base da API'),
      options: {
        'https://api.wegly.com.br/integrations/external': tr('Wegly production', 'Wegly produção'),
      },
    },
    whatsapp_phone_id: {
      label: tr('WhatsApp phone id', 'Id do telefone do WhatsApp'),
      help: tr(
        'The UUID of the number new chats are opened from.',
        'O UUID do número de onde as novas conversas são abertas.',
      ),
    },
    origin: {
      label: tr('Allowed domain (Origin)', 'Domínio permitido (Origin)'),
      help: tr(
        "Only if the token is restricted to an allowed domain: that domain's URL, sent as Origin and Referer.",
        'Só se o token estiver restrito a um domínio permitido: a URL desse domínio, enviada como Origin e Referer.',
      ),
    },
    token: {
      label: tr('Integration token', 'Token de integração'),
      help: tr(
        'Sent as Authorization: Bearer. Kept in the system keychain.',
        'Enviado como Authorization: Bearer. Guardado no chaveiro do sistema.',
      ),
    },
    signing_secret: {
      label: tr('Webhook signing secret', 'Segredo de assinatura do webhook'),
      help: tr(
        "The webhook subscription's secret: deliveries without a valid x-wegly-signature are refused.",
        'O segredo da assinatura do webhook: entregas sem um x-wegly-signature válido são recusadas.',
      ),
    },
  },
};

const TEXTS: Readonly<Record<Provider, ProviderTexts>> = {
  mconnect: MCONNECT,
  zchat: ZCHAT,
  omnize: ZCHAT,
  cirrus: CIRRUS,
  wegly: WEGLY,
};

/** `table[key]` when the table itself has it (keys come from the engine, maybe a newer one). */
function own<T>(table: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return table && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

// The entry that translates each kind of text, whatever English it holds.
const fieldEntry = (provider: Provider, field: SettingField) => own(own(TEXTS, provider)?.fields, field.key);
const labelEntry = (provider: Provider, field: SettingField) => fieldEntry(provider, field)?.label;
const helpEntry = (provider: Provider, field: SettingField) => fieldEntry(provider, field)?.help;
const optionEntry = (provider: Provider, field: SettingField, option: FieldOption) =>
  own(fieldEntry(provider, field)?.options, option.value);

/** `sent` in `loc` when `entry` translates exactly that; otherwise `sent` as the engine wrote it. */
function localize(loc: Locale, entry: Text | undefined, sent: string): string {
  return entry && entry.en === sent ? entry[loc] : sent;
}

export function fieldLabel(loc: Locale, provider: Provider, field: SettingField): string {
  return localize(loc, labelEntry(provider, field), field.label);
}

export function fieldHelp(loc: Locale, provider: Provider, field: SettingField): string | null {
  return field.help === null ? null : localize(loc, helpEntry(provider, field), field.help);
}

export function optionLabel(loc: Locale, provider: Provider, field: SettingField, option: FieldOption): string {
  return localize(loc, optionEntry(provider, field, option), option.label);
}

/** A text of the engine's catalog (a provider's note, a reason for a missing capability) in `loc`; a
 * sentence outside the catalog is shown as sent, a key the catalog lacks as the key. */
export function engineText(loc: Locale, text: EngineText): string {
  return translateEngine(loc, text.key, text.params, text.params.text ?? text.key);
}

/** Whether the engine's catalog has a wording for `text` (else it is shown as sent). */
function inCatalog(text: EngineText): boolean {
  return text.key !== UNTRANSLATED && Object.prototype.hasOwnProperty.call(CATALOG, text.key);
}

/** The texts of a catalogue entry that have no translation (they are shown as sent). */
export function untranslatedTexts(info: ProviderInfo): string[] {
  const missing = (entry: Text | undefined, sent: string) => (entry?.en === sent ? [] : [sent]);
  const unknown = (text: EngineText) => (inCatalog(text) ? [] : [engineText('en', text)]);
  return [
    ...info.fields.flatMap((f) => [
      ...missing(labelEntry(info.id, f), f.label),
      ...(f.help === null ? [] : missing(helpEntry(info.id, f), f.help)),
      ...f.options.flatMap((o) => missing(optionEntry(info.id, f, o), o.label)),
    ]),
    ...info.notes.flatMap(unknown),
    ...info.unavailable.flatMap((n) => unknown(n.reason)),
  ];
}

/** `$providerText.label(provider, field)` etc. in components: provider texts in the current language. */
export const providerText = derived(locale, (loc) => ({
  label: (provider: Provider, field: SettingField) => fieldLabel(loc, provider, field),
  help: (provider: Provider, field: SettingField) => fieldHelp(loc, provider, field),
  option: (provider: Provider, field: SettingField, option: FieldOption) => optionLabel(loc, provider, field, option),
  note: (note: EngineText) => engineText(loc, note),
  reason: (reason: EngineText) => engineText(loc, reason),
}));
