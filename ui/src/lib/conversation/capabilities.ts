// What a conversation can do, and why not: the composer, the message actions and the header
// offer exactly the conversation's capabilities and explain the missing ones.

import type { Capability, ConversationSummary, Message, Provider, ProviderInfo } from '../backend/types';
import { translate, type Locale, type Translate } from '../i18n';
import { engineText } from '../providerText';

/** Actions an agent may look for; when missing they are shown disabled with the reason. */
export const LOOKED_FOR = [
  'send_file',
  'caption',
  'templates',
  'interactive',
  'location',
  'reply',
  'remove_reaction',
  'delete',
  'typing',
  'handoff_update',
  'history_import',
  'reassign',
  'refresh',
] as const satisfies readonly Capability[];

/** A capability the UI offers as an action (named `action.<capability>`). */
export type Action = (typeof LOOKED_FOR)[number];

function isAction(cap: Capability): cap is Action {
  return (LOOKED_FOR as readonly Capability[]).includes(cap);
}

/** The name of what a capability lets the agent do: the action's name, else the capability's. */
export function actionName(t: Translate, cap: Capability): string {
  return isAction(cap) ? t(`action.${cap}`) : t(`cap.${cap}`);
}

/** "<action> is not available here: <reason>". */
export function unavailableLine(t: Translate, cap: Capability, reason: string): string {
  return t('action.unavailable', { action: actionName(t, cap), reason });
}

export function can(c: Pick<ConversationSummary, 'capabilities'> | null | undefined, cap: Capability): boolean {
  return !!c && c.capabilities.includes(cap);
}

/**
 * Why `provider` cannot do `cap`, in the UI language: the reason the provider's catalogue gives
 * (rendered from the engine's text catalog), otherwise a generic sentence (the catalogue is not
 * loaded, or names no reason).
 */
export function reasonText(
  loc: Locale,
  providers: readonly ProviderInfo[],
  provider: Provider,
  cap: Capability,
): string {
  const sent = providers.find((p) => p.id === provider)?.unavailable.find((n) => n.capability === cap)?.reason;
  return sent === undefined ? translate(loc, 'reason.generic') : engineText(loc, sent);
}

export interface ActionState {
  available: boolean;
  /** Set when not available. */
  reason: string | null;
}

export function actionState(
  loc: Locale,
  providers: readonly ProviderInfo[],
  c: Pick<ConversationSummary, 'capabilities' | 'provider'>,
  cap: Capability,
): ActionState {
  if (c.capabilities.includes(cap)) return { available: true, reason: null };
  return { available: false, reason: reasonText(loc, providers, c.provider, cap) };
}

/** The looked-for capabilities this conversation lacks, with their reasons. */
export function missingActions(
  loc: Locale,
  providers: readonly ProviderInfo[],
  c: Pick<ConversationSummary, 'capabilities' | 'provider'>,
): { capability: Capability; reason: string }[] {
  return LOOKED_FOR.filter((cap) => !c.capabilities.includes(cap)).map((cap) => ({
    capability: cap,
    reason: reasonText(loc, providers, c.provider, cap),
  }));
}

/** Refreshing re-reads the chat from the provider; only Wegly's API has a chat to read. */
export function canRefresh(c: Pick<ConversationSummary, 'capabilities'>): boolean {
  return c.capabilities.includes('refresh');
}

/** What the agent may do with the messages of a conversation, and the handlers (message bubbles). */
export interface BubbleActions {
  reply: ActionState;
  delete: ActionState;
  removeReaction: ActionState;
  onReply: (m: Message) => void;
  onDelete: (m: Message) => Promise<void>;
  onRemoveReaction: (m: Message) => Promise<void>;
}
