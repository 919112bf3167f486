// What the engine says about a provider (field labels, help, preset names, notes, reasons for
// missing capabilities) is English. This is the one place that gives those texts in the UI
// language, keyed by provider and by what the text is about: a field's key, a preset's value, a
// capability. Each entry keeps the English it translates; when the engine's text is no longer
// that English, the engine's text is shown as sent rather than a translation of something else.
// Notes have no key in the engine: they are matched by their English within the provider.

import { derived } from 'svelte/store';
import type { Capability, FieldOption, Provider, ProviderInfo, SettingField } from './backend/types';
import { locale, type Locale } from './i18n';

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
  notes: readonly Text[];
  reasons: Readonly<Partial<Record<Capability, Text>>>;
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
  notes: [
    tr(
      'mConnect has no token: it identifies callers by number, company and username.',
      'O mConnect não usa token: identifica quem chama pelo número, empresa e usuário.',
    ),
    tr(
      'Sent messages stay "sent": mConnect forwards no delivery receipts.',
      'Mensagens enviadas ficam como "enviada": o mConnect não repassa confirmações de entrega.',
    ),
  ],
  reasons: {
    reply: tr("mConnect's API has no quoted replies.", 'A API do mConnect não tem respostas com citação.'),
    reactions: tr('mConnect does not forward reactions.', 'O mConnect não repassa reações.'),
    remove_reaction: tr('mConnect does not forward reactions.', 'O mConnect não repassa reações.'),
    typing: tr("mConnect's API has no typing notification.", 'A API do mConnect não tem aviso de digitação.'),
    templates: tr(
      'mConnect drives WhatsApp Web, which has no templates.',
      'O mConnect usa o WhatsApp Web, que não tem modelos.',
    ),
    window_24h: tr('WhatsApp Web has no 24-hour window.', 'O WhatsApp Web não tem janela de 24 horas.'),
    interactive: tr('mConnect sends only text and files.', 'O mConnect envia somente texto e arquivos.'),
    location: tr('mConnect sends only text and files.', 'O mConnect envia somente texto e arquivos.'),
    delete: tr("mConnect's API cannot delete messages.", 'A API do mConnect não apaga mensagens.'),
    history_import: tr(
      "mConnect's API cannot read earlier messages.",
      'A API do mConnect não lê mensagens anteriores.',
    ),
    reassign: tr(
      'mConnect has no users to reassign to.',
      'O mConnect não tem usuários para quem reatribuir a conversa.',
    ),
    refresh: tr('mConnect keeps no chat to read back.', 'O mConnect não guarda a conversa para ser lida de novo.'),
    contact_sync: tr('mConnect has no contact API.', 'O mConnect não tem API de contatos.'),
    tag_sync: tr('mConnect has no tag API.', 'O mConnect não tem API de etiquetas.'),
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
  notes: [
    tr(
      "Paste the webhook URL in the provider's admin site (Settings > Integrations). It carries no signature: the URL itself is the secret.",
      'Cole a URL do webhook no painel de administração do provedor (Configurações > Integrações). Ela não tem assinatura: a própria URL é o segredo.',
    ),
    tr(
      "The provider reads each conversation's history from a URL the inbox serves; it must reach this machine (a tunnel, or inboxd on a server).",
      'O provedor lê o histórico de cada conversa em uma URL servida pela caixa de entrada; ele precisa alcançar esta máquina (um túnel, ou o inboxd em um servidor).',
    ),
  ],
  reasons: {
    groups: tr(
      'Hand-offs are one customer each; the API has no groups.',
      'Cada atendimento é de um único cliente; a API não tem grupos.',
    ),
    caption: tr(
      "The API sends a file's URL and one text; there is no separate caption.",
      'A API envia a URL do arquivo e um texto; não há legenda separada.',
    ),
    reply: tr('The API has no quoted replies.', 'A API não tem respostas com citação.'),
    reactions: tr('The API carries no reactions.', 'A API não transmite reações.'),
    remove_reaction: tr('The API carries no reactions.', 'A API não transmite reações.'),
    templates: tr(
      "Templates belong to WhatsApp's official API; this one opens hand-offs.",
      'Modelos são da API oficial do WhatsApp; esta API abre atendimentos.',
    ),
    window_24h: tr(
      "The provider's agents answer inside their own platform; no window applies here.",
      'Os atendentes do provedor respondem na própria plataforma; nenhuma janela se aplica aqui.',
    ),
    interactive: tr('The API sends text and media only.', 'A API envia somente texto e mídia.'),
    location: tr('The API sends text and media only.', 'A API envia somente texto e mídia.'),
    delete: tr('The API cannot delete messages.', 'A API não apaga mensagens.'),
    history_import: tr(
      'The provider reads our history (external_history); it offers none to read back.',
      'O provedor lê o nosso histórico (external_history); não oferece o dele para leitura.',
    ),
    reassign: tr(
      'Transfers happen on the provider\'s side and arrive as "transferred".',
      'As transferências acontecem no provedor e chegam como "transferido".',
    ),
    refresh: tr(
      'Hand-off changes arrive as triggers; there is no call to read them back.',
      'As mudanças do atendimento chegam como gatilhos; não há chamada para lê-las de novo.',
    ),
    contact_sync: tr('The API has no contact list.', 'A API não tem lista de contatos.'),
    tag_sync: tr(
      'Tag ids can be set on an interaction, but tags cannot be listed or edited.',
      'É possível marcar ids de etiquetas em um atendimento, mas as etiquetas não podem ser listadas nem editadas.',
    ),
    handoff_update: tr(
      'Only the interactions flavour can update a hand-off (mood, tags, note).',
      'Só a API de interações pode atualizar um atendimento (humor, etiquetas, nota).',
    ),
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
  notes: [
    tr(
      'Give Cirrus the webhook URL as the platform\'s callbackUrl. Events the inbox does not recognise are kept and shown as "unrecognised event".',
      'Informe à Cirrus a URL do webhook como callbackUrl da plataforma. Eventos que a caixa de entrada não reconhece são guardados e mostrados como "evento não reconhecido".',
    ),
    tr(
      "Contacts and tags: edits made here are sent to Cirrus at once; on sync, Cirrus's version wins over a local edit that could not be sent.",
      'Contatos e etiquetas: as edições feitas aqui são enviadas à Cirrus na hora; na sincronização, a versão da Cirrus prevalece sobre uma edição local que não pôde ser enviada.',
    ),
  ],
  reasons: {
    caption: tr(
      "Cirrus's media message carries only the media URL.",
      'A mensagem de mídia da Cirrus leva somente a URL da mídia.',
    ),
    reactions: tr("Cirrus's library has no reactions.", 'A biblioteca da Cirrus não tem reações.'),
    remove_reaction: tr("Cirrus's library has no reactions.", 'A biblioteca da Cirrus não tem reações.'),
    typing: tr("Cirrus's library has no typing notification.", 'A biblioteca da Cirrus não tem aviso de digitação.'),
    templates: tr(
      "Cirrus's library sends proactive messages instead of templates.",
      'A biblioteca da Cirrus envia mensagens proativas em vez de modelos.',
    ),
    interactive: tr(
      'Cirrus documents interactive messages as not implemented.',
      'A Cirrus documenta as mensagens interativas como não implementadas.',
    ),
    location: tr(
      "Cirrus's library has no location message.",
      'A biblioteca da Cirrus não tem mensagem de localização.',
    ),
    departments: tr('Cirrus has no departments.', 'A Cirrus não tem departamentos.'),
    handoff: tr(
      'Cirrus conversations are answered here, not handed off.',
      'As conversas da Cirrus são respondidas aqui, não repassadas.',
    ),
    handoff_update: tr(
      'Cirrus conversations are answered here, not handed off.',
      'As conversas da Cirrus são respondidas aqui, não repassadas.',
    ),
    history_url: tr('Cirrus does not read history from us.', 'A Cirrus não lê o histórico daqui.'),
    history_import: tr(
      "Cirrus's library cannot read earlier messages.",
      'A biblioteca da Cirrus não lê mensagens anteriores.',
    ),
    reassign: tr("Cirrus's library has no reassignment.", 'A biblioteca da Cirrus não tem reatribuição.'),
    refresh: tr(
      "Cirrus's library cannot read a conversation back.",
      'A biblioteca da Cirrus não lê uma conversa de novo.',
    ),
    window_24h: tr(
      'Only the d360 service (official WhatsApp API) has the 24-hour window.',
      'Só o serviço d360 (API oficial do WhatsApp) tem a janela de 24 horas.',
    ),
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
  notes: [
    tr(
      "Subscribe the webhook URL in Wegly's integrations settings, with the same signing secret as here.",
      'Cadastre a URL do webhook nas configurações de integrações da Wegly, com o mesmo segredo de assinatura usado aqui.',
    ),
    tr(
      'Outside the 24-hour window only an approved template can be sent.',
      'Fora da janela de 24 horas só é possível enviar um modelo aprovado.',
    ),
    tr('A new chat opens with an approved template.', 'Uma conversa nova começa com um modelo aprovado.'),
  ],
  reasons: {
    groups: tr(
      "Wegly's external API opens individual chats only.",
      'A API externa da Wegly abre somente conversas individuais.',
    ),
    typing: tr(
      "Wegly's external API has no typing notification.",
      'A API externa da Wegly não tem aviso de digitação.',
    ),
    delete: tr("Wegly's external API cannot delete messages.", 'A API externa da Wegly não apaga mensagens.'),
    departments: tr(
      'Wegly has no departments in its external API.',
      'A Wegly não tem departamentos na sua API externa.',
    ),
    handoff: tr(
      'Wegly chats are answered here, not handed off.',
      'As conversas da Wegly são respondidas aqui, não repassadas.',
    ),
    handoff_update: tr(
      'Wegly chats are answered here, not handed off.',
      'As conversas da Wegly são respondidas aqui, não repassadas.',
    ),
    history_url: tr(
      "Wegly does not read history from us; the inbox imports Wegly's timeline instead.",
      'A Wegly não lê o histórico daqui; em vez disso, a caixa de entrada importa a linha do tempo da Wegly.',
    ),
    contact_sync: tr("Wegly's external API has no contact list.", 'A API externa da Wegly não tem lista de contatos.'),
    tag_sync: tr("Wegly's external API has no tags.", 'A API externa da Wegly não tem etiquetas.'),
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
const noteEntry = (provider: Provider, note: string) => own(TEXTS, provider)?.notes.find((n) => n.en === note);
const reasonEntry = (provider: Provider, capability: Capability) => own(own(TEXTS, provider)?.reasons, capability);

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

export function noteText(loc: Locale, provider: Provider, note: string): string {
  return localize(loc, noteEntry(provider, note), note);
}

/** The provider's reason for lacking `capability`, as the engine sent it (`sent`), in `loc`. */
export function capabilityReason(loc: Locale, provider: Provider, capability: Capability, sent: string): string {
  return localize(loc, reasonEntry(provider, capability), sent);
}

/** The texts of a catalogue entry that have no translation here (they are shown as sent). */
export function untranslatedTexts(info: ProviderInfo): string[] {
  const missing = (entry: Text | undefined, sent: string) => (entry?.en === sent ? [] : [sent]);
  return [
    ...info.fields.flatMap((f) => [
      ...missing(labelEntry(info.id, f), f.label),
      ...(f.help === null ? [] : missing(helpEntry(info.id, f), f.help)),
      ...f.options.flatMap((o) => missing(optionEntry(info.id, f, o), o.label)),
    ]),
    ...info.notes.flatMap((n) => missing(noteEntry(info.id, n), n)),
    ...info.unavailable.flatMap((n) => missing(reasonEntry(info.id, n.capability), n.reason)),
  ];
}

/** `$providerText.label(provider, field)` etc. in components: provider texts in the current language. */
export const providerText = derived(locale, (loc) => ({
  label: (provider: Provider, field: SettingField) => fieldLabel(loc, provider, field),
  help: (provider: Provider, field: SettingField) => fieldHelp(loc, provider, field),
  option: (provider: Provider, field: SettingField, option: FieldOption) => optionLabel(loc, provider, field, option),
  note: (provider: Provider, note: string) => noteText(loc, provider, note),
  reason: (provider: Provider, capability: Capability, sent: string) =>
    capabilityReason(loc, provider, capability, sent),
}));
