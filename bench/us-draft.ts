import type { Desk } from '../electron/core/desk';

/** A draft of `rows` US numbers with a one-placeholder message, ready to send: the load and reopen benches' campaign. */
export async function usDraft(desk: Desk, rows: number, fileName: string): Promise<string> {
  const lines = ['name,phone'];
  for (let i = 0; i < rows; i++) lines.push(`Person ${i},+1415${String(5_000_000 + i).padStart(7, '0')}`);
  const { id } = await desk.importRecipients(fileName, { text: lines.join('\n') });
  await desk.update(id, {
    phoneColumn: 1,
    defaultCountry: 'US',
    template: 'Hi $(name), your order is ready for collection.',
    senderId: 'ACME',
  });
  return id;
}
