import pino from 'pino';
import { z } from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatMessages, commands } from '../../commands/index';
import { type CommandContext, defineCommand } from '../../src/router/command';
import { privateReply } from '../../src/core/reply';
import { Router } from '../../src/router/router';
import { UserError } from '../../src/core/user-error';
import { Harness } from '../support/harness';

const ping = (name: string, extra: { aliases?: string[]; action?: string } = {}) =>
  defineCommand({
    name,
    aliases: extra.aliases,
    description: 'Answers',
    scope: 'anywhere',
    options: z.object({}),
    run: async () => privateReply('pong'),
    buttons: extra.action ? [{ action: extra.action, scope: 'anywhere', run: async () => privateReply('pressed') }] : undefined,
  });

describe('command names and aliases', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create();
  });
  afterEach(() => h.close());

  const routerWith = (list: typeof commands) =>
    new Router({ commands: list, messages: chatMessages, services: h.app.services, clock: h.clock, logger: pino({ level: 'silent' }) });

  it('refuses to start with two commands of one name, an alias that is taken, or two buttons of one action', () => {
    expect(() => routerWith([...commands, ping('log')])).toThrow('Command /log is registered twice.');
    expect(() => routerWith([...commands, ping('pong', { aliases: ['streak'] })])).toThrow(/\/streak is registered twice/);
    expect(() => routerWith([...commands, ping('pong', { aliases: ['stats'] })])).toThrow(/\/stats is registered twice/);
    expect(() => routerWith([ping('ping', { action: 'press' }), ping('pong', { action: 'press' })])).toThrow('Button action "press" is registered twice.');
    expect(routerWith([...commands, ping('ping', { aliases: ['pong'], action: 'press' })]).catalog.at(-1)!.name).toBe('ping');
  });

  it('answers /stats as /streak, and /help lists and explains it as an alias', async () => {
    await h.send({ name: 'Ada', admin: true }, '/setup Europe/London');
    await h.send('Bo', '/log 300');
    expect(await h.text('Bo', '/stats')).toBe(await h.text('Bo', '/streak'));
    expect(await h.text('Bo', '/help')).toContain('/streak [member] — Show your streak, or another member’s, with a 26-week calendar (also /stats)\n');
    const explained = await h.text('Bo', '/help stats');
    expect(explained).toBe(await h.text('Bo', '/help streak'));
    expect(explained).toMatch(/^\/streak \[member\]\n.*\nAlso answers to \/stats\.\n• member/);
    expect(await h.text('Bo', '/stast')).toMatch(/Did you mean \/stats\?/);
  });

  it('binds checked arguments to a group command, which refuses to run without a group', async () => {
    const seen: number[] = [];
    const count = defineCommand({
      name: 'count',
      description: 'Counts',
      options: z.object({ n: z.number().int() }),
      run: async (ctx, { n }) => {
        seen.push(n);
        return privateReply(`group ${ctx.group.id}`);
      },
    });
    expect(count.scope).toBe('group');
    const bad = count.check({ n: 'three' });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(bad.issue.path).toEqual(['n']);
    const checked = count.check({ n: 3 });
    if (!checked.success) throw new Error('3 should be accepted');
    const ctx: CommandContext = {
      actor: { platform: 'console', workspaceId: 'w', userId: 'u', displayName: 'U', isAdmin: false },
      conversation: { platform: 'console', workspaceId: 'w', channelId: 'c', isDirect: true },
      idempotencyKey: 'k',
      isAdmin: false,
      services: h.app.services,
      clock: h.clock,
      catalog: [count],
    };
    await expect(checked.run(ctx)).rejects.toThrow(new UserError('no_group', "/count works in a writing group's channel, not in a direct message."));
    expect(seen).toEqual([]);
    await h.send({ name: 'Ada', admin: true }, '/setup Europe/London');
    const conversation = { platform: 'console' as const, workspaceId: 'w1', channelId: 'general' };
    const group = await h.app.services.groups.find(conversation);
    expect(group).toBeDefined();
    expect((await checked.run({ ...ctx, conversation, group })).text).toBe(`group ${group!.id}`);
    expect(seen).toEqual([3]);
  });
});
