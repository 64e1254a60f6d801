import { request } from 'undici';

const PROBE_TIMEOUT_MS = 10_000;

/**
 * GETs the receiver's probe route (`${secretPath}/probe`) through the public URL and returns null when
 * this receiver answered with `nonce`, or why not, in words for the user.
 */
export async function probeReceiver(
  publicUrl: string,
  secretPath: string,
  nonce: string,
): Promise<string | null> {
  try {
    const res = await request(`${publicUrl}${secretPath}/probe`, {
      headers: {
        // Public tunnel services put a warning page in front of browsers unless asked not to.
        'bypass-tunnel-reminder': 'campaign-desk',
        'ngrok-skip-browser-warning': 'campaign-desk',
      },
      headersTimeout: PROBE_TIMEOUT_MS,
      bodyTimeout: PROBE_TIMEOUT_MS,
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    const body = (await res.body.text()).trim();
    if (res.statusCode === 200 && body === nonce) return null;
    return res.statusCode === 200
      ? `something else answered at ${publicUrl}, not this computer's receiver`
      : `a test request through ${publicUrl} was answered with HTTP ${res.statusCode}`;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `a test request through ${publicUrl} failed (${reason})`;
  }
}
