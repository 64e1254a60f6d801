/** The kinds of file the user hands to the app, and what each accepts: one list for the page and the dialogs. */
export const FILE_KINDS = {
  recipients: {
    label: 'CSV files and Excel workbooks',
    extensions: ['xlsx', 'csv', 'tsv', 'txt'],
    mimeTypes: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  },
  numbers: { label: 'CSV files', extensions: ['csv', 'tsv', 'txt'], mimeTypes: ['text/csv'] },
} as const;

export type FileKind = keyof typeof FILE_KINDS;

export function isFileKind(value: unknown): value is FileKind {
  return typeof value === 'string' && Object.hasOwn(FILE_KINDS, value);
}

/** The `accept` attribute of a file input for `kind`. */
export function acceptAttribute(kind: FileKind): string {
  const { extensions, mimeTypes } = FILE_KINDS[kind];
  return [...extensions.map((extension) => `.${extension}`), ...mimeTypes].join(',');
}
