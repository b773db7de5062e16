import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../../src/adapters/console/console-adapter';
import { channelReply } from '../../src/core/reply';

/** A terminal: input that says it is a TTY, and everything written to the screen. */
function terminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
  let screen = '';
  output.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  return { input, output, screen: () => screen };
}

describe('the interactive console', () => {
  it('GIVEN a half-typed line WHEN a post arrives THEN prints the post above the prompt and keeps the line', async () => {
    const tty = terminal();
    const lines: string[] = [];
    const adapter = new ConsoleAdapter({ input: tty.input, output: tty.output, user: 'Ada', fileDir: '/tmp' });
    await adapter.start(async (invocation) => {
      if (invocation.kind === 'command') lines.push(`/${invocation.name} ${'text' in invocation.args ? invocation.args.text : ''}`);
    });
    tty.input.write('/log 5');
    await new Promise((resolve) => setImmediate(resolve));
    const before = tty.screen().length;
    await adapter.post({ platform: 'console', workspaceId: 'local', channelId: 'general' }, channelReply('📬 Weekly digest'));
    const after = tty.screen().slice(before);
    expect(after).toContain('\r\x1b[K[#general] 📬 Weekly digest\n');
    // The prompt and what was typed come back after the post.
    expect(after.slice(after.indexOf('Weekly digest'))).toContain('Ada@#general> /log 5');
    tty.input.write('00\r');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual(['/log 500']);
    tty.input.end();
    await adapter.stop();
  });
});
