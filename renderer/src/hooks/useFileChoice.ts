import { useEffect, useEffectEvent, type ChangeEvent, type DragEvent, type MouseEvent } from 'react';
import { acceptAttribute, type FileKind } from '../../../shared/file-kinds';
import type { ChosenFile } from '../api/desk-client';
import { useDesk } from './useDesk';

/**
 * The props of a file input for `kind`. In the browser shell the page's own picker opens; in the desktop
 * app a click opens the app's open dialog instead, so that the core reads only a file the main process
 * saw the user choose.
 */
export function useFileInput(
  kind: FileKind,
  onChosen: (file: ChosenFile) => void,
  onError: (e: unknown) => void,
) {
  const { files } = useDesk();
  return {
    type: 'file' as const,
    accept: acceptAttribute(kind),
    onClick(e: MouseEvent<HTMLInputElement>) {
      if (files.by !== 'app') return;
      e.preventDefault();
      files.choose(kind).then((file) => file && onChosen(file), onError);
    },
    onChange(e: ChangeEvent<HTMLInputElement>) {
      const file = e.target.files?.[0];
      e.target.value = '';
      if (file && files.by === 'page') onChosen(files.fromPage(file));
    },
  };
}

/**
 * The drop handler of a drop zone, and the files dropped while `accepting`. In the desktop app the page
 * leaves the drop unhandled: the window would open the file, the main process stops that, notes the path
 * and reports the file here.
 */
export function useFileDrop(accepting: boolean, onChosen: (file: ChosenFile) => void) {
  const { files } = useDesk();
  const onDropped = useEffectEvent(onChosen);
  useEffect(() => {
    if (files.by === 'app' && accepting) return files.onDropped((file) => onDropped(file));
  }, [files, accepting]);
  return (e: DragEvent) => {
    if (files.by === 'app') return;
    e.preventDefault();
    const file = e.dataTransfer.files[0];
    if (file && accepting) onChosen(files.fromPage(file));
  };
}
