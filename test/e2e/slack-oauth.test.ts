import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClearStateStore } from '@slack/oauth';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../fakes/fake-clock';
import {
  appUninstalledEvent,
  FakeSlack,
  type FakeSlackWorkspace,
  type RecordedCall,
  type SlackDelivery,
  sendSignedRequest,
  slashCommand,
  tokensRevokedEvent,
} from '../fakes/slack/fake-slack';
import { channelReply } from '../../src/core/reply';
import { runTypeScript } from '../support/processes';
import { startTestBot, type TestBot } from '../support/running-bot';

const SIGNING_SECRET = 'abcdef0123456789abcdef0123456789';
const CLIENT_ID = '1111111111.2222222222';
const CLIENT_SECRET = '0123456789abcdef0123456789abcdef';
const STATE_SECRET = 'the-state-secret-of-this-deployment-0123456789';
const TOKEN_KEY = randomBytes(32).toString('base64');
const STATE_COOKIE = 'slack-app-oauth-state';

const ALPHA: FakeSlackWorkspace = { teamId: 'T0ALPHA', teamName: 'Alpha Writers', botToken: 'xoxb-alpha-1111-secret', botUserId: 'U0ALPHABOT', botId: 'B0ALPHA' };
const BETA: FakeSlackWorkspace = { teamId: 'T0BETA', teamName: 'Beta Writers', botToken: 'xoxb-beta-2222-secret', botUserId: 'U0BETABOT', botId: 'B0BETA' };
const ALPHA_CHANNEL = 'C0ALPHA';
const BETA_CHANNEL = 'C0BETA';
const ADA = 'U0ADA';
const BO = 'U0BO';
const FIRST_DIGEST = '2026-03-16T09:00:00Z';
const SECOND_DIGEST = '2026-03-23T09:00:00Z';
const THIRD_DIGEST = '2026-03-30T09:00:00Z';

describe('Slack in two workspaces, each installed through OAuth, against a fake Slack', () => {
  let fake: FakeSlack;
  let bot: TestBot;
  let origin: string;
  const clock = new FakeClock(Date.parse('2026-03-16T08:00:00Z'));

  beforeAll(async () => {
    fake = await FakeSlack.start({
      oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      workspaces: [ALPHA, BETA],
      channels: [
        { id: ALPHA_CHANNEL, name: 'alpha-writing', teamId: ALPHA.teamId },
        { id: BETA_CHANNEL, name: 'beta-writing', teamId: BETA.teamId },
      ],
      users: [
        { id: ADA, name: 'ada', isAdmin: true },
        { id: BO, name: 'bo', isAdmin: true },
      ],
    });
    bot = await startTestBot(env(), { clock, schedule: false });
    origin = `http://127.0.0.1:${bot.http.address!.port}`;
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.stop();
  });

  /** What the browser gets from "Add to Slack": the redirect to Slack's authorize page, its state, and the state cookie. */
  async function startInstall() {
    const response = await fetch(`${origin}/slack/install`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const authorize = new URL(response.headers.get('location')!);
    const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${STATE_COOKIE}=`));
    return { authorize, state: authorize.searchParams.get('state')!, cookie: cookie! };
  }

  /** Slack sends the browser back with a code and the state it was given. */
  function finishInstall(code: string, state: string, cookie?: string) {
    const query = new URLSearchParams({ code, state });
    return fetch(`${origin}/slack/oauth_redirect?${query}`, { redirect: 'manual', ...(cookie && { headers: { cookie } }) });
  }

  const send = (delivery: SlackDelivery) => sendSignedRequest(`${origin}/slack/events`, delivery, { signingSecret: SIGNING_SECRET });

  async function command(teamId: string, userId: string, channelId: string, text: string) {
    const responseUrl = fake.responseUrl();
    const [name = '', ...rest] = text.split(' ');
    const sent = await send(slashCommand({ command: name, text: rest.join(' '), teamId, userId, channelId, responseUrl }));
    expect(sent.status).toBe(200);
    return { responseUrl, answer: async () => (await fake.waitForResponse((r) => r.url === responseUrl)).body as { response_type: string; text: string } };
  }

  const env = (overrides: Record<string, string> = {}) => ({
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    SLACK_STATE_SECRET: STATE_SECRET,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    TOKEN_ENCRYPTION_KEY: TOKEN_KEY,
    SLACK_API_URL: fake.apiUrl,
    ...overrides,
  });

  const rows = () => bot.app.database.db.selectFrom('slack_installations').selectAll().orderBy('team_id').execute();
  const postsIn = (channel: string) => fake.calls.filter((c) => c.method === 'chat.postMessage' && c.params.channel === channel && c.response.ok);
  const tokensOf = (calls: RecordedCall[]) => [...new Set(calls.map((c) => c.token))];

  it('GIVEN two workspaces pressing "Add to Slack" THEN each is installed through the OAuth flow with its own token', async () => {
    for (const workspace of [ALPHA, BETA]) {
      const { authorize, state, cookie } = await startInstall();
      expect(`${authorize.origin}${authorize.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
      expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
      expect(authorize.searchParams.get('scope')!.split(',')).toEqual(expect.arrayContaining(['commands', 'chat:write', 'users:read', 'channels:read']));
      expect(cookie).toBe(`${STATE_COOKIE}=${state}`);
      const back = await finishInstall(fake.approveInstall(workspace.teamId, workspace === ALPHA ? ADA : BO), state, cookie);
      expect(back.status).toBe(200);
      expect(await back.text()).toMatch(/Inkwell is installed.*\/setup/s);
    }
    const exchanges = fake.calls.filter((c) => c.method === 'oauth.v2.access');
    expect(exchanges.map((c) => [c.params.client_id, c.response.ok])).toEqual([
      [CLIENT_ID, true],
      [CLIENT_ID, true],
    ]);
    // Bolt's installer asks who the bot is with each new token.
    expect(fake.calls.filter((c) => c.method === 'auth.test').map((c) => c.token)).toEqual([ALPHA.botToken, BETA.botToken]);
    expect((await rows()).map((r) => [r.team_id, r.team_name, r.bot_user_id, r.installer_user_id])).toEqual([
      [ALPHA.teamId, 'Alpha Writers', 'U0ALPHABOT', ADA],
      [BETA.teamId, 'Beta Writers', 'U0BETABOT', BO],
    ]);
  });

  it('GIVEN the database read without the key THEN no token is in it in the clear', async () => {
    const raw = JSON.stringify(await rows());
    expect(raw).not.toContain('xoxb-');
    for (const row of await rows()) expect(row.bot_token_sealed).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
    // Nor anywhere in the file (or its write-ahead log), where a deleted or older copy could linger.
    const path = 'sqlitePath' in bot.database.config ? bot.database.config.sqlitePath : '';
    const bytes = Buffer.concat([readFileSync(path), readFileSync(`${path}-wal`, { flag: 'a+' })]);
    expect(bytes.includes('xoxb-')).toBe(false);
    expect(JSON.stringify(bot.logs)).not.toContain('xoxb-');
  });

  it('GIVEN a replayed state, a forged one, one without its cookie or one for another browser THEN the installation is refused before any code is exchanged', async () => {
    const exchangesBefore = fake.calls.filter((c) => c.method === 'oauth.v2.access').length;
    // Replayed: a state (and its cookie) that already completed an installation.
    const first = await startInstall();
    expect((await finishInstall(fake.approveInstall(ALPHA.teamId), first.state, first.cookie)).status).toBe(200);
    const replayed = await finishInstall(fake.approveInstall(ALPHA.teamId), first.state, first.cookie);
    expect(replayed.status).toBe(400);
    expect(await replayed.text()).toMatch(/expired or was already used/);
    // Forged: well formed, but signed with another secret.
    const forged = await new ClearStateStore('someone-elses-secret-0123456789abcdef').generateStateParam({ scopes: ['commands'] }, new Date());
    expect((await finishInstall(fake.approveInstall(ALPHA.teamId), forged, `${STATE_COOKIE}=${forged}`)).status).toBe(400);
    // Genuine, but without the cookie of the browser it was given to, or with another browser's.
    const other = await startInstall();
    expect((await finishInstall(fake.approveInstall(BETA.teamId), other.state)).status).toBe(400);
    const mine = await startInstall();
    expect((await finishInstall(fake.approveInstall(BETA.teamId), mine.state, other.cookie)).status).toBe(400);
    // Cancelled on Slack's page: Slack sends the browser back with an error instead of a code.
    const cancelled = await fetch(`${origin}/slack/oauth_redirect?error=access_denied&state=${encodeURIComponent(mine.state)}`, { headers: { cookie: mine.cookie } });
    expect(cancelled.status).toBe(400);
    expect(await cancelled.text()).toMatch(/cancelled/);
    // Only the one genuine completion reached Slack.
    expect(fake.calls.filter((c) => c.method === 'oauth.v2.access').length).toBe(exchangesBefore + 1);
  });

  it("GIVEN a command in each workspace THEN each is answered, its asker looked up and its channel checked with that workspace's own token", async () => {
    fake.reset();
    const alpha = await command(ALPHA.teamId, ADA, ALPHA_CHANNEL, '/setup timezone:UTC');
    expect(await alpha.answer()).toMatchObject({ response_type: 'in_channel', text: expect.stringMatching(/now a writing group/) });
    const beta = await command(BETA.teamId, BO, BETA_CHANNEL, '/setup timezone:UTC');
    expect(await beta.answer()).toMatchObject({ response_type: 'in_channel', text: expect.stringMatching(/now a writing group/) });

    expect(tokensOf(fake.calls.filter((c) => c.params.user === ADA || c.params.channel === ALPHA_CHANNEL))).toEqual([ALPHA.botToken]);
    expect(tokensOf(fake.calls.filter((c) => c.params.user === BO || c.params.channel === BETA_CHANNEL))).toEqual([BETA.botToken]);
    expect(fake.callsWithTokenOf(ALPHA.teamId).length).toBeGreaterThan(0);
    expect(fake.callsWithTokenOf(BETA.teamId).length).toBeGreaterThan(0);
  });

  it("GIVEN a workspace naming another workspace's channel, or one that never installed the app THEN nothing is done with another workspace's token", async () => {
    fake.reset();
    // Beta's admin points Beta's announcements at Alpha's channel: checked with Beta's token, which cannot see it.
    const pointed = await command(BETA.teamId, BO, BETA_CHANNEL, `/setup timezone:UTC channel:<#${ALPHA_CHANNEL}|alpha-writing>`);
    expect(await pointed.answer()).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/not in this workspace/) });
    // Beta logs in Alpha's channel: Beta has no group there; Alpha's group is not touched.
    const crossed = await command(BETA.teamId, BO, ALPHA_CHANNEL, '/log 300');
    expect(await crossed.answer()).toMatchObject({ response_type: 'ephemeral' });
    // A workspace that never installed the app is not answered at all, with anyone's token.
    const stranger = await command('T0STRANGER', 'U0EVE', ALPHA_CHANNEL, '/log 999');
    const callsForOthers = fake.calls.length;
    // The positive signal that the stranger's request was handled: the next one is answered.
    expect(await (await command(ALPHA.teamId, ADA, ALPHA_CHANNEL, '/streak')).answer()).toMatchObject({ text: expect.stringMatching(/haven't joined this group/) });

    expect(fake.responses.filter((r) => r.url === stranger.responseUrl)).toEqual([]);
    expect(tokensOf(fake.calls.slice(0, callsForOthers))).toEqual([BETA.botToken]);
    expect(await bot.app.database.db.selectFrom('logs').select('words').execute()).toEqual([]);
    const groups = await bot.app.database.db.selectFrom('groups').select(['workspace_id', 'channel_id', 'announce_channel_id']).orderBy('workspace_id').execute();
    expect(groups).toEqual([
      { workspace_id: ALPHA.teamId, channel_id: ALPHA_CHANNEL, announce_channel_id: ALPHA_CHANNEL },
      { workspace_id: BETA.teamId, channel_id: BETA_CHANNEL, announce_channel_id: BETA_CHANNEL },
    ]);
  });

  it("GIVEN each group's weekly digest due THEN each is posted in its own channel with its own workspace's token", async () => {
    fake.reset();
    clock.set(FIRST_DIGEST);
    await bot.app.scheduler.tick();
    await fake.waitForCall('chat.postMessage', (c) => c.params.channel === ALPHA_CHANNEL);
    await fake.waitForCall('chat.postMessage', (c) => c.params.channel === BETA_CHANNEL);
    expect(tokensOf(postsIn(ALPHA_CHANNEL))).toEqual([ALPHA.botToken]);
    expect(tokensOf(postsIn(BETA_CHANNEL))).toEqual([BETA.botToken]);
    expect(postsIn(ALPHA_CHANNEL)[0]!.params.text).toMatch(/Weekly digest/);
  });

  it('GIVEN a second process started with another TOKEN_ENCRYPTION_KEY THEN it uses no token it cannot open, and says why in one line', async () => {
    const other = await startTestBot(env({ TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64') }), { clock, schedule: false, sameDatabaseAs: bot });
    try {
      fake.reset();
      const responseUrl = fake.responseUrl();
      const sent = await sendSignedRequest(
        `http://127.0.0.1:${other.http.address!.port}/slack/events`,
        slashCommand({ command: '/streak', teamId: ALPHA.teamId, userId: ADA, channelId: ALPHA_CHANNEL, responseUrl }),
        { signingSecret: SIGNING_SECRET },
      );
      expect(sent.status).toBe(200);
      await vi.waitFor(() => expect(other.logs.map((l) => JSON.stringify(l)).find((l) => l.includes('cannot be decrypted with TOKEN_ENCRYPTION_KEY'))).toBeDefined());
      await expect(other.app.hub.post({ platform: 'slack', workspaceId: ALPHA.teamId, channelId: ALPHA_CHANNEL }, channelReply('hello'))).rejects.toThrow(
        'the Slack token stored for workspace T0ALPHA cannot be decrypted with TOKEN_ENCRYPTION_KEY (was the key changed?)',
      );
      // The first process, with the right key, still answers.
      expect(await (await command(ALPHA.teamId, ADA, ALPHA_CHANNEL, '/streak')).answer()).toMatchObject({ response_type: 'ephemeral' });
      expect(fake.responses.filter((r) => r.url === responseUrl)).toEqual([]);
      expect(fake.calls.filter((c) => c.method === 'chat.postMessage')).toEqual([]);
      expect(JSON.stringify(other.logs)).not.toContain('xoxb-');
    } finally {
      await other.close();
    }
  });

  it("GIVEN Alpha removes the app THEN its token is deleted, its digest is skipped quietly while Beta's goes on, and its group's data stays", async () => {
    fake.revokeTokens(ALPHA.teamId);
    expect((await send(appUninstalledEvent(ALPHA.teamId))).status).toBe(200);
    await vi.waitFor(async () => expect((await rows()).map((r) => r.team_id)).toEqual([BETA.teamId]));
    fake.reset();

    clock.set(SECOND_DIGEST);
    await bot.app.scheduler.tick();
    await fake.waitForCall('chat.postMessage', (c) => c.params.channel === BETA_CHANNEL);
    expect(tokensOf(postsIn(BETA_CHANNEL))).toEqual([BETA.botToken]);
    expect(postsIn(ALPHA_CHANNEL)).toEqual([]);
    expect(fake.callsWithTokenOf(ALPHA.teamId)).toEqual([]);

    const alphaJobs = await bot.app.database.db
      .selectFrom('scheduled_jobs')
      .innerJoin('groups', 'groups.id', 'scheduled_jobs.subject')
      .select(['scheduled_jobs.state', 'scheduled_jobs.attempts'])
      .where('scheduled_jobs.job', '=', 'weekly-digest')
      .where('groups.workspace_id', '=', ALPHA.teamId)
      .orderBy('scheduled_jobs.due_at')
      .execute();
    expect(alphaJobs).toEqual([
      { state: 'done', attempts: 1 },
      { state: 'skipped', attempts: 1 },
    ]);
    expect(bot.logs.filter((l) => l.msg.startsWith('scheduled job'))).toEqual([]);
    expect(await bot.app.database.db.selectFrom('groups').select('workspace_id').where('workspace_id', '=', ALPHA.teamId).execute()).toHaveLength(1);
  });

  it('GIVEN Beta revokes the bot token THEN it is deleted too; GIVEN Alpha installs again THEN its group posts again with its new token', async () => {
    expect((await send(tokensRevokedEvent(BETA.teamId, { bot: [BETA.botUserId!] }))).status).toBe(200);
    await vi.waitFor(async () => expect(await rows()).toEqual([]));

    ALPHA.botToken = 'xoxb-alpha-3333-reinstalled';
    const { state, cookie } = await startInstall();
    expect((await finishInstall(fake.approveInstall(ALPHA.teamId, ADA), state, cookie)).status).toBe(200);
    fake.reset();
    clock.set(THIRD_DIGEST);
    await bot.app.scheduler.tick();
    await fake.waitForCall('chat.postMessage', (c) => c.params.channel === ALPHA_CHANNEL);
    expect(tokensOf(postsIn(ALPHA_CHANNEL))).toEqual(['xoxb-alpha-3333-reinstalled']);
    expect(postsIn(BETA_CHANNEL)).toEqual([]);
    expect(fake.callsWithTokenOf(BETA.teamId)).toEqual([]);
    // Nothing the bot logged, through the whole flow, carries a token.
    expect(JSON.stringify(bot.logs)).not.toContain('xoxb-');
  });
});

describe('npm run slack:manifest with SLACK_CLIENT_ID set', () => {
  it('writes the OAuth redirect URL from PUBLIC_URL, the bot scopes, the request URL and the uninstall events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slack-manifest-'));
    try {
      const out = join(dir, 'manifest.json');
      const settings = {
        SLACK_CLIENT_ID: CLIENT_ID,
        SLACK_CLIENT_SECRET: CLIENT_SECRET,
        SLACK_STATE_SECRET: STATE_SECRET,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        TOKEN_ENCRYPTION_KEY: TOKEN_KEY,
        PUBLIC_URL: 'https://inkwell.example.org',
      };
      const printed = await runTypeScript('src/cli/slack-manifest.ts', ['--out', out], settings);
      expect(printed).toMatch(/installed through OAuth at https:\/\/inkwell\.example\.org\/slack\/oauth_redirect/);
      const manifest = JSON.parse(readFileSync(out, 'utf8'));
      expect(manifest.oauth_config.redirect_urls).toEqual(['https://inkwell.example.org/slack/oauth_redirect']);
      expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['commands', 'chat:write', 'users:read', 'channels:read', 'im:write']));
      expect(manifest.settings.event_subscriptions).toMatchObject({
        request_url: 'https://inkwell.example.org/slack/events',
        bot_events: expect.arrayContaining(['app_uninstalled', 'tokens_revoked', 'message.channels']),
      });
      expect(manifest.settings.socket_mode_enabled).toBe(false);
      await expect(runTypeScript('src/cli/slack-manifest.ts', ['--out', out], { ...settings, PUBLIC_URL: '' })).rejects.toThrow(/PUBLIC_URL must be set/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
