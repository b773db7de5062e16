import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackAdapter } from '../../src/adapters/slack/slack-adapter';
import { FakeSlack, sendSignedRequest, slashCommand } from '../fakes/slack/fake-slack';
import { startTestBot, type TestBot } from '../support/running-bot';

const SIGNING_SECRET = 'abcdef0123456789abcdef0123456789';
const CHANNEL = 'C0WRITING';

describe('one HTTP server for Slack and the web page', () => {
  let fake: FakeSlack;
  let bot: TestBot;
  let origin: string;

  beforeAll(async () => {
    fake = await FakeSlack.start({ users: [{ id: 'U0ADMIN', name: 'ada', realName: 'Ada Lovelace', isAdmin: true }] });
    bot = await startTestBot({ SLACK_BOT_TOKEN: 'xoxb-1111-2222-fake', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, PORT: '0' });
    origin = `http://127.0.0.1:${bot.http.address!.port}`;
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.stop();
  });

  async function command(text: string) {
    const responseUrl = fake.responseUrl();
    const [name = '', ...rest] = text.split(' ');
    const result = await sendSignedRequest(`${origin}/slack/events`, slashCommand({ command: name, text: rest.join(' '), userId: 'U0ADMIN', channelId: CHANNEL, responseUrl }), { signingSecret: SIGNING_SECRET });
    expect(result.status).toBe(200);
    return (await fake.waitForResponse((r) => r.url === responseUrl)).body as { response_type: string; text: string };
  }

  it('GIVEN Slack over HTTP THEN its events and the page are served on the same port, and /dashboard answers only the asker', async () => {
    expect((bot.adapters[0] as SlackAdapter).address!.port).toBe(bot.http.address!.port);
    await command('/setup timezone:Europe/London');
    await command('/log 640');
    const answer = await command('/dashboard');
    expect(answer.response_type).toBe('ephemeral');
    const link = /(http:\/\/127\.0\.0\.1:\d+\/g\/[\w-]{24})/.exec(answer.text)![1]!;
    expect(new URL(link).port).toBe(String(bot.http.address!.port));
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toMatch(/>ada<\/a><\/td><td class="num">640/);
    // Slack's path is Bolt's: an unsigned request there is refused by the guard, not served a page.
    expect((await fetch(`${origin}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(401);
    // Nothing the bot logs carries the token.
    expect(JSON.stringify(bot.logs)).not.toContain(new URL(link).pathname.slice(3));
  });
});
