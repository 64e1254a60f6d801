import type { ApiErrorBody, DeskApi, ErrorCode } from '../../../shared/api';
import { EVENT_NAMES } from '../../../shared/event-names';
import type { FileKind } from '../../../shared/file-kinds';

type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

/** A file the main process saw the user choose or drop: the page knows its id and name, never its path. */
interface AppFile {
  fileId: string;
  name: string;
}

/** What preload.ts exposes on `window.deskBridge` inside Electron. */
interface ElectronBridge {
  call(name: string, input: unknown): Promise<Result<unknown>>;
  on(listener: (event: string, payload: unknown) => void): () => void;
  files: {
    choose(kind: FileKind): Promise<Result<AppFile | null>>;
    upload(fileId: string): Promise<Result<{ uploadId: string }>>;
    onDropped(listener: (file: AppFile) => void): () => void;
  };
}

declare global {
  interface Window {
    deskBridge?: ElectronBridge;
  }
}

export class DeskCallError extends Error {
  constructor(
    readonly code: ErrorCode,
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

/** A file the user chose, handed to the core by `upload` as often as needed (another sheet of a workbook). */
export interface ChosenFile {
  readonly name: string;
  /** Resolves with the upload id calls name the file by; `signal` stops a transfer in progress. */
  upload(signal?: AbortSignal): Promise<string>;
}

/**
 * How the user chooses files. In the browser shell, with the page's file input and drops. In the desktop
 * app, with the app's own open dialog, and drops the main process sees itself: the page never tells the
 * core which file to read.
 */
export type FilePicking =
  | { by: 'page'; fromPage(file: File): ChosenFile }
  | {
      by: 'app';
      /** Resolves with null when the user closes the dialog without a file. */
      choose(kind: FileKind): Promise<ChosenFile | null>;
      onDropped(listener: (file: ChosenFile) => void): () => void;
    };

export interface DeskClient extends DeskApi {
  readonly files: FilePicking;
}

export const UPLOAD_CANCELLED: ErrorCode = 'upload-cancelled';

function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw callError(result.error);
  return result.value;
}

interface Transport {
  call(name: string, input: unknown): Promise<Result<unknown>>;
  on(listener: (event: string, payload: unknown) => void): () => void;
}

/** The core API over Electron IPC when running in the app, else over HTTP + SSE from the browser shell. */
export function connectDesk(): DeskClient {
  const electron = window.deskBridge;
  return electron ? client(electron, appFiles(electron.files)) : httpClient();
}

function client(transport: Transport, files: FilePicking): DeskClient {
  const listeners = new Map<string, Set<Listener>>();
  transport.on((event, payload) => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  });
  return {
    files,
    async call(name, input) {
      return valueOf(await transport.call(name, input)) as never;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as Listener);
      listeners.set(event, set);
      return () => set.delete(listener as Listener);
    },
  };
}

function appFiles(bridge: ElectronBridge['files']): FilePicking {
  const chosen = ({ fileId, name }: AppFile): ChosenFile => ({
    name,
    upload: async () => valueOf(await bridge.upload(fileId)).uploadId,
  });
  return {
    by: 'app',
    async choose(kind) {
      const file = valueOf(await bridge.choose(kind));
      return file && chosen(file);
    },
    onDropped: (listener) => bridge.onDropped((file) => listener(chosen(file))),
  };
}

const TOKEN_KEY = 'campaign-desk-token';

function httpClient(): DeskClient {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  const token = sessionStorage.getItem(TOKEN_KEY) ?? '';
  const transport: Transport = {
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
    on(listener) {
      const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
      for (const name of EVENT_NAMES) {
        source.addEventListener(name, (e) => listener(name, JSON.parse((e as MessageEvent<string>).data)));
      }
      return () => source.close();
    },
  };
  const upload = async (file: File, signal?: AbortSignal): Promise<string> => {
    const cancelled = () => new DeskCallError(UPLOAD_CANCELLED, 'The upload was cancelled.');
    if (signal?.aborted) throw cancelled();
    try {
      const res = await fetch('/api/upload', {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'x-desk-token': token },
        body: file,
        signal,
      });
      return valueOf((await res.json()) as Result<{ uploadId: string }>).uploadId;
    } catch (error) {
      if (signal?.aborted) throw cancelled();
      throw error;
    }
  };
  const fromPage = (file: File): ChosenFile => ({
    name: file.name,
    upload: (signal) => upload(file, signal),
  });
  return client(transport, { by: 'page', fromPage });
}
