import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { AdapterHub } from '../../src/adapters/adapter-hub';
import { type ChatAdapter, OtherWorkspaceError } from '../../src/core/chat-adapter';
import type { Conversation } from '../../src/core/invocation';
import { channelReply } from '../../src/core/reply';
import { RecordingAdapter } from '../fakes/recording-adapter';

const inW1: Conversation = { platform: 'console', workspaceId: 'w1', channelId: 'general' };

describe('AdapterHub: every post checked against its workspace', () => {
  let adapter: RecordingAdapter;
  let hub: AdapterHub;
  let logged: { msg: string; [field: string]: unknown }[];

  beforeEach(() => {
    logged = [];
    adapter = new RecordingAdapter();
    hub = new AdapterHub(pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line)) }));
    hub.add(adapter);
  });

  it('GIVEN a channel of another workspace THEN the post is refused unsent, and logged without its content', async () => {
    adapter.workspaceOf.set('general', 'w2');
    await expect(hub.post(inW1, channelReply('secret words'))).rejects.toBeInstanceOf(OtherWorkspaceError);
    expect(await hub.edit({ conversation: inW1, messageId: 'm1' }, channelReply('secret words'))).toBe(false);
    expect(adapter.posts).toEqual([]);
    expect(adapter.edits).toEqual([]);
    expect(logged.map((l) => [l.msg, l.workspace, l.channel])).toEqual([
      ['post refused: the channel is not in the workspace', 'w1', 'general'],
      ['edit refused: the channel is not in the workspace', 'w1', 'general'],
    ]);
    expect(JSON.stringify(logged)).not.toContain('secret words');
  });

  it('GIVEN a ping of a role of another workspace THEN the role is neither pinged nor named, and the rest goes out', async () => {
    adapter.workspaceOf.set('222', 'w2');
    await hub.post(inW1, channelReply('<@&111> <@&222> New article', { pings: { roles: ['111', '222'], users: ['bo'] } }));
    expect(adapter.posts.map((p) => [p.reply.text, p.reply.pings])).toEqual([['<@&111> New article', { roles: ['111'], users: ['bo'] }]]);
    expect(logged).toEqual([expect.objectContaining({ msg: 'ping dropped: the role is not in the workspace', workspace: 'w1', role: '222' })]);
  });

  it('GIVEN an adapter that cannot say where a channel lives THEN nothing is posted through it', async () => {
    const posted: string[] = [];
    const blind: ChatAdapter = {
      platform: 'console',
      start: async () => undefined,
      stop: async () => undefined,
      post: async (to, reply) => {
        posted.push(reply.text);
        return { conversation: to, messageId: 'x' };
      },
    };
    const blindHub = new AdapterHub(pino({ level: 'silent' }));
    blindHub.add(blind);
    await expect(blindHub.post(inW1, channelReply('hello'))).rejects.toBeInstanceOf(OtherWorkspaceError);
    expect(await blindHub.inWorkspace(inW1, { channelId: 'general' })).toBe(false);
    expect(posted).toEqual([]);
    await hub.post(inW1, channelReply('hello'));
    expect(adapter.posts).toHaveLength(1);
  });
});
