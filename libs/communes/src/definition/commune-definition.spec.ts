import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidInputError } from '@gemeng/core';
import { parseCommuneYaml, validateCommuneDefinition } from './commune-definition';

const TENANTS = join(__dirname, '..', '..', '..', '..', 'tenants');
const esch = () => readFileSync(join(TENANTS, 'esch.yaml'), 'utf8');

/** Replaces text in a definition, failing loudly if the text is not there (a test must not pass vacuously). */
function edit(text: string, from: string | RegExp, to: string): string {
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`${String(from)} is not in the definition`);
  return changed;
}

function problemsOf(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error.problems;
    throw error;
  }
  throw new Error('expected the definition to be refused');
}

describe('commune definitions', () => {
  it.each(readdirSync(TENANTS).filter((f) => f.endsWith('.yaml')))('accepts the demo commune %s', (file) => {
    const definition = parseCommuneYaml(readFileSync(join(TENANTS, file), 'utf8'), file);
    expect(`${definition.slug}.yaml`).toBe(file);
    expect(definition.population.length).toBeGreaterThan(0);
    for (const figure of definition.population) expect(figure.source).toMatch(/demo data/i);
  });

  it('applies defaults and normalises colours', () => {
    const definition = parseCommuneYaml(edit(esch(), "'#b5121b'", "'#B5121B'"), 'esch.yaml');
    expect(definition.theme).toMatchObject({
      primaryColor: '#b5121b',
      onPrimaryColor: '#ffffff',
      textColor: '#1a1a1a',
      backgroundColor: '#ffffff',
    });
    expect(definition.pricePerInhabitantCents).toBeNull();
    expect(definition.contact.phone).toBe('2754 2533');
    expect(definition.departments.map((d) => d.code)).toEqual(['population', 'technical', 'social']);
  });

  it('reads a price per inhabitant in cents, written as text or as a YAML number', () => {
    expect(parseCommuneYaml(`${esch()}\npricePerInhabitant: "19.5"`, 'x').pricePerInhabitantCents).toBe(1950);
    expect(parseCommuneYaml(`${esch()}\npricePerInhabitant: 20.05`, 'x').pricePerInhabitantCents).toBe(2005);
    expect(parseCommuneYaml(`${esch()}\npricePerInhabitant: 20`, 'x').pricePerInhabitantCents).toBe(2000);
    const problems = problemsOf(() => parseCommuneYaml(`${esch()}\npricePerInhabitant: "20.001"`, 'x'));
    expect(problems.map((p) => p.path)).toEqual(['pricePerInhabitant']);
  });

  it('reports every problem of a file at once, each with its path', () => {
    let yaml = edit(esch(), 'slug: esch', 'slug: Esch');
    yaml = edit(yaml, 'default: fr', 'default: it');
    yaml = edit(yaml, 'email: info@villeesch.lu', 'email: nobody');
    yaml = edit(yaml, /joinedOn: .*/, 'joinedOn: "2025-02-29"');
    const paths = problemsOf(() => parseCommuneYaml(yaml, 'esch.yaml')).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['slug', 'locales.default', 'contact.email', 'joinedOn']));
  });

  it('refuses unknown settings, so that a typo is not silently ignored', () => {
    const problems = problemsOf(() => parseCommuneYaml(`${esch()}\ncolour: red`, 'esch.yaml'));
    expect(problems).toEqual([{ path: 'colour', message: 'is not a known setting' }]);
  });

  it('needs a name in every enabled language, and the default language among the enabled ones', () => {
    const yaml = edit(
      edit(esch(), '  en: Esch-sur-Alzette\n', ''),
      'enabled: [lb, fr, de, en]',
      'enabled: [lb, de, en]',
    );
    const problems = problemsOf(() => parseCommuneYaml(yaml, 'esch.yaml'));
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'locales.default', message: '"fr" is not one of the enabled languages' },
        { path: 'names.en', message: 'the commune needs a name in every enabled language (en)' },
      ]),
    );
  });

  it('refuses duplicate departments, domains and population dates', () => {
    const base = parseCommuneYaml(esch(), 'esch.yaml');
    const plain = {
      slug: 'esch',
      names: base.names,
      locales: { enabled: base.enabledLocales, default: base.defaultLocale },
      theme: base.theme,
      contact: base.contact,
      joinedOn: base.joinedOn,
      customDomains: ['www.esch.lu', 'www.esch.lu'],
      population: [base.population[0], base.population[0]],
      departments: [base.departments[0], base.departments[0]],
    };
    const paths = problemsOf(() => validateCommuneDefinition(plain)).map((p) => p.path);
    expect(paths).toEqual(['departments.1.code', 'customDomains.1', 'population.1.referenceDate']);
  });

  it("lists the dossier types to enable, each handled by one of the commune's departments", () => {
    expect(parseCommuneYaml(esch(), 'esch.yaml').dossierTypes).toEqual(
      expect.arrayContaining([
        { serviceType: 'interview', department: 'population' },
        { serviceType: 'building-permit', department: 'technical', normDays: 40 },
      ]),
    );
    let yaml = edit(
      esch(),
      '{ serviceType: interview, department: population }',
      '{ serviceType: interview, department: parks }',
    );
    yaml = edit(yaml, 'department: technical, normDays: 40', 'department: technical, normDays: 0');
    yaml = edit(yaml, 'serviceType: retirement-information', 'serviceType: moving-declaration');
    const problems = problemsOf(() => parseCommuneYaml(yaml, 'esch.yaml'));
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'dossierTypes.0.department', message: '"parks" is not one of the commune\'s departments' },
        { path: 'dossierTypes.2.normDays', message: 'normDays must not be less than 1' },
        { path: 'dossierTypes.3.serviceType', message: '"moving-declaration" is listed twice' },
      ]),
    );
  });

  it('reads the billing details, and asks for a billing address where the contact address has no postcode', () => {
    expect(parseCommuneYaml(esch(), 'esch.yaml').billing).toEqual({
      endpoint: '9938:LU90000001',
      buyerReference: 'ESCH-GEMENG',
    });
    let yaml = edit(esch(), "endpoint: '9938:LU90000001'", "endpoint: 'LU90000001'");
    yaml = edit(yaml, 'L-4138 Esch-sur-Alzette', 'Esch-sur-Alzette');
    expect(problemsOf(() => parseCommuneYaml(yaml, 'esch.yaml')).map((p) => p.path)).toEqual([
      'billing.endpoint',
      'billing.address',
    ]);
    const addressed = edit(
      yaml,
      "endpoint: 'LU90000001'",
      "endpoint: '9938:LU90000001'\n  address: { lines: [Rue de l'Alzette 1], postalCode: '4011', city: Esch-sur-Alzette }",
    );
    expect(parseCommuneYaml(addressed, 'esch.yaml').billing?.address).toEqual({
      lines: ["Rue de l'Alzette 1"],
      postalCode: '4011',
      city: 'Esch-sur-Alzette',
      countryCode: 'LU',
    });
  });

  it('explains malformed YAML with its line', () => {
    const problems = problemsOf(() => parseCommuneYaml('slug: esch\nnames: [unclosed\n', 'broken.yaml'));
    expect(problems[0].path).toMatch(/^line \d+$/);
  });

  it('refuses a document that is not a mapping', () => {
    expect(() => parseCommuneYaml('- just\n- a list\n', 'list.yaml')).toThrow(
      'list.yaml must be a mapping of settings',
    );
  });
});
