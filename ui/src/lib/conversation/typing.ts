// Tells the other side that the agent is typing: "on" when typing starts (repeated at most every
// `refreshMs` while it goes on, since providers expire it), "off" after `idleMs` without a
// keystroke or when the message is sent. Failures are ignored: typing is best effort.

export interface TypingOptions {
  send: (active: boolean) => Promise<unknown>;
  idleMs?: number;
  refreshMs?: number;
  now?: () => number;
}

export class TypingNotifier {
  private readonly send: (active: boolean) => Promise<unknown>;
  private readonly idleMs: number;
  private readonly refreshMs: number;
  private readonly now: () => number;
  private active = false;
  private lastOn = 0;
  private idle: ReturnType<typeof setTimeout> | undefined;

  constructor(o: TypingOptions) {
    this.send = o.send;
    this.idleMs = o.idleMs ?? 3000;
    this.refreshMs = o.refreshMs ?? 10_000;
    this.now = o.now ?? Date.now;
  }

  /** The agent typed a key (with `empty` true when the box is now empty). */
  input(empty = false): void {
    if (empty) {
      this.stop();
      return;
    }
    const t = this.now();
    if (!this.active || t - this.lastOn >= this.refreshMs) {
      this.active = true;
      this.lastOn = t;
      this.fire(true);
    }
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.stop(), this.idleMs);
  }

  /** Sent, left the conversation or idle: "off" once, if "on" was sent. */
  stop(): void {
    clearTimeout(this.idle);
    this.idle = undefined;
    if (!this.active) return;
    this.active = false;
    this.fire(false);
  }

  get isActive(): boolean {
    return this.active;
  }

  private fire(active: boolean): void {
    try {
      this.send(active).catch(() => {});
    } catch {
      // best effort
    }
  }
}
