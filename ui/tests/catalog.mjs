// The provider catalogue as the engine describes it (crates/inbox-core/src/providers/*::info),
// for the provider-text tests. Keep field keys and types in step with the engine.

/** @typedef {import('../src/lib/backend/types').ProviderInfo} ProviderInfo */
/** @typedef {import('../src/lib/backend/types').SettingField} SettingField */
/** @typedef {import('../src/lib/backend/types').Capability} Capability */

/** A text of the engine's catalog, by key (notes and reasons have no parameters).
 * @type {(key: string) => ProviderInfo['notes'][number]} */
const text = (key) => ({ key, params: {} });
/** @type {(capability: Capability, key: string) => ProviderInfo['unavailable'][number]} */
const why = (capability, key) => ({ capability, reason: text(key) });
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
      why('groups', 'zchat.reason_groups'),
      why('caption', 'zchat.reason_caption'),
      why('reply', 'zchat.reason_reply'),
      why('reactions', 'zchat.reason_reactions'),
      why('remove_reaction', 'zchat.reason_reactions'),
      why('templates', 'zchat.reason_templates'),
      why('window_24h', 'zchat.reason_window'),
      why('interactive', 'zchat.reason_text_and_media_only'),
      why('location', 'zchat.reason_text_and_media_only'),
      why('delete', 'zchat.reason_delete'),
      why('history_import', 'zchat.reason_history_import'),
      why('reassign', 'zchat.reason_reassign'),
      why('refresh', 'zchat.reason_refresh'),
      why('contact_sync', 'zchat.reason_contact_sync'),
      why('tag_sync', 'zchat.reason_tag_sync'),
      why('handoff_update', 'zchat.reason_handoff_update'),
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
    notes: [text('zchat.note_webhook'), text('zchat.note_history_url')],
    max_text_chars: 4096,
  };
}

/** @type {ProviderInfo[]} */
export const PROVIDERS = [
  {
    id: 'mconnect',
    label: 'mConnect',
    capabilities: capabilitiesFor('mconnect'),
    unavailable: [
      why('reply', 'mconnect.reason_reply'),
      why('reactions', 'mconnect.reason_reactions'),
      why('remove_reaction', 'mconnect.reason_reactions'),
      why('typing', 'mconnect.reason_typing'),
      why('templates', 'mconnect.reason_templates'),
      why('window_24h', 'mconnect.reason_window'),
      why('interactive', 'mconnect.reason_text_and_files_only'),
      why('location', 'mconnect.reason_text_and_files_only'),
      why('delete', 'mconnect.reason_delete'),
      why('history_import', 'mconnect.reason_history_import'),
      why('reassign', 'mconnect.reason_reassign'),
      why('refresh', 'mconnect.reason_refresh'),
      why('contact_sync', 'mconnect.reason_contact_sync'),
      why('tag_sync', 'mconnect.reason_tag_sync'),
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
    notes: [text('mconnect.note_no_token'), text('mconnect.note_no_receipts')],
    max_text_chars: 4096,
  },
  zchatInfo('zchat'),
  zchatInfo('omnize'),
  {
    id: 'cirrus',
    label: 'Cirrus',
    capabilities: capabilitiesFor('cirrus'),
    unavailable: [
      why('caption', 'cirrus.reason_caption'),
      why('reactions', 'cirrus.reason_reactions'),
      why('remove_reaction', 'cirrus.reason_reactions'),
      why('typing', 'cirrus.reason_typing'),
      why('templates', 'cirrus.reason_templates'),
      why('interactive', 'cirrus.reason_interactive'),
      why('location', 'cirrus.reason_location'),
      why('departments', 'cirrus.reason_departments'),
      why('handoff', 'cirrus.reason_not_handed_off'),
      why('handoff_update', 'cirrus.reason_not_handed_off'),
      why('history_url', 'cirrus.reason_history_url'),
      why('history_import', 'cirrus.reason_history_import'),
      why('reassign', 'cirrus.reason_reassign'),
      why('refresh', 'cirrus.reason_refresh'),
      why('window_24h', 'cirrus.reason_window'),
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
    notes: [text('cirrus.note_webhook'), text('cirrus.note_sync')],
    max_text_chars: 4096,
  },
  {
    id: 'wegly',
    label: 'Wegly',
    capabilities: capabilitiesFor('wegly'),
    unavailable: [
      why('groups', 'wegly.reason_groups'),
      why('typing', 'wegly.reason_typing'),
      why('delete', 'wegly.reason_delete'),
      why('departments', 'wegly.reason_departments'),
      why('handoff', 'wegly.reason_not_handed_off'),
      why('handoff_update', 'wegly.reason_not_handed_off'),
      why('history_url', 'wegly.reason_history_url'),
      why('contact_sync', 'wegly.reason_contact_sync'),
      why('tag_sync', 'wegly.reason_tag_sync'),
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
    notes: [text('wegly.note_webhook'), text('wegly.note_window'), text('wegly.note_new_chat')],
    max_text_chars: 4096,
  },
];
