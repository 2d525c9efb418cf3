// The checkpoint thread (see checkpointer.ts). Plain JavaScript so that it starts without the TypeScript loader.
// One SQLite connection per volume database, opened on first use. A PASSIVE checkpoint copies committed log
// frames into the database file without blocking the volume's writer or readers; synchronous=NORMAL makes it
// fsync the log before copying and the database after, before the log may be reused.
'use strict';
const Database = require('better-sqlite3');
const { parentPort } = require('node:worker_threads');

const dbs = new Map();

function handle(req) {
  let db = dbs.get(req.path);
  if (req.op === 'close') {
    if (db) db.close();
    dbs.delete(req.path);
    return;
  }
  if (!db) {
    db = new Database(req.path, { fileMustExist: true });
    db.pragma('synchronous = NORMAL');
    dbs.set(req.path, db);
  }
  db.pragma('wal_checkpoint(PASSIVE)');
}

parentPort.on('message', (req) => {
  const reply = { id: req.id };
  try {
    handle(req);
  } catch (e) {
    reply.error = { code: e && e.code, message: e instanceof Error ? e.message : String(e) };
  }
  parentPort.postMessage(reply);
});
