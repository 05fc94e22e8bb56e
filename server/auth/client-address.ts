/**
 * The address a sign-in came from, for its per-address limit and its log line. Behind a reverse
 * proxy every connection comes from the proxy, so all clients shared one limit; with
 * CREDMATE_TRUST_PROXY naming the proxies, the address is taken from X-Forwarded-For instead:
 * walking it from the right (the proxy nearest us appends last) past every trusted proxy, the
 * first hop we do not trust is the client. Hops further left were written by the client itself
 * and are never believed. Without the setting, or when the connection does not come from a
 * trusted proxy, X-Forwarded-For is ignored.
 */
import net from 'node:net';

export class TrustedProxies {
  private readonly list = new net.BlockList();

  /**
   * `spec`: comma-separated addresses or CIDR ranges (`10.0.0.0/8`, `::1`); `true`/`1` means a
   * proxy on this machine (loopback). Throws naming an entry it cannot read.
   */
  constructor(spec: string) {
    const entries = ['1', 'true', 'yes'].includes(spec.trim().toLowerCase())
      ? ['127.0.0.0/8', '::1']
      : spec
          .split(',')
          .map((e) => e.trim())
          .filter(Boolean);
    for (const entry of entries) {
      const [addr = '', bits] = entry.split('/');
      const family = net.isIP(addr);
      const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
      if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
        throw new Error(
          `CREDMATE_TRUST_PROXY: "${entry}" is not an IP address or CIDR range; list the reverse proxies' addresses, e.g. "127.0.0.1,10.0.0.0/8".`,
        );
      }
      this.list.addSubnet(addr, prefix, family === 6 ? 'ipv6' : 'ipv4');
    }
  }

  trusts(address: string): boolean {
    const family = net.isIP(address);
    return family !== 0 && this.list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) as `127.0.0.1`, so IPv4 ranges match it. */
function plain(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: TrustedProxies | null,
): string {
  const from = plain(peer ?? 'unknown');
  if (!trusted || !forwardedFor || !trusted.trusts(from)) return from;
  const hops = forwardedFor.split(',').map((h) => plain(h.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // A hop that is no address means a misconfigured proxy: keep the connection's own address.
    if (net.isIP(hop) === 0) return from;
    if (!trusted.trusts(hop)) return hop;
  }
  // Every hop is a trusted proxy: the left-most is the closest thing to a client.
  return hops[0] && net.isIP(hops[0]) ? hops[0] : from;
}
