/** The CRC algorithms S3 can combine into a full-object checksum of a multipart upload. */
export type CrcAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME';

interface CrcSpec {
  width: number;
  /** The polynomial, bit-reflected (as the table-driven CRCs use it). */
  poly: bigint;
}

const SPECS: Record<CrcAlgorithm, CrcSpec> = {
  CRC32: { width: 32, poly: 0xedb88320n },
  CRC32C: { width: 32, poly: 0x82f63b78n },
  CRC64NVME: { width: 64, poly: 0x9a6c9329ac4bc9b5n },
};

/** True for the algorithms {@link combineCrc} handles. */
export function isCrcAlgorithm(algorithm: string): algorithm is CrcAlgorithm {
  return algorithm in SPECS;
}

/**
 * `a(x)·b(x) mod p(x)` over GF(2), in the reflected representation (zlib's `multmodp`).
 * `a` must be non-zero, which every power of x is.
 */
function multModP(spec: CrcSpec, a: bigint, b: bigint): bigint {
  let m = 1n << BigInt(spec.width - 1);
  let p = 0n;
  for (;;) {
    if ((a & m) !== 0n) {
      p ^= b;
      if ((a & (m - 1n)) === 0n) {
        return p;
      }
    }
    m >>= 1n;
    b = (b & 1n) !== 0n ? (b >> 1n) ^ spec.poly : b >> 1n;
  }
}

/** `x^(2^k) mod p` for k = 0..63, computed once per algorithm. */
const powerTables = new Map<CrcAlgorithm, bigint[]>();

function powerTable(algorithm: CrcAlgorithm): bigint[] {
  let table = powerTables.get(algorithm);
  if (table === undefined) {
    const spec = SPECS[algorithm];
    // x^1 in the reflected representation is the second-highest bit.
    let p = 1n << BigInt(spec.width - 2);
    table = [p];
    for (let k = 1; k < 64; k++) {
      p = multModP(spec, p, p);
      table.push(p);
    }
    powerTables.set(algorithm, table);
  }
  return table;
}

/** `x^(8·bytes) mod p`: the operator that shifts a CRC past `bytes` zero bytes. */
function shiftOperator(algorithm: CrcAlgorithm, bytes: number): bigint {
  const spec = SPECS[algorithm];
  const table = powerTable(algorithm);
  let p = 1n << BigInt(spec.width - 1);
  // 8·bytes = bytes << 3, so bit i of `bytes` selects x^(2^(i+3)).
  let k = 3;
  for (let n = bytes; n > 0; n = Math.floor(n / 2), k++) {
    if (n % 2 === 1) {
      p = multModP(spec, table[k] as bigint, p);
    }
  }
  return p;
}

/**
 * Combines the CRCs of consecutive byte strings into the CRC of their concatenation, as zlib's
 * `crc32_combine` does, for any of the three reflected, fully conditioned CRCs S3 uses. Each
 * `parts` entry is a part's raw big-endian CRC and its length in bytes. Cost: one GF(2)
 * multiplication per part (shift operators are cached per length), never the bytes themselves.
 * @throws RangeError when a digest has the wrong length or `parts` is empty.
 */
export function combineCrc(algorithm: CrcAlgorithm, parts: readonly { crc: Buffer; size: number }[]): Buffer {
  const spec = SPECS[algorithm];
  const bytes = spec.width / 8;
  const operators = new Map<number, bigint>();
  let acc: bigint | null = null;
  for (const part of parts) {
    if (part.crc.length !== bytes) {
      throw new RangeError(`a ${algorithm} digest has ${bytes} bytes, not ${part.crc.length}`);
    }
    const crc = BigInt(`0x${part.crc.toString('hex')}`);
    if (acc === null) {
      acc = crc;
      continue;
    }
    let operator = operators.get(part.size);
    if (operator === undefined) {
      operator = shiftOperator(algorithm, part.size);
      operators.set(part.size, operator);
    }
    acc = multModP(spec, operator, acc) ^ crc;
  }
  if (acc === null) {
    throw new RangeError('combineCrc needs at least one part');
  }
  return Buffer.from(acc.toString(16).padStart(bytes * 2, '0'), 'hex');
}
