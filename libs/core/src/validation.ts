import type { ValidationError } from 'class-validator';
import type { InputProblem } from './errors';

/** class-validator's nested errors as a flat list of problems addressed by path (`theme.primaryColor`). */
export function validationProblems(errors: ValidationError[], prefix = ''): InputProblem[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      path,
      message: message.replace(/^property (\S+) should not exist$/, 'is not a known setting'),
    }));
    return [...own, ...validationProblems(error.children ?? [], path)];
  });
}
