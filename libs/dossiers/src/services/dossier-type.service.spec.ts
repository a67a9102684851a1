import { InvalidInputError } from '@gemeng/core';
import type { DossierTypeEntity } from '../entities/dossier-type.entity';
import { finalStage, firstStage, stageOf } from './dossier-type.service';

const interview = {
  code: 'interview',
  stages: [
    { code: 'received', names: { fr: 'Demande reçue' }, notifiesCitizen: true, final: false },
    { code: 'in-review', names: { fr: "En cours d'examen" }, notifiesCitizen: false, final: false },
    { code: 'closed', names: { fr: 'Dossier clôturé' }, notifiesCitizen: true, final: true },
  ],
} as DossierTypeEntity;

describe('the stages of a dossier type', () => {
  it('starts every dossier at the first stage and closes it at the last, final one', () => {
    expect(firstStage(interview).code).toBe('received');
    expect(finalStage(interview)).toMatchObject({ code: 'closed', final: true });
  });

  it('finds a stage by code, and names the input that asked for an unknown one', () => {
    expect(stageOf(interview, 'in-review').names.fr).toBe("En cours d'examen");
    let refusal: unknown;
    try {
      stageOf(interview, 'archived', 'input.stageCode');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(InvalidInputError);
    expect((refusal as InvalidInputError).problems).toEqual([
      { path: 'input.stageCode', message: '"archived" is not a stage of this type' },
    ]);
  });
});
