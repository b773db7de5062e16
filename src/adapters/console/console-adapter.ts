import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { cleanText } from '../../core/clean-text';
import type { ChatAdapter, InvocationHandler } from '../../core/chat-adapter';
import type { Actor, Conversation, Invocation } from '../../core/invocation';
import type { MessageRef, Reply, ReplyButton, ReplyForm } from '../../core/reply';
import { consoleText, renderReply } from './render-text';

export interface ConsoleAdapterOptions {
  input: Readable;
  output: Writable;
  /** Who is speaking at first; they are the console group's admin. */
  user: string;
  /** Where attached files and pictures are saved. */
  fileDir: string;
  /** Called when the input ends (end of piped stdin, Ctrl-D, /quit). */
  onEnd?: () => void;
}

const WORKSPACE = 'local';

/** The console's own commands, handled here rather than by the bot: what `/help <name>` says of each. */
const CONSOLE_COMMANDS: Record<string, string> = {
  as: '/as <name>: speak as another member (console only), so one person can try a whole group. The first speaker is the admin.',
  channel: '/channel <name>: move to another channel (console only); each channel can be its own group.',
  click: '/click <n>: press button number n of a reply (console only), such as the /forget confirmation. A button that opens a form (Respond) takes the next line that is not a command.',
  quit: '/quit: leave the console (Ctrl-D works too).',
};

/**
 * A form filled in on one line: its text, and the choice named by a leading "<option>:" (the first
 * option when none is named), as `thread: loved the ending` picks "thread".
 */
export function formValues(form: ReplyForm, line: string): { text: string; choice: string } {
  const named = /^(\w+):\s*/.exec(line);
  const option = named && form.choice.options.find((o) => o.value === named[1]!.toLowerCase());
  return option ? { choice: option.value, text: line.slice(named[0].length) } : { choice: form.choice.options[0]?.value ?? '', text: line };
}

/**
 * A chat group in the terminal: each line is a command (`/log 500`) or a chat message. `/as <name>`
 * switches who is speaking and `/channel <name>` where; `/click <n>` presses a button. Lines are
 * handled one at a time, in order, so piped input gives one answer per line.
 */
export class ConsoleAdapter implements ChatAdapter {
  readonly platform = 'console' as const;
  private readline?: Interface;
  private user: string;
  private channel = 'general';
  private readonly session = Date.now().toString(36);
  private lineNumber = 0;
  private buttons: ReplyButton[] = [];
  /** A form a button opened: the next line typed fills it in. */
  private form?: ReplyForm;
  private postCount = 0;
  /** Waiting at the prompt for the person to type (interactive only). */
  private prompting = false;
  private done?: Promise<void>;

  constructor(private readonly options: ConsoleAdapterOptions) {
    this.user = options.user;
  }

  async start(onInvocation: InvocationHandler): Promise<void> {
    const interactive = 'isTTY' in this.options.input && Boolean(this.options.input.isTTY);
    this.readline = createInterface({ input: this.options.input, output: interactive ? this.options.output : undefined, terminal: interactive });
    if (interactive) {
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      this.print(
        [
          `Inkwell console: you are ${this.user}, in #${this.channel}.`,
          `Start a group here with /setup timezone:${zone}, then log with /log 500. /help lists the commands.`,
          'Console only: /as <name> speaks as someone else, /channel <name> moves, /click <n> presses a button, /quit leaves.',
        ].join('\n'),
      );
    }
    this.done = this.readLines(onInvocation, interactive);
  }

  async stop(): Promise<void> {
    this.readline?.close();
    await this.done;
  }

  async post(to: Conversation, reply: Reply): Promise<MessageRef> {
    const id = `post-${++this.postCount}`;
    this.printReply(reply, `[#${to.channelId}] `);
    return { conversation: to, messageId: id };
  }

  async edit(ref: MessageRef, reply: Reply): Promise<void> {
    this.printReply(reply, `[#${ref.conversation.channelId}, edited ${ref.messageId}] `);
  }

  async directMessage(to: Actor, reply: Reply): Promise<void> {
    this.printReply(reply, `[DM to ${to.displayName}] `);
  }

  /** The console is one workspace: everything in it is in it, and nothing else is. */
  async inWorkspace(workspaceId: string): Promise<boolean> {
    return workspaceId === WORKSPACE;
  }

  private async readLines(onInvocation: InvocationHandler, interactive: boolean): Promise<void> {
    const prompt = () => {
      if (interactive) {
        this.readline!.setPrompt(`${this.user}@#${this.channel}> `);
        this.readline!.prompt();
        this.prompting = true;
      }
    };
    prompt();
    for await (const raw of this.readline!) {
      this.prompting = false;
      const line = raw.trim();
      this.lineNumber++;
      if (line === '/quit' || line === '/exit') break;
      if (line) {
        const invocation = this.interpret(line);
        if (invocation) {
          const reply = await onInvocation(invocation);
          if (reply) this.printReply(reply);
        }
      }
      prompt();
    }
    this.readline?.close();
    this.options.onEnd?.();
  }

  /** A line as an invocation, or undefined for the console's own commands (handled here). */
  private interpret(line: string): Invocation | undefined {
    const base = {
      actor: this.actor(),
      conversation: { platform: 'console', workspaceId: WORKSPACE, channelId: this.channel } satisfies Conversation,
      idempotencyKey: `console:${this.session}:${this.lineNumber}`,
    };
    // The next line that is not a command fills in an open form; a command runs and the form waits.
    const form = this.form;
    if (form && !line.startsWith('/')) {
      this.form = undefined;
      return { ...base, kind: 'form', action: form.action, payload: form.payload, values: formValues(form, line) };
    }
    if (!line.startsWith('/')) return { ...base, kind: 'message', messageId: `${this.session}-${this.lineNumber}`, text: line };
    const [, name = '', rest = ''] = /^\/(\S*)\s*(.*)$/.exec(line) ?? [];
    switch (name.toLowerCase()) {
      case 'as': {
        const user = cleanText(rest).trim().slice(0, 64);
        if (!user) return this.print('Say who: /as <name>'), undefined;
        this.user = user;
        return this.print(`(now speaking as ${this.user})`), undefined;
      }
      case 'channel': {
        // The channel's name is its id here, stored with the group: cleaned like any name from outside.
        const channel = cleanText(rest).trim().replace(/^#/, '').replace(/\s+/g, '-').toLowerCase().slice(0, 64);
        if (!channel) return this.print('Say where: /channel <name>'), undefined;
        this.channel = channel;
        return this.print(`(now in #${this.channel})`), undefined;
      }
      case 'help': {
        const own = CONSOLE_COMMANDS[rest.trim().replace(/^\//, '').toLowerCase()];
        if (own) return this.print(own), undefined;
        return { ...base, kind: 'command', name, args: { text: rest } };
      }
      case 'click': {
        const button = this.buttons[Number(rest) - 1];
        if (!button || button.url) return this.print(`There is no button ${rest || ''} to click.`.replace('  ', ' ')), undefined;
        return { ...base, kind: 'button', action: button.action, payload: button.payload ?? '' };
      }
      default:
        return { ...base, kind: 'command', name, args: { text: rest } };
    }
  }

  private actor(): Actor {
    return {
      platform: 'console',
      workspaceId: WORKSPACE,
      userId: this.user.toLowerCase().replace(/\s+/g, '-'),
      displayName: this.user,
      isAdmin: this.user === this.options.user,
    };
  }

  private printReply(reply: Reply, prefix = ''): void {
    if (reply.form) this.form = reply.form;
    const numbers = (reply.buttons ?? []).map((button) => (button.url ? 0 : this.buttons.push(button)));
    const lines = renderReply(reply, numbers);
    lines[0] = prefix + lines[0];
    for (const file of reply.files ?? []) lines.push(`  saved ${this.save(file.fileName, file.content)}`);
    for (const image of reply.images ?? []) lines.push(`  picture saved ${this.save(image.fileName, image.png)}: ${consoleText(image.alt)}`);
    this.print(lines.join('\n'));
  }

  private save(fileName: string, content: Uint8Array | string): string {
    mkdirSync(this.options.fileDir, { recursive: true });
    const path = join(this.options.fileDir, `${this.session}-${++this.postCount}-${fileName.replace(/[^\w.-]/g, '_')}`);
    writeFileSync(path, content);
    return path;
  }

  private print(text: string): void {
    if (!this.prompting) {
      this.options.output.write(`${text}\n`);
      return;
    }
    // A post arriving while someone types: print it above the prompt, then draw the prompt again
    // with the half-typed line and the cursor where they were.
    this.options.output.write(`\r\x1b[K${text}\n`);
    this.readline!.prompt(true);
  }
}
