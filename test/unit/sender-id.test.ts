import { describe, expect, it } from 'vitest';
import { senderIdProblem, smsApiSender } from '../../shared/sender-id';

describe('sender ids', () => {
  it.each(['ACME', 'Shop24', 'ABCDEFGHIJK', '12345', '+447700900123', '447700900123456', ' ACME '])(
    'takes %j',
    (id) => expect(senderIdProblem(id)).toBeNull(),
  );

  it('says how long a name may be', () => {
    expect(senderIdProblem('ACMEFLOWERSLTD')).toBe(
      'A sender name has at most 11 letters and digits; "ACMEFLOWERSLTD" has 14. Networks cut or refuse longer names.',
    );
  });

  it('names the characters a sender name may not hold', () => {
    expect(senderIdProblem('Acme & Co')).toBe(
      'A sender name may hold only letters A–Z and digits; "Acme & Co" has spaces, "&". Remove them, or use a number.',
    );
    expect(senderIdProblem('Café')).toContain('has "é"');
  });

  it('says how many digits a number may have', () => {
    expect(senderIdProblem('+4477009001234567')).toBe(
      'A sender number has at most 15 digits; "+4477009001234567" has 16.',
    );
  });

  it('asks for one when there is none', () => {
    expect(senderIdProblem('   ')).toBe('Enter the sender ID.');
  });

  it('drops the plus of a number for the Send SMS API, and nothing else', () => {
    expect(smsApiSender('+447700900123')).toBe('447700900123');
    expect(smsApiSender('ACME')).toBe('ACME');
    expect(smsApiSender('+ACME')).toBe('+ACME');
  });
});
