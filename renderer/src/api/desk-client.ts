import type { ApiErrorBody, DeskApi } from '../../../shared/api';
import { EVENT_NAMES } from '../../../shared/event-names';

/** What preload.ts exposes on `window.deskBridge` inside Electron. */
type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

export interface DeskBridge {
  call(name: string, input: unknown): Promise<Result<unknown>>;
  /** Hands a file to the core; calls then name it by the returned upload id. */
  upload(file: File, signal?: AbortSignal): Promise<Result<{ uploadId: string }>>;
  on(listener: (event: string, payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    deskBridge?: DeskBridge;
  }
}

export class DeskCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The technical account behind the message, for the Details toggle. */
    readonly detail: string | null = null,
  ) {
    super(message);
  }
}

function callError(error: ApiErrorBody): DeskCallError {
  return new DeskCallError(error.code, error.message, error.detail ?? null);
}

type Listener = (payload: unknown) => void;

export interface DeskClient extends DeskApi {
  /** Hands a file to the core and resolves with its upload id; `signal` stops a transfer in progress. */
  upload(file: File, signal?: AbortSignal): Promise<string>;
}

export const UPLOAD_CANCELLED = 'upload-cancelled';

/** The core API over Electron IPC when running in the app, else over HTTP + SSE from the browser shell. */
export function connectDesk(): DeskClient {
  const bridge = window.deskBridge ?? httpBridge();
  const listeners = new Map<string, Set<Listener>>();
  bridge.on((event, payload) => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  });
  return {
    async call(name, input) {
      const result = await bridge.call(name, input);
      if (!result.ok) throw callError(result.error);
      return result.value as never;
    },
    async upload(file, signal) {
      const cancelled = () => new DeskCallError(UPLOAD_CANCELLED, 'The upload was cancelled.');
      if (signal?.aborted) throw cancelled();
      let result: Result<{ uploadId: string }>;
      try {
        result = await bridge.upload(file, signal);
      } catch (error) {
        if (signal?.aborted) throw cancelled();
        throw error;
      }
      if (!result.ok) throw callError(result.error);
      return result.value.uploadId;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as Listener);
      listeners.set(event, set);
      return () => set.delete(listener as Listener);
    },
  };
}

const TOKEN_KEY = 'campaign-desk-token';

function httpBridge(): DeskBridge {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  const token = sessionStorage.getItem(TOKEN_KEY) ?? '';
  return {
    async call(name: string, input: unknown) {
      const res = await fetch(`/api/call/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-desk-token': token },
        body: JSON.stringify(input ?? {}),
      });
      if (res.status === 401) {
        return {
          ok: false,
          error: {
            code: 'unauthorized',
            message: 'Open the address printed by `npm start`, token included.',
          },
        };
      }
      return (await res.json()) as Result<unknown>;
    },
    async upload(file: File, signal?: AbortSignal) {
      const res = await fetch('/api/upload', {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'x-desk-token': token },
        body: file,
        signal,
      });
      return (await res.json()) as Result<{ uploadId: string }>;
    },
    on(listener) {
      const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
      for (const name of EVENT_NAMES) {
        source.addEventListener(name, (e) => listener(name, JSON.parse((e as MessageEvent<string>).data)));
      }
      return () => source.close();
    },
  };
}
