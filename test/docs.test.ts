import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../commands/index';
import { CONFIG_VARIABLES } from '../src/config';
import { slackCommandName } from '../src/adapters/slack/slack-commands';
import { commandNames } from '../src/router/command';
import { describeOptions } from '../src/router/options';
import { PROJECT_ROOT } from './support/processes';

const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
const envExample = readFileSync(join(PROJECT_ROOT, '.env.example'), 'utf8');

describe('documentation', () => {
  it('lists every command in the README with its usage as the definitions give it', () => {
    for (const command of commands) {
      // Required choices are spelled out (`/vacation start|end`), the rest as the usage line shows them.
      const parts = describeOptions(command.options).map((o) =>
        o.type === 'choice' && o.required ? o.choices!.join('\\|') : o.required ? `<${o.name}>` : `[${o.name}]`,
      );
      for (const name of commandNames(command)) expect(readme, `/${name}`).toContain(`| \`${[`/${name}`, ...parts].join(' ')}\``);
    }
  });

  it('names every command that Slack knows by another name, as the manifest names it', () => {
    const renamed = commands
      .flatMap(commandNames)
      .filter((name) => slackCommandName(name) !== name)
      .sort()
      .map((name) => `\`/${name}\` is \`/${slackCommandName(name)}\``);
    expect(renamed.length).toBeGreaterThan(0);
    expect(readme.replace(/\s+/g, ' ')).toContain(`so these are renamed there: ${renamed.join(', ')}.`);
  });

  it('documents every configuration variable in the README and .env.example', () => {
    for (const name of CONFIG_VARIABLES) {
      expect(readme, name).toContain(`| \`${name}\``);
      expect(envExample, name).toMatch(new RegExp(`^${name}=`, 'm'));
    }
  });
});
