import type { CommandDefinition } from '../src/router/command';
import challenge from './challenge';
import config from './config';
import dashboard from './dashboard';
import exportData from './export';
import feed from './feed';
import followers from './followers';
import forget from './forget';
import goal from './goal';
import help from './help';
import join from './join';
import leaderboard from './leaderboard';
import log from './log';
import privacy from './privacy';
import project from './project';
import publish from './publish';
import readers from './readers';
import reads from './reads';
import responses from './responses';
import remind from './remind';
import rollover from './rollover';
import setup from './setup';
import sprint from './sprint';
import streak from './streak';
import timezone from './timezone';
import undo from './undo';
import vacation from './vacation';

export { chatMessages } from './chat-log';

/** Every command, in the order /help lists them. */
export const commands: readonly CommandDefinition[] = [
  log,
  undo,
  streak,
  goal,
  project,
  challenge,
  sprint,
  publish,
  reads,
  responses,
  readers,
  feed,
  followers,
  leaderboard,
  dashboard,
  remind,
  privacy,
  join,
  timezone,
  rollover,
  vacation,
  setup,
  config,
  exportData,
  forget,
  help,
];
