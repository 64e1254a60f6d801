/** Exposes the core API to the renderer, and nothing else. */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

function subscribe<Args extends unknown[]>(channel: string, listener: (...args: Args) => void): () => void {
  const forward = (_: IpcRendererEvent, ...args: unknown[]) => listener(...(args as Args));
  ipcRenderer.on(channel, forward);
  return () => ipcRenderer.removeListener(channel, forward);
}

contextBridge.exposeInMainWorld('deskBridge', {
  call: (name: string, input: unknown): Promise<unknown> => ipcRenderer.invoke('desk:call', name, input),
  on: (listener: (event: string, payload: unknown) => void) => subscribe('desk:event', listener),
  // Files reach the core by the main process's own dialog or a drop it saw itself; the page only ever
  // holds their ids and names, never a path, and no bytes cross the bridge.
  files: {
    choose: (kind: string): Promise<unknown> => ipcRenderer.invoke('desk:choose-file', kind),
    upload: (fileId: string): Promise<unknown> => ipcRenderer.invoke('desk:upload', fileId),
    onDropped: (listener: (file: unknown) => void) => subscribe('desk:file-dropped', listener),
  },
});
