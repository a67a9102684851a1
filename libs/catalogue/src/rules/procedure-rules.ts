import { type InputProblem, isLocale, type Locale, LOCALES, type LocalizedText } from '@gemeng/core';

/** One stage of a procedure: the catalogue's default stages and a commune's dossier type share the shape. */
export interface ProcedureStage {
  code: string;
  names: LocalizedText;
  /** The citizen gets an e-mail when their dossier reaches this stage. */
  notifiesCitizen: boolean;
  /** The closing stage: reaching it needs a result (accepted, declined, redirected) and a message. */
  final: boolean;
}

/** A document a procedure asks the citizen for. */
export interface ProcedureDocument {
  code: string;
  names: LocalizedText;
  required: boolean;
}

/**
 * The languages a text may and must be written in: a commune's enabled languages and its default one,
 * or, for the shared catalogue, all four platform languages.
 */
export interface LanguageRule {
  allowed: readonly Locale[];
  required: readonly Locale[];
  /** Whose languages these are, in messages: "the commune's languages". */
  label: string;
  /** Why the required ones are, in messages: "the commune's default language". */
  requiredLabel: string;
}

/** The languages of the shared catalogue: every text in all four platform languages. */
export const CATALOGUE_LANGUAGES: LanguageRule = {
  allowed: LOCALES,
  required: LOCALES,
  label: "the platform's languages",
  requiredLabel: 'the catalogue is written in every platform language',
};

/** A commune's texts: in its enabled languages only, and at least in its default one. */
export function communeLanguages(enabled: readonly Locale[], defaultLocale: Locale): LanguageRule {
  return {
    allowed: enabled,
    required: [defaultLocale],
    label: "the commune's languages",
    requiredLabel: "the commune's default language",
  };
}

export const CODE_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const CODE_MAX_LENGTH = 40;
export const MIN_STAGES = 2;
export const MAX_STAGES = 20;
export const MAX_DOCUMENTS = 30;
export const MIN_NORM_DAYS = 1;
/** About a year of working days: a longer norm says nothing useful to the citizen. */
export const MAX_NORM_DAYS = 250;

/** The problem with a stage or document code, if any. */
export function codeProblem(code: unknown): string | undefined {
  if (typeof code !== 'string' || !CODE_PATTERN.test(code)) {
    return 'must be lowercase letters, digits and single hyphens, starting with a letter (e.g. "in-review")';
  }
  if (code.length > CODE_MAX_LENGTH) return `must be at most ${CODE_MAX_LENGTH} characters`;
  return undefined;
}

/** Problems of a text per language: a missing required language, a language not allowed, an empty text. */
export function localizedTextProblems(
  text: LocalizedText | undefined,
  rule: LanguageRule,
  path: string,
): InputProblem[] {
  const problems: InputProblem[] = [];
  const given = text ?? {};
  for (const [locale, value] of Object.entries(given)) {
    if (value === undefined || value === null) continue;
    if (!isLocale(locale) || !rule.allowed.includes(locale)) {
      problems.push({
        path: `${path}.${locale}`,
        message: `"${locale}" is not one of ${rule.label} (${rule.allowed.join(', ')})`,
      });
    } else if (typeof value !== 'string' || !value.trim()) {
      problems.push({ path: `${path}.${locale}`, message: 'must not be empty' });
    }
  }
  for (const locale of rule.required) {
    const value = given[locale];
    if (value === undefined || value === null) {
      problems.push({ path: `${path}.${locale}`, message: `a text in "${locale}" is needed (${rule.requiredLabel})` });
    }
  }
  return problems;
}

function duplicateCodeProblems(items: readonly { code: string }[], path: string): InputProblem[] {
  const seen = new Set<string>();
  const problems: InputProblem[] = [];
  items.forEach((item, i) => {
    if (seen.has(item.code)) problems.push({ path: `${path}.${i}.code`, message: `"${item.code}" is used twice` });
    seen.add(item.code);
  });
  return problems;
}

/**
 * Problems of an ordered list of stages: 2 to 20 stages with unique codes and names in the right
 * languages, and exactly one final stage, the last one (so the first one never is). A dossier reaches
 * the final stage once, with its result; stages after it could never be reached.
 */
export function stageProblems(stages: readonly ProcedureStage[], rule: LanguageRule, path = 'stages'): InputProblem[] {
  const problems: InputProblem[] = [];
  if (stages.length < MIN_STAGES) {
    problems.push({
      path,
      message: `needs at least ${MIN_STAGES} stages (where the dossier starts and where it is closed), got ${stages.length}`,
    });
  }
  if (stages.length > MAX_STAGES)
    problems.push({ path, message: `has ${stages.length} stages; at most ${MAX_STAGES}` });
  stages.forEach((stage, i) => {
    const code = codeProblem(stage.code);
    if (code) problems.push({ path: `${path}.${i}.code`, message: code });
    problems.push(...localizedTextProblems(stage.names, rule, `${path}.${i}.names`));
  });
  problems.push(...duplicateCodeProblems(stages, path));
  const last = stages.length - 1;
  if (stages.length && !stages.some((s) => s.final)) {
    problems.push({ path, message: 'needs a final stage, the last one: it closes the dossier with a result' });
  } else if (stages.length) {
    stages.forEach((stage, i) => {
      if (!stage.final || i === last) return;
      problems.push({
        path: `${path}.${i}.final`,
        message: i === 0 ? 'the first stage cannot be final' : 'only the last stage can be final',
      });
    });
    if (!stages[last].final) {
      problems.push({ path: `${path}.${last}.final`, message: 'the last stage must be the final one' });
    }
  }
  return problems;
}

/** Problems of the documents a procedure asks for: unique codes, names in the right languages. */
export function documentProblems(
  documents: readonly ProcedureDocument[],
  rule: LanguageRule,
  path = 'documents',
): InputProblem[] {
  const problems: InputProblem[] = [];
  if (documents.length > MAX_DOCUMENTS) {
    problems.push({ path, message: `asks for ${documents.length} documents; at most ${MAX_DOCUMENTS}` });
  }
  documents.forEach((document, i) => {
    const code = codeProblem(document.code);
    if (code) problems.push({ path: `${path}.${i}.code`, message: code });
    problems.push(...localizedTextProblems(document.names, rule, `${path}.${i}.names`));
  });
  problems.push(...duplicateCodeProblems(documents, path));
  return problems;
}

/** The problem with a service norm in working days, if any. */
export function normDaysProblems(normDays: number, path = 'normDays'): InputProblem[] {
  if (Number.isInteger(normDays) && normDays >= MIN_NORM_DAYS && normDays <= MAX_NORM_DAYS) return [];
  return [{ path, message: `must be a whole number of working days from ${MIN_NORM_DAYS} to ${MAX_NORM_DAYS}` }];
}

/** Every problem of a procedure (stages, documents, norm) at once, each addressed by its path. */
export function procedureProblems(
  procedure: { stages: readonly ProcedureStage[]; documents: readonly ProcedureDocument[]; normDays: number },
  rule: LanguageRule,
): InputProblem[] {
  return [
    ...stageProblems(procedure.stages, rule),
    ...documentProblems(procedure.documents, rule),
    ...normDaysProblems(procedure.normDays),
  ];
}

/** The text in the languages a rule allows, the others left out (catalogue texts for a commune). */
export function onlyAllowed(text: LocalizedText, allowed: readonly Locale[]): LocalizedText {
  return Object.fromEntries(
    Object.entries(text).filter(([locale]) => isLocale(locale) && allowed.includes(locale)),
  ) as LocalizedText;
}

/** A text with only the languages it has a value in: what is stored. */
export function textValue(text: LocalizedText | undefined): LocalizedText {
  return Object.fromEntries(
    Object.entries(text ?? {}).filter(([, value]) => typeof value === 'string'),
  ) as LocalizedText;
}

/** Only the stored fields of a stage, in a fixed order, whatever object the caller passed. */
export function stageValue(stage: ProcedureStage): ProcedureStage {
  return {
    code: stage.code,
    names: textValue(stage.names),
    notifiesCitizen: stage.notifiesCitizen,
    final: stage.final,
  };
}

/** Only the stored fields of a requested document. */
export function documentValue(document: ProcedureDocument): ProcedureDocument {
  return { code: document.code, names: textValue(document.names), required: document.required };
}
