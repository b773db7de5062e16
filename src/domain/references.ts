/**
 * How people and channels are referred to in typed text: Discord mentions (<@123>, <#123>),
 * Slack's escaped mentions (<@U123|name>, <#C123|name>), or a plain name on the console.
 */
export type Reference = { userId: string } | { name: string };

export function parseMemberReference(text: string): Reference {
  const trimmed = text.trim();
  const mention = /^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$/.exec(trimmed);
  if (mention) return { userId: mention[1]! };
  return { name: trimmed.replace(/^@/, '') };
}

/** A channel id from a mention, or the text itself (the console's channels are their names). */
export function parseChannelReference(text: string): string {
  const trimmed = text.trim();
  const mention = /^<#([A-Za-z0-9]+)(?:\|[^>]*)?>$/.exec(trimmed);
  if (mention) return mention[1]!;
  return trimmed.replace(/^#/, '');
}
