/**
 * A failed connection in words: `sentence` says what happened and what to check, for the screen; `detail` is the
 * error's code and message as Node gave them, for the Details toggle. Neither holds a request header, so no key.
 */
export interface NetworkProblem {
  sentence: string;
  detail: string;
  code: string;
}

const CERTIFICATE_UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

const TIMEOUTS = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ABORT_ERR',
  'TimeoutError',
]);

const CUT = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED', 'UND_ERR_CLOSED']);

/**
 * `url` is the address the request went to: the sentence names its host, which the error alone may not. `field` is
 * where the user wrote that address, for the sentence to send them to.
 */
export function networkProblem(error: unknown, url: string, field = 'the Base URL'): NetworkProblem {
  const code = networkErrorCode(error);
  const { hostname, host } = hostOf(url);
  return { sentence: sentenceFor(code, hostname, host, field), detail: detailOf(error), code };
}

function sentenceFor(code: string, hostname: string, host: string, field: string): string {
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `no server answers to the name ${hostname}: check ${field} and this computer's internet connection`;
  if (code === 'ECONNREFUSED')
    return `nothing answered at ${host}: the computer there refused the connection; check ${field} (and its port)`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return `this computer finds no way through the network to ${hostname}: check its internet connection`;
  if (TIMEOUTS.has(code))
    return `${hostname} did not answer in time: the service or this computer's internet connection may be slow or down`;
  if (CUT.has(code)) return `the connection to ${hostname} was cut before an answer came`;
  if (code === 'CERT_HAS_EXPIRED')
    return `the security certificate of ${hostname} has expired, so this computer did not trust the connection; the service has to renew it`;
  if (CERTIFICATE_UNTRUSTED.has(code))
    return `the security certificate of ${hostname} is not signed by an authority this computer trusts (it may be self-signed), so the connection was not made`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `the security certificate at ${hostname} is made out for another name, so the connection was not made: check ${field}`;
  return `the connection to ${hostname} failed`;
}

/** The innermost meaningful code: undici wraps Node's socket errors, and names a bare socket close UND_ERR_SOCKET. */
function networkErrorCode(error: unknown): string {
  let found = '';
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (found === '' || found === 'UND_ERR_SOCKET')) found = code;
    else if (found === '' && e instanceof Error && e.name === 'TimeoutError') found = 'TimeoutError';
  }
  return found;
}

function detailOf(error: unknown): string {
  const lines: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    const message = e instanceof Error ? e.message : String(e);
    const line = typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
    if (!lines.includes(line)) lines.push(line);
  }
  return lines.join('\n');
}

function hostOf(url: string): { hostname: string; host: string } {
  try {
    const parsed = new URL(url);
    return { hostname: parsed.hostname, host: parsed.host };
  } catch {
    return { hostname: url, host: url };
  }
}
