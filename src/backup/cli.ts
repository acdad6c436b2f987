// A backup by hand while the server runs:  npm run backup -- FILE
// (in the image: node dist/backup/cli.js FILE). Opens DB_PATH beside the server (WAL
// lets both work), copies it online to FILE, checks it, lists and stores the files.
import Database from 'better-sqlite3';
import { dirname, resolve } from 'node:path';
import { loadConfig } from '../config.js';
import { backupAll } from './service.js';

const target = process.argv[2];
if (!target) {
  console.error('用法: npm run backup -- 备份文件路径 (例如 /backups/hotline-manual.db)');
  process.exit(2);
}
const config = loadConfig();
let source: Database.Database;
try {
  source = new Database(config.dbPath, { fileMustExist: true });
} catch (err) {
  console.error(`打不开数据库 DB_PATH=${config.dbPath}: ${(err as Error).message}`);
  process.exit(1);
}
source.pragma('busy_timeout = 5000');
try {
  const file = resolve(target);
  const result = await backupAll(source, file, [{ area: 'attachments', dir: config.filesDir }, { area: 'recordings', dir: config.recordingsDir }], config.backup.dir ?? dirname(file));
  console.log(JSON.stringify({ backup: result.file, bytes: result.bytes, ms: result.ms, integrity: result.integrity, rows: result.rows, manifest: result.manifest, files: result.files, fileBytes: result.fileBytes }));
} catch (err) {
  console.error(`备份失败: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  source.close();
}
