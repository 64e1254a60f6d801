import { request, type Dispatcher } from 'undici';

/** POSTs a JSON payload and returns the HTTP status; network failures reject. */
export async function postJson(
  url: string,
  payload: unknown,
  signal?: AbortSignal,
  dispatcher?: Dispatcher,
): Promise<number> {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
    signal,
    ...(dispatcher && { dispatcher }),
  });
  // Undici keeps the connection busy until the body is consumed.
  await response.body.dump();
  return response.statusCode;
}
