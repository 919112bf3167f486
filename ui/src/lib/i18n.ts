// Tiny typed dictionary i18n (no library). English is the reference: every
// other locale must define exactly the same keys (enforced by the types).

import { derived, get, writable } from 'svelte/store';

export type Locale = 'en' | 'pt-BR';

export const LOCALES: readonly { code: Locale; short: string; name: string }[] = [
  { code: 'en', short: 'EN', name: 'English' },
  { code: 'pt-BR', short: 'PT', name: 'Português (Brasil)' },
];

export const LOCALE_STORAGE_KEY = 'agent-inbox.lang';

const en = {
  'app.name': 'Agent Inbox',
  'lang.label': 'Language',

  'common.retry': 'Try again',
  'common.cancel': 'Cancel',
  'common.close': 'Close',
  'common.dismiss': 'Dismiss',
  'common.loading': 'Loading…',
  'common.required': 'required',

  'boot.unreachable': 'Cannot reach the inbox service.',
  'boot.unauthorized':
    'This page has no valid access token. Open the address printed by inboxd when it started (it ends with #token=…).',

  'firstRun.title': 'Welcome to Agent Inbox',
  'firstRun.subtitle':
    'Connect your WhatsApp account to start answering customers, or look around with the demo first.',
  'firstRun.or': 'or',

  'connect.title': 'Connect mConnect',
  'connect.intro': 'Use the WhatsApp omnichannel credentials from your mConnect panel.',
  'connect.name': 'Account name',
  'connect.namePlaceholder': 'e.g. Support São Paulo',
  'connect.baseUrl': 'Endpoint URL',
  'connect.number': 'WhatsApp number',
  'connect.numberHint': 'Digits only, with country and area code, e.g. 5511987654321',
  'connect.company': 'Company',
  'connect.username': 'Username',
  'connect.submit': 'Connect account',
  'connect.submitting': 'Connecting…',
  'connect.failed': 'Could not connect the account: {message}',

  'validation.required': 'This field is required.',
  'validation.url': 'Enter an address starting with http:// or https://',
  'validation.number': 'Use 8 to 15 digits, without spaces or symbols.',

  'demo.title': 'Try the demo',
  'demo.body': 'Explore the inbox with simulated customers who write in and react to your replies.',
  'demo.safe': 'Nothing is sent to WhatsApp.',
  'demo.start': 'Start the demo',
  'demo.starting': 'Starting…',
  'demo.failed': 'Could not start the demo: {message}',
  'demo.banner': 'Demo mode — simulated customers',
  'demo.simulate': 'Simulate a customer message',
  'demo.simulating': 'Sending…',

  'webhook.title': 'Account connected',
  'webhook.intro': 'Set this webhook URL in mConnect so incoming messages reach Agent Inbox:',
  'webhook.note':
    'The provider must be able to reach this URL: expose it through a tunnel, or run inboxd on a server. The URL contains a secret — give it only to the provider.',
  'webhook.none': 'This account has no webhook URL.',
  'webhook.copy': 'Copy',
  'webhook.copied': 'Copied',
  'webhook.copyFailed': 'Copy failed — select the URL and copy it by hand.',
  'webhook.continue': 'Go to the inbox',

  'accounts.button': 'Accounts',
  'accounts.title': 'Accounts',
  'accounts.demo': 'Demo',
  'accounts.webhook': 'Webhook URL',
  'accounts.add': 'Connect another account',

  'filter.label': 'Show conversations',
  'filter.open': 'Open',
  'filter.snoozed': 'Snoozed',
  'filter.resolved': 'Resolved',
  'filter.all': 'All',

  'list.label': 'Conversations',
  'list.empty': 'No conversations here.',
  'list.loadMore': 'Load more',
  'list.group': 'Group',
  'list.unread': '{n} unread',
  'list.you': 'You:',
  'list.noMessages': 'No messages yet',

  'kind.text': 'Message',
  'kind.image': 'Photo',
  'kind.video': 'Video',
  'kind.audio': 'Audio',
  'kind.file': 'File',
  'kind.sticker': 'Sticker',
  'kind.location': 'Location',
  'kind.template': 'Template',
  'kind.interactive': 'Buttons',
  'kind.event': 'Event',
  'kind.unrecognised': 'Unrecognised event',

  'priority.label': 'Priority',
  'priority.0': 'Low',
  'priority.1': 'Normal',
  'priority.2': 'High',
  'priority.3': 'Urgent',

  'status.label': 'Status',
  'status.open': 'Open',
  'status.snoozed': 'Snoozed',
  'status.resolved': 'Resolved',

  'view.empty': 'Select a conversation',
  'view.emptyHint': 'Pick a conversation on the left to read it and reply.',
  'view.loadOlder': 'Load older messages',
  'view.noMessages': 'No messages yet.',
  'view.typing': '{who} is typing…',
  'view.typingAnon': 'Typing…',
  'view.back': 'Back to the list',
  'view.messages': 'Messages',
  'view.updateFailed': 'Could not update the conversation: {message}',
  'view.loadFailed': 'Could not load messages: {message}',

  'msg.reply': 'In reply to',
  'msg.unsafeUrl': 'Link not opened (unsupported address):',
  'msg.failedDefault': 'The message could not be delivered.',
  'msg.reactions': 'Reactions',

  'delivery.pending': 'Sending',
  'delivery.sent': 'Sent',
  'delivery.delivered': 'Delivered',
  'delivery.read': 'Read',
  'delivery.failed': 'Not delivered',

  'day.today': 'Today',
  'day.yesterday': 'Yesterday',
  'time.now': 'now',
  'time.minutes': '{n} min',
  'time.hours': '{n} h',
  'time.days': '{n} d',

  'composer.label': 'Reply',
  'composer.placeholder': 'Write a reply…  (Enter sends, Shift+Enter adds a line)',
  'composer.send': 'Send',
  'composer.attach': 'Attach file',
  'composer.removeAttachment': 'Remove attachment',
  'composer.fileUrl': 'File URL',
  'composer.fileName': 'File name',
  'composer.caption': 'Caption (optional)',
  'composer.kind': 'Type',
  'composer.noText': 'This provider cannot send messages in this conversation.',
  'composer.noFile': 'This provider cannot send files.',
  'composer.invalidUrl': 'Enter a file address starting with http:// or https://',
  'composer.sendFailed': 'Could not send: {message}',
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof en;
export type Dictionary = Record<MessageKey, string>;

const ptBR: Dictionary = {
  'app.name': 'Agent Inbox',
  'lang.label': 'Idioma',

  'common.retry': 'Tentar de novo',
  'common.cancel': 'Cancelar',
  'common.close': 'Fechar',
  'common.dismiss': 'Dispensar',
  'common.loading': 'Carregando…',
  'common.required': 'obrigatório',

  'boot.unreachable': 'Não foi possível acessar o serviço da caixa de entrada.',
  'boot.unauthorized':
    'Esta página não tem um token de acesso válido. Abra o endereço que o inboxd mostrou ao iniciar (ele termina com #token=…).',

  'firstRun.title': 'Boas-vindas ao Agent Inbox',
  'firstRun.subtitle':
    'Conecte sua conta do WhatsApp para começar a atender clientes, ou conheça a caixa de entrada com a demonstração.',
  'firstRun.or': 'ou',

  'connect.title': 'Conectar mConnect',
  'connect.intro': 'Use as credenciais do WhatsApp omnichannel do seu painel mConnect.',
  'connect.name': 'Nome da conta',
  'connect.namePlaceholder': 'ex.: Atendimento São Paulo',
  'connect.baseUrl': 'URL do endpoint',
  'connect.number': 'Número do WhatsApp',
  'connect.numberHint': 'Somente dígitos, com DDI e DDD, ex.: 5511987654321',
  'connect.company': 'Empresa',
  'connect.username': 'Usuário',
  'connect.submit': 'Conectar conta',
  'connect.submitting': 'Conectando…',
  'connect.failed': 'Não foi possível conectar a conta: {message}',

  'validation.required': 'Campo obrigatório.',
  'validation.url': 'Informe um endereço que comece com http:// ou https://',
  'validation.number': 'Use de 8 a 15 dígitos, sem espaços nem símbolos.',

  'demo.title': 'Experimentar a demonstração',
  'demo.body': 'Explore a caixa de entrada com clientes simulados que escrevem e reagem às suas respostas.',
  'demo.safe': 'Nada é enviado ao WhatsApp.',
  'demo.start': 'Iniciar demonstração',
  'demo.starting': 'Iniciando…',
  'demo.failed': 'Não foi possível iniciar a demonstração: {message}',
  'demo.banner': 'Modo demonstração — clientes simulados',
  'demo.simulate': 'Simular mensagem de cliente',
  'demo.simulating': 'Enviando…',

  'webhook.title': 'Conta conectada',
  'webhook.intro': 'Configure esta URL de webhook no mConnect para que as mensagens recebidas cheguem ao Agent Inbox:',
  'webhook.note':
    'O provedor precisa conseguir acessar esta URL: exponha-a por um túnel ou rode o inboxd em um servidor. A URL contém um segredo — informe-a somente ao provedor.',
  'webhook.none': 'Esta conta não tem URL de webhook.',
  'webhook.copy': 'Copiar',
  'webhook.copied': 'Copiado',
  'webhook.copyFailed': 'Não foi possível copiar — selecione a URL e copie manualmente.',
  'webhook.continue': 'Ir para a caixa de entrada',

  'accounts.button': 'Contas',
  'accounts.title': 'Contas',
  'accounts.demo': 'Demonstração',
  'accounts.webhook': 'URL do webhook',
  'accounts.add': 'Conectar outra conta',

  'filter.label': 'Mostrar conversas',
  'filter.open': 'Abertas',
  'filter.snoozed': 'Adiadas',
  'filter.resolved': 'Resolvidas',
  'filter.all': 'Todas',

  'list.label': 'Conversas',
  'list.empty': 'Nenhuma conversa aqui.',
  'list.loadMore': 'Carregar mais',
  'list.group': 'Grupo',
  'list.unread': '{n} não lidas',
  'list.you': 'Você:',
  'list.noMessages': 'Nenhuma mensagem ainda',

  'kind.text': 'Mensagem',
  'kind.image': 'Foto',
  'kind.video': 'Vídeo',
  'kind.audio': 'Áudio',
  'kind.file': 'Arquivo',
  'kind.sticker': 'Figurinha',
  'kind.location': 'Localização',
  'kind.template': 'Modelo',
  'kind.interactive': 'Botões',
  'kind.event': 'Evento',
  'kind.unrecognised': 'Evento não reconhecido',

  'priority.label': 'Prioridade',
  'priority.0': 'Baixa',
  'priority.1': 'Normal',
  'priority.2': 'Alta',
  'priority.3': 'Urgente',

  'status.label': 'Situação',
  'status.open': 'Aberta',
  'status.snoozed': 'Adiada',
  'status.resolved': 'Resolvida',

  'view.empty': 'Selecione uma conversa',
  'view.emptyHint': 'Escolha uma conversa à esquerda para ler e responder.',
  'view.loadOlder': 'Carregar mensagens anteriores',
  'view.noMessages': 'Nenhuma mensagem ainda.',
  'view.typing': '{who} está digitando…',
  'view.typingAnon': 'Digitando…',
  'view.back': 'Voltar para a lista',
  'view.messages': 'Mensagens',
  'view.updateFailed': 'Não foi possível atualizar a conversa: {message}',
  'view.loadFailed': 'Não foi possível carregar as mensagens: {message}',

  'msg.reply': 'Em resposta a',
  'msg.unsafeUrl': 'Link não aberto (endereço não suportado):',
  'msg.failedDefault': 'Não foi possível entregar a mensagem.',
  'msg.reactions': 'Reações',

  'delivery.pending': 'Enviando',
  'delivery.sent': 'Enviada',
  'delivery.delivered': 'Entregue',
  'delivery.read': 'Lida',
  'delivery.failed': 'Não entregue',

  'day.today': 'Hoje',
  'day.yesterday': 'Ontem',
  'time.now': 'agora',
  'time.minutes': '{n} min',
  'time.hours': '{n} h',
  'time.days': '{n} d',

  'composer.label': 'Resposta',
  'composer.placeholder': 'Escreva uma resposta…  (Enter envia, Shift+Enter quebra a linha)',
  'composer.send': 'Enviar',
  'composer.attach': 'Anexar arquivo',
  'composer.removeAttachment': 'Remover anexo',
  'composer.fileUrl': 'URL do arquivo',
  'composer.fileName': 'Nome do arquivo',
  'composer.caption': 'Legenda (opcional)',
  'composer.kind': 'Tipo',
  'composer.noText': 'Este provedor não pode enviar mensagens nesta conversa.',
  'composer.noFile': 'Este provedor não pode enviar arquivos.',
  'composer.invalidUrl': 'Informe o endereço do arquivo começando com http:// ou https://',
  'composer.sendFailed': 'Não foi possível enviar: {message}',
};

export const dictionaries: Record<Locale, Dictionary> = { en, 'pt-BR': ptBR };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** Look up `key` for `loc` and fill `{name}` placeholders from params. */
export function translate(loc: Locale, key: MessageKey, params?: Params): string {
  const template = dictionaries[loc][key] ?? en[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export function isLocale(v: unknown): v is Locale {
  return v === 'en' || v === 'pt-BR';
}

/** A saved choice wins; otherwise any Portuguese browser language picks pt-BR. */
export function detectLocale(saved: string | null, languages: readonly string[]): Locale {
  if (isLocale(saved)) return saved;
  for (const lang of languages) {
    const l = lang.toLowerCase();
    if (l === 'pt' || l.startsWith('pt-')) return 'pt-BR';
    if (l === 'en' || l.startsWith('en-')) return 'en';
  }
  return 'en';
}

function readSaved(): string | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    return null;
  }
}

function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  if (navigator.languages && navigator.languages.length) return navigator.languages;
  return navigator.language ? [navigator.language] : [];
}

function applyDocumentLang(loc: Locale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = loc;
}

const initial = detectLocale(readSaved(), browserLanguages());
applyDocumentLang(initial);

/** The current UI language. Use setLocale() to change it. */
export const locale = writable<Locale>(initial);

/** `$t('key', {params})` in components. */
export const t = derived(locale, (loc): Translate => (key, params) => translate(loc, key, params));

export function setLocale(loc: Locale): void {
  locale.set(loc);
  applyDocumentLang(loc);
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, loc);
  } catch {
    // private mode etc.: the choice just isn't remembered
  }
}

export function currentLocale(): Locale {
  return get(locale);
}
