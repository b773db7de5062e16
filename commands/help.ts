import { z } from 'zod';
import { type CommandDefinition, commandNames, defineCommand } from '../src/router/command';
import { acceptedValues, describeOptions, usage } from '../src/router/options';
import { privateReply } from '../src/core/reply';
import { unknownCommand } from '../src/router/router';
import { UserError } from '../src/core/user-error';

function explainCommand(command: CommandDefinition) {
  const options = describeOptions(command.options);
  const lines = options.map((o) => `• ${o.name}${o.required ? '' : ' (optional)'}: ${o.description}. Takes ${acceptedValues(o)}.`);
  const admin = command.adminOnly ? ' Admins only.' : '';
  const aliases = command.aliases?.length ? [`Also answers to ${aliasList(command)}.`] : [];
  return privateReply([`${usage(command.name, options)}`, `${command.description}.${admin}`, ...aliases, ...lines, ...(command.moreHelp ?? [])].join('\n'), {
    title: `/${command.name}`,
  });
}

/** "/stats, /figures": a command's other names. */
function aliasList(command: CommandDefinition): string {
  return (command.aliases ?? []).map((alias) => `/${alias}`).join(', ');
}

/** " (also /stats)" after a command that has aliases. */
function also(command: CommandDefinition): string {
  return command.aliases?.length ? ` (also ${aliasList(command)})` : '';
}

export default defineCommand({
  name: 'help',
  description: 'List the commands, or explain one',
  scope: 'anywhere',
  options: z.object({
    command: z.string().max(32).optional().describe('The command to explain, e.g. log'),
  }),
  positional: ['command'],
  run: async (ctx, { command }) => {
    if (command) {
      const name = command.replace(/^\//, '').toLowerCase();
      const found = ctx.catalog.find((c) => commandNames(c).includes(name));
      if (!found) throw new UserError('not_found', unknownCommand(name, ctx.catalog.flatMap(commandNames)));
      return explainCommand(found);
    }
    const lines = ctx.catalog.map((c) => `${usage(c.name, describeOptions(c.options))} — ${c.description}${c.adminOnly ? ' (admins)' : ''}${also(c)}`);
    return privateReply([...lines, '', 'Type /help <command> for details. In a group channel, "+500 words" logs too.'].join('\n'), {
      title: 'Commands',
    });
  },
});
