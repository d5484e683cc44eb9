import type { IncomingMessage } from 'node:http';

/**
 * The client's address, trusting exactly `trustedProxies` hops of X-Forwarded-For (the
 * rightmost entries were added by our proxies), and whether the client used TLS.
 */
export function clientAddress(req: IncomingMessage, trustedProxies: number): { ip: string; secure: boolean } {
  const socketIp = req.socket.remoteAddress ?? '';
  const forwarded = req.headers['x-forwarded-for'];
  let ip = socketIp;
  if (trustedProxies > 0 && typeof forwarded === 'string' && forwarded !== '') {
    const hops = forwarded.split(',').map((h) => h.trim());
    ip = hops[Math.max(0, hops.length - trustedProxies)] ?? socketIp;
  }
  const proto = req.headers['x-forwarded-proto'];
  const secure =
    (req.socket as { encrypted?: boolean }).encrypted === true || (trustedProxies > 0 && proto === 'https');
  return { ip: ip.replace(/^::ffff:/, ''), secure };
}
