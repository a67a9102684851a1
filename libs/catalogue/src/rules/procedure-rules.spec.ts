import {
  CATALOGUE_LANGUAGES,
  communeLanguages,
  documentProblems,
  normDaysProblems,
  onlyAllowed,
  procedureProblems,
  stageProblems,
  textValue,
  type ProcedureStage,
} from './procedure-rules';
import { textIn } from '@gemeng/core';

const hesperange = communeLanguages(['lb', 'fr', 'de'], 'lb');

function stage(code: string, final = false, names: ProcedureStage['names'] = { lb: code }): ProcedureStage {
  return { code, names, notifiesCitizen: false, final };
}

const paths = (problems: { path: string }[]): string[] => problems.map((p) => p.path);

describe('stage rules', () => {
  it('accepts an ordered procedure whose last stage, and only it, is final', () => {
    const stages = [stage('received'), stage('in-review'), stage('appointment'), stage('closed', true)];
    expect(stageProblems(stages, hesperange)).toEqual([]);
    expect(stageProblems([stage('received'), stage('closed', true)], hesperange)).toEqual([]);
  });

  it('needs a final stage', () => {
    expect(stageProblems([stage('received'), stage('in-review')], hesperange)).toEqual([
      { path: 'stages', message: 'needs a final stage, the last one: it closes the dossier with a result' },
    ]);
  });

  it('refuses a final stage that is not the last one, and says where', () => {
    const problems = stageProblems([stage('received'), stage('closed', true), stage('archived')], hesperange);
    expect(problems).toEqual([
      { path: 'stages.1.final', message: 'only the last stage can be final' },
      { path: 'stages.2.final', message: 'the last stage must be the final one' },
    ]);
  });

  it('refuses a first stage that is final, and two final stages', () => {
    expect(paths(stageProblems([stage('closed', true), stage('done', true)], hesperange))).toEqual(['stages.0.final']);
    expect(stageProblems([stage('closed', true), stage('done', true)], hesperange)[0].message).toBe(
      'the first stage cannot be final',
    );
    const two = [stage('received'), stage('decided', true), stage('closed', true)];
    expect(paths(stageProblems(two, hesperange))).toEqual(['stages.1.final']);
  });

  it('counts stages: 2 to 20', () => {
    expect(stageProblems([stage('closed', true)], hesperange)).toEqual([
      {
        path: 'stages',
        message: 'needs at least 2 stages (where the dossier starts and where it is closed), got 1',
      },
    ]);
    const many = Array.from({ length: 21 }, (_, i) => stage(`step-${i}`, i === 20));
    expect(stageProblems(many, hesperange)).toEqual([{ path: 'stages', message: 'has 21 stages; at most 20' }]);
    expect(stageProblems(many.slice(1), hesperange)).toEqual([]);
    expect(paths(stageProblems([], hesperange))).toEqual(['stages']);
  });

  it('needs unique kebab-case codes', () => {
    const problems = stageProblems(
      [stage('received'), stage('In Review'), stage('received'), stage('x-'), stage('closed', true)],
      hesperange,
    );
    expect(problems).toEqual([
      {
        path: 'stages.1.code',
        message: 'must be lowercase letters, digits and single hyphens, starting with a letter (e.g. "in-review")',
      },
      {
        path: 'stages.3.code',
        message: 'must be lowercase letters, digits and single hyphens, starting with a letter (e.g. "in-review")',
      },
      { path: 'stages.2.code', message: '"received" is used twice' },
    ]);
    expect(paths(stageProblems([stage('a'.repeat(41)), stage('closed', true)], hesperange))).toEqual(['stages.0.code']);
  });

  it("needs names in the commune's default language, and only in its enabled languages", () => {
    const problems = stageProblems(
      [stage('received', false, { fr: 'Reçue', en: 'Received' }), stage('closed', true, { lb: ' ' })],
      hesperange,
    );
    expect(problems).toEqual([
      { path: 'stages.0.names.en', message: '"en" is not one of the commune\'s languages (lb, fr, de)' },
      { path: 'stages.0.names.lb', message: 'a text in "lb" is needed (the commune\'s default language)' },
      { path: 'stages.1.names.lb', message: 'must not be empty' },
    ]);
  });

  it('needs every text of the catalogue in all four languages', () => {
    const problems = stageProblems(
      [stage('received', false, { lb: 'a', fr: 'b', de: 'c', en: 'd' }), stage('closed', true, { fr: 'Clôturé' })],
      CATALOGUE_LANGUAGES,
    );
    expect(paths(problems)).toEqual(['stages.1.names.lb', 'stages.1.names.de', 'stages.1.names.en']);
  });

  it('checks requested documents like stages, with paths under documents', () => {
    const problems = documentProblems(
      [
        { code: 'identity-card', names: { lb: 'Identitéitskaart' }, required: true },
        { code: 'identity-card', names: { lb: 'Pass', en: 'Passport' }, required: false },
        { code: 'Plans', names: {}, required: true },
      ],
      hesperange,
    );
    expect(paths(problems)).toEqual([
      'documents.1.names.en',
      'documents.2.code',
      'documents.2.names.lb',
      'documents.1.code',
    ]);
    expect(documentProblems([], hesperange)).toEqual([]);
  });

  it('accepts a service norm of 1 to 250 working days', () => {
    expect(normDaysProblems(1)).toEqual([]);
    expect(normDaysProblems(250)).toEqual([]);
    for (const days of [0, -3, 251, 2.5, Number.NaN]) {
      expect(normDaysProblems(days)).toEqual([
        { path: 'normDays', message: 'must be a whole number of working days from 1 to 250' },
      ]);
    }
  });

  it('reports every problem of a procedure at once', () => {
    const problems = procedureProblems(
      {
        stages: [stage('received'), stage('received')],
        documents: [{ code: 'id', names: { en: 'ID' }, required: true }],
        normDays: 0,
      },
      hesperange,
    );
    expect(paths(problems)).toEqual([
      'stages.1.code',
      'stages',
      'documents.0.names.en',
      'documents.0.names.lb',
      'normDays',
    ]);
  });
});

describe('localized texts', () => {
  it("keeps only a commune's languages of a catalogue text", () => {
    expect(onlyAllowed({ lb: 'a', fr: 'b', de: 'c', en: 'd' }, ['lb', 'fr', 'de'])).toEqual({
      lb: 'a',
      fr: 'b',
      de: 'c',
    });
  });

  it("picks the caller's language, else the fallback, else any", () => {
    expect(textIn({ lb: 'Moien', fr: 'Bonjour' }, 'fr', 'lb')).toBe('Bonjour');
    expect(textIn({ lb: 'Moien', fr: 'Bonjour' }, 'en', 'lb')).toBe('Moien');
    expect(textIn({ de: 'Hallo' }, undefined, 'lb')).toBe('Hallo');
    expect(textIn({}, 'fr', 'lb')).toBe('');
  });

  it('stores only the languages that have a text', () => {
    expect(textValue({ lb: 'a', fr: undefined, de: null as unknown as string })).toEqual({ lb: 'a' });
  });
});
