import { z } from 'zod';
import { calls, isCallName, type ApiErrorBody, type CallName, type Calls } from '../../shared/api';
import { DeskError } from './errors';

export type Handlers = {
  [N in CallName]: (input: z.output<Calls[N]['input']>) => Promise<z.output<Calls[N]['output']>>;
};

export type DispatchResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };

/** Validates a call's payload against the contract and runs its handler; never throws. */
export async function dispatch(handlers: Handlers, name: string, payload: unknown): Promise<DispatchResult> {
  if (!isCallName(name))
    return { ok: false, error: { code: 'unknown-call', message: `No such call: ${name}` } };
  const parsed = calls[name].input.safeParse(payload ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid-input', message: z.prettifyError(parsed.error) } };
  }
  try {
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof DeskError) return { ok: false, error: errorBody(error) };
    console.error(`${name} failed:`, error);
    return {
      ok: false,
      error: { code: 'internal', message: `${name} failed unexpectedly; see the app log.` },
    };
  }
}

export function errorBody(error: DeskError): ApiErrorBody {
  const body = { code: error.code, message: error.message };
  return error.detail === null ? body : { ...body, detail: error.detail };
}
