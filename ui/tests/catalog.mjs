// The provider catalogue as the engine describes it (crates/inbox-core/src/providers/*::info),
// for the provider-text tests. Keep field keys and types in step with the engine.

/** @typedef {import('../src/lib/backend/types').ProviderInfo} ProviderInfo */
/** @typedef {import('../src/lib/backend/types').SettingField} SettingField */
/** @typedef {import('../src/lib/backend/types').Capability} Capability */

/** @type {(capability: Capability, reason: string) => ProviderInfo['unavailable'][number]} */
const why = (capability, reason) => ({ capability, reason });
/** @type {(key: string, label: string, type: SettingField['type'], required: boolean, extra?: Partial<SettingField>) => SettingField} */
const field = (key, label, type, required, extra = {}) => ({
  key,
  label,
  type,
  required,
  options: [],
  default: null,
  help: null,
  ...extra,
});

const ZCHAT_PRODUCTION = 'https://zchat.zenvia.io';
const OMNIZE_PRODUCTION = 'https://services.omnize.com.br';
const OMNIZE_HOMOLOG = 'https://homolog.services.omnize.com.br';

/**
 * Capabilities an account has with these settings (some depend on them).
 * @param {string} provider
 * @param {Record<string, unknown>} [settings]
 * @returns {Capability[]}
 */
function capabilitiesFor(provider, settings = {}) {
  switch (provider) {
    case 'mconnect':
      return ['start_conversation', 'send_text', 'send_file', 'caption', 'groups'];
    case 'zchat':
    case 'omnize': {
      const flavour = settings.flavour ?? (provider === 'omnize' ? 'whatsapp' : 'interactions');
      /** @type {Capability[]} */
      const caps = ['start_conversation', 'send_text', 'send_file', 'typing', 'departments', 'handoff'];
      if (flavour === 'interactions') caps.push('handoff_update');
      caps.push('history_url');
      return caps;
    }
    case 'cirrus': {
      /** @type {Capability[]} */
      const caps = [
        'start_conversation',
        'send_text',
        'send_file',
        'groups',
        'reply',
        'delete',
        'contact_sync',
        'tag_sync',
      ];
      if (settings.service === 'd360') caps.push('window_24h');
      return caps;
    }
    case 'wegly':
      return [
        'start_conversation',
        'send_text',
        'send_file',
        'caption',
        'reply',
        'reactions',
        'remove_reaction',
        'templates',
        'window_24h',
        'interactive',
        'location',
        'history_import',
        'reassign',
        'refresh',
      ];
    default:
      return [];
  }
}

/**
 * @param {'zchat' | 'omnize'} id
 * @returns {ProviderInfo}
 */
function zchatInfo(id) {
  const omnize = id === 'omnize';
  const flavour = omnize ? 'whatsapp' : 'interactions';
  return {
    id,
    label: omnize ? 'Omnize' : 'ZChat (Zenvia)',
    capabilities: capabilitiesFor(id, { flavour }),
    unavailable: [
      why('groups', 'Hand-offs are one customer each; the API has no groups.'),
      why('caption', "The API sends a file's URL and one text; there is no separate caption."),
      why('reply', 'The API has no quoted replies.'),
      why('reactions', 'The API carries no reactions.'),
      why('remove_reaction', 'The API carries no reactions.'),
      why('templates', "Templates belong to WhatsApp's official API; this one opens hand-offs."),
      why('window_24h', "The provider's agents answer inside their own platform; no window applies here."),
      why('interactive', 'The API sends text and media only.'),
      why('location', 'The API sends text and media only.'),
      why('delete', 'The API cannot delete messages.'),
      why('history_import', 'The provider reads our history (external_history); it offers none to read back.'),
      why('reassign', 'Transfers happen on the provider\'s side and arrive as "transferred".'),
      why('refresh', 'Hand-off changes arrive as triggers; there is no call to read them back.'),
      why('contact_sync', 'The API has no contact list.'),
      why('tag_sync', 'Tag ids can be set on an interaction, but tags cannot be listed or edited.'),
      why('handoff_update', 'Only the interactions flavour can update a hand-off (mood, tags, note).'),
    ],
    fields: [
      field('flavour', 'API', 'select', true, {
        options: [
          { value: 'interactions', label: 'Interactions (ClientApi V1)' },
          { value: 'whatsapp', label: 'WhatsApp (Whatsapp Api V1)' },
        ],
        default: flavour,
        help: "Interactions open a hand-off in a department; WhatsApp pushes a customer's WhatsApp messages.",
      }),
      field('base_url', 'Server', 'url', true, {
        options: [
          { value: ZCHAT_PRODUCTION, label: 'ZChat production' },
          { value: OMNIZE_PRODUCTION, label: 'Omnize production' },
          { value: OMNIZE_HOMOLOG, label: 'Omnize homolog' },
        ],
        default: omnize ? OMNIZE_PRODUCTION : ZCHAT_PRODUCTION,
        help: 'Any other URL works too.',
      }),
      field('department_id', 'Default department', 'number', true, {
        help: 'Where new hand-offs go; "Test connection" lists the departments.',
      }),
      field('token', 'API token', 'secret', true, {
        help: 'Settings > Integrations > API (ClientSDK on Omnize). Kept in the system keychain.',
      }),
    ],
    webhook_setup: 'manual',
    notes: [
      "Paste the webhook URL in the provider's admin site (Settings > Integrations). It carries no signature: the URL itself is the secret.",
      "The provider reads each conversation's history from a URL the inbox serves; it must reach this machine (a tunnel, or inboxd on a server).",
    ],
  };
}

/** @type {ProviderInfo[]} */
export const PROVIDERS = [
  {
    id: 'mconnect',
    label: 'mConnect',
    capabilities: capabilitiesFor('mconnect'),
    unavailable: [
      why('reply', "mConnect's API has no quoted replies."),
      why('reactions', 'mConnect does not forward reactions.'),
      why('remove_reaction', 'mConnect does not forward reactions.'),
      why('typing', "mConnect's API has no typing notification."),
      why('templates', 'mConnect drives WhatsApp Web, which has no templates.'),
      why('window_24h', 'WhatsApp Web has no 24-hour window.'),
      why('interactive', 'mConnect sends only text and files.'),
      why('location', 'mConnect sends only text and files.'),
      why('delete', "mConnect's API cannot delete messages."),
      why('history_import', "mConnect's API cannot read earlier messages."),
      why('reassign', 'mConnect has no users to reassign to.'),
      why('refresh', 'mConnect keeps no chat to read back.'),
      why('contact_sync', 'mConnect has no contact API.'),
      why('tag_sync', 'mConnect has no tag API.'),
    ],
    fields: [
      field('base_url', 'Endpoint', 'url', true, {
        options: [{ value: 'https://omni.mconnectapps.com/api/v1.0/whatsapp-omni/', label: 'mConnect production' }],
        default: 'https://omni.mconnectapps.com/api/v1.0/whatsapp-omni/',
      }),
      field('number', 'WhatsApp number', 'phone', true, {
        help: 'The scanned number, with country code, digits only.',
      }),
      field('company', 'Company', 'text', true),
      field('username', 'Username', 'text', true),
    ],
    webhook_setup: 'registered',
    notes: [
      'mConnect has no token: it identifies callers by number, company and username.',
      'Sent messages stay "sent": mConnect forwards no delivery receipts.',
    ],
  },
  zchatInfo('zchat'),
  zchatInfo('omnize'),
  {
    id: 'cirrus',
    label: 'Cirrus',
    capabilities: capabilitiesFor('cirrus'),
    unavailable: [
      why('caption', "Cirrus's media message carries only the media URL."),
      why('reactions', "Cirrus's library has no reactions."),
      why('remove_reaction', "Cirrus's library has no reactions."),
      why('typing', "Cirrus's library has no typing notification."),
      why('templates', "Cirrus's library sends proactive messages instead of templates."),
      why('interactive', 'Cirrus documents interactive messages as not implemented.'),
      why('location', "Cirrus's library has no location message."),
      why('departments', 'Cirrus has no departments.'),
      why('handoff', 'Cirrus conversations are answered here, not handed off.'),
      why('handoff_update', 'Cirrus conversations are answered here, not handed off.'),
      why('history_url', 'Cirrus does not read history from us.'),
      why('history_import', "Cirrus's library cannot read earlier messages."),
      why('reassign', "Cirrus's library has no reassignment."),
      why('refresh', "Cirrus's library cannot read a conversation back."),
      why('window_24h', 'Only the d360 service (official WhatsApp API) has the 24-hour window.'),
    ],
    fields: [
      field('base_url', 'API base URL', 'url', true, {
        help: 'Cirrus does not publish its HTTP address; ask your Cirrus contact.',
      }),
      field('client_identifier', 'Client identifier', 'text', true, {
        help: "The account's clientIdentifier (a UUID).",
      }),
      field('channel_id', 'Channel id', 'text', true),
      field('platform_config_id', 'Platform config id', 'text', false, { help: 'Needed to start conversations.' }),
      field('platform', 'Platform slug', 'text', false, { help: 'For example karoochat.' }),
      field('service', 'WhatsApp service', 'select', true, {
        options: [
          { value: 'whatsappweb', label: 'WhatsApp Web' },
          { value: 'd360', label: '360dialog (official API)' },
        ],
        default: 'whatsappweb',
      }),
      field('company_name', 'Company name', 'text', false, {
        help: 'Required to start conversations over WhatsApp Web.',
      }),
      field('agent_name', 'Agent name', 'text', false, { help: 'The name Cirrus shows on messages sent from here.' }),
      field('routes', 'Route overrides', 'json', false, {
        help: 'Cirrus\'s HTTP routes are inferred from its library; override any of them here as {"operation": "METHOD /path"}.',
      }),
      field('token', 'API token', 'secret', false, {
        help: 'Sent as a Bearer token if your Cirrus server needs one. Kept in the system keychain.',
      }),
    ],
    webhook_setup: 'manual',
    notes: [
      'Give Cirrus the webhook URL as the platform\'s callbackUrl. Events the inbox does not recognise are kept and shown as "unrecognised event".',
      "Contacts and tags: edits made here are sent to Cirrus at once; on sync, Cirrus's version wins over a local edit that could not be sent.",
    ],
  },
  {
    id: 'wegly',
    label: 'Wegly',
    capabilities: capabilitiesFor('wegly'),
    unavailable: [
      why('groups', "Wegly's external API opens individual chats only."),
      why('typing', "Wegly's external API has no typing notification."),
      why('delete', "Wegly's external API cannot delete messages."),
      why('departments', 'Wegly has no departments in its external API.'),
      why('handoff', 'Wegly chats are answered here, not handed off.'),
      why('handoff_update', 'Wegly chats are answered here, not handed off.'),
      why('history_url', "Wegly does not read history from us; the inbox imports Wegly's timeline instead."),
      why('contact_sync', "Wegly's external API has no contact list."),
      why('tag_sync', "Wegly's external API has no tags."),
    ],
    fields: [
      field('base_url', 'API base URL', 'url', true, {
        options: [{ value: 'https://api.wegly.com.br/integrations/external', label: 'Wegly production' }],
        default: 'https://api.wegly.com.br/integrations/external',
      }),
      field('whatsapp_phone_id', 'WhatsApp phone id', 'text', true, {
        help: 'The UUID of the number new chats are opened from.',
      }),
      field('origin', 'Allowed domain (Origin)', 'url', false, {
        help: "Only if the token is restricted to an allowed domain: that domain's URL, sent as Origin and Referer.",
      }),
      field('token', 'Integration token', 'secret', true, {
        help: 'Sent as Authorization: Bearer. Kept in the system keychain.',
      }),
      field('signing_secret', 'Webhook signing secret', 'secret', true, {
        help: "The webhook subscription's secret: deliveries without a valid x-wegly-signature are refused.",
      }),
    ],
    webhook_setup: 'manual',
    notes: [
      "Subscribe the webhook URL in Wegly's integrations settings, with the same signing secret as here.",
      'Outside the 24-hour window only an approved template can be sent.',
      'A new chat opens with an approved template.',
    ],
  },
];
