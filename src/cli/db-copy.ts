import { copySqliteToPostgres, CopyRefused } from '../db/copy-database';

/**
 * `npm run db:copy -- <sqlite file> <postgres url>`: moves a bot's SQLite database into a new, empty
 * Postgres database, every table and row, all or nothing.
 */
async function main(): Promise<void> {
  const [sqlitePath, postgresUrl] = process.argv.slice(2);
  if (!sqlitePath || !postgresUrl || !/^postgres(ql)?:\/\//.test(postgresUrl))
    throw new CopyRefused('Usage: npm run db:copy -- <sqlite file> <postgres://user:password@host:5432/database>');
  const report = await copySqliteToPostgres(sqlitePath, postgresUrl);
  const total = report.tables.reduce((sum, t) => sum + t.rows, 0);
  for (const table of report.tables) process.stdout.write(`${table.name}: ${table.rows} rows\n`);
  process.stdout.write(`Copied ${total} rows in ${report.tables.length} tables; row counts checked. Point DATABASE_URL at the new database and start the bot.\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
