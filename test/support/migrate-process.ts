// Run as a separate process: migrates the database named by argv[2] (JSON DatabaseConfig) and prints what it applied.
import { openDatabase } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';

const handle = openDatabase(JSON.parse(process.argv[2]!));
const applied = await migrateToLatest(handle);
await handle.close();
process.stdout.write(JSON.stringify(applied));
