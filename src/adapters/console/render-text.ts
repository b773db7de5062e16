import type { Reply } from '../../core/reply';

/** Mentions as the console shows them (its user and channel ids are names), and times in UTC. */
export function consoleText(text: string): string {
  return text
    .replace(/<@&([^>\s]+)>/g, '@role:$1')
    .replace(/<@([^>\s]+)>/g, '@$1')
    .replace(/<#([^>\s]+)>/g, '#$1')
    .replace(/<t:(\d+):R>/g, (_, seconds: string) => `at ${new Date(Number(seconds) * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
}

/** A reply as lines of terminal text; buttons are numbered for /click. */
export function renderReply(reply: Reply, buttonNumbers: number[] = []): string[] {
  const lines = consoleText(reply.text).split('\n');
  if (reply.visibility === 'private') lines[0] = `(only you) ${lines[0]}`;
  if (reply.reaction) lines[0] = `[reacted ${reply.reaction}] ${lines[0]}`;
  if (reply.pings?.users?.length) lines.push(`  (pinging ${reply.pings.users.map((u) => `@${u}`).join(', ')})`);
  reply.buttons?.forEach((button, i) => {
    lines.push(button.url ? `  [${button.label}] ${button.url}` : `  [${button.label}] type /click ${buttonNumbers[i] ?? i + 1}`);
  });
  return lines;
}
