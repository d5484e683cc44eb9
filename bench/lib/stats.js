'use strict';
// Closed-loop load: `concurrency` workers each run one operation at a time, back to back, until a
// duration or an operation count is reached. Latency is measured per operation on the client.

const MiB = 1024 * 1024;

/** The p-th percentile (0..100) of a sorted array of numbers, or NaN when empty. */
function percentile(sorted, p) {
  if (sorted.length === 0) {
    return NaN;
  }
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/**
 * Runs `op(i)` (resolving to the number of payload bytes moved) with `concurrency` workers until
 * `ops` operations have started or `durationMs` has passed. A failed op counts as an error and
 * its first message is kept. Returns { ops, errors, firstError, seconds, bytes, opsPerSec, mibPerSec,
 * p50, p99, latencies (sorted) } with latencies in milliseconds.
 */
async function closedLoop({ concurrency, ops = Infinity, durationMs = Infinity, op }) {
  const latencies = [];
  let next = 0;
  let errors = 0;
  let firstError;
  let bytes = 0;
  const start = performance.now();
  const deadline = start + durationMs;
  const worker = async () => {
    while (next < ops && performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      try {
        // Not `bytes += await op(i)`: that reads `bytes` before the await and loses the
        // increments of the workers that finish meanwhile.
        const moved = await op(i);
        bytes += moved || 0;
        latencies.push(performance.now() - t0);
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return summarize({ latencies, errors, firstError, seconds: (performance.now() - start) / 1000, bytes });
}

function summarize({ latencies, errors, firstError, seconds, bytes }) {
  latencies.sort((a, b) => a - b);
  return {
    latencies,
    ops: latencies.length,
    errors,
    firstError,
    seconds,
    bytes,
    opsPerSec: latencies.length / seconds,
    mibPerSec: bytes / MiB / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** Combines closedLoop results of slices of one workload (interleaved with the other server's). */
function merge(results) {
  return summarize({
    latencies: results.flatMap((r) => r.latencies),
    errors: results.reduce((n, r) => n + r.errors, 0),
    firstError: results.find((r) => r.firstError)?.firstError,
    seconds: results.reduce((n, r) => n + r.seconds, 0),
    bytes: results.reduce((n, r) => n + r.bytes, 0),
  });
}

/** Times one async call; resolves { ms, value }. */
async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return percentile(sorted, 50);
}

/** Formats a number with a sensible precision for a table cell. */
function fmt(n, digits) {
  if (n === undefined || n === null || Number.isNaN(n)) {
    return '—';
  }
  const d = digits ?? (Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2);
  return n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

module.exports = { closedLoop, merge, timed, percentile, median, fmt, MiB };
