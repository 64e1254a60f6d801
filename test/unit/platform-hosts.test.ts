import { describe, expect, it } from 'vitest';
import { hostLabel, knownHost, PLATFORM_HOSTS } from '../../shared/platform-hosts';

const SEND_SMS_HOSTS = ['ca', 'eu', 'uk', 'us', 'us1', 'in', 'au'].map(
  (r) => `https://api.${r}.webexconnect.io`,
);
const OLDER_HOSTS = [
  'https://api.imiconnect.io',
  'https://api-us.imiconnect.io',
  'https://api.imiconnect.eu',
  'https://api.imiconnect.ca',
  'https://api.imiconnect.us',
  'https://api.imiconnect.in',
  'https://api.imiconnect.com',
];

describe('documented platform hosts', () => {
  it('lists every documented host once', () => {
    const urls = PLATFORM_HOSTS.map((h) => h.baseUrl);
    expect([...urls].sort()).toEqual([...SEND_SMS_HOSTS, ...OLDER_HOSTS].sort());
  });

  it('offers the Send SMS API only on the webexconnect.io hosts, Messaging API v1 on all', () => {
    for (const host of PLATFORM_HOSTS) {
      expect(host.apis).toContain('messaging');
      expect(host.apis.includes('sms'), host.baseUrl).toBe(SEND_SMS_HOSTS.includes(host.baseUrl));
      expect(host.family).toBe(host.baseUrl.endsWith('.webexconnect.io') ? 'webexconnect' : 'imiconnect');
    }
  });

  it('keeps each region together', () => {
    const regions = PLATFORM_HOSTS.map((h) => h.region);
    const runs = regions.filter((region, i) => region !== regions[i - 1]);
    expect(runs).toEqual([...new Set(regions)]);
  });

  it('sends US tenants with a console on .io to api-us.imiconnect.io, not api.imiconnect.io', () => {
    const usOnIo = PLATFORM_HOSTS.filter((h) => h.region === 'US' && h.consoleDomain === 'imiconnect.io');
    expect(usOnIo.map((h) => h.baseUrl)).toEqual(['https://api-us.imiconnect.io']);
    expect(hostLabel(usOnIo[0]!)).toBe('US — console on imiconnect.io');
  });
});

describe('knownHost', () => {
  it('finds the host typed exactly, with trailing slashes, in capitals or with a path', () => {
    for (const typed of [
      'https://api.us.webexconnect.io',
      'https://api.us.webexconnect.io/',
      'https://api.us.webexconnect.io///',
      '  HTTPS://API.US.WEBEXCONNECT.IO  ',
      'https://api.us.webexconnect.io/v1/sms/messages',
      'https://api.us.webexconnect.io/resources/v1/messaging?x=1',
      'https://api.us.webexconnect.io:443',
      'http://api.us.webexconnect.io',
    ]) {
      expect(knownHost(typed)?.baseUrl, typed).toBe('https://api.us.webexconnect.io');
    }
  });

  it('tells the older hosts apart from the new ones', () => {
    expect(knownHost('https://api-us.imiconnect.io/')).toMatchObject({
      region: 'US',
      family: 'imiconnect',
      apis: ['messaging'],
    });
    expect(knownHost('https://api.imiconnect.io')?.region).toBe('Europe, Middle East and Africa');
    expect(knownHost('https://api.uk.webexconnect.io')?.apis).toContain('sms');
  });

  it('answers null for free text', () => {
    for (const typed of [
      '',
      'api.us.webexconnect.io',
      'https://api.us.webexconnect.io.evil.example',
      'https://evil.example/api.us.webexconnect.io',
      'https://user@api.us.webexconnect.io',
      'https://api.us.webexconnect.io:8443',
      'ftp://api.us.webexconnect.io',
      'http://127.0.0.1:4010',
      'https://us.webexconnect.io',
    ]) {
      expect(knownHost(typed), typed).toBeNull();
    }
  });
});
