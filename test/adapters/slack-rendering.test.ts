import { describe, expect, it } from 'vitest';
import { ChannelSendQueue } from '../../src/adapters/send-queue';
import { actionFromId, readSlackText, renderForSlack, slackText } from '../../src/adapters/slack/render-slack';
import { commandNameFromSlack, slackCommandName } from '../../src/adapters/slack/slack-commands';
import { commands } from '../../commands/index';

describe('Slack text', () => {
  it('keeps our mentions, turns relative times into Slack dates, and escapes everything else', () => {
    expect(slackText('<@U1> read <#C2> & closes <t:1700000000:R>; usage: /setup <timezone>')).toBe(
      '<@U1> read <#C2> &amp; closes <!date^1700000000^{date_short_pretty} at {time}|2023-11-14 22:13 UTC>; usage: /setup &lt;timezone&gt;',
    );
  });

  it('reads command text back: links unwrapped, entities decoded, mentions kept', () => {
    expect(readSlackText('500 <https://a.example/x?p=1&amp;q=2|a.example/x> for <@U1|bo> &lt;3')).toBe('500 https://a.example/x?p=1&q=2 for <@U1|bo> <3');
  });
});

describe('Block Kit', () => {
  it('renders title, body, fields and buttons with a complete text fallback', () => {
    const { text, blocks } = renderForSlack({
      text: "Bo's streak\nCurrent streak: 3 days\nLogged today.",
      title: "Bo's streak",
      fields: [{ label: 'Current streak', value: '3 days' }],
      buttons: [
        { action: 'read', payload: '42', label: 'I read it' },
        { action: '', label: 'Open', url: 'https://example.com' },
      ],
    });
    expect(text).toBe("Bo's streak\nCurrent streak: 3 days\nLogged today.");
    expect(blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: "Bo's streak", emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: 'Logged today.' } },
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*Current streak*\n3 days' }] },
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: 'read#0', text: { type: 'plain_text', text: 'I read it', emoji: true }, value: '42' },
          { type: 'button', action_id: 'link#1', text: { type: 'plain_text', text: 'Open', emoji: true }, url: 'https://example.com' },
        ],
      },
    ]);
    expect(actionFromId('read#0')).toBe('read');
  });

  it('writes each ping once: those the text names stay where they are, the others go in front', () => {
    const { text, blocks } = renderForSlack({ text: "⏰ Time's up! <@U1> <@U2>", pings: { users: ['U1', 'U2', 'U3'] } });
    expect(text).toBe("<@U3> ⏰ Time's up! <@U1> <@U2>");
    expect(blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '<@U3>' } });
    expect(JSON.stringify(blocks).match(/<@U1>/g)).toHaveLength(1);
  });
});

describe('Slack command names', () => {
  it('renames commands Slack reserves, and maps them back', () => {
    expect(slackCommandName('join')).toBe('ink-join');
    expect(slackCommandName('log')).toBe('log');
    expect(slackCommandName('log', 'w-')).toBe('w-log');
    expect(commandNameFromSlack('/ink-join', commands)).toBe('join');
    expect(commandNameFromSlack('/w-log', commands, 'w-')).toBe('log');
    expect(commandNameFromSlack('/unknown', commands)).toBe('unknown');
    expect(commandNameFromSlack('/w-stats', commands, 'w-')).toBe('stats');
  });
});

describe('per-channel send queue', () => {
  it('spaces sends to one channel and lets other channels through at once', async () => {
    const queue = new ChannelSendQueue(60);
    const started: [string, number][] = [];
    const t0 = Date.now();
    const send = (channel: string) => queue.run(channel, async () => started.push([channel, Date.now() - t0]));
    await Promise.all([send('a'), send('a'), send('b'), send('a')]);
    const a = started.filter(([c]) => c === 'a').map(([, t]) => t);
    const b = started.filter(([c]) => c === 'b').map(([, t]) => t);
    expect(a[1]! - a[0]!).toBeGreaterThanOrEqual(55);
    expect(a[2]! - a[1]!).toBeGreaterThanOrEqual(55);
    expect(b[0]).toBeLessThan(50);
  });

  it('keeps going after a failed send', async () => {
    const queue = new ChannelSendQueue(1);
    await expect(queue.run('a', async () => Promise.reject(new Error('channel_not_found')))).rejects.toThrow('channel_not_found');
    await expect(queue.run('a', async () => 'sent')).resolves.toBe('sent');
  });
});
