import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits,
  type APIApplicationCommandBasicOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  REST,
  Routes,
} from 'discord.js';
import { aliasDescription, type CommandDefinition, commandNames } from '../../router/command';
import { describeOptions, type OptionInfo } from '../../router/options';
import { clip } from '../../core/format';

type CommandJson = RESTPostAPIChatInputApplicationCommandsJSONBody;
type OptionJson = APIApplicationCommandBasicOption;


function optionJson(option: OptionInfo): OptionJson {
  const base = { name: option.name, description: clip(option.description, 100), required: option.required };
  switch (option.type) {
    case 'integer':
    case 'number': {
      const range = { ...(option.min !== undefined && { min_value: option.min }), ...(option.max !== undefined && { max_value: option.max }) };
      return option.type === 'integer'
        ? { ...base, ...range, type: ApplicationCommandOptionType.Integer }
        : { ...base, ...range, type: ApplicationCommandOptionType.Number };
    }
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case 'member':
      return { ...base, type: ApplicationCommandOptionType.User };
    case 'channel':
      return { ...base, type: ApplicationCommandOptionType.Channel };
    case 'choice':
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        choices: (option.choices ?? []).slice(0, 25).map((choice) => ({ name: choice, value: choice })),
      };
    case 'string':
    case 'url':
    case 'date':
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        ...(option.maxLength !== undefined && { max_length: Math.min(option.maxLength, 6000) }),
      };
  }
}

/** Discord's slash-command JSON for our definitions: the same zod options that parse every platform's input. */
export function applicationCommands(commands: readonly CommandDefinition[]): CommandJson[] {
  return commands.flatMap((command) => {
    const options = describeOptions(command.options);
    // Discord wants required options before optional ones; positional order is only for typed text.
    const ordered = [...options.filter((o) => o.required), ...options.filter((o) => !o.required)];
    // Discord has no aliases: each one is a command of its own with the same options.
    return commandNames(command).map((name) => ({
      type: ApplicationCommandType.ChatInput,
      name,
      description: clip(aliasDescription(command, name), 100),
      options: ordered.map(optionJson),
      // Hidden from members without Manage Server by default; the router checks again when it runs.
      default_member_permissions: command.adminOnly ? PermissionFlagsBits.ManageGuild.toString() : null,
      contexts: [InteractionContextType.Guild],
    }));
  });
}

/**
 * Replaces the application's commands with ours in one bulk overwrite: for one guild (instant, for
 * trying out) or globally. Running it again with the same definitions changes nothing.
 */
export async function registerCommands(
  rest: REST,
  target: { applicationId: string; guildId?: string },
  commands: readonly CommandDefinition[],
): Promise<number> {
  const route = target.guildId
    ? Routes.applicationGuildCommands(target.applicationId, target.guildId)
    : Routes.applicationCommands(target.applicationId);
  const result = (await rest.put(route, { body: applicationCommands(commands) })) as unknown[];
  return result.length;
}
