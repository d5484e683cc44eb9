#!/usr/bin/env node
'use strict';
// The libuv pool runs every fsync; its size must be fixed before the pool starts, so it is set
// here, before anything else loads. SERVER_THREADS=0 (the default) means automatic.
const threads = Number(process.env.SERVER_THREADS || 0);
if (!process.env.UV_THREADPOOL_SIZE) {
  process.env.UV_THREADPOOL_SIZE = String(threads > 0 ? threads : 16);
}
require('../dist/apps/cli/src/main.js');
