import { request } from 'undici';
import { networkProblem } from '../../network-words';

const PROBE_TIMEOUT_MS = 10_000;

/** Why a probe did not reach the receiver: a clause for the user, and the network error behind it if any. */
export interface ProbeProblem {
  reason: string;
  detail: string | null;
}

/**
 * GETs the receiver's probe route (`${secretPath}/probe`) through the public URL and returns null when
 * this receiver answered with `nonce`, or why not.
 */
export async function probeReceiver(
  publicUrl: string,
  secretPath: string,
  nonce: string,
): Promise<ProbeProblem | null> {
  const url = `${publicUrl}${secretPath}/probe`;
  try {
    const res = await request(url, {
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
      ? { reason: `something else answered at ${publicUrl}, not this computer's receiver`, detail: null }
      : {
          reason: `a test request through ${publicUrl} was turned away (the tunnel answered with an error)`,
          detail: `HTTP ${res.statusCode}`,
        };
  } catch (error) {
    const { sentence, detail } = networkProblem(error, url, 'the public URL');
    return { reason: `a test request through ${publicUrl} failed: ${sentence}`, detail };
  }
}
