import { z } from 'zod';
import {
  calls,
  commandLineCalls,
  isCallName,
  isCommandLineCallName,
  type AnyCallInput,
  type AnyCallName,
  type AnyCallOutput,
  type ApiErrorBody,
  type CallName,
  type Calls,
  type CommandLineCallName,
  type CommandLineCalls,
} from '../../shared/api';
import { DeskError } from './errors';

type HandlersOf<T extends Record<string, { input: z.ZodType; output: z.ZodType }>> = {
  [N in keyof T]: (input: z.output<T[N]['input']>) => Promise<z.output<T[N]['output']>>;
};

/** The contract's handlers: what the app and the browser shell serve. */
export type Handlers = HandlersOf<Calls>;
/** The command line's own calls: composed beside the contract's, never served by the other shells. */
export type CommandLineHandlers = HandlersOf<CommandLineCalls>;

export type DispatchResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };

/** Validates a call's payload against the contract and runs its handler; never throws. */
export function dispatch(handlers: Handlers, name: string, payload: unknown): Promise<DispatchResult> {
  return isCallName(name) ? run(calls[name].input, handlers[name], name, payload) : unknownCall(name);
}

/** As `dispatch`, for the command line: its own calls as well as the contract's. */
export function dispatchCommandLine(
  handlers: Handlers,
  own: CommandLineHandlers,
  name: string,
  payload: unknown,
): Promise<DispatchResult> {
  if (!isCommandLineCallName(name)) return dispatch(handlers, name, payload);
  return run(commandLineCalls[name].input, own[name], name, payload);
}

function unknownCall(name: string): Promise<DispatchResult> {
  return Promise.resolve({ ok: false, error: { code: 'unknown-call', message: `No such call: ${name}` } });
}

async function run(
  schema: z.ZodType,
  handler: (input: never) => Promise<unknown>,
  name: string,
  payload: unknown,
): Promise<DispatchResult> {
  const parsed = schema.safeParse(payload ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid-input', message: z.prettifyError(parsed.error) } };
  }
  try {
    return { ok: true, value: await (handler as (input: unknown) => Promise<unknown>)(parsed.data) };
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
export async function call<N extends AnyCallName>(
  handlers: Handlers,
  own: CommandLineHandlers,
  name: N,
  input: AnyCallInput<N>,
): Promise<AnyCallOutput<N>> {
  const result = await dispatchCommandLine(handlers, own, name, input);
  if (!result.ok) throw new DeskError(result.error.code, result.error.message, result.error.detail ?? null);
  return result.value as AnyCallOutput<N>;
}

export function errorBody(error: DeskError): ApiErrorBody {
  const body = { code: error.code, message: error.message };
  return error.detail === null ? body : { ...body, detail: error.detail };
}

type Twice<S, Seen = never> = S extends readonly [infer H, ...infer R]
  ? (keyof H & Seen) | Twice<R, Seen | keyof H>
  : never;
type Covered<S> = S extends readonly [infer H, ...infer R] ? keyof H | Covered<R> : never;
/** The slices, unless a call is implemented twice or by none of them: then what is wrong, as a type error. */
type Complete<S, Names> = [Twice<S>] extends [never]
  ? [Exclude<Names, Covered<S>>] extends [never]
    ? S
    : { missing: Exclude<Names, Covered<S>> }
  : { implementedTwice: Twice<S> };

/** Joins the rooms' slices into the handler table; a call implemented twice, or not at all, does not compile. */
export function joinHandlers<const S extends readonly Partial<Handlers>[]>(
  ...slices: S & Complete<S, CallName>
): Handlers {
  return Object.assign({}, ...slices) as Handlers;
}

/** The same, for the command line's calls. */
export function joinCommandLineHandlers<const S extends readonly Partial<CommandLineHandlers>[]>(
  ...slices: S & Complete<S, CommandLineCallName>
): CommandLineHandlers {
  return Object.assign({}, ...slices) as CommandLineHandlers;
}
