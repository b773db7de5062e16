import type { Reply } from '../../core/reply';

/** Mentions as the console shows them: its user and channel ids are names. */
export function consoleText(text: string): string {
  return text.replace(/<@([^>\s]+)>/g, '@$1').replace(/<#([^>\s]+)>/g, '#$1');
}

/** A reply as lines of terminal text; buttons are numbered for /click. */
export function renderReply(reply: Reply, buttonNumbers: number[] = []): string[] {
  const lines = consoleText(reply.text).split('\n');
  if (reply.visibility === 'private') lines[0] = `(only you) ${lines[0]}`;
  if (reply.reaction) lines[0] = `[reacted ${reply.reaction}] ${lines[0]}`;
  reply.buttons?.forEach((button, i) => {
    lines.push(button.url ? `  [${button.label}] ${button.url}` : `  [${button.label}] type /click ${buttonNumbers[i] ?? i + 1}`);
  });
  return lines;
}
