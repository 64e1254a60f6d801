import { z } from 'zod';
import {
  calls,
  isCallName,
  type ApiErrorBody,
  type CallInput,
  type CallName,
  type CallOutput,
  type Calls,
} from '../../shared/api';
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

/** A call validated as the other shells' calls are; its output, or a DeskError carrying the error body. */
export async function call<N extends CallName>(
  handlers: Handlers,
  name: N,
  input: CallInput<N>,
): Promise<CallOutput<N>> {
  const result = await dispatch(handlers, name, input);
  if (!result.ok) throw new DeskError(result.error.code, result.error.message, result.error.detail ?? null);
  return result.value as CallOutput<N>;
}

export function errorBody(error: DeskError): ApiErrorBody {
  const body = { code: error.code, message: error.message };
  return error.detail === null ? body : { ...body, detail: error.detail };
}

type Slice = Partial<Handlers>;
type Twice<S, Seen = never> = S extends readonly [infer H, ...infer R]
  ? (keyof H & Seen) | Twice<R, Seen | keyof H>
  : never;
type Covered<S> = S extends readonly [infer H, ...infer R] ? keyof H | Covered<R> : never;
/** The slices, unless a call is implemented twice or by none of them: then what is wrong, as a type error. */
type Complete<S> = [Twice<S>] extends [never]
  ? [Exclude<CallName, Covered<S>>] extends [never]
    ? S
    : { missing: Exclude<CallName, Covered<S>> }
  : { implementedTwice: Twice<S> };

/** Joins the rooms' slices into the handler table; a call implemented twice, or not at all, does not compile. */
export function joinHandlers<const S extends readonly Slice[]>(...slices: S & Complete<S>): Handlers {
  return Object.assign({}, ...slices) as Handlers;
}
