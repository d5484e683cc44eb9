'use strict';
// The baseline: a bare Node HTTP server doing the same durable file work as MyFSIO without S3
// (no auth, no metadata database, no XML beyond what the client needs). Run as a child process:
//   node baseline-server.js <root>   → prints "listening <port>" once ready.
// PUT    receive → MD5 → write to a temp file → fsync → rename into place → fsync the directory
// GET    open → stream (64 KiB reads, 1 MiB from 8 MiB up, as MyFSIO's store does)
// HEAD   stat
// DELETE unlink → fsync the directory;  POST ?delete  the same for every <Key> in the body
// Multipart: POST ?uploads, PUT ?partNumber&uploadId (stored like a PUT), POST ?uploadId
// concatenates the parts into a temp file → fsync → rename → fsync the directory.
const http = require('node:http');
const fsp = require('node:fs/promises');
const { createHash, randomUUID } = require('node:crypto');
const { pipeline } = require('node:stream');
const { dirname, join } = require('node:path');

const ROOT = process.argv[2];
const TMP = join(ROOT, '.tmp');
const PARTS = join(ROOT, '.parts');
const MiB = 1024 * 1024;
const knownDirs = new Set();
let tmpCounter = 0;

async function ensureDir(dir) {
  if (!knownDirs.has(dir)) {
    await fsp.mkdir(dir, { recursive: true });
    knownDirs.add(dir);
  }
}

async function fsyncDir(dir) {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes every byte of `buffers` (writev may write less than asked). */
async function writeAll(fh, buffers) {
  const total = buffers.reduce((n, b) => n + b.length, 0);
  const { bytesWritten } = await fh.writev(buffers);
  let rest = bytesWritten < total ? Buffer.concat(buffers).subarray(bytesWritten) : null;
  while (rest && rest.length > 0) {
    const { bytesWritten: n } = await fh.write(rest);
    rest = rest.subarray(n);
  }
}

/** Streams the request body into `fh`, hashing it; coalesces chunks that arrive during a write. */
function receive(req, fh, md5) {
  return new Promise((resolve, reject) => {
    let pending = [];
    let pendingBytes = 0;
    let writing = false;
    let ended = false;
    let size = 0;
    const flush = () => {
      if (writing) {
        return;
      }
      if (pending.length === 0) {
        if (ended) {
          resolve(size);
        }
        return;
      }
      const batch = pending;
      pending = [];
      pendingBytes = 0;
      writing = true;
      writeAll(fh, batch).then(() => {
        writing = false;
        req.resume();
        flush();
      }, reject);
    };
    req.on('data', (chunk) => {
      md5.update(chunk);
      size += chunk.length;
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= 8 * MiB) {
        req.pause();
      }
      flush();
    });
    req.on('end', () => {
      ended = true;
      flush();
    });
    req.on('error', reject);
  });
}

/** The durable PUT path; returns the hex MD5. */
async function store(req, path) {
  const dir = dirname(path);
  await ensureDir(dir);
  const tmp = join(TMP, `${process.pid}-${tmpCounter++}`);
  const md5 = createHash('md5');
  const fh = await fsp.open(tmp, 'w');
  try {
    await receive(req, fh, md5);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsp.rename(tmp, path);
  await fsyncDir(dir);
  return md5.digest('hex');
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function get(res, path, head) {
  if (head) {
    const st = await fsp.stat(path);
    res.writeHead(200, { 'content-length': st.size });
    res.end();
    return;
  }
  const fh = await fsp.open(path, 'r');
  const st = await fh.stat();
  res.writeHead(200, { 'content-length': st.size });
  const highWaterMark = st.size >= 8 * MiB ? MiB : 64 * 1024;
  pipeline(fh.createReadStream({ highWaterMark }), res, () => undefined);
}

async function bulkDelete(req, res, bucketDir) {
  const keys = [...(await readBody(req)).matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]);
  const dirs = new Set();
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const path = join(bucketDir, keys[next++]);
      await fsp.rm(path, { force: true });
      dirs.add(dirname(path));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  await Promise.all([...dirs].map(fsyncDir));
  const deleted = keys.map((k) => `<Deleted><Key>${k}</Key></Deleted>`).join('');
  res.end(`<?xml version="1.0" encoding="UTF-8"?><DeleteResult>${deleted}</DeleteResult>`);
}

async function complete(req, res, uploadId, path) {
  const parts = [...(await readBody(req)).matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => m[1]);
  const dir = dirname(path);
  await ensureDir(dir);
  const tmp = join(TMP, `${process.pid}-${tmpCounter++}`);
  const out = await fsp.open(tmp, 'w');
  const buffer = Buffer.allocUnsafe(8 * MiB);
  try {
    for (const part of parts) {
      const src = await fsp.open(join(PARTS, uploadId, part), 'r');
      try {
        for (;;) {
          const { bytesRead } = await src.read(buffer, 0, buffer.length, null);
          if (bytesRead === 0) {
            break;
          }
          await writeAll(out, [buffer.subarray(0, bytesRead)]);
        }
      } finally {
        await src.close();
      }
    }
    await out.sync();
  } finally {
    await out.close();
  }
  await fsp.rename(tmp, path);
  await fsyncDir(dir);
  await fsp.rm(join(PARTS, uploadId), { recursive: true, force: true });
  res.end(
    `<CompleteMultipartUploadResult><ETag>"${randomUUID()}-${parts.length}"</ETag></CompleteMultipartUploadResult>`,
  );
}

async function handle(req, res) {
  const [rawPath, rawQuery = ''] = req.url.split('?');
  const query = new URLSearchParams(rawQuery);
  const [, bucket, ...rest] = decodeURIComponent(rawPath).split('/');
  const key = rest.join('/');
  const bucketDir = join(ROOT, bucket);
  const path = join(bucketDir, key);
  const method = req.method;
  if (key === '' && method === 'PUT') {
    await ensureDir(bucketDir);
    res.end();
  } else if (method === 'PUT' && query.has('uploadId')) {
    await ensureDir(join(PARTS, query.get('uploadId')));
    const etag = await store(req, join(PARTS, query.get('uploadId'), query.get('partNumber')));
    res.writeHead(200, { etag: `"${etag}"` }).end();
  } else if (method === 'PUT') {
    res.writeHead(200, { etag: `"${await store(req, path)}"` }).end();
  } else if (method === 'GET' || method === 'HEAD') {
    await get(res, path, method === 'HEAD');
  } else if (method === 'DELETE') {
    await fsp.rm(path, { force: true });
    await fsyncDir(dirname(path));
    res.writeHead(204).end();
  } else if (method === 'POST' && query.has('delete')) {
    await bulkDelete(req, res, bucketDir);
  } else if (method === 'POST' && query.has('uploads')) {
    const uploadId = randomUUID();
    await ensureDir(join(PARTS, uploadId));
    res.end(
      `<InitiateMultipartUploadResult><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
    );
  } else if (method === 'POST' && query.has('uploadId')) {
    await complete(req, res, query.get('uploadId'), path);
  } else {
    res.writeHead(405).end();
  }
}

async function main() {
  await fsp.mkdir(TMP, { recursive: true });
  await fsp.mkdir(PARTS, { recursive: true });
  const server = http.createServer({ keepAliveTimeout: 120_000 }, (req, res) => {
    handle(req, res).catch((err) => {
      const status = err.code === 'ENOENT' ? 404 : 500;
      if (!res.headersSent) {
        res.writeHead(status).end(String(err.message));
      } else {
        res.destroy();
      }
    });
  });
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`listening ${server.address().port}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

void main();
