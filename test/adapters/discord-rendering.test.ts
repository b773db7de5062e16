import { ApplicationCommandOptionType, ButtonStyle, PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index';
import { applicationCommands } from '../../src/adapters/discord/application-commands';
import { commandNames } from '../../src/router/command';
import { decodeCustomId, encodeCustomId, renderForDiscord } from '../../src/adapters/discord/render-discord';

describe('Discord slash-command registration', () => {
  const json = applicationCommands(commands);
  const byName = new Map(json.map((c) => [c.name, c]));

  it('registers one command per definition, admin ones behind Manage Server', () => {
    expect(json.map((c) => c.name)).toEqual(commands.flatMap(commandNames));
    expect(byName.get('setup')!.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    expect(byName.get('config')!.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    expect(byName.get('log')!.default_member_permissions).toBeNull();
  });

  it('registers an alias as a command of its own with the same options', () => {
    const streak = byName.get('streak')!;
    expect(byName.get('stats')).toEqual({ ...streak, name: 'stats', description: `Same as /streak: ${streak.description}` });
  });

  it('maps option types, ranges, lengths and choices from the zod definitions', () => {
    expect(byName.get('log')!.options).toEqual([
      { name: 'words', description: 'Words written', required: false, type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: 100_000 },
      { name: 'minutes', description: 'Minutes spent writing', required: false, type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: 1440 },
      { name: 'url', description: 'Link to the draft or post', required: false, type: ApplicationCommandOptionType.String, max_length: 2000 },
      { name: 'note', description: 'What you worked on', required: false, type: ApplicationCommandOptionType.String, max_length: 500 },
      { name: 'date', description: "For a day you forgot: 'yesterday' or YYYY-MM-DD", required: false, type: ApplicationCommandOptionType.String, max_length: 10 },
      { name: 'project', description: 'The project the words go to (default: your current one)', required: false, type: ApplicationCommandOptionType.String, max_length: 40 },
    ]);
    expect(byName.get('vacation')!.options![0]).toMatchObject({ type: ApplicationCommandOptionType.String, choices: [{ name: 'start', value: 'start' }, { name: 'end', value: 'end' }] });
    expect(byName.get('streak')!.options![0]).toMatchObject({ name: 'member', type: ApplicationCommandOptionType.User, required: false });
    expect(byName.get('setup')!.options!.map((o) => [o.name, o.type, o.required])).toEqual([
      ['timezone', ApplicationCommandOptionType.String, true],
      ['channel', ApplicationCommandOptionType.Channel, false],
    ]);
  });

  it('stays inside Discord limits: names, descriptions, required options first', () => {
    for (const command of json) {
      expect(command.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(command.description.length).toBeLessThanOrEqual(100);
      const required = (command.options ?? []).map((o) => Boolean(o.required));
      expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
    }
  });
});

describe('rendering a Reply for Discord', () => {
  it('puts title and fields in an embed without repeating them, and pings nobody by default', () => {
    const message = renderForDiscord({
      text: "Bo's streak\nCurrent streak: 3 days\nLogged today.",
      title: "Bo's streak",
      fields: [{ label: 'Current streak', value: '3 days' }],
    });
    expect(message.content).toBe('');
    expect(message.embeds[0]).toMatchObject({ title: "Bo's streak", description: 'Logged today.', fields: [{ name: 'Current streak', value: '3 days', inline: true }] });
    expect(message.allowedMentions).toEqual({ parse: [], users: [], roles: [], repliedUser: false });
  });

  it("shows what a user typed as typed: Discord's markdown in it is escaped, links and the bot's markup are left whole", () => {
    const title = '[Verify your account](https://evil.example/login)';
    const message = renderForDiscord({ text: `📣 New from **Bo** ||x||: ${title}\nhttps://medium.com/@bo/a_b_c\nFirst hour closes <t:1773144000:R>, <@123>`, title: `📣 ${title}`, fields: [{ label: 'By', value: '~~Bo~~' }] });
    const embed = message.embeds[0]!;
    expect(embed.description).toBe('📣 New from \\*\\*Bo\\*\\* \\|\\|x\\|\\|: \\[Verify your account](https://evil.example/login)\nhttps://medium.com/@bo/a_b_c\nFirst hour closes <t:1773144000:R>, <@123>');
    expect(embed.title).toBe('📣 \\[Verify your account](https://evil.example/login)');
    expect(embed.fields).toEqual([{ name: 'By', value: '\\~\\~Bo\\~\\~', inline: true }]);
    expect(renderForDiscord({ text: 'Logged: `500` words for _draft_ [x](https://e.example)' }).content).toBe('Logged: \\`500\\` words for \\_draft\\_ \\[x](https://e.example)');
  });

  it('turns buttons into rows of five, with link buttons for URLs', () => {
    const buttons = Array.from({ length: 6 }, (_, i) => ({ action: 'read', payload: String(i), label: `B${i}` }));
    const message = renderForDiscord({ text: 'x', buttons: [...buttons, { action: '', label: 'Open', url: 'https://example.com' }] });
    expect(message.components.map((row) => row.components.length)).toEqual([5, 2]);
    expect(message.components[0]!.components[0]).toMatchObject({ style: ButtonStyle.Primary, custom_id: 'read:0', label: 'B0' });
    expect(message.components[1]!.components[1]).toMatchObject({ style: ButtonStyle.Link, url: 'https://example.com' });
  });

  it('lets exactly the named people and roles be pinged', () => {
    const message = renderForDiscord({ text: 'New story!', title: 'New story', pings: { users: ['1'], roles: ['2'] } });
    expect(message.content).toBe('<@1> <@&2>');
    expect(message.allowedMentions).toMatchObject({ parse: [], users: ['1'], roles: ['2'] });
  });

  it('names the pinged a plain text does not mention before it, since Discord notifies only mentions in the content', () => {
    const message = renderForDiscord({ text: 'Sprint! Join with the button.', pings: { roles: ['2'] } });
    expect(message.content).toBe('<@&2> Sprint! Join with the button.');
    expect(message.allowedMentions).toEqual({ parse: [], users: [], roles: ['2'], repliedUser: false });
    // Already mentioned in the text: not named twice.
    expect(renderForDiscord({ text: 'Go! <@1> <@3>', pings: { users: ['1', '3'] } }).content).toBe('Go! <@1> <@3>');
    expect(renderForDiscord({ text: 'Go! <@1>', pings: { users: ['1', '3'] } }).content).toBe('<@3> Go! <@1>');
  });

  it('attaches pictures and files, showing the picture in the embed', () => {
    const message = renderForDiscord({
      text: 'Your calendar',
      images: [
        { fileName: 'streak.png', png: new Uint8Array([1, 2, 3]), alt: 'A calendar' },
        { fileName: 'chart.png', png: new Uint8Array([4]), alt: 'A chart' },
      ],
      files: [{ fileName: 'data.json', mimeType: 'application/json', content: '{}' }],
    });
    expect(message.embeds.map((e) => e.image)).toEqual([{ url: 'attachment://streak.png' }, { url: 'attachment://chart.png' }]);
    expect(message.files.map((f) => [f.name, [...f.attachment], f.description])).toEqual([
      ['streak.png', [1, 2, 3], 'A calendar'],
      ['chart.png', [4], 'A chart'],
      ['data.json', [123, 125], undefined],
    ]);
  });

  it('packs an action and payload into a custom_id of at most 100 characters', () => {
    expect(decodeCustomId(encodeCustomId('forget-confirm', '12.abc:def'))).toEqual({ action: 'forget-confirm', payload: '12.abc:def' });
    expect(() => encodeCustomId('read', 'x'.repeat(100))).toThrow(/over 100 characters/);
  });
});
