import { FILE_KINDS, type FileKind } from '../../shared/file-kinds';

/** The filter of the open dialog for `kind`: the files the importer reads. */
export function dialogFilters(kind: FileKind): { name: string; extensions: string[] }[] {
  const { label, extensions } = FILE_KINDS[kind];
  return [{ name: label, extensions: [...extensions] }];
}
