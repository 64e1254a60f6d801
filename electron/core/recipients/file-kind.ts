import { DeskError } from '../errors';

export type FileKind = 'xlsx' | 'text';

const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
const ZIP_END_RECORD = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const OLE_HEADER = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
// The end record sits in the last 22 bytes, after a comment of at most 64 KB.
const END_RECORD_REACH = 22 + 0xffff;

/**
 * Tells a workbook from text by its bytes, whatever the file is called: an .xlsx is a ZIP archive holding
 * `xl/workbook.xml`. Other spreadsheet files are refused with what to do instead.
 */
export function fileKind(bytes: Uint8Array): FileKind {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (OLE_HEADER.every((b, i) => buffer[i] === b)) {
    throw new DeskError(
      'workbook-unsupported',
      'This is an Excel 97-2003 workbook (.xls) or a password-protected one. Open it in Excel and save it ' +
        'as an Excel workbook (.xlsx) without a password, or as CSV.',
    );
  }
  if (!ZIP_LOCAL_HEADER.every((b, i) => buffer[i] === b)) return 'text';
  // File names are stored as they are in a ZIP's headers, so a look at the bytes finds them.
  const head = buffer.subarray(0, 200).toString('latin1');
  if (head.includes('application/vnd.oasis.opendocument.spreadsheet')) {
    throw new DeskError(
      'workbook-unsupported',
      'OpenDocument spreadsheets (.ods) cannot be imported. Save it as an Excel workbook (.xlsx) or as ' +
        'CSV, then import that file.',
    );
  }
  if (
    buffer.lastIndexOf(ZIP_END_RECORD, buffer.length - 22) < Math.max(0, buffer.length - END_RECORD_REACH)
  ) {
    throw new DeskError(
      'workbook-damaged',
      'The workbook is damaged or incomplete: its end is missing (was it fully copied or downloaded?). ' +
        'Open it in Excel and save it again, or save it as CSV.',
    );
  }
  if (!buffer.includes('xl/workbook.xml')) {
    throw new DeskError(
      'workbook-unsupported',
      'The file is a ZIP archive but not an Excel workbook. Import an Excel workbook (.xlsx) or a CSV file.',
    );
  }
  return 'xlsx';
}
