import type { OverviewRow } from '../services/billing.service';
import { overviewCsv, overviewTotals } from './billing-overview';

const row = (slug: string, name: string, invoicedCents: number, paidCents: number): OverviewRow => ({
  communeSlug: slug,
  communeName: name,
  period: { label: '2026', start: '2026-01-01', end: '2026-12-31' },
  inhabitants: 37420,
  priceCents: 2000,
  invoicedCents,
  paidCents,
});

describe('overviewCsv', () => {
  it('has a header, a row per commune and period, and a total row, with CRLF line ends', () => {
    const csv = overviewCsv([
      row('esch', 'Esch-sur-Alzette', 74_840_000, 74_840_000),
      row('dudelange', 'Diddeleng', 44_290_000, 0),
    ]);
    expect(csv.split('\r\n')).toEqual([
      'commune,name,period,start,end,inhabitants,price_per_inhabitant,invoiced,paid,outstanding',
      'esch,Esch-sur-Alzette,2026,2026-01-01,2026-12-31,37420,20.00,748400.00,748400.00,0.00',
      'dudelange,Diddeleng,2026,2026-01-01,2026-12-31,37420,20.00,442900.00,0.00,442900.00',
      'total,,,,,,,1191300.00,748400.00,442900.00',
      '',
    ]);
  });

  it('quotes fields with commas, quotes and line breaks as RFC 4180 says', () => {
    const csv = overviewCsv([row('x', 'Commune "de", test\nligne', 100, 0)]);
    expect(csv.split('\r\n')[1]).toBe(
      'x,"Commune ""de"", test\nligne",2026,2026-01-01,2026-12-31,37420,20.00,1.00,0.00,1.00',
    );
  });

  it('totals past 2^31 cents exactly', () => {
    const rows = Array.from({ length: 30 }, (_, i) => row(`c${i}`, `C${i}`, 100_000_001, 1));
    expect(overviewTotals(rows)).toEqual({
      invoicedCents: 3_000_000_030,
      paidCents: 30,
      outstandingCents: 3_000_000_000,
    });
    expect(overviewCsv(rows).split('\r\n').at(-2)).toBe('total,,,,,,,30000000.30,0.30,30000000.00');
  });
});
