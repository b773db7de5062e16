import SqliteDatabase from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import type Pg from 'pg';
import type { ChallengeMemberTable, ChallengeTable } from './challenge.table';
import type { CommandInboxTable } from './command-inbox.table';
import type { FeedItemTable, FeedTable } from './feed.table';
import type { FollowerSnapshotTable, FollowerWeekTotalTable } from './follower.table';
import type { FollowerPeriodTable } from './follower-period.table';
import type { GoalTable } from './goal.table';
import type { GroupAdminTable, GroupTable } from './group.table';
import type { HandledEventTable } from './handled-event.table';
import type { LogTable } from './log.table';
import type { MemberTable } from './member.table';
import type { MemberTotalTable } from './member-totals.table';
import type { MilestoneTable } from './milestone.table';
import type { PersonTable } from './person.table';
import type { ProjectLogTable, ProjectTable } from './project.table';
import type { PlannedScheduleTable } from './planned-schedule.table';
import type { PublicationTable, ReadTable } from './publication.table';
import type { ResponseTable } from './response.table';
import type { ScheduledJobTable } from './scheduled-job.table';
import type { SlackInstallationTable } from './slack-installation.table';
import type { GroupCalendarDayTable, PageSecretTable, PageTokenTable } from './web-page.table';
import type { SprintParticipantTable, SprintTable, SprintWatcherTable } from './sprint.table';
import type { StreakTable } from './streak.table';
import { preparingPool } from './postgres-pool';
import { CachingSqliteDialect } from './sqlite-driver';
import { markingInboxEntries } from './inbox-scope';
import type { VacationTable } from './vacation.table';

export interface Database {
  groups: GroupTable;
  group_admins: GroupAdminTable;
  people: PersonTable;
  members: MemberTable;
  logs: LogTable;
  streaks: StreakTable;
  vacations: VacationTable;
  milestones: MilestoneTable;
  handled_events: HandledEventTable;
  publications: PublicationTable;
  reads: ReadTable;
  responses: ResponseTable;
  feeds: FeedTable;
  feed_items: FeedItemTable;
  scheduled_jobs: ScheduledJobTable;
  planned_schedules: PlannedScheduleTable;
  follower_snapshots: FollowerSnapshotTable;
  follower_week_totals: FollowerWeekTotalTable;
  follower_periods: FollowerPeriodTable;
  member_totals: MemberTotalTable;
  command_inbox: CommandInboxTable;
  sprints: SprintTable;
  sprint_participants: SprintParticipantTable;
  sprint_watchers: SprintWatcherTable;
  page_tokens: PageTokenTable;
  page_secrets: PageSecretTable;
  group_calendar_days: GroupCalendarDayTable;
  goals: GoalTable;
  projects: ProjectTable;
  project_logs: ProjectLogTable;
  challenges: ChallengeTable;
  challenge_members: ChallengeMemberTable;
  slack_installations: SlackInstallationTable;
}

export type Db = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  /** The raw SQLite connection, for what Kysely does not do (BEGIN IMMEDIATE around migrations). */
  sqlite?: SqliteDatabase.Database;
  /** Where it is, for messages: host:port of a Postgres server (never its credentials), or the SQLite file. */
  location: string;
  /** The connection pool's figures (Postgres); SQLite has one connection and no pool. */
  poolStats?(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export type DatabaseConfig = { postgresUrl: string } | { sqlitePath: string };

// pg returns int8 and numeric as strings to avoid precision loss; our bigints are epoch milliseconds
// and counts, well inside Number's exact range.
const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/** pg is loaded only when Postgres is used: a SQLite deployment never pays the megabytes it takes. */
function loadPg(): typeof Pg {
  return createRequire(import.meta.url)('pg') as typeof Pg;
}

export function openDatabase(config: DatabaseConfig): DatabaseHandle {
  if ('postgresUrl' in config) {
    const pg = loadPg();
    const types = {
      getTypeParser(oid: number, format?: 'text' | 'binary') {
        if (oid === PG_INT8 || oid === PG_NUMERIC) return (value: string) => Number(value);
        return pg.types.getTypeParser(oid, format);
      },
    } as Pg.CustomTypesConfig;
    const pool = new pg.Pool({ connectionString: config.postgresUrl, types, max: 10 });
    // An idle connection the server dropped (a restart, a failover) is only replaced; unheard, the
    // pool's error event would end the process. Queries that need the server report it themselves.
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: markingInboxEntries(new PostgresDialect({ pool: preparingPool(pool) })) });
    return {
      db,
      dialect: 'postgres',
      location: serverOf(config.postgresUrl),
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: () => db.destroy(),
    };
  }
  if (config.sqlitePath !== ':memory:') mkdirSync(dirname(config.sqlitePath), { recursive: true });
  const sqlite = new SqliteDatabase(config.sqlitePath);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: markingInboxEntries(new CachingSqliteDialect(sqlite)) });
  return { db, dialect: 'sqlite', sqlite, location: config.sqlitePath, close: () => db.destroy() };
}

/** host:port of a Postgres URL, leaving out the user name and password. */
function serverOf(url: string): string {
  try {
    const { hostname, port } = new URL(url);
    return `${hostname || 'localhost'}:${port || 5432}`;
  } catch {
    return 'the configured Postgres server';
  }
}
