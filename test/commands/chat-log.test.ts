import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Invocation } from '../../src/core/invocation';
import { Harness } from '../support/harness';

const admin = { name: 'Ada', admin: true };

describe('chat logging', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create();
    await h.send(admin, '/setup Europe/London');
  });
  afterEach(() => h.close());

  const message = (kind: 'message' | 'message-edited', messageId: string, text: string, key = `${kind}-${messageId}-${text}`): Invocation => ({
    kind,
    messageId,
    text,
    actor: h.actor({ name: 'Bo' }),
    conversation: h.conversation({ name: 'Bo' }),
    idempotencyKey: key,
  });
  const words = async () => (await h.db.selectFrom('logs').select(['words', 'source', 'message_id']).execute());

  it('logs a matching message, answering with a reaction', async () => {
    const reply = await h.deliver(message('message', 'm1', '+500 words on chapter 3'));
    expect(reply).toMatchObject({ reaction: '✅', visibility: 'private' });
    expect(await words()).toEqual([{ words: 500, source: 'chat', message_id: 'm1' }]);
  });

  it('ignores ordinary chat, and explains a log it cannot read', async () => {
    expect(await h.deliver(message('message', 'm1', 'good morning all'))).toBeUndefined();
    const reply = await h.deliver(message('message', 'm2', '#log'));
    expect(reply).toMatchObject({ visibility: 'private', text: expect.stringMatching(/couldn't log that message: I found no word count/) });
    expect(await words()).toEqual([]);
  });

  it('logs a re-delivered message once', async () => {
    await h.deliver(message('message', 'm1', '+500 words', 'event-1'));
    expect(await h.deliver(message('message', 'm1', '+500 words', 'event-1'))).toBeUndefined();
    expect(await words()).toHaveLength(1);
  });

  it('follows edits and deletes of a logged message', async () => {
    await h.deliver(message('message', 'm1', '+500 words'));
    await h.deliver(message('message-edited', 'm1', '+650 words'));
    expect(await words()).toMatchObject([{ words: 650 }]);
    await h.deliver(message('message-edited', 'm1', 'never mind'));
    expect(await words()).toEqual([]);
    await h.deliver(message('message-edited', 'm1', '+700 words'));
    expect(await words()).toMatchObject([{ words: 700 }]);
    await h.deliver({ ...message('message', 'm1', ''), kind: 'message-deleted' } as Invocation);
    expect(await words()).toEqual([]);
    expect(await h.text('Bo', '/streak')).toMatch(/Current streak: 0 days/);
  });

  it("uses the group's own pattern once an admin sets one", async () => {
    await h.send(admin, '/config log_pattern ^done:');
    expect(await h.deliver(message('message', 'm1', '+500 words'))).toBeUndefined();
    expect(await h.deliver(message('message', 'm2', 'done: 300 words'))).toMatchObject({ reaction: '✅' });
    expect(await words()).toMatchObject([{ words: 300 }]);
  });

  it('GIVEN an admin sets a catastrophic pattern THEN a message that would backtrack forever is answered, and a matching one logged', async () => {
    expect(await h.text(admin, '/config log_pattern (a+)+$')).toMatch(/log_pattern: \(a\+\)\+\$/);
    expect(await h.deliver(message('message', 'm1', `${'a'.repeat(40)}!`))).toBeUndefined();
    expect(await h.deliver(message('message', 'm2', '+300 words of the saga'))).toMatchObject({ reaction: '✅' });
    expect(await words()).toEqual([{ words: 300, source: 'chat', message_id: 'm2' }]);
  });

  it.each([
    ['(?=done)done:', /can't be used: it uses a look-ahead "\(\?=", and log patterns must run in linear time/],
    ['(done):\\1', /can't be used: it uses a backreference "\\1", and log patterns must run in linear time/],
  ])('GIVEN the pattern %j THEN it is refused with the reason and the group keeps its own', async (pattern, reason) => {
    await h.send(admin, '/config log_pattern ^done:');
    const refused = await h.send(admin, `/config log_pattern ${pattern}`);
    expect(refused).toMatchObject({ visibility: 'private', text: expect.stringMatching(reason) });
    expect(refused?.text).not.toMatch(/\n/);
    expect(await h.text(admin, '/config')).toMatch(/log_pattern: \^done:/);
    expect(await h.deliver(message('message', 'm1', '+500 words'))).toBeUndefined();
    expect(await h.deliver(message('message', 'm2', 'done: 300 words'))).toMatchObject({ reaction: '✅' });
    expect(await words()).toMatchObject([{ words: 300 }]);
  });

  it('ignores messages in channels that are not groups', async () => {
    const elsewhere = { ...message('message', 'm1', '+500 words'), conversation: h.conversation({ name: 'Bo', channel: 'random' }) };
    expect(await h.deliver(elsewhere)).toBeUndefined();
    expect(await words()).toEqual([]);
  });
});
