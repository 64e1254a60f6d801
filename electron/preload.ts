/** Exposes the core API to the renderer, and nothing else. */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';

contextBridge.exposeInMainWorld('deskBridge', {
  // The main process reads the file the user picked or dropped where it lies; no bytes cross the bridge.
  upload: (file: File): Promise<unknown> => ipcRenderer.invoke('desk:upload', webUtils.getPathForFile(file)),
  call: (name: string, input: unknown): Promise<unknown> => ipcRenderer.invoke('desk:call', name, input),
  on: (listener: (event: string, payload: unknown) => void): (() => void) => {
    const forward = (_: IpcRendererEvent, event: string, payload: unknown) => listener(event, payload);
    ipcRenderer.on('desk:event', forward);
    return () => ipcRenderer.removeListener('desk:event', forward);
  },
});
