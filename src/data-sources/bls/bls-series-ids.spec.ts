import { INDUSTRY_KEYS } from '../../domain/catalog';
import { REGIONS } from '../../domain/enums';
import {
  BLS_INDUSTRIES,
  OEWS_ANNUAL_WAGE_PERCENTILES,
  OEWS_PROBE_SERIES,
  oewsNationalSeriesId,
  oewsWageSeriesIds,
  QCEW_EMPLOYMENT,
  QCEW_TOTAL_WAGES,
  qcewAreas,
  qcewCell,
  qcewSeriesId,
  REGION_STATES,
  STATE_FIPS,
} from './bls-series-ids';

/** Census divisions, as listed in bls-api.md §2.5 (BLS LAUS FAQ). */
const NEW_ENGLAND = ['CT', 'ME', 'MA', 'NH', 'RI', 'VT'];
const MIDDLE_ATLANTIC = ['NJ', 'NY', 'PA'];
const EAST_NORTH_CENTRAL = ['IL', 'IN', 'MI', 'OH', 'WI'];
const WEST_NORTH_CENTRAL = ['IA', 'KS', 'MN', 'MO', 'NE', 'ND', 'SD'];
const SOUTH_ATLANTIC = ['DE', 'DC', 'FL', 'GA', 'MD', 'NC', 'SC', 'VA', 'WV'];
const EAST_SOUTH_CENTRAL = ['AL', 'KY', 'MS', 'TN'];
const WEST_SOUTH_CENTRAL = ['AR', 'LA', 'OK', 'TX'];
const MOUNTAIN = ['AZ', 'CO', 'ID', 'MT', 'NV', 'NM', 'UT', 'WY'];
const PACIFIC = ['AK', 'CA', 'HI', 'OR', 'WA'];

const sorted = (values: readonly string[]): string[] => [...values].sort();

describe('bls-series-ids', () => {
  describe('qcewSeriesId', () => {
    // Real IDs quoted in bls-api.md §2.1, split as area(5) + datatype(1) + industry; size 0 and ownership 5
    // (private) are what the function always writes, and what every one of these IDs carries.
    it.each([
      ['ENUUS00050544-45', 'US000', '5', '44-45'], // US, avg annual pay, private, retail
      ['ENU2600050544-45', '26000', '5', '44-45'], // Michigan statewide, same measure
      ['ENUUS00040510', 'US000', '4', '10'], // US, avg weekly wage, private, all industries
      ['ENUUS00050510', 'US000', '5', '10'], // US, avg annual pay, private, all industries
      ['ENUUS00050531-33', 'US000', '5', '31-33'], // manufacturing
      ['ENUUS00050523', 'US000', '5', '23'], // construction
      ['ENUUS00050554', 'US000', '5', '54'], // professional, scientific & technical
      ['ENUUS00050561', 'US000', '5', '61'], // education
      ['ENUUS00050562', 'US000', '5', '62'], // health care
      ['ENUUS00050553', 'US000', '5', '53'], // real estate
      ['ENUUS00050551', 'US000', '5', '51'], // information
      ['ENUUS00050572', 'US000', '5', '72'], // accommodation & food
      ['ENUUS000105493', 'US000', '1', '493'], // US, private, warehousing: employment
      ['ENUUS000205493', 'US000', '2', '493'], // US, private, warehousing: establishments
      ['ENU04013105111150', '04013', '1', '111150'], // the official example (Maricopa County, AZ)
    ])(
      'should reproduce the real ID %s',
      (expected, area, datatype, industry) => {
        expect(qcewSeriesId(area, datatype, industry)).toBe(expected);
      },
    );

    it('should write all sizes (0) and private ownership (5), never total covered (0)', () => {
      // ENUUS00040010 is the real total-covered (ownership 0) counterpart of ENUUS00040510.
      const id = qcewSeriesId('US000', '4', '10');
      expect(id).not.toBe('ENUUS00040010');
      expect(id.slice(3, 8)).toBe('US000');
      expect(id.slice(8, 11)).toBe('405');
    });

    it('should use the QCEW datatypes 1 (employment) and 3 (total wages in thousands)', () => {
      expect(QCEW_EMPLOYMENT).toBe('1');
      expect(QCEW_TOTAL_WAGES).toBe('3');
      expect(qcewSeriesId('US000', QCEW_EMPLOYMENT, '493')).toBe(
        'ENUUS000105493',
      );
    });

    it('should build the real retail IDs from the industry table and the area helpers', () => {
      const retail = BLS_INDUSTRIES.retail.qcew.code;
      expect(qcewSeriesId(qcewAreas('national')[0], '5', retail)).toBe(
        'ENUUS00050544-45',
      );
      expect(qcewSeriesId(`${STATE_FIPS.MI}000`, '5', retail)).toBe(
        'ENU2600050544-45',
      );
      expect(qcewAreas('midwest')).toContain('26000');
    });
  });

  describe('oewsNationalSeriesId', () => {
    it('should build the national, cross-industry, all-occupation annual median ID', () => {
      expect(oewsNationalSeriesId('000000', '13')).toBe(
        'OEUN000000000000000000013',
      );
    });

    it('should follow the layout of the real capture OEUN000000000000029102313, all occupations instead of one', () => {
      const real = 'OEUN000000000000029102313';
      const built = oewsNationalSeriesId('000000', '13');
      expect(built).toHaveLength(real.length);
      expect(built.slice(0, 17)).toBe(real.slice(0, 17)); // OE U N area(7) industry(6)
      expect(built.slice(23)).toBe(real.slice(23)); // datatype(2)
      expect(real.slice(17, 23)).toBe('291023'); // the capture's occupation...
      expect(built.slice(17, 23)).toBe('000000'); // ...replaced by "all occupations"
    });

    it.each(Object.entries(BLS_INDUSTRIES))(
      'should give %s 25-character IDs with its industry in characters 12-17',
      (key, mapping) => {
        const ids = oewsWageSeriesIds(key);
        expect(ids).toHaveLength(5);
        ids.forEach((id, i) => {
          expect(id).toHaveLength(25);
          expect(id.slice(0, 11)).toBe('OEUN0000000');
          expect(id.slice(11, 17)).toBe(mapping.oews.code);
          expect(id.slice(17, 23)).toBe('000000');
          expect(id.slice(23)).toBe(OEWS_ANNUAL_WAGE_PERCENTILES[i]);
        });
      },
    );

    // Real IDs of answers that succeeded, quoted in bls-api.md §2.3, rebuilt from their parts. Where the industry is
    // one of ours, its code comes from the mapping, so the test fails if the mapping drifts from the live database.
    it.each([
      [
        'OEUN000000044--4629000001',
        BLS_INDUSTRIES.retail.oews.code,
        '290000',
        '01',
      ],
      [
        'OEUN000000054150015125204',
        BLS_INDUSTRIES.technology.oews.code,
        '151252',
        '04',
      ],
      ['OEUN000000062120000000001', '621200', '000000', '01'], // dentists: the padded 6-digit form
      ['OEUN000000054192027402104', '541920', '274021', '04'],
    ])(
      'should reproduce the real ID %s',
      (expected, industry, occupation, datatype) => {
        const allOccupations = oewsNationalSeriesId(industry, datatype);
        expect(
          allOccupations.slice(0, 17) + occupation + allOccupations.slice(23),
        ).toBe(expected);
      },
    );
  });

  describe('oewsWageSeriesIds', () => {
    it('should write retail as the real sector code 44--46, never the padded 440000', () => {
      expect(oewsWageSeriesIds('retail')).toEqual([
        'OEUN000000044--4600000011',
        'OEUN000000044--4600000012',
        'OEUN000000044--4600000013',
        'OEUN000000044--4600000014',
        'OEUN000000044--4600000015',
      ]);
      // The real API answers this padded form "Series does not exist" (bls-api.md §2.3).
      expect(oewsWageSeriesIds('retail')).not.toContain(
        'OEUN000000044000000000013',
      );
    });

    it('should share the industry part of the real retail ID OEUN000000044--4629000001', () => {
      for (const id of oewsWageSeriesIds('retail'))
        expect(id.slice(0, 17)).toBe('OEUN000000044--4629000001'.slice(0, 17));
    });
  });

  describe('OEWS_PROBE_SERIES', () => {
    it('should be the national cross-industry all-occupation annual median', () => {
      expect(OEWS_PROBE_SERIES).toBe('OEUN000000000000000000013');
    });
  });

  describe('OEWS_ANNUAL_WAGE_PERCENTILES', () => {
    it('should list the annual wage datatypes 11..15 in percentile order (p10, p25, median, p75, p90)', () => {
      expect(OEWS_ANNUAL_WAGE_PERCENTILES).toEqual([
        '11',
        '12',
        '13',
        '14',
        '15',
      ]);
    });
  });

  describe('BLS_INDUSTRIES', () => {
    it('should cover exactly the industry keys of the catalog', () => {
      expect(sorted(Object.keys(BLS_INDUSTRIES))).toEqual(
        sorted(INDUSTRY_KEYS),
      );
      expect(INDUSTRY_KEYS).toHaveLength(10);
    });

    it('should use the OEWS industry codes of oe.industry (bls-api.md §2.3): sectors as first--one-past-last', () => {
      const oews = Object.fromEntries(
        Object.entries(BLS_INDUSTRIES).map(([key, m]) => [key, m.oews.code]),
      );
      expect(oews).toEqual({
        retail: '44--46',
        restaurant: '722000',
        professional_services: '54--55',
        manufacturing: '31--34',
        healthcare: '62--63',
        technology: '541500',
        hospitality: '721000',
        construction: '23--24',
        education: '61--62',
        real_estate: '53--54',
      });
      for (const m of Object.values(BLS_INDUSTRIES)) {
        expect(m.oews.code).toHaveLength(6);
        // never the padded sector form XX0000, which does not exist
        expect(m.oews.code).not.toMatch(/^\d\d0000$/);
      }
    });

    it('should use the QCEW industry codes of the reference table (bls-api.md §3)', () => {
      const qcew = Object.fromEntries(
        Object.entries(BLS_INDUSTRIES).map(([key, m]) => [key, m.qcew.code]),
      );
      expect(qcew).toEqual({
        retail: '44-45',
        restaurant: '722',
        professional_services: '54',
        manufacturing: '31-33',
        healthcare: '62',
        technology: '5415',
        hospitality: '721',
        construction: '23',
        education: '61',
        real_estate: '53',
      });
    });

    it('should give real estate one scope in both programs: sector 53, and say so', () => {
      const m = BLS_INDUSTRIES.real_estate;
      expect([m.oews.code, m.qcew.code, m.qcewStates?.code]).toEqual([
        '53--54',
        '53',
        '53',
      ]);
      expect(m.scopeNote).toMatch(/sector 53/);
    });

    it.each(['healthcare', 'education'])(
      'should say that OEWS %s figures include public employers and QCEW counts private ones',
      (key) => {
        expect(BLS_INDUSTRIES[key].scopeNote).toMatch(
          /include state and local government employers.*private employers only/,
        );
      },
    );

    it('should ask for state series only at sector level, with a note wherever a region is served otherwise', () => {
      for (const [key, m] of Object.entries(BLS_INDUSTRIES)) {
        if (m.qcewStates)
          expect(m.qcewStates.code).toMatch(/^(\d\d|\d\d-\d\d)$/);
        if (m.qcewStates?.code !== m.qcew.code)
          expect(`${key}: ${m.regionalNote}`).toMatch(
            new RegExp(`^${key}: .*not known to hold QCEW state series`),
          );
      }
    });
  });

  describe('qcewCell', () => {
    it('should sum the states of a region for a sector', () => {
      expect(qcewCell('retail', 'midwest')).toEqual({
        areas: qcewAreas('midwest'),
        industry: { code: '44-45', title: 'Retail trade' },
      });
      expect(qcewCell('retail', 'midwest').areas).toContain('26000');
      expect(qcewSeriesId('26000', '5', '44-45')).toBe('ENU2600050544-45'); // Michigan, a real ID
    });

    it('should use sector 72 by state for restaurants in a region, and NAICS 722 for the nation', () => {
      const west = qcewCell('restaurant', 'west');
      expect(west.industry.code).toBe('72');
      expect(west.areas).toEqual(qcewAreas('west'));
      expect(west.substituteNote).toMatch(/sector 72/);
      expect(qcewCell('restaurant', 'national')).toEqual({
        areas: ['US000'],
        industry: { code: '722', title: 'Food services and drinking places' },
      });
    });

    it.each([
      ['hospitality', '721'],
      ['technology', '5415'],
    ])(
      'should give a region of %s the national series of NAICS %s, and say why',
      (industry, code) => {
        for (const region of REGIONS) {
          const cell = qcewCell(industry, region);
          expect(cell.areas).toEqual(['US000']);
          expect(cell.industry.code).toBe(code);
          if (region === 'national')
            expect(cell.substituteNote).toBeUndefined();
          else expect(cell.substituteNote).toMatch(/national figures/);
        }
      },
    );

    it('should never write a state series below the sector, for any industry and region', () => {
      for (const industry of INDUSTRY_KEYS)
        for (const region of REGIONS) {
          const cell = qcewCell(industry, region);
          for (const area of cell.areas)
            if (area !== 'US000')
              expect(cell.industry.code).toMatch(/^(\d\d|\d\d-\d\d)$/);
        }
    });
  });

  describe('STATE_FIPS', () => {
    it('should list the 50 states and DC with distinct 2-digit codes', () => {
      const codes = Object.values(STATE_FIPS);
      expect(Object.keys(STATE_FIPS)).toHaveLength(51);
      expect(Object.keys(STATE_FIPS)).toContain('DC');
      expect(new Set(codes).size).toBe(51);
      for (const code of codes) expect(code).toMatch(/^\d{2}$/);
    });

    it('should use the real FIPS codes of the reference examples', () => {
      expect(STATE_FIPS.MI).toBe('26'); // ENU2600050544-45
      expect(STATE_FIPS.KY).toBe('21'); // 21000 = Kentucky
      expect(STATE_FIPS.AZ).toBe('04'); // 04013 = Maricopa County
      expect(STATE_FIPS.TN).toBe('47'); // 47037 = a Tennessee county
      expect(STATE_FIPS.AL).toBe('01'); // 01001 = Autauga County
      expect(STATE_FIPS.CO).toBe('08'); // LAUST08...
      expect(STATE_FIPS.TX).toBe('48'); // SMU48...
    });
  });

  describe('REGION_STATES', () => {
    it('should have the five non-national regions', () => {
      expect(sorted(Object.keys(REGION_STATES))).toEqual(
        sorted(REGIONS.filter((r) => r !== 'national')),
      );
    });

    it('should put every state and DC in exactly one region', () => {
      const all = Object.values(REGION_STATES).flat();
      expect(sorted(all)).toEqual(sorted(Object.keys(STATE_FIPS)));
      expect(new Set(all).size).toBe(all.length);
    });

    it('should match the proposed Census-division mapping (bls-api.md §2.5)', () => {
      expect(sorted(REGION_STATES.northeast)).toEqual(
        sorted([...NEW_ENGLAND, ...MIDDLE_ATLANTIC]),
      );
      expect(sorted(REGION_STATES.midwest)).toEqual(
        sorted([...EAST_NORTH_CENTRAL, ...WEST_NORTH_CENTRAL]),
      );
      expect(sorted(REGION_STATES.southeast)).toEqual(
        sorted([...SOUTH_ATLANTIC, ...EAST_SOUTH_CENTRAL]),
      );
      expect(sorted(REGION_STATES.southwest)).toEqual(
        sorted([...WEST_SOUTH_CENTRAL, 'AZ', 'NM']),
      );
      expect(sorted(REGION_STATES.west)).toEqual(
        sorted([
          ...MOUNTAIN.filter((s) => s !== 'AZ' && s !== 'NM'),
          ...PACIFIC,
        ]),
      );
    });
  });

  describe('qcewAreas', () => {
    it('should give the nation its own area US000', () => {
      expect(qcewAreas('national')).toEqual(['US000']);
    });

    it.each(Object.entries(REGION_STATES))(
      'should give %s its states as statewide areas (FIPS + 000)',
      (region, states) => {
        const areas = qcewAreas(region as keyof typeof REGION_STATES);
        expect(areas).toEqual(states.map((s) => `${STATE_FIPS[s]}000`));
        for (const area of areas) expect(area).toMatch(/^\d{2}000$/);
      },
    );

    it('should give the southwest the statewide areas of AR, LA, OK, TX, AZ and NM', () => {
      expect(sorted(qcewAreas('southwest'))).toEqual(
        sorted(['05000', '22000', '40000', '48000', '04000', '35000']),
      );
    });
  });
});
