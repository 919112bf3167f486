// What a message in the open conversation can ask of the conversation view: open an image in the
// viewer, start a conversation with a phone number found in a text. The view provides one
// `MessageTools` to the bubbles below it (Svelte context) and mounts what it opens
// (components/viewer/MessageOverlays.svelte). Where no view provides it, messages fall back to
// plain links and copy-only phone numbers.

import { getContext, setContext } from 'svelte';

const KEY = Symbol('message-tools');

export class MessageTools {
  /** The id of the image message open in the viewer, or null. */
  image = $state<string | null>(null);
  /** The phone number (digits with the country code) "New conversation" opens with, or null when closed. */
  startWith = $state<string | null>(null);

  openImage(messageId: string): void {
    this.image = messageId;
  }

  closeImage(): void {
    this.image = null;
  }

  startConversation(number: string): void {
    this.startWith = number;
  }

  closeStart(): void {
    this.startWith = null;
  }
}

export function provideMessageTools(): MessageTools {
  const tools = new MessageTools();
  setContext(KEY, tools);
  return tools;
}

export function useMessageTools(): MessageTools | undefined {
  return getContext<MessageTools | undefined>(KEY);
}
