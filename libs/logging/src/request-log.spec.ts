import pino from 'pino';
import { Writable } from 'node:stream';
import { logCompletedRequest, requestLogLevel } from './request-log';

function capture(level: pino.Level) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}

const request = { id: 'R1', method: 'GET', url: '/b/k?x=1', headers: { authorization: 'secret' } };

describe('requestLogLevel', () => {
  it('puts 5xx and errors at error, 4xx at info, the rest at debug', () => {
    expect(requestLogLevel(200)).toBe('debug');
    expect(requestLogLevel(304)).toBe('debug');
    expect(requestLogLevel(404)).toBe('info');
    expect(requestLogLevel(503)).toBe('error');
    expect(requestLogLevel(200, new Error('aborted'))).toBe('error');
  });
});

describe('logCompletedRequest', () => {
  it('writes the request id, method, url, status and response time, never headers', async () => {
    const { logger, lines } = capture('debug');
    logCompletedRequest(logger, request, { statusCode: 404, elapsedTime: 3.4 });
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { id: 'R1', method: 'GET', url: '/b/k?x=1' },
      res: { statusCode: 404 },
      responseTime: 3,
    });
    expect(JSON.stringify(lines[0])).not.toContain('secret');
  });

  it('writes nothing when the line’s level is off', async () => {
    const { logger, lines } = capture('info');
    logCompletedRequest(logger, request, { statusCode: 200, elapsedTime: 1 });
    logCompletedRequest(logger, request, { statusCode: 500, elapsedTime: 1 });
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => l.level)).toEqual([50]);
  });
});
