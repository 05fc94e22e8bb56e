/**
 * Why a server could not be reached, in words that say what to do: a coordinator who typed a
 * server address gets "no computer named … was found; check the address", not `getaddrinfo
 * ENOTFOUND …`. Reads the Node/undici error code anywhere in the error's cause chain.
 */
interface NetError {
  code?: unknown;
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
  message?: unknown;
  cause?: unknown;
}

const TLS_TRUST =
  /^(CERT_|UNABLE_TO_(GET|VERIFY)|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_CERT_ALTNAME_INVALID)/;

export function unreachableReason(err: unknown): string {
  const chain: NetError[] = [];
  for (let e: unknown = err; e && typeof e === 'object' && chain.length < 5; e = (e as NetError).cause)
    chain.push(e as NetError);
  const coded = chain.find((e) => typeof e.code === 'string');
  const code = typeof coded?.code === 'string' ? coded.code : '';
  const host = chain.map((e) => e.hostname).find((h): h is string => typeof h === 'string');
  const where =
    typeof coded?.address === 'string'
      ? `${coded.address}${typeof coded.port === 'number' ? `:${coded.port}` : ''}`
      : 'that address';
  if (code === 'ENOTFOUND')
    return `no computer named "${host ?? 'that'}" was found; check the server address for typing mistakes (for example https://credmate.example.org)`;
  if (code === 'EAI_AGAIN')
    return `the name${host ? ` "${host}"` : ''} could not be looked up; check this computer's network connection, then try again`;
  if (code === 'ECONNREFUSED')
    return `nothing is answering at ${where}; check the port number in the address and that the CredMate server is running`;
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT')
    return 'no answer while connecting; check the address and the network (a firewall or VPN may block it)';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET')
    return 'the connection was cut off; check the network, then try again';
  if (TLS_TRUST.test(code))
    return `its security certificate is not trusted (${code}); check the address, or ask your administrator for a trusted certificate`;
  if (code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER')
    return 'it did not answer as expected over HTTPS; check whether the address should start with http:// or https://';
  const last = chain.at(-1);
  return typeof last?.message === 'string' && last !== err ? last.message : 'no connection';
}
