import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../commands/index';
import { CONFIG_VARIABLES } from '../src/config';
import { describeOptions, usage } from '../src/core/options';
import { PROJECT_ROOT } from './support/processes';

const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
const envExample = readFileSync(join(PROJECT_ROOT, '.env.example'), 'utf8');

describe('documentation', () => {
  it('lists every command in the README with its usage as the definitions give it', () => {
    for (const command of commands) {
      const line = usage(command.name, describeOptions(command.options));
      const options = describeOptions(command.options);
      // Choices are spelled out in the README (`/vacation start|end`) where the usage says <action>.
      const documented = options.some((o) => o.type === 'choice' && o.required)
        ? `/${command.name} ${options.find((o) => o.type === 'choice')!.choices!.join('\\|')}`
        : line;
      expect(readme, `/${command.name}`).toContain(`| \`${documented}\``);
    }
  });

  it('documents every configuration variable in the README and .env.example', () => {
    for (const name of CONFIG_VARIABLES) {
      expect(readme, name).toContain(`| \`${name}\``);
      expect(envExample, name).toMatch(new RegExp(`^${name}=`, 'm'));
    }
  });
});
