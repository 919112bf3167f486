// Texts the engine sends about providers (field labels, help, preset names, notes, reasons for
// missing capabilities) are English. This table gives their Portuguese, keyed by the English
// text; a text the table does not know is shown as the engine sent it.

import { derived } from 'svelte/store';
import { locale, type Locale } from './i18n';

const PT_BR: Record<string, string> = {
  // field labels, help and presets
  Endpoint: 'Endpoint',
  'mConnect production': 'mConnect produção',
  'WhatsApp number': 'Número do WhatsApp',
  'The scanned number, with country code, digits only.': 'O número escaneado, com DDI, somente dígitos.',
  Company: 'Empresa',
  Username: 'Usuário',
  API: 'API',
  'Interactions open a hand-off in a department; WhatsApp pushes a customer\'s WhatsApp messages.':
    'Interações abrem um atendimento em um departamento; WhatsApp repassa as mensagens de WhatsApp de um cliente.',
  'Interactions (ClientApi V1)': 'Interações (ClientApi V1)',
  'WhatsApp (Whatsapp Api V1)': 'WhatsApp (Whatsapp Api V1)',
  Server: 'Servidor',
  'Any other URL works too.': 'Qualquer outra URL também funciona.',
  'ZChat production': 'ZChat produção',
  'Omnize production': 'Omnize produção',
  'Omnize homolog': 'Omnize homologação',
  'Default department': 'Departamento padrão',
  'Where new hand-offs go; "Test connection" lists the departments.':
    'Para onde vão os novos atendimentos; "Testar conexão" lista os departamentos.',
  'API token': 'Token da API',
  'Settings > Integrations > API (ClientSDK on Omnize). Kept in the system keychain.':
    'Configurações > Integrações > API (ClientSDK no Omnize). Guardado no chaveiro do sistema.',
  'API base URL': 'URL base da API',
  'Cirrus does not publish its HTTP address; ask your Cirrus contact.':
    'A Cirrus não publica seu endereço HTTP; peça ao seu contato na Cirrus.',
  'Client identifier': 'Identificador do cliente',
  "The account's clientIdentifier (a UUID).": 'O clientIdentifier da conta (um UUID).',
  'Channel id': 'Id do canal',
  'Platform config id': 'Id da configuração da plataforma',
  'Needed to start conversations.': 'Necessário para iniciar conversas.',
  'Platform slug': 'Slug da plataforma',
  'For example karoochat.': 'Por exemplo karoochat.',
  'WhatsApp service': 'Serviço de WhatsApp',
  'WhatsApp Web': 'WhatsApp Web',
  '360dialog (official API)': '360dialog (API oficial)',
  'Company name': 'Nome da empresa',
  'Required to start conversations over WhatsApp Web.': 'Obrigatório para iniciar conversas pelo WhatsApp Web.',
  'Agent name': 'Nome do atendente',
  'The name Cirrus shows on messages sent from here.': 'O nome que a Cirrus mostra nas mensagens enviadas daqui.',
  'Route overrides': 'Rotas personalizadas',
  'Cirrus\'s HTTP routes are inferred from its library; override any of them here as {"operation": "METHOD /path"}.':
    'As rotas HTTP da Cirrus são deduzidas da sua biblioteca; substitua qualquer uma aqui como {"operation": "MÉTODO /caminho"}.',
  'Sent as a Bearer token if your Cirrus server needs one. Kept in the system keychain.':
    'Enviado como token Bearer se o seu servidor Cirrus exigir. Guardado no chaveiro do sistema.',
  'Wegly production': 'Wegly produção',
  'WhatsApp phone id': 'Id do telefone do WhatsApp',
  'The UUID of the number new chats are opened from.': 'O UUID do número de onde as novas conversas são abertas.',
  'Integration token': 'Token de integração',
  'Sent as Authorization: Bearer. Kept in the system keychain.':
    'Enviado como Authorization: Bearer. Guardado no chaveiro do sistema.',
  'Webhook signing secret': 'Segredo de assinatura do webhook',
  "The webhook subscription's secret: deliveries without a valid x-wegly-signature are refused.":
    'O segredo da assinatura do webhook: entregas sem um x-wegly-signature válido são recusadas.',

  // notes
  'mConnect has no token: it identifies callers by number, company and username.':
    'O mConnect não usa token: identifica quem chama pelo número, empresa e usuário.',
  'Sent messages stay "sent": mConnect forwards no delivery receipts.':
    'Mensagens enviadas ficam como "enviada": o mConnect não repassa confirmações de entrega.',
  "Paste the webhook URL in the provider's admin site (Settings > Integrations). It carries no signature: the URL itself is the secret.":
    'Cole a URL do webhook no painel de administração do provedor (Configurações > Integrações). Ela não tem assinatura: a própria URL é o segredo.',
  "The provider reads each conversation's history from a URL the inbox serves; it must reach this machine (a tunnel, or inboxd on a server).":
    'O provedor lê o histórico de cada conversa em uma URL servida pela caixa de entrada; ele precisa alcançar esta máquina (um túnel, ou o inboxd em um servidor).',
  'Give Cirrus the webhook URL as the platform\'s callbackUrl. Events the inbox does not recognise are kept and shown as "unrecognised event".':
    'Informe à Cirrus a URL do webhook como callbackUrl da plataforma. Eventos que a caixa de entrada não reconhece são guardados e mostrados como "evento não reconhecido".',
  "Contacts and tags: edits made here are sent to Cirrus at once; on sync, Cirrus's version wins over a local edit that could not be sent.":
    'Contatos e etiquetas: as edições feitas aqui são enviadas à Cirrus na hora; na sincronização, a versão da Cirrus prevalece sobre uma edição local que não pôde ser enviada.',
  "Subscribe the webhook URL in Wegly's integrations settings, with the same signing secret as here.":
    'Cadastre a URL do webhook nas configurações de integrações da Wegly, com o mesmo segredo de assinatura usado aqui.',
  'Outside the 24-hour window only an approved template can be sent.':
    'Fora da janela de 24 horas só é possível enviar um modelo aprovado.',

  // reasons for missing capabilities
  "mConnect's API has no quoted replies.": 'A API do mConnect não tem respostas com citação.',
  'mConnect does not forward reactions.': 'O mConnect não repassa reações.',
  "mConnect's API has no typing notification.": 'A API do mConnect não avisa quando alguém está digitando.',
  'mConnect drives WhatsApp Web, which has no templates.': 'O mConnect usa o WhatsApp Web, que não tem modelos.',
  'WhatsApp Web has no 24-hour window.': 'O WhatsApp Web não tem janela de 24 horas.',
  'mConnect sends only text and files.': 'O mConnect envia somente texto e arquivos.',
  "mConnect's API cannot delete messages.": 'A API do mConnect não apaga mensagens.',
  "mConnect's API cannot read earlier messages.": 'A API do mConnect não lê mensagens anteriores.',
  'mConnect has no users to reassign to.': 'O mConnect não tem usuários para quem transferir.',
  'mConnect has no contact API.': 'O mConnect não tem API de contatos.',
  'mConnect has no tag API.': 'O mConnect não tem API de etiquetas.',
  'Hand-offs are one customer each; the API has no groups.': 'Cada atendimento é de um cliente; a API não tem grupos.',
  "The API sends a file's URL and one text; there is no separate caption.":
    'A API envia a URL do arquivo e um texto; não há legenda separada.',
  'The API has no quoted replies.': 'A API não tem respostas com citação.',
  'The API carries no reactions.': 'A API não traz reações.',
  "Templates belong to WhatsApp's official API; this one opens hand-offs.":
    'Modelos são da API oficial do WhatsApp; esta abre atendimentos.',
  "The provider's agents answer inside their own platform; no window applies here.":
    'Os atendentes do provedor respondem na própria plataforma; nenhuma janela se aplica aqui.',
  'The API sends text and media only.': 'A API envia somente texto e mídia.',
  'The API cannot delete messages.': 'A API não apaga mensagens.',
  'The provider reads our history (external_history); it offers none to read back.':
    'O provedor lê o nosso histórico (external_history); não oferece o dele para leitura.',
  'Transfers happen on the provider\'s side and arrive as "transferred".':
    'As transferências acontecem no provedor e chegam como "transferido".',
  'The API has no contact list.': 'A API não tem lista de contatos.',
  'Tag ids can be set on an interaction, but tags cannot be listed or edited.':
    'Dá para definir ids de etiqueta em uma interação, mas não listar nem editar etiquetas.',
  'Only the interactions flavour can update a hand-off (mood, tags, note).':
    'Só a API de interações atualiza um atendimento (humor, etiquetas, nota).',
  "Cirrus's media message carries only the media URL.": 'A mensagem de mídia da Cirrus leva somente a URL da mídia.',
  "Cirrus's library has no reactions.": 'A biblioteca da Cirrus não tem reações.',
  "Cirrus's library has no typing notification.": 'A biblioteca da Cirrus não avisa quando alguém está digitando.',
  "Cirrus's library sends proactive messages instead of templates.":
    'A biblioteca da Cirrus envia mensagens proativas em vez de modelos.',
  'Cirrus documents interactive messages as not implemented.':
    'A Cirrus documenta mensagens interativas como não implementadas.',
  "Cirrus's library has no location message.": 'A biblioteca da Cirrus não tem mensagem de localização.',
  'Cirrus has no departments.': 'A Cirrus não tem departamentos.',
  'Cirrus conversations are answered here, not handed off.': 'As conversas da Cirrus são respondidas aqui, não repassadas.',
  'Cirrus does not read history from us.': 'A Cirrus não lê o histórico daqui.',
  "Cirrus's library cannot read earlier messages.": 'A biblioteca da Cirrus não lê mensagens anteriores.',
  "Cirrus's library has no reassignment.": 'A biblioteca da Cirrus não transfere conversas.',
  'Only the d360 service (official WhatsApp API) has the 24-hour window.':
    'Só o serviço d360 (API oficial do WhatsApp) tem a janela de 24 horas.',
  "Wegly's external API opens individual chats only.": 'A API externa da Wegly abre somente conversas individuais.',
  "Wegly's external API has no typing notification.": 'A API externa da Wegly não avisa quando alguém está digitando.',
  "Wegly's external API cannot delete messages.": 'A API externa da Wegly não apaga mensagens.',
  'Wegly has no departments in its external API.': 'A Wegly não tem departamentos na sua API externa.',
  'Wegly chats are answered here, not handed off.': 'As conversas da Wegly são respondidas aqui, não repassadas.',
  "Wegly does not read history from us; the inbox imports Wegly's timeline instead.":
    'A Wegly não lê o histórico daqui; em vez disso, a caixa de entrada importa a linha do tempo da Wegly.',
  "Wegly's external API has no contact list.": 'A API externa da Wegly não tem lista de contatos.',
  "Wegly's external API has no tags.": 'A API externa da Wegly não tem etiquetas.',
};

const TABLES: Record<Locale, Record<string, string>> = { en: {}, 'pt-BR': PT_BR };

/** A provider text from the engine in the UI language (as sent when there is no translation). */
export function providerText(loc: Locale, text: string): string {
  const table = TABLES[loc];
  return Object.prototype.hasOwnProperty.call(table, text) ? table[text] : text;
}

/** `$pt(text)` in components: the engine's provider text in the current language. */
export const pt = derived(locale, (loc) => (text: string) => providerText(loc, text));
